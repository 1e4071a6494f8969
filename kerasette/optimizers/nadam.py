"""Nadam (Adam with Nesterov momentum), as ``keras.optimizers.Nadam``."""

import numpy as np

from kerasette import ops
from kerasette.optimizers.base import Optimizer, _registry, check_number

_f32 = np.float32


@_registry.register("nadam")
class Nadam(Optimizer):
    """Adam with Nesterov momentum and the momentum schedule of Dozat (2016).

    At step ``t`` (1-based), with ``mu_t = beta_1 * (1 - 0.5 * 0.96**t)`` and the running
    product ``u_product = mu_1 * ... * mu_t`` (kept in a scalar slot, as in Keras):
    ``m += (g - m) * (1 - beta_1)``, ``v += (g**2 - v) * (1 - beta_2)``,
    ``m_hat = mu_{t+1} * m / (1 - u_product * mu_{t+1}) + (1 - mu_t) * g / (1 - u_product)``,
    ``w -= lr * m_hat / (sqrt(v / (1 - beta_2**t)) + epsilon)``. The scalars are computed in
    float32, as Keras does.

    Args:
        learning_rate: float >= 0 or a LearningRateSchedule. Defaults to 0.001.
        beta_1: float in [0, 1), decay of the first moment. Defaults to 0.9.
        beta_2: float in [0, 1), decay of the second moment. Defaults to 0.999.
        epsilon: float >= 0. Defaults to 1e-7.
        **kwargs: the base ``Optimizer`` arguments.

    Example:
        >>> from kerasette import ops, optimizers
        >>> w = ops.Variable([1.0, 2.0], name="w")
        >>> optimizers.Nadam(learning_rate=0.1).apply([ops.convert_to_tensor([0.5, -1.0])], [w])
        >>> [round(v, 3) for v in w.numpy().tolist()]
        [0.894, 2.106]
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate, **kwargs)  # weight_decay, clipnorm, ..., name: checked by the base
        self.beta_1 = check_number("Nadam", "beta_1", beta_1, "a float in [0, 1)", 0.0, 1.0, high_open=True)
        self.beta_2 = check_number("Nadam", "beta_2", beta_2, "a float in [0, 1)", 0.0, 1.0, high_open=True)
        self.epsilon = check_number("Nadam", "epsilon", epsilon, "a float >= 0", 0.0)

    def build(self, variables):
        """Record ``variables``, create the momentum and velocity slots, then the scalar ``u_product`` (last).

        Args:
            variables: the trainable variables to optimize.
        """
        if self.built:
            return
        super().build(variables)
        self._momentums, self._velocities = self.add_optimizer_variables(variables, ["momentum", "velocity"])
        self._u_product = self.add_variable((), initializer=1.0, name="u_product")

    def _mu(self, step):
        return _f32(self.beta_1) * (_f32(1.0) - _f32(0.5) * _f32(0.96) ** _f32(step))

    def _update_variables(self, grads, variables, learning_rate):
        """Advance ``u_product`` once per update, then update each variable."""
        u_product = _f32(self._host_value(self._u_product, float)) * self._mu(self._local_step)
        self._u_product.assign(ops.convert_to_tensor(float(u_product), "float32"))
        self._host_copies[id(self._u_product)] = (self._u_product.version, float(u_product))
        super()._update_variables(grads, variables, learning_rate)

    def update_step(self, gradient, variable, learning_rate):
        """One Nadam update of ``variable`` (the formulas in the class docstring).

        Args:
            gradient: the gradient, a Tensor of the variable's shape.
            variable: the Variable updated in place.
            learning_rate: this step's learning rate, a Python float.
        """
        t = self._local_step
        mu_t, mu_next = self._mu(t), self._mu(t + 1)
        u_product = _f32(self._host_value(self._u_product, float))
        u_product_next = u_product * mu_next
        i = self._get_variable_index(variable)
        m, v = self._momentums[i], self._velocities[i]
        m.assign(ops.add(m, ops.multiply(ops.subtract(gradient, m), 1.0 - self.beta_1)))
        v.assign(ops.add(v, ops.multiply(ops.subtract(ops.square(gradient), v), 1.0 - self.beta_2)))
        m_hat = ops.add(
            ops.divide(ops.multiply(m, float(mu_next)), float(_f32(1.0) - u_product_next)),
            ops.divide(ops.multiply(gradient, float(_f32(1.0) - mu_t)), float(_f32(1.0) - u_product)),
        )
        v_hat = ops.divide(v, float(_f32(1.0) - _f32(self.beta_2) ** _f32(t)))
        update = ops.divide(ops.multiply(m_hat, learning_rate), ops.add(ops.sqrt(v_hat), self.epsilon))
        variable.assign(ops.subtract(variable, update))

    def get_config(self):
        """The base config plus Nadam's hyperparameters."""
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon})
        return config
