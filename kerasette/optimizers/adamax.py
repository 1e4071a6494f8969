"""Adamax (Adam with the infinity norm), as ``keras.optimizers.Adamax``."""

import numpy as np

from kerasette import ops
from kerasette.optimizers.base import Optimizer, _registry, check_number


@_registry.register("adamax")
class Adamax(Optimizer):
    """A variant of Adam based on the infinity norm (Kingma & Ba, section 7).

    At step ``t`` (1-based): ``m += (g - m) * (1 - beta_1)``, ``u = max(beta_2 * u, |g|)``,
    ``w -= lr * m / ((1 - beta_1**t) * (u + epsilon))``.

    Args:
        learning_rate: float >= 0 or a LearningRateSchedule. Defaults to 0.001.
        beta_1: float in [0, 1), decay of the first moment. Defaults to 0.9.
        beta_2: float in [0, 1), decay of the weighted infinity norm. Defaults to 0.999.
        epsilon: float >= 0. Defaults to 1e-7.
        **kwargs: the base ``Optimizer`` arguments.

    Example:
        >>> from kerasette import ops, optimizers
        >>> w = ops.Variable([1.0, 2.0], name="w")
        >>> optimizers.Adamax(learning_rate=0.1).apply([ops.convert_to_tensor([0.5, -1.0])], [w])
        >>> [round(v, 4) for v in w.numpy().tolist()]
        [0.9, 2.1]
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate, **kwargs)  # weight_decay, clipnorm, ..., name: checked by the base
        self.beta_1 = check_number("Adamax", "beta_1", beta_1, "a float in [0, 1)", 0.0, 1.0, high_open=True)
        self.beta_2 = check_number("Adamax", "beta_2", beta_2, "a float in [0, 1)", 0.0, 1.0, high_open=True)
        self.epsilon = check_number("Adamax", "epsilon", epsilon, "a float >= 0", 0.0)

    def build(self, variables):
        """Record ``variables`` and create the momentum and norm slots (``m``, ``u``).

        Args:
            variables: the trainable variables to optimize.
        """
        if self.built:
            return
        super().build(variables)
        self._m, self._u = self.add_optimizer_variables(variables, ["momentum", "norm"])

    def update_step(self, gradient, variable, learning_rate):
        """One Adamax update of ``variable`` (the formulas in the class docstring).

        Args:
            gradient: the gradient, a Tensor of the variable's shape.
            variable: the Variable updated in place.
            learning_rate: this step's learning rate, a Python float.
        """
        i = self._get_variable_index(variable)
        m, u = self._m[i], self._u[i]
        correction = float(np.float32(1.0) - np.float32(self.beta_1) ** np.float32(self._local_step))
        m.assign(ops.add(m, ops.multiply(ops.subtract(gradient, m), 1.0 - self.beta_1)))
        u.assign(ops.maximum(ops.multiply(u, self.beta_2), ops.abs(gradient)))
        update = ops.divide(ops.multiply(m, learning_rate), ops.multiply(ops.add(u, self.epsilon), correction))
        variable.assign(ops.subtract(variable, update))

    def get_config(self):
        """The base config plus Adamax's hyperparameters."""
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon})
        return config
