"""Lion (evolved sign momentum), as ``keras.optimizers.Lion``."""

from kerasette import ops
from kerasette.optimizers.base import Optimizer, _registry, check_number


@_registry.register("lion")
class Lion(Optimizer):
    """The sign of an interpolated momentum as the update (Chen et al., 2023).

    ``w -= lr * sign(beta_1 * m + (1 - beta_1) * g)``, then
    ``m = beta_2 * m + (1 - beta_2) * g``. Every element moves by exactly ``lr`` (or not at
    all), so Lion usually wants a learning rate 3-10 times smaller than AdamW's.

    Args:
        learning_rate: float >= 0 or a LearningRateSchedule. Defaults to 0.001.
        beta_1: float in (0, 1], the interpolation for the update. Defaults to 0.9.
        beta_2: float in [0, 1], the decay of the momentum. Defaults to 0.99.
        **kwargs: the base ``Optimizer`` arguments.

    Example:
        >>> from kerasette import ops, optimizers
        >>> w = ops.Variable([1.0, 2.0], name="w")
        >>> optimizers.Lion(learning_rate=0.1).apply([ops.convert_to_tensor([0.5, -1.0])], [w])
        >>> [round(v, 4) for v in w.numpy().tolist()]
        [0.9, 2.1]
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.99, **kwargs):
        super().__init__(learning_rate, **kwargs)  # weight_decay, clipnorm, ..., name: checked by the base
        self.beta_1 = check_number(
            "Lion", "beta_1", beta_1, "a float in (0, 1] (at 0 Lion degenerates to SignSGD)", 0.0, 1.0, low_open=True
        )
        self.beta_2 = check_number("Lion", "beta_2", beta_2, "a float in [0, 1]", 0.0, 1.0)

    def build(self, variables):
        """Record ``variables`` and create one momentum slot per variable.

        Args:
            variables: the trainable variables to optimize.
        """
        if self.built:
            return
        super().build(variables)
        self._momentums = self.add_optimizer_variables(variables, "momentum")

    def update_step(self, gradient, variable, learning_rate):
        """One Lion update of ``variable`` (the formulas in the class docstring).

        Args:
            gradient: the gradient, a Tensor of the variable's shape.
            variable: the Variable updated in place.
            learning_rate: this step's learning rate, a Python float.
        """
        m = self._momentums[self._get_variable_index(variable)]
        direction = ops.sign(ops.add(ops.multiply(m, self.beta_1), ops.multiply(gradient, 1.0 - self.beta_1)))
        variable.assign(ops.subtract(variable, ops.multiply(direction, learning_rate)))
        m.assign(ops.add(ops.multiply(m, self.beta_2), ops.multiply(gradient, 1.0 - self.beta_2)))

    def get_config(self):
        """The base config plus Lion's hyperparameters."""
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2})
        return config
