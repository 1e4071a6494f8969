"""FTRL-Proximal, as ``keras.optimizers.Ftrl``."""

from kerasette import ops
from kerasette.optimizers.base import Optimizer, _registry, check_number


@_registry.register("ftrl")
class Ftrl(Optimizer):
    """Follow The Regularized Leader (McMahan et al., 2013), for wide, sparse models.

    With ``p = -learning_rate_power``: ``n_new = n + g**2``,
    ``z += g + 2 * l2_shrinkage * w - (n_new**p - n**p) / lr * w``,
    ``w = (clip(z, -l1, l1) - z) / (n_new**p / lr + 2 * (l2 + beta / (2 * lr)))``, ``n = n_new``.
    The slots are ``accumulator`` (``n``, starting at ``initial_accumulator_value``) and ``linear`` (``z``).

    Args:
        learning_rate: float > 0 or a LearningRateSchedule. Defaults to 0.001.
        learning_rate_power: float <= 0, how the rate decays with the accumulator. Defaults to -0.5.
        initial_accumulator_value: float >= 0. Defaults to 0.1.
        l1_regularization_strength: float >= 0. Defaults to 0.0.
        l2_regularization_strength: float >= 0. Defaults to 0.0.
        l2_shrinkage_regularization_strength: float >= 0, an L2 penalty on the weights added to the
            gradient (magnitude shrinkage). Defaults to 0.0.
        beta: float, the beta of the FTRL paper (added to ``l2`` as ``beta / (2 * lr)``). Defaults to 0.0.
        **kwargs: the base ``Optimizer`` arguments.

    Example:
        >>> from kerasette import ops, optimizers
        >>> w = ops.Variable([1.0, 2.0], name="w")
        >>> optimizers.Ftrl(learning_rate=0.1).apply([ops.convert_to_tensor([0.5, -1.0])], [w])
        >>> [round(v, 4) for v in w.numpy().tolist()]
        [0.381, 1.4923]
    """

    def __init__(
        self,
        learning_rate=0.001,
        learning_rate_power=-0.5,
        initial_accumulator_value=0.1,
        l1_regularization_strength=0.0,
        l2_regularization_strength=0.0,
        l2_shrinkage_regularization_strength=0.0,
        beta=0.0,
        **kwargs,
    ):
        super().__init__(learning_rate, **kwargs)  # weight_decay, clipnorm, ..., name: checked by the base
        self.learning_rate_power = check_number(
            "Ftrl", "learning_rate_power", learning_rate_power, "a float <= 0", None, 0.0
        )
        self.initial_accumulator_value = check_number(
            "Ftrl", "initial_accumulator_value", initial_accumulator_value, "a float >= 0", 0.0
        )
        self.l1_regularization_strength = check_number(
            "Ftrl", "l1_regularization_strength", l1_regularization_strength, "a float >= 0", 0.0
        )
        self.l2_regularization_strength = check_number(
            "Ftrl", "l2_regularization_strength", l2_regularization_strength, "a float >= 0", 0.0
        )
        self.l2_shrinkage_regularization_strength = check_number(
            "Ftrl", "l2_shrinkage_regularization_strength", l2_shrinkage_regularization_strength, "a float >= 0", 0.0
        )
        self.beta = check_number("Ftrl", "beta", beta, "a float", None)

    def build(self, variables):
        """Record ``variables`` and create the accumulator and linear slots.

        Args:
            variables: the trainable variables to optimize.
        """
        if self.built:
            return
        super().build(variables)
        self._accumulators, self._linears = self.add_optimizer_variables(
            variables, ["accumulator", "linear"], initializer=[self.initial_accumulator_value, "zeros"]
        )

    def update_step(self, gradient, variable, learning_rate):
        """One FTRL update of ``variable`` (the formulas in the class docstring).

        Args:
            gradient: the gradient, a Tensor of the variable's shape.
            variable: the Variable updated in place.
            learning_rate: this step's learning rate, a Python float.
        """
        i = self._get_variable_index(variable)
        accumulator, linear = self._accumulators[i], self._linears[i]
        power = -self.learning_rate_power
        l2 = self.l2_regularization_strength + self.beta / (2.0 * learning_rate)
        grad = ops.add(gradient, ops.multiply(variable, 2 * self.l2_shrinkage_regularization_strength))
        new_accumulator = ops.add(accumulator, ops.square(gradient))
        growth = ops.subtract(ops.power(new_accumulator, power), ops.power(accumulator, power))
        sigma = ops.divide(growth, learning_rate)
        linear.assign(ops.add(linear, ops.subtract(grad, ops.multiply(sigma, variable))))
        quadratic = ops.add(ops.divide(ops.power(new_accumulator, power), learning_rate), 2 * l2)
        l1 = self.l1_regularization_strength
        variable.assign(ops.divide(ops.subtract(ops.clip(linear, -l1, l1), linear), quadratic))
        accumulator.assign(new_accumulator)

    def get_config(self):
        """The base config plus Ftrl's hyperparameters."""
        config = super().get_config()
        config.update(
            {
                "learning_rate_power": self.learning_rate_power,
                "initial_accumulator_value": self.initial_accumulator_value,
                "l1_regularization_strength": self.l1_regularization_strength,
                "l2_regularization_strength": self.l2_regularization_strength,
                "l2_shrinkage_regularization_strength": self.l2_shrinkage_regularization_strength,
                "beta": self.beta,
            }
        )
        return config
