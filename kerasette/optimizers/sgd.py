"""Stochastic gradient descent, with optional (Nesterov) momentum, as ``keras.optimizers.SGD``."""

from kerasette import ops
from kerasette.optimizers.base import Optimizer, _registry, check_bool, check_number


@_registry.register("sgd")
class SGD(Optimizer):
    """Gradient descent with momentum.

    Without momentum: ``w -= lr * g``. With momentum:
    ``m = momentum * m - lr * g``, then ``w += m`` or, with Nesterov,
    ``w += momentum * m - lr * g``.

    Args:
        learning_rate: float >= 0 or a LearningRateSchedule. Defaults to 0.01.
        momentum: float in [0, 1]. Defaults to 0.0.
        nesterov: bool. Defaults to False.
        **kwargs: the base ``Optimizer`` arguments (weight_decay, clipnorm, clipvalue,
            global_clipnorm, name).

    Example:
        >>> from kerasette import ops, optimizers
        >>> w = ops.Variable([1.0], name="w")
        >>> opt = optimizers.SGD(learning_rate=0.1, momentum=0.9)
        >>> for _ in range(2):
        ...     opt.apply([ops.convert_to_tensor([1.0])], [w])
        >>> [round(v, 4) for v in w.numpy().tolist()]
        [0.71]
    """

    def __init__(
        self,
        learning_rate=0.01,
        momentum=0.0,
        nesterov=False,
        **kwargs,
    ):
        super().__init__(learning_rate, **kwargs)  # weight_decay, clipnorm, ..., name: checked by the base
        self.momentum = check_number("SGD", "momentum", momentum, "a float in [0, 1]", 0.0, 1.0)
        self.nesterov = check_bool("SGD", "nesterov", nesterov)

    def build(self, variables):
        """Record ``variables`` and create a momentum slot per variable when ``momentum`` is not 0.

        Args:
            variables: the trainable variables to optimize.
        """
        if self.built:
            return
        super().build(variables)
        self.momentums = self.add_optimizer_variables(variables, "momentum") if self.momentum != 0 else []

    def update_step(self, gradient, variable, learning_rate):
        """One SGD update of ``variable`` (the formulas in the class docstring).

        Args:
            gradient: the gradient, a Tensor of the variable's shape.
            variable: the Variable updated in place.
            learning_rate: this step's learning rate, a Python float.
        """
        step = ops.multiply(gradient, learning_rate)
        if self.momentum == 0:
            variable.assign(ops.subtract(variable, step))
            return
        m = self.momentums[self._get_variable_index(variable)]
        m.assign(ops.subtract(ops.multiply(m, self.momentum), step))
        if self.nesterov:
            variable.assign(ops.add(variable, ops.subtract(ops.multiply(m, self.momentum), step)))
        else:
            variable.assign(ops.add(variable, m))

    def get_config(self):
        """The base config plus SGD's hyperparameters."""
        config = super().get_config()
        config.update({"momentum": self.momentum, "nesterov": self.nesterov})
        return config
