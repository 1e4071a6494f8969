"""``LossScaleOptimizer``: dynamic loss scaling around another optimizer, as ``keras.optimizers.LossScaleOptimizer``."""

from kerasette import ops
from kerasette.optimizers.base import Optimizer, _registry, check_int, check_number
from kerasette.registry import get_registered_name

# Base arguments a LossScaleOptimizer config may carry (older Keras wrote them) with the only value accepted.
_BASE_DEFAULTS = {
    "weight_decay": None,
    "clipnorm": None,
    "global_clipnorm": None,
    "clipvalue": None,
    "use_ema": False,
    "ema_momentum": 0.99,
    "ema_overwrite_frequency": None,
    "loss_scale_factor": None,
    "gradient_accumulation_steps": None,
}


def serialize_nested(optimizer):
    """An optimizer's config for nesting in another config, in Keras's full form (``module``, ``registered_name``).

    Keras resolves a nested config only through its ``module``, so a built-in optimizer is written as
    ``keras.optimizers`` and a user's class with its module and registered name.

    Args:
        optimizer: an ``Optimizer``.

    Returns:
        A JSON-friendly dict.
    """
    config = _registry.serialize(optimizer)
    cls = type(optimizer)
    try:
        builtin = _registry.lookup(cls.__name__) is cls
    except ValueError:
        builtin = False
    if builtin:
        return {"module": "keras.optimizers", **config, "registered_name": None}
    return {"module": cls.__module__, **config, "registered_name": get_registered_name(cls)}


@_registry.register("lossscaleoptimizer")
class LossScaleOptimizer(Optimizer):
    """Wraps an optimizer with a dynamic loss scale, the guard against float16 gradient underflow.

    ``scale_loss(loss)`` multiplies the loss by the current scale (``dynamic_scale``); ``apply``
    divides the gradients of that loss by the same scale and hands them to ``inner_optimizer``.
    If any gradient is not finite, the step is skipped and the scale halved; after
    ``dynamic_growth_steps`` finite steps in a row the scale doubles. Scaling by powers of two is
    exact, so with float32 training the wrapped optimizer updates the variables exactly as it
    would alone. ``fit`` calls ``scale_loss`` on every step, and ``compile`` wraps the optimizer
    in one for a ``"mixed_float16"`` model (``auto_scale_loss=True``). Unlike Keras, which always
    divides by the current scale, gradients of a loss that did not go through ``scale_loss`` are
    passed on unchanged (the finiteness check and the scale bookkeeping still run).

    ``learning_rate``, ``iterations`` and ``finalize_variable_values`` are the inner optimizer's.
    The variables are this wrapper's (``iteration``, ``learning_rate``, ``step_counter``,
    ``dynamic_scale``) followed by the inner optimizer's, as in Keras.

    Args:
        inner_optimizer: the ``Optimizer`` to wrap.
        initial_scale: float > 0, the first loss scale. Defaults to ``2.0**15``.
        dynamic_growth_steps: int >= 1, the number of finite steps after which the scale doubles.
            Defaults to 2000.
        name: str or None. Defaults to ``"loss_scale_optimizer"``.
        **kwargs: accepted only with the values that mean "off" (``dynamic=True``, ``weight_decay=None``, ...),
            which older Keras configs carry; set clipping, weight decay or EMA on the inner optimizer.

    Raises:
        TypeError: if ``inner_optimizer`` is not an ``Optimizer``.
        ValueError: for out-of-range values and unsupported arguments.

    Example:
        >>> from kerasette import ops, optimizers
        >>> w = ops.Variable([1.0, 2.0], name="w")
        >>> opt = optimizers.LossScaleOptimizer(optimizers.SGD(learning_rate=0.5), initial_scale=8.0)
        >>> loss = opt.scale_loss(ops.convert_to_tensor(1.0))  # 8.0: the gradients of this loss are 8x too
        >>> opt.apply([ops.convert_to_tensor([8.0, 8.0])], [w])
        >>> w.numpy().tolist()
        [0.5, 1.5]
        >>> opt.apply([ops.convert_to_tensor([float("inf"), 1.0])], [w])  # skipped, the scale halves
        >>> w.numpy().tolist(), float(opt.dynamic_scale.numpy())
        ([0.5, 1.5], 4.0)
    """

    _default_name = "loss_scale_optimizer"

    def __init__(self, inner_optimizer, initial_scale=2.0**15, dynamic_growth_steps=2000, name=None, **kwargs):
        if not kwargs.pop("dynamic", True):
            raise ValueError(
                "Invalid value for argument `dynamic` of optimizer `LossScaleOptimizer`. Expected True (a fixed "
                "scale is the inner optimizer's `loss_scale_factor`). Received: dynamic=False"
            )
        for key, default in _BASE_DEFAULTS.items():
            if key in kwargs:
                value = kwargs.pop(key)
                if value != default:
                    raise ValueError(
                        f"Argument `{key}` of optimizer `LossScaleOptimizer` is not supported: set it on the "
                        f"`inner_optimizer`. Received: {key}={value!r}"
                    )
        if kwargs:
            raise ValueError(f"Argument(s) not recognized by optimizer `LossScaleOptimizer`: {kwargs}")
        if not isinstance(inner_optimizer, Optimizer):
            raise TypeError(
                "Invalid value for argument `inner_optimizer` of optimizer `LossScaleOptimizer`. Expected an "
                f"`Optimizer` instance. Received: inner_optimizer={inner_optimizer!r}"
            )
        super().__init__(learning_rate=0.0, name=name)
        self.inner_optimizer = inner_optimizer
        self.initial_scale = check_number(
            "LossScaleOptimizer", "initial_scale", initial_scale, "a float > 0", 0.0, low_open=True
        )
        self.dynamic_growth_steps = check_int(
            "LossScaleOptimizer", "dynamic_growth_steps", dynamic_growth_steps, 1, allow_none=False
        )
        self.inner_optimizer.loss_scale_factor = None  # scaling twice would be wrong

    def build(self, variables):
        """Create ``step_counter`` and ``dynamic_scale``, then build the inner optimizer on ``variables``.

        Args:
            variables: the trainable variables to optimize.
        """
        if self.built:
            return
        self.step_counter = self.add_variable((), dtype="int64", name="step_counter")
        self.dynamic_scale = self.add_variable((), initializer=self.initial_scale, name="dynamic_scale")
        self.inner_optimizer.build(variables)
        super().build(variables)

    @property
    def variables(self):
        """This wrapper's variables followed by the inner optimizer's (Keras's order)."""
        return list(self._variables) + self.inner_optimizer.variables

    @property
    def learning_rate(self):
        """The inner optimizer's learning rate (settable)."""
        return self.inner_optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, value):
        self.inner_optimizer.learning_rate = value

    @property
    def iterations(self):
        """The inner optimizer's step counter (skipped steps do not count)."""
        return self.inner_optimizer.iterations

    def scale_loss(self, loss):
        """The loss multiplied by the current loss scale; the next ``apply`` divides its gradients by it.

        Args:
            loss: the loss, a scalar Tensor.

        Returns:
            The scaled loss.
        """
        scale = self._host_value(self.dynamic_scale, float) if self.built else self.initial_scale
        self._loss_scaled_by = scale
        return ops.multiply(loss, scale)

    def apply(self, grads, trainable_variables=None):
        """Apply finite gradients through the inner optimizer, or skip the step; then adjust the scale.

        Args:
            grads: one gradient per variable (None for a variable to leave alone).
            trainable_variables: the Variables to update (None: those of ``build``).
        """
        grads = list(grads)
        if not grads:
            return
        if not self.built:
            if trainable_variables is None:
                raise ValueError(
                    f"Optimizer `{self.name}` is not built: pass `trainable_variables` to `apply`, "
                    "or call `build(variables)` first."
                )
            self.build(list(trainable_variables))
        scale, self._loss_scaled_by = self._loss_scaled_by, None
        with ops.stop_recording():
            finite = self._all_finite(grads)
            counter = self._host_value(self.step_counter, int)
            current = self._host_value(self.dynamic_scale, float)
            if finite:
                if scale is not None:
                    grads = [None if g is None else ops.divide(g, scale) for g in grads]
                self.inner_optimizer.apply(grads, trainable_variables)
                grow = counter == self.dynamic_growth_steps - 1
                self._set_state(0 if grow else counter + 1, current * 2.0 if grow else current)
            else:
                self._set_state(0, current * 0.5)

    def _all_finite(self, grads):
        """One host read: whether every element of every gradient is finite."""
        flags = [ops.min(ops.cast(ops.isfinite(g), "float32")) for g in grads if g is not None]
        return bool(float(ops.min(ops.stack(flags))) == 1.0) if flags else True

    def _set_state(self, counter, scale):
        self.step_counter.assign(ops.convert_to_tensor(counter, "int64"))
        self.dynamic_scale.assign(ops.convert_to_tensor(scale, "float32"))
        self._host_copies[id(self.step_counter)] = (self.step_counter.version, counter)
        self._host_copies[id(self.dynamic_scale)] = (self.dynamic_scale.version, scale)

    def finalize_variable_values(self, var_list):
        """The inner optimizer's ``finalize_variable_values`` (moving averages, if it keeps them).

        Args:
            var_list: the trainable variables.
        """
        self.inner_optimizer.finalize_variable_values(var_list)

    def get_config(self):
        """``name``, the serialized ``inner_optimizer``, ``initial_scale`` and ``dynamic_growth_steps``."""
        return {
            "name": self.name,
            "inner_optimizer": serialize_nested(self.inner_optimizer),
            "initial_scale": self.initial_scale,
            "dynamic_growth_steps": self.dynamic_growth_steps,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Rebuild the wrapper and its inner optimizer from ``get_config()`` (ours or Keras's).

        Args:
            config: a dict from ``get_config``.
            custom_objects: a dict of the user's classes by name, or None.

        Returns:
            A new ``LossScaleOptimizer``.
        """
        from kerasette import optimizers

        config = dict(config)
        inner = optimizers.deserialize(config.pop("inner_optimizer"), custom_objects)
        return cls(inner, **config)
