"""Muon (momentum orthogonalized by Newton-Schulz), as ``keras.optimizers.Muon``."""

import math
import re

import numpy as np

from kerasette import ops
from kerasette.optimizers.base import Optimizer, _registry, check_bool, check_int, check_number


def _swap_last_axes(x):
    axes = list(range(len(x.shape)))
    axes[-2], axes[-1] = axes[-1], axes[-2]
    return ops.transpose(x, axes)


def newton_schulz(x, steps, a=3.4445, b=-4.7750, c=2.0315):
    """An approximate orthogonalization of the matrix ``x`` (``U V^T`` of its SVD, roughly) by quintic iterations.

    Args:
        x: a Tensor of rank >= 2 (the last two axes form the matrices).
        steps: the number of iterations.
        a: the first coefficient of the quintic.
        b: the second coefficient.
        c: the third coefficient.

    Returns:
        A Tensor of ``x``'s shape.
    """
    tall = x.shape[-2] > x.shape[-1]
    if tall:
        x = _swap_last_axes(x)
    norm = ops.sqrt(ops.sum(ops.square(x), axis=(-2, -1), keepdims=True))
    x = ops.divide(x, ops.add(norm, 1e-7))
    for _ in range(steps):
        gram = ops.matmul(x, _swap_last_axes(x))
        poly = ops.add(ops.multiply(gram, b), ops.multiply(ops.matmul(gram, gram), c))
        x = ops.add(ops.multiply(x, a), ops.matmul(poly, x))
    return _swap_last_axes(x) if tall else x


@_registry.register("muon")
class Muon(Optimizer):
    """Muon for 2-D weights, AdamW for everything else (Jordan et al., 2024; Moonlight's scaling).

    A variable of rank 2 (not an embedding when ``exclude_embeddings``, and not matched by
    ``exclude_layers``) gets the Muon step: ``m = momentum * m + g``; ``u = g + momentum * m`` with
    ``nesterov``, else ``m``; ``w -= lr * NS(u) * sqrt(max(rows, cols)) * rms_rate``, where ``NS``
    is ``ns_steps`` Newton-Schulz iterations with coefficients ``(muon_a, muon_b, muon_c)``.
    Every other variable gets an Adam step with ``lr * adam_lr_ratio``, ``adam_beta_1``, ``adam_beta_2``.
    Weight decay is ``weight_decay`` for Muon variables and ``adam_weight_decay`` for the others.
    Slots, per variable: ``momentum``, and ``velocity`` for the Adam ones (Keras's order).

    Args:
        learning_rate: float >= 0 or a LearningRateSchedule. Defaults to 0.001.
        adam_beta_1: float in [0, 1), Adam's first-moment decay. Defaults to 0.9.
        adam_beta_2: float in [0, 1), Adam's second-moment decay. Defaults to 0.999.
        adam_weight_decay: float >= 0 or None, the weight decay of the Adam variables. Defaults to 0.004.
        epsilon: float >= 0, Adam's epsilon. Defaults to 1e-7.
        weight_decay: float >= 0 or None, the weight decay of the Muon variables. Defaults to 0.004.
        exclude_layers: list of regular expressions; a variable whose path matches one gets Adam.
        exclude_embeddings: bool, give variables whose path contains "embedding" Adam. Defaults to True.
        muon_a: float, the first Newton-Schulz coefficient. Defaults to 3.4445.
        muon_b: float, the second Newton-Schulz coefficient. Defaults to -4.7750.
        muon_c: float, the third Newton-Schulz coefficient. Defaults to 2.0315.
        adam_lr_ratio: float >= 0, the Adam variables' learning rate over ``learning_rate``. Defaults to 1.
        momentum: float in [0, 1], Muon's momentum. Defaults to 0.95.
        ns_steps: int >= 1, Newton-Schulz iterations. Defaults to 5.
        nesterov: bool, Nesterov momentum for Muon. Defaults to True.
        rms_rate: float >= 0 or None, the update scale of Moonlight (None: no rescaling). Defaults to 0.2.
        **kwargs: the other base ``Optimizer`` arguments.

    Example:
        >>> from kerasette import ops, optimizers
        >>> w = ops.Variable([[1.0, 0.0], [0.0, 1.0]], name="kernel")
        >>> opt = optimizers.Muon(learning_rate=0.1, weight_decay=None)
        >>> opt.apply([ops.convert_to_tensor([[1.0, 0.0], [0.0, 0.0]])], [w])
        >>> [[round(v, 3) for v in row] for row in w.numpy().tolist()]
        [[0.98, 0.0], [0.0, 1.0]]
    """

    def __init__(
        self,
        learning_rate=0.001,
        adam_beta_1=0.9,
        adam_beta_2=0.999,
        adam_weight_decay=0.004,
        epsilon=1e-7,
        weight_decay=0.004,
        exclude_layers=None,
        exclude_embeddings=True,
        muon_a=3.4445,
        muon_b=-4.7750,
        muon_c=2.0315,
        adam_lr_ratio=1,
        momentum=0.95,
        ns_steps=5,
        nesterov=True,
        rms_rate=0.2,
        **kwargs,
    ):
        super().__init__(learning_rate, weight_decay=weight_decay, **kwargs)
        cls = "Muon"
        self.adam_beta_1 = check_number(cls, "adam_beta_1", adam_beta_1, "a float in [0, 1)", 0.0, 1.0, high_open=True)
        self.adam_beta_2 = check_number(cls, "adam_beta_2", adam_beta_2, "a float in [0, 1)", 0.0, 1.0, high_open=True)
        self.adam_weight_decay = check_number(
            cls, "adam_weight_decay", adam_weight_decay, "a float >= 0 or None", 0.0, allow_none=True
        )
        self.epsilon = check_number(cls, "epsilon", epsilon, "a float >= 0", 0.0)
        if exclude_layers is not None and (
            not isinstance(exclude_layers, (list, tuple)) or not all(isinstance(p, str) for p in exclude_layers)
        ):
            raise TypeError(
                "Invalid value for argument `exclude_layers` of optimizer `Muon`. Expected a list of regular "
                f"expressions (str) or None. Received: exclude_layers={exclude_layers!r}"
            )
        self.exclude_layers = list(exclude_layers or [])
        self.exclude_embeddings = check_bool(cls, "exclude_embeddings", exclude_embeddings)
        self.muon_a = check_number(cls, "muon_a", muon_a, "a float", None)
        self.muon_b = check_number(cls, "muon_b", muon_b, "a float", None)
        self.muon_c = check_number(cls, "muon_c", muon_c, "a float", None)
        self.adam_lr_ratio = check_number(cls, "adam_lr_ratio", adam_lr_ratio, "a float >= 0", 0.0)
        self.momentum = check_number(cls, "momentum", momentum, "a float in [0, 1]", 0.0, 1.0)
        self.ns_steps = check_int(cls, "ns_steps", ns_steps, 1, allow_none=False)
        self.nesterov = check_bool(cls, "nesterov", nesterov)
        self.rms_rate = check_number(cls, "rms_rate", rms_rate, "a float >= 0 or None", 0.0, allow_none=True)

    def _uses_adam(self, variable):
        if len(variable.shape) != 2:
            return True
        if self.exclude_embeddings and "embedding" in variable.path.lower():
            return True
        return any(re.search(pattern, variable.path) for pattern in self.exclude_layers)

    def build(self, variables):
        """Record ``variables`` and create a momentum slot per variable, plus velocity for the Adam ones.

        Args:
            variables: the trainable variables to optimize.
        """
        if self.built:
            return
        super().build(variables)
        self._momentums, self._velocities = [], []
        for variable in variables:
            self._momentums.append(self.add_optimizer_variables([variable], "momentum")[0])
            velocity = self.add_optimizer_variables([variable], "velocity")[0] if self._uses_adam(variable) else None
            self._velocities.append(velocity)

    def update_step(self, gradient, variable, learning_rate):
        """One Muon (2-D) or Adam (other) update of ``variable`` (the formulas in the class docstring).

        Args:
            gradient: the gradient, a Tensor of the variable's shape.
            variable: the Variable updated in place.
            learning_rate: this step's learning rate, a Python float.
        """
        i = self._get_variable_index(variable)
        m, v = self._momentums[i], self._velocities[i]
        if v is not None:
            self._adam_step(gradient, variable, learning_rate * self.adam_lr_ratio, m, v)
            return
        m.assign(ops.add(ops.multiply(m, self.momentum), gradient))
        direction = ops.add(gradient, ops.multiply(m, self.momentum)) if self.nesterov else m
        update = ops.multiply(newton_schulz(direction, self.ns_steps, self.muon_a, self.muon_b, self.muon_c),
                              learning_rate)
        if self.rms_rate is not None:
            update = ops.multiply(update, float(np.float32(math.sqrt(max(variable.shape))) * np.float32(self.rms_rate)))
        variable.assign(ops.subtract(variable, update))

    def _adam_step(self, gradient, variable, learning_rate, m, v):
        t = np.float32(self._local_step)
        one = np.float32(1.0)
        beta_1_power = np.float32(self.adam_beta_1) ** t
        beta_2_power = np.float32(self.adam_beta_2) ** t
        alpha = float(np.float32(learning_rate) * np.sqrt(one - beta_2_power) / (one - beta_1_power))
        m.assign(ops.add(m, ops.multiply(ops.subtract(gradient, m), 1.0 - self.adam_beta_1)))
        v.assign(ops.add(v, ops.multiply(ops.subtract(ops.square(gradient), v), 1.0 - self.adam_beta_2)))
        variable.assign(ops.subtract(variable, ops.divide(ops.multiply(m, alpha), ops.add(ops.sqrt(v), self.epsilon))))

    def _apply_weight_decay(self, variables, learning_rate):
        """Decoupled weight decay: ``adam_weight_decay`` for the Adam variables, ``weight_decay`` for the Muon ones."""
        for variable in variables:
            if id(variable) in self._exclude_ids or (
                self._exclude_pattern and self._exclude_pattern.search(variable.name)
            ):
                continue
            decay = self.adam_weight_decay if self._uses_adam(variable) else self.weight_decay
            if decay:
                variable.assign(ops.subtract(variable, ops.multiply(variable, decay * learning_rate)))

    def get_config(self):
        """The base config plus Muon's hyperparameters."""
        config = super().get_config()
        config.update(
            {
                "adam_beta_1": self.adam_beta_1,
                "adam_beta_2": self.adam_beta_2,
                "epsilon": self.epsilon,
                "exclude_layers": self.exclude_layers,
                "muon_a": self.muon_a,
                "muon_b": self.muon_b,
                "muon_c": self.muon_c,
                "adam_lr_ratio": self.adam_lr_ratio,
                "momentum": self.momentum,
                "ns_steps": self.ns_steps,
                "nesterov": self.nesterov,
                "exclude_embeddings": self.exclude_embeddings,
                "adam_weight_decay": self.adam_weight_decay,
                "rms_rate": self.rms_rate,
            }
        )
        return config
