"""RMSprop (plain, centered, with momentum), as ``keras.optimizers.RMSprop``."""

from kerasette import ops
from kerasette.ops import updates
from kerasette.optimizers.base import Optimizer, _registry, check_bool, check_number


@_registry.register("rmsprop")
class RMSprop(Optimizer):
    """Divide the gradient by a running root mean square of recent gradients.

    ``v = rho * v + (1 - rho) * g**2``; centered also keeps
    ``a = rho * a + (1 - rho) * g`` and uses ``v - a**2``;
    ``increment = lr * g / sqrt(denominator + epsilon)``; with momentum
    ``mom = momentum * mom + increment`` and ``w -= mom``, else ``w -= increment``.

    Args:
        learning_rate: float >= 0 or a LearningRateSchedule. Defaults to 0.001.
        rho: float in [0, 1], decay of the running average. Defaults to 0.9.
        momentum: float in [0, 1]. Defaults to 0.0.
        epsilon: float >= 0. Defaults to 1e-7.
        centered: bool, normalise by the estimated variance. Defaults to False.
        **kwargs: the base ``Optimizer`` arguments.

    Example:
        >>> from kerasette import ops, optimizers
        >>> w = ops.Variable([1.0], name="w")
        >>> optimizers.RMSprop(learning_rate=0.1).apply([ops.convert_to_tensor([2.0])], [w])
        >>> [round(v, 4) for v in w.numpy().tolist()]
        [0.6838]
    """

    def __init__(
        self,
        learning_rate=0.001,
        rho=0.9,
        momentum=0.0,
        epsilon=1e-7,
        centered=False,
        **kwargs,
    ):
        super().__init__(learning_rate, **kwargs)  # weight_decay, clipnorm, ..., name: checked by the base
        self.rho = check_number("RMSprop", "rho", rho, "a float in [0, 1]", 0.0, 1.0)
        self.momentum = check_number("RMSprop", "momentum", momentum, "a float in [0, 1]", 0.0, 1.0)
        self.epsilon = check_number("RMSprop", "epsilon", epsilon, "a float >= 0", 0.0)
        self.centered = check_bool("RMSprop", "centered", centered)

    def build(self, variables):
        """Record ``variables`` and create the velocity slots (and momentum and average-gradient slots when used).

        Args:
            variables: the trainable variables to optimize.
        """
        if self.built:
            return
        super().build(variables)
        self._velocities = self.add_optimizer_variables(variables, "velocity")
        self._momentums = self.add_optimizer_variables(variables, "momentum") if self.momentum > 0 else []
        self._average_gradients = (
            self.add_optimizer_variables(variables, "average_gradient") if self.centered else []
        )

    def update_step(self, gradient, variable, learning_rate):
        """One RMSprop update of ``variable`` (the formulas in the class docstring).

        Args:
            gradient: the gradient, a Tensor of the variable's shape.
            variable: the Variable updated in place.
            learning_rate: this step's learning rate, a Python float.
        """
        i = self._get_variable_index(variable)
        rho = self.rho
        velocity = self._velocities[i]
        if not self.centered and self.momentum == 0:  # the backend's fused in-place form of the lines below
            updates.rmsprop_update(variable, gradient, velocity, learning_rate, rho, self.epsilon)
            return
        velocity.assign(ops.add(ops.multiply(velocity, rho), ops.multiply(ops.square(gradient), 1.0 - rho)))
        if self.centered:
            average = self._average_gradients[i]
            average.assign(ops.add(ops.multiply(average, rho), ops.multiply(gradient, 1.0 - rho)))
            denominator = ops.add(ops.subtract(velocity, ops.square(average)), self.epsilon)
        else:
            denominator = ops.add(velocity, self.epsilon)
        increment = ops.divide(ops.multiply(gradient, learning_rate), ops.sqrt(denominator))
        if self.momentum > 0:
            momentum = self._momentums[i]
            momentum.assign(ops.add(ops.multiply(momentum, self.momentum), increment))
            increment = momentum
        variable.assign(ops.subtract(variable, increment))

    def get_config(self):
        """The base config plus RMSprop's hyperparameters."""
        config = super().get_config()
        config.update(
            {"rho": self.rho, "momentum": self.momentum, "epsilon": self.epsilon, "centered": self.centered}
        )
        return config
