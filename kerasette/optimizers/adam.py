"""Adam (and AMSGrad), as ``keras.optimizers.Adam``."""

import math

from kerasette import ops
from kerasette.ops import updates
from kerasette.optimizers.base import Optimizer, _registry, check_bool, check_number


@_registry.register("adam")
class Adam(Optimizer):
    """Adaptive moment estimation.

    At step ``t`` (1-based): ``m += (g - m) * (1 - beta_1)``,
    ``v += (g**2 - v) * (1 - beta_2)``,
    ``w -= lr * sqrt(1 - beta_2**t) / (1 - beta_1**t) * m / (sqrt(v) + epsilon)``;
    with ``amsgrad`` the running maximum of ``v`` replaces ``v`` in the last line.

    Args:
        learning_rate: float >= 0 or a LearningRateSchedule. Defaults to 0.001.
        beta_1: float in [0, 1), decay of the first moment. Defaults to 0.9.
        beta_2: float in [0, 1), decay of the second moment. Defaults to 0.999.
        epsilon: float >= 0. Defaults to 1e-7.
        amsgrad: bool. Defaults to False.
        **kwargs: the base ``Optimizer`` arguments.
    """

    def __init__(
        self,
        learning_rate=0.001,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-7,
        amsgrad=False,
        **kwargs,
    ):
        super().__init__(learning_rate, **kwargs)  # weight_decay, clipnorm, ..., name: checked by the base
        self.beta_1 = check_number("Adam", "beta_1", beta_1, "a float in [0, 1)", 0.0, 1.0, high_open=True)
        self.beta_2 = check_number("Adam", "beta_2", beta_2, "a float in [0, 1)", 0.0, 1.0, high_open=True)
        self.epsilon = check_number("Adam", "epsilon", epsilon, "a float >= 0", 0.0)
        self.amsgrad = check_bool("Adam", "amsgrad", amsgrad)

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self._momentums, self._velocities = self.add_optimizer_variables(variables, ["momentum", "velocity"])
        if self.amsgrad:
            self._velocity_hats = self.add_optimizer_variables(variables, "velocity_hat")

    def update_step(self, gradient, variable, learning_rate):
        t = self._local_step
        alpha = learning_rate * math.sqrt(1.0 - self.beta_2**t) / (1.0 - self.beta_1**t)
        i = self._get_variable_index(variable)
        m, v = self._momentums[i], self._velocities[i]
        if not self.amsgrad:  # the backend's fused in-place form of the lines below
            updates.adam_update(variable, gradient, m, v, alpha, self.beta_1, self.beta_2, self.epsilon)
            return
        m.assign(ops.add(m, ops.multiply(ops.subtract(gradient, m), 1.0 - self.beta_1)))
        v.assign(ops.add(v, ops.multiply(ops.subtract(ops.square(gradient), v), 1.0 - self.beta_2)))
        if self.amsgrad:
            v_hat = self._velocity_hats[i]
            v_hat.assign(ops.maximum(v_hat, v))
            v = v_hat
        update = ops.divide(ops.multiply(m, alpha), ops.add(ops.sqrt(v), self.epsilon))
        variable.assign(ops.subtract(variable, update))

    def get_config(self):
        config = super().get_config()
        config.update(
            {"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon, "amsgrad": self.amsgrad}
        )
        return config
