"""LAMB (layer-wise adaptive moments), as ``keras.optimizers.Lamb``."""

import numpy as np

from kerasette import ops
from kerasette.optimizers.base import Optimizer, _registry, check_number


@_registry.register("lamb")
class Lamb(Optimizer):
    """Adam steps rescaled per variable by a trust ratio (You et al., 2019), for large batches.

    At step ``t`` (1-based): ``m += (g - m) * (1 - beta_1)``, ``v += (g**2 - v) * (1 - beta_2)``,
    ``update = (m / (1 - beta_1**t)) / (sqrt(v / (1 - beta_2**t)) + epsilon)``,
    ``ratio = ||w|| / ||update||`` (1 when either norm is 0), ``w -= ratio * lr * update``.

    Args:
        learning_rate: float >= 0 or a LearningRateSchedule. Defaults to 0.001.
        beta_1: float in [0, 1), decay of the first moment. Defaults to 0.9.
        beta_2: float in [0, 1), decay of the second moment. Defaults to 0.999.
        epsilon: float >= 0. Defaults to 1e-7.
        **kwargs: the base ``Optimizer`` arguments.

    Example:
        >>> from kerasette import ops, optimizers
        >>> w = ops.Variable([3.0, 4.0], name="w")
        >>> optimizers.Lamb(learning_rate=0.1).apply([ops.convert_to_tensor([0.5, -1.0])], [w])
        >>> [round(v, 4) for v in w.numpy().tolist()]
        [2.6464, 4.3536]
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate, **kwargs)  # weight_decay, clipnorm, ..., name: checked by the base
        self.beta_1 = check_number("Lamb", "beta_1", beta_1, "a float in [0, 1)", 0.0, 1.0, high_open=True)
        self.beta_2 = check_number("Lamb", "beta_2", beta_2, "a float in [0, 1)", 0.0, 1.0, high_open=True)
        self.epsilon = check_number("Lamb", "epsilon", epsilon, "a float >= 0", 0.0)

    def build(self, variables):
        """Record ``variables`` and create the momentum and velocity slots.

        Args:
            variables: the trainable variables to optimize.
        """
        if self.built:
            return
        super().build(variables)
        self._momentums, self._velocities = self.add_optimizer_variables(variables, ["momentum", "velocity"])

    def update_step(self, gradient, variable, learning_rate):
        """One LAMB update of ``variable`` (the formulas in the class docstring).

        Args:
            gradient: the gradient, a Tensor of the variable's shape.
            variable: the Variable updated in place.
            learning_rate: this step's learning rate, a Python float.
        """
        t = np.float32(self._local_step)
        i = self._get_variable_index(variable)
        m, v = self._momentums[i], self._velocities[i]
        m.assign(ops.add(m, ops.multiply(ops.subtract(gradient, m), 1.0 - self.beta_1)))
        v.assign(ops.add(v, ops.multiply(ops.subtract(ops.square(gradient), v), 1.0 - self.beta_2)))
        m_hat = ops.divide(m, float(np.float32(1.0) - np.float32(self.beta_1) ** t))
        v_hat = ops.divide(v, float(np.float32(1.0) - np.float32(self.beta_2) ** t))
        update = ops.divide(m_hat, ops.add(ops.sqrt(v_hat), self.epsilon))
        w_norm = ops.sqrt(ops.sum(ops.square(variable)))
        u_norm = ops.sqrt(ops.sum(ops.square(update)))
        usable = ops.logical_and(ops.greater(w_norm, 0.0), ops.greater(u_norm, 0.0))
        ratio = ops.where(usable, ops.divide(w_norm, ops.where(usable, u_norm, 1.0)), 1.0)
        variable.assign(ops.subtract(variable, ops.multiply(ops.multiply(ratio, learning_rate), update)))

    def get_config(self):
        """The base config plus Lamb's hyperparameters."""
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon})
        return config
