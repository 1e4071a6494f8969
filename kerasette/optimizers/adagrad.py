"""Adagrad, as ``keras.optimizers.Adagrad``."""

from kerasette import ops
from kerasette.optimizers.base import Optimizer, _registry, check_number


@_registry.register("adagrad")
class Adagrad(Optimizer):
    """Per-parameter rates scaled by the accumulated squared gradients.

    ``acc += g**2``; ``w -= lr * g / sqrt(acc + epsilon)``.

    Args:
        learning_rate: float >= 0 or a LearningRateSchedule. Defaults to 0.001.
        initial_accumulator_value: float >= 0, the starting accumulator. Defaults to 0.1.
        epsilon: float >= 0. Defaults to 1e-7.
        **kwargs: the base ``Optimizer`` arguments.

    Example:
        >>> from kerasette import ops, optimizers
        >>> w = ops.Variable([1.0], name="w")
        >>> optimizers.Adagrad(learning_rate=0.1).apply([ops.convert_to_tensor([1.0])], [w])
        >>> [round(v, 4) for v in w.numpy().tolist()]
        [0.9047]
    """

    def __init__(
        self,
        learning_rate=0.001,
        initial_accumulator_value=0.1,
        epsilon=1e-7,
        **kwargs,
    ):
        super().__init__(learning_rate, **kwargs)  # weight_decay, clipnorm, ..., name: checked by the base
        self.initial_accumulator_value = check_number(
            "Adagrad", "initial_accumulator_value", initial_accumulator_value, "a float >= 0", 0.0
        )
        self.epsilon = check_number("Adagrad", "epsilon", epsilon, "a float >= 0", 0.0)

    def build(self, variables):
        """Record ``variables`` and create the accumulator slots, filled with ``initial_accumulator_value``.

        Args:
            variables: the trainable variables to optimize.
        """
        if self.built:
            return
        super().build(variables)
        self._accumulators = self.add_optimizer_variables(
            variables, "accumulator", initializer=self.initial_accumulator_value
        )

    def update_step(self, gradient, variable, learning_rate):
        """One Adagrad update of ``variable`` (the formulas in the class docstring).

        Args:
            gradient: the gradient, a Tensor of the variable's shape.
            variable: the Variable updated in place.
            learning_rate: this step's learning rate, a Python float.
        """
        accumulator = self._accumulators[self._get_variable_index(variable)]
        accumulator.assign(ops.add(accumulator, ops.square(gradient)))
        update = ops.divide(
            ops.multiply(gradient, learning_rate), ops.sqrt(ops.add(accumulator, self.epsilon))
        )
        variable.assign(ops.subtract(variable, update))

    def get_config(self):
        """The base config plus Adagrad's hyperparameters."""
        config = super().get_config()
        config.update({"initial_accumulator_value": self.initial_accumulator_value, "epsilon": self.epsilon})
        return config
