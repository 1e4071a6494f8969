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

    Example:
        >>> from kerasette import ops, optimizers
        >>> w = ops.Variable([1.0, 2.0], name="w")
        >>> opt = optimizers.Adam(learning_rate=0.1)
        >>> opt.apply([ops.convert_to_tensor([0.5, -1.0])], [w])
        >>> [round(v, 4) for v in w.numpy().tolist()]
        [0.9, 2.1]
        >>> int(opt.iterations.numpy())
        1
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
        self.beta_1 = check_number(type(self).__name__, "beta_1", beta_1, "a float in [0, 1)", 0.0, 1.0, high_open=True)
        self.beta_2 = check_number(type(self).__name__, "beta_2", beta_2, "a float in [0, 1)", 0.0, 1.0, high_open=True)
        self.epsilon = check_number(type(self).__name__, "epsilon", epsilon, "a float >= 0", 0.0)
        self.amsgrad = check_bool(type(self).__name__, "amsgrad", amsgrad)

    def build(self, variables):
        """Record ``variables`` and create the momentum and velocity slots (and velocity_hat with ``amsgrad``).

        Args:
            variables: the trainable variables to optimize.
        """
        if self.built:
            return
        super().build(variables)
        self._momentums, self._velocities = self.add_optimizer_variables(variables, ["momentum", "velocity"])
        if self.amsgrad:
            self._velocity_hats = self.add_optimizer_variables(variables, "velocity_hat")

    def update_step(self, gradient, variable, learning_rate):
        """One Adam update of ``variable`` (the formulas in the class docstring).

        Args:
            gradient: the gradient, a Tensor of the variable's shape.
            variable: the Variable updated in place.
            learning_rate: this step's learning rate, a Python float.
        """
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
        """The base config plus Adam's hyperparameters."""
        config = super().get_config()
        config.update(
            {"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon, "amsgrad": self.amsgrad}
        )
        return config
