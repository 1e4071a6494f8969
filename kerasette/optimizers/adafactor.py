"""Adafactor (factored second moments), as ``keras.optimizers.Adafactor``."""

import math

import numpy as np

from kerasette import ops
from kerasette.optimizers.base import Optimizer, _registry, check_bool, check_number

_f32 = np.float32


def _rms(x):
    return ops.sqrt(ops.mean(ops.square(x)))


@_registry.register("adafactor")
class Adafactor(Optimizer):
    """Adam-like steps with the second moment of a matrix stored as a row and a column factor (Shazeer & Stern).

    At step ``t`` (1-based): ``rho = min(lr, 1 / sqrt(t))``, ``alpha = max(epsilon_2, rms(w)) * rho``,
    ``beta = 1 - t**beta_2_decay`` and ``s = g**2 + epsilon_1``. A variable of rank >= 2 keeps
    ``r = beta * r + (1 - beta) * mean(s, -1)`` and ``c = beta * c + (1 - beta) * mean(s, -2)`` and uses
    ``v = r / mean(r) (outer) c`` over its last two axes; a smaller variable keeps the full
    ``v = beta * v + (1 - beta) * s``. Then ``u = g / sqrt(v)``,
    ``w -= alpha * u / max(1, rms(u) / clip_threshold)``. The slots per variable are ``r``, ``c``
    (int32 scalars for variables of rank < 2, as in Keras) and ``velocity``.

    Args:
        learning_rate: float >= 0 or a LearningRateSchedule. Defaults to 0.001.
        beta_2_decay: float, the exponent of the decay of the second moment. Defaults to -0.8.
        epsilon_1: float >= 0, added to the squared gradient. Defaults to 1e-30.
        epsilon_2: float >= 0, the smallest scale of a step. Defaults to 1e-3.
        clip_threshold: float > 0, the RMS of an update is clipped to it. Defaults to 1.0.
        relative_step: bool. Kept for Keras compatibility: Keras 3's step size is
            ``min(lr, 1 / sqrt(t))`` whether it is True or False, and so is kerasette's. Defaults to True.
        **kwargs: the base ``Optimizer`` arguments.

    Example:
        >>> from kerasette import ops, optimizers
        >>> w = ops.Variable([[1.0, 2.0], [3.0, 4.0]], name="w")
        >>> optimizers.Adafactor(learning_rate=0.1).apply([ops.convert_to_tensor([[0.5, -1.0], [1.0, 0.1]])], [w])
        >>> [[round(v, 4) for v in row] for row in w.numpy().tolist()]
        [[0.8353, 2.3664], [2.6336, 3.9592]]
    """

    def __init__(
        self,
        learning_rate=0.001,
        beta_2_decay=-0.8,
        epsilon_1=1e-30,
        epsilon_2=1e-3,
        clip_threshold=1.0,
        relative_step=True,
        **kwargs,
    ):
        super().__init__(learning_rate, **kwargs)  # weight_decay, clipnorm, ..., name: checked by the base
        self.beta_2_decay = check_number("Adafactor", "beta_2_decay", beta_2_decay, "a float", None)
        self.epsilon_1 = check_number("Adafactor", "epsilon_1", epsilon_1, "a float >= 0", 0.0)
        self.epsilon_2 = check_number("Adafactor", "epsilon_2", epsilon_2, "a float >= 0", 0.0)
        self.clip_threshold = check_number(
            "Adafactor", "clip_threshold", clip_threshold, "a float > 0", 0.0, low_open=True
        )
        self.relative_step = check_bool("Adafactor", "relative_step", relative_step)

    def build(self, variables):
        """Record ``variables`` and create, per variable, the ``r``, ``c`` and ``velocity`` slots.

        Args:
            variables: the trainable variables to optimize.
        """
        if self.built:
            return
        super().build(variables)
        self._r, self._c, self._v = [], [], []
        for variable in variables:
            prefix = variable.path.replace("/", "_")
            if len(variable.shape) < 2:  # placeholders, so the slot layout matches Keras's
                r_shape, c_shape, dtype = (), (), "int32"
            else:
                r_shape, c_shape, dtype = variable.shape[:-1], variable.shape[:-2] + variable.shape[-1:], variable.dtype
            self._r.append(self.add_variable(r_shape, dtype=dtype, name=f"{prefix}_r"))
            self._c.append(self.add_variable(c_shape, dtype=dtype, name=f"{prefix}_c"))
            self._v.append(self.add_optimizer_variables([variable], "velocity")[0])

    def update_step(self, gradient, variable, learning_rate):
        """One Adafactor update of ``variable`` (the formulas in the class docstring).

        Args:
            gradient: the gradient, a Tensor of the variable's shape.
            variable: the Variable updated in place.
            learning_rate: this step's learning rate, a Python float.
        """
        t = _f32(self._local_step)
        rho = float(min(_f32(learning_rate), _f32(1.0) / _f32(math.sqrt(t))))
        alpha = ops.multiply(ops.maximum(_rms(variable), self.epsilon_2), rho)
        squared = ops.add(ops.square(gradient), self.epsilon_1)
        beta = _f32(1.0) - t ** _f32(self.beta_2_decay)
        keep, take = float(beta), float(_f32(1.0) - beta)
        i = self._get_variable_index(variable)
        r, c, v = self._r[i], self._c[i], self._v[i]
        if len(variable.shape) >= 2:
            r.assign(ops.add(ops.multiply(r, keep), ops.multiply(ops.mean(squared, axis=-1), take)))
            c.assign(ops.add(ops.multiply(c, keep), ops.multiply(ops.mean(squared, axis=-2), take)))
            rows = ops.expand_dims(ops.divide(r, ops.mean(r, axis=-1, keepdims=True)), -1)
            v.assign(ops.multiply(rows, ops.expand_dims(c, -2)))
        else:
            v.assign(ops.add(ops.multiply(v, keep), ops.multiply(squared, take)))
        u = ops.divide(gradient, ops.sqrt(v))
        u = ops.divide(u, ops.maximum(ops.divide(_rms(u), self.clip_threshold), 1.0))
        variable.assign(ops.subtract(variable, ops.multiply(alpha, u)))

    def get_config(self):
        """The base config plus Adafactor's hyperparameters."""
        config = super().get_config()
        config.update(
            {
                "beta_2_decay": self.beta_2_decay,
                "epsilon_1": self.epsilon_1,
                "epsilon_2": self.epsilon_2,
                "clip_threshold": self.clip_threshold,
                "relative_step": self.relative_step,
            }
        )
        return config
