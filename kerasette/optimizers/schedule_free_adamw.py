"""Schedule-free AdamW, as ``keras.optimizers.ScheduleFreeAdamW``."""

import numpy as np

from kerasette import ops
from kerasette.optimizers.base import Optimizer, _registry, check_int, check_number

_f32 = np.float32


@_registry.register("schedulefreeadamw")
class ScheduleFreeAdamW(Optimizer):
    """AdamW without a learning-rate schedule (Defazio et al., 2024): iterate averaging replaces the decay.

    The variable holds ``y``, an interpolation of the running average ``x`` and the base
    sequence ``z`` (the ``momentum`` slot, which starts as a copy of the variable). At step
    ``t`` (1-based), with ``lr`` scaled by ``min(t / warmup_steps, 1)`` when warming up:
    ``v += (g**2 - v) * (1 - beta_2)``, ``z_new = z - lr * g / (sqrt(v / (1 - beta_2**t)) + epsilon)``,
    ``x = (y - (1 - beta_1) * z) / beta_1``, ``x = (1 - 1/t) * x + z_new / t``,
    ``y = (1 - beta_1) * z_new + beta_1 * x``.

    ``x`` is recovered from the previous ``z``, as the algorithm (and Keras on the JAX and
    TensorFlow backends) has it; Keras 3.15 on torch reads the already-updated slot there
    (its in-place assign aliases the saved value), so its numbers differ from these.

    Args:
        learning_rate: float >= 0 or a LearningRateSchedule. Defaults to 0.0025.
        beta_1: float in (0, 1), the interpolation between ``x`` and ``z``. Defaults to 0.9.
        beta_2: float in [0, 1), decay of the second moment. Defaults to 0.999.
        epsilon: float >= 0. Defaults to 1e-8.
        warmup_steps: int >= 0, steps of linear learning-rate warmup. Defaults to 0.
        **kwargs: the base ``Optimizer`` arguments.

    Example:
        >>> from kerasette import ops, optimizers
        >>> w = ops.Variable([1.0, 2.0], name="w")
        >>> optimizers.ScheduleFreeAdamW(learning_rate=0.1).apply([ops.convert_to_tensor([0.5, -1.0])], [w])
        >>> [round(v, 4) for v in w.numpy().tolist()]
        [0.9, 2.1]
    """

    _default_name = "schedule_free_adam_w"

    def __init__(self, learning_rate=0.0025, beta_1=0.9, beta_2=0.999, epsilon=1e-8, warmup_steps=0, **kwargs):
        super().__init__(learning_rate, **kwargs)  # weight_decay, clipnorm, ..., name: checked by the base
        cls = "ScheduleFreeAdamW"
        self.beta_1 = check_number(cls, "beta_1", beta_1, "a float in (0, 1)", 0.0, 1.0, low_open=True, high_open=True)
        self.beta_2 = check_number(cls, "beta_2", beta_2, "a float in [0, 1)", 0.0, 1.0, high_open=True)
        self.epsilon = check_number(cls, "epsilon", epsilon, "a float >= 0", 0.0)
        self.warmup_steps = check_int(cls, "warmup_steps", warmup_steps, 0, allow_none=False)

    def build(self, variables):
        """Record ``variables`` and create the momentum (a copy of each variable) and velocity slots.

        Args:
            variables: the trainable variables to optimize.
        """
        if self.built:
            return
        super().build(variables)
        self._momentums, self._velocities = self.add_optimizer_variables(variables, ["momentum", "velocity"])
        for momentum, variable in zip(self._momentums, variables):
            momentum.assign(variable)

    def update_step(self, gradient, variable, learning_rate):
        """One schedule-free AdamW update of ``variable`` (the formulas in the class docstring).

        Args:
            gradient: the gradient, a Tensor of the variable's shape.
            variable: the Variable updated in place.
            learning_rate: this step's learning rate, a Python float.
        """
        t = _f32(self._local_step)
        lr = _f32(learning_rate)
        if self.warmup_steps > 0:
            lr = lr * min(t / _f32(self.warmup_steps), _f32(1.0))
        i = self._get_variable_index(variable)
        z, v = self._momentums[i], self._velocities[i]
        keep = float(_f32(1.0) - _f32(self.beta_1))
        x = ops.divide(ops.subtract(variable, ops.multiply(z, keep)), self.beta_1)  # from the previous z
        v.assign(ops.add(v, ops.multiply(ops.subtract(ops.square(gradient), v), 1.0 - self.beta_2)))
        correction = float(_f32(1.0) - _f32(self.beta_2) ** t)
        denominator = ops.add(ops.sqrt(ops.divide(v, correction)), self.epsilon)
        z.assign(ops.subtract(z, ops.divide(ops.multiply(gradient, float(lr)), denominator)))
        weight = _f32(1.0) / t
        x = ops.add(ops.multiply(x, float(_f32(1.0) - weight)), ops.multiply(z, float(weight)))
        variable.assign(ops.add(ops.multiply(z, keep), ops.multiply(x, self.beta_1)))

    def get_config(self):
        """The base config plus ScheduleFreeAdamW's hyperparameters."""
        config = super().get_config()
        config.update(
            {"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon, "warmup_steps": self.warmup_steps}
        )
        return config
