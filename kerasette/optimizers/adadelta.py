"""Adadelta, as ``keras.optimizers.Adadelta``."""

from kerasette import ops
from kerasette.optimizers.base import Optimizer, _registry, check_number


@_registry.register("adadelta")
class Adadelta(Optimizer):
    """Steps scaled by the ratio of running RMS of updates to running RMS of gradients.

    ``G = rho * G + (1 - rho) * g**2``;
    ``delta = -sqrt(D + epsilon) / sqrt(G + epsilon) * g``;
    ``D = rho * D + (1 - rho) * delta**2``; ``w += lr * delta``.

    Args:
        learning_rate: float >= 0 or a LearningRateSchedule. Defaults to 0.001.
        rho: float in [0, 1], the decay rate. Defaults to 0.95.
        epsilon: float >= 0. Defaults to 1e-7.
        **kwargs: the base ``Optimizer`` arguments.
    """

    def __init__(
        self,
        learning_rate=0.001,
        rho=0.95,
        epsilon=1e-7,
        **kwargs,
    ):
        super().__init__(learning_rate, **kwargs)  # weight_decay, clipnorm, ..., name: checked by the base
        self.rho = check_number("Adadelta", "rho", rho, "a float in [0, 1]", 0.0, 1.0)
        self.epsilon = check_number("Adadelta", "epsilon", epsilon, "a float >= 0", 0.0)

    def build(self, variables):
        """Record ``variables`` and create the accumulated-gradient and accumulated-update slots.

        Args:
            variables: the trainable variables to optimize.
        """
        if self.built:
            return
        super().build(variables)
        self._accumulated_grads, self._accumulated_delta_vars = self.add_optimizer_variables(
            variables, ["accumulated_grad", "accumulated_delta_var"]
        )

    def update_step(self, gradient, variable, learning_rate):
        """One Adadelta update of ``variable`` (the formulas in the class docstring).

        Args:
            gradient: the gradient, a Tensor of the variable's shape.
            variable: the Variable updated in place.
            learning_rate: this step's learning rate, a Python float.
        """
        i = self._get_variable_index(variable)
        rho = self.rho
        grad_acc, delta_acc = self._accumulated_grads[i], self._accumulated_delta_vars[i]
        grad_acc.assign(ops.add(ops.multiply(grad_acc, rho), ops.multiply(ops.square(gradient), 1.0 - rho)))
        ratio = ops.divide(
            ops.sqrt(ops.add(delta_acc, self.epsilon)), ops.sqrt(ops.add(grad_acc, self.epsilon))
        )
        delta = ops.negative(ops.multiply(ratio, gradient))
        delta_acc.assign(ops.add(ops.multiply(delta_acc, rho), ops.multiply(ops.square(delta), 1.0 - rho)))
        variable.assign(ops.add(variable, ops.multiply(delta, learning_rate)))

    def get_config(self):
        """The base config plus Adadelta's hyperparameters."""
        config = super().get_config()
        config.update({"rho": self.rho, "epsilon": self.epsilon})
        return config
