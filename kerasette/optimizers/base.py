"""The ``Optimizer`` base class: slots, clipping, weight decay, the step counter.

A subclass stores its hyperparameters, creates its slot variables in
``build(variables)`` with ``add_optimizer_variables`` and writes the
per-variable math in ``update_step(gradient, variable, learning_rate)``.
Everything else (lazy build, skipping ``None`` gradients, clipping, weight
decay, learning-rate schedules, the ``iterations`` counter, configs) lives
here and follows ``keras.optimizers.Optimizer`` (Keras 3).

>>> from kerasette import ops, optimizers
>>> w = ops.Variable([1.0, 2.0], name="w")
>>> opt = optimizers.SGD(learning_rate=0.5)
>>> opt.apply([ops.convert_to_tensor([1.0, 1.0])], [w])
>>> w.numpy().tolist(), int(opt.iterations.numpy())
([0.5, 1.5], 1)
"""

import re
import struct
import warnings

import numpy as np

from kerasette import ops
from kerasette.optimizers import _accumulation, _ema, schedules
from kerasette.registry import Registry

_registry = Registry("optimizer")

# Keras 3 constructor arguments kerasette does not implement, with the value that means "off".
_UNSUPPORTED_DEFAULTS = {
    "decay": 0.0,
}
# Keys found in saved Keras (2 and 3) configs that carry no meaning here.
_IGNORED_KEYS = ("jit_compile", "is_legacy_optimizer")


def _float32(value):
    """``value`` rounded to float32, as a Python float (the learning rate is stored in float32)."""
    try:
        return struct.unpack("f", struct.pack("f", value))[0]
    except OverflowError:
        return float("inf") if value > 0 else float("-inf")


def check_number(
    optimizer,
    argument,
    value,
    expected,
    low=None,
    high=None,
    low_open=False,
    high_open=False,
    allow_none=False,
):
    """Validate a hyperparameter and return it as a float (or None).

    Args:
        optimizer: the optimizer's class name, for the message.
        argument: the argument's name, for the message.
        value: the value received.
        expected: what was expected, in words (``"a float in [0, 1)"``), for the message.
        low: the lower bound, or None.
        high: the upper bound, or None.
        low_open: whether ``low`` itself is excluded.
        high_open: whether ``high`` itself is excluded.
        allow_none: whether None is accepted (and returned).

    Returns:
        ``value`` as a float, or None.

    Raises:
        TypeError: if ``value`` is not a real number (or None when allowed).
        ValueError: if ``value`` lies outside ``[low, high]`` (open ends as flagged).
    """
    if value is None and allow_none:
        return None
    message = (
        f"Invalid value for argument `{argument}` of optimizer `{optimizer}`. "
        f"Expected {expected}. Received: {argument}={value!r}"
    )
    if isinstance(value, bool) or not isinstance(value, (int, float)) and not hasattr(value, "__float__"):
        raise TypeError(message)
    number = float(value)
    too_low = low is not None and (number <= low if low_open else number < low)
    too_high = high is not None and (number >= high if high_open else number > high)
    if number != number or too_low or too_high:
        raise ValueError(message)
    return number


def check_bool(optimizer, argument, value):
    """Validate a boolean flag (nesterov, amsgrad, centered).

    Args:
        optimizer: the optimizer's class name, for the message.
        argument: the argument's name, for the message.
        value: the value received.

    Returns:
        ``value``.

    Raises:
        TypeError: if ``value`` is not a bool.
    """
    if not isinstance(value, bool):
        raise TypeError(
            f"Invalid value for argument `{argument}` of optimizer `{optimizer}`. "
            f"Expected a bool. Received: {argument}={value!r}"
        )
    return value


def check_int(optimizer, argument, value, low, allow_none=True):
    """Validate an integer option (``ema_overwrite_frequency``, ``gradient_accumulation_steps``).

    Args:
        optimizer: the optimizer's class name, for the message.
        argument: the argument's name, for the message.
        value: the value received.
        low: the smallest accepted value.
        allow_none: whether None is accepted (and returned).

    Returns:
        ``value`` as an int, or None.

    Raises:
        TypeError: if ``value`` is not an integer (or None when allowed).
        ValueError: if ``value`` is below ``low``.
    """
    if value is None and allow_none:
        return None
    message = (
        f"Invalid value for argument `{argument}` of optimizer `{optimizer}`. "
        f"Expected an integer >= {low}{' or None' if allow_none else ''}. Received: {argument}={value!r}"
    )
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(message)
    if value < low:
        raise ValueError(message)
    return int(value)


class Optimizer:
    """Base class of every optimizer.

    Args:
        learning_rate: float >= 0 or a ``schedules.LearningRateSchedule``.
        weight_decay: float or None. If set, each step first does
            ``variable -= variable * weight_decay * learning_rate``.
        clipnorm: float or None. Clip each gradient to this L2 norm.
        clipvalue: float or None. Clip each gradient element to ``[-clipvalue, clipvalue]``.
        global_clipnorm: float or None. Clip all gradients together to this global L2 norm.
        use_ema: bool. Keep an exponential moving average of each trainable variable in an
            ``average`` slot, updated after every step (``finalize_variable_values`` and the
            ``SwapEMAWeights`` callback put the averages into the model). Defaults to False.
        ema_momentum: float in [0, 1]. ``average = ema_momentum * average + (1 - ema_momentum) *
            variable``. Only used with ``use_ema``. Defaults to 0.99.
        ema_overwrite_frequency: int >= 1 or None. With ``use_ema``, overwrite the variables with
            their averages every this many steps. None: never during training.
        loss_scale_factor: float > 0 or None. ``scale_loss(loss)`` multiplies the loss by it and
            ``apply`` divides the gradients of that loss by it again.
        gradient_accumulation_steps: int >= 2 or None. Accumulate the gradients of this many
            ``apply`` calls and update the variables once with their mean; ``iterations`` then
            counts updates.
        name: str or None. Defaults to the lowercase class name.

    Raises:
        ValueError: for out-of-range values, more than one clipping option, or
            unknown keyword arguments.
        TypeError: for values of the wrong type.

    Example:
        A custom optimizer writes only ``build`` and ``update_step``:

        >>> from kerasette import ops, optimizers
        >>> class SignSGD(optimizers.Optimizer):
        ...     def __init__(self, learning_rate=0.01, **kwargs):
        ...         super().__init__(learning_rate, **kwargs)
        ...     def update_step(self, gradient, variable, learning_rate):
        ...         variable.assign(ops.subtract(variable, ops.multiply(ops.sign(gradient), learning_rate)))
        >>> w = ops.Variable([1.0, 1.0], name="w")
        >>> SignSGD(learning_rate=0.5).apply([ops.convert_to_tensor([3.0, -0.1])], [w])
        >>> w.numpy().tolist()
        [0.5, 1.5]
    """

    def __init__(
        self,
        learning_rate,
        weight_decay=None,
        clipnorm=None,
        clipvalue=None,
        global_clipnorm=None,
        use_ema=False,
        ema_momentum=0.99,
        ema_overwrite_frequency=None,
        loss_scale_factor=None,
        gradient_accumulation_steps=None,
        name=None,
        **kwargs,
    ):
        cls = type(self).__name__
        for key in [k for k in kwargs if k in _IGNORED_KEYS]:
            kwargs.pop(key)
        for key, off in _UNSUPPORTED_DEFAULTS.items():
            if key in kwargs:
                value = kwargs.pop(key)
                if value not in (off, None):
                    raise ValueError(
                        f"Argument `{key}` of optimizer `{cls}` is not supported by kerasette. "
                        f"Expected {key}={off!r}. Received: {key}={value!r}"
                    )
        if kwargs:
            raise ValueError(f"Argument(s) not recognized by optimizer `{cls}`: {kwargs}")
        self.name = name or self._default_name or cls.lower()
        self.weight_decay = check_number(
            cls, "weight_decay", weight_decay, "a float >= 0 or None", 0.0, allow_none=True
        )
        clip_args = {"clipnorm": clipnorm, "clipvalue": clipvalue, "global_clipnorm": global_clipnorm}
        for key, value in clip_args.items():
            clip_args[key] = check_number(
                cls, key, value, "a float > 0 or None", 0.0, low_open=True, allow_none=True
            )
        if sum(value is not None for value in clip_args.values()) > 1:
            raise ValueError(
                f"Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set on optimizer `{cls}`. "
                f"Received: clipnorm={clipnorm}, clipvalue={clipvalue}, global_clipnorm={global_clipnorm}"
            )
        self.clipnorm = clip_args["clipnorm"]
        self.clipvalue = clip_args["clipvalue"]
        self.global_clipnorm = clip_args["global_clipnorm"]
        self._check_moving_average(use_ema, ema_momentum, ema_overwrite_frequency)
        self.loss_scale_factor = check_number(
            cls, "loss_scale_factor", loss_scale_factor, "a float > 0 or None", 0.0, low_open=True, allow_none=True
        )
        self._loss_scaled_by = None  # the factor scale_loss applied to the loss of the coming step
        self.gradient_accumulation_steps = check_int(
            cls, "gradient_accumulation_steps", gradient_accumulation_steps, 2
        )

        self.built = False
        self._trainable_variables = []
        self._index = {}
        self._exclude_ids, self._exclude_pattern = set(), None
        self._local_step = 1  # iterations + 1 during an update; Adam's bias correction reads it
        self._iterations = self._new_variable(ops.zeros((), "int64"), "iteration")
        # Host copies of iterations and the stored learning rate, keyed by the variable's version: on a
        # device backend each read is a transfer, and a training step may make at most one (the metrics).
        self._host_copies = {id(self._iterations): (self._iterations.version, 0)}
        self._variables = [self._iterations]
        self._learning_rate = None
        self._lr_value = None
        self._set_learning_rate(learning_rate)

    _default_name = None  # a subclass's default ``name`` when not its lowercase class name (Keras's)

    def _check_moving_average(self, use_ema, ema_momentum, ema_overwrite_frequency):
        cls = type(self).__name__
        self.use_ema = check_bool(cls, "use_ema", use_ema)
        self.ema_momentum = check_number(cls, "ema_momentum", ema_momentum, "a float in [0, 1]", 0.0, 1.0)
        self.ema_overwrite_frequency = check_int(cls, "ema_overwrite_frequency", ema_overwrite_frequency, 1)
        if self.ema_overwrite_frequency is not None and not use_ema:
            warnings.warn(
                f"Argument `ema_overwrite_frequency` of optimizer `{cls}` has no effect without `use_ema=True`. "
                f"Received: ema_overwrite_frequency={ema_overwrite_frequency}, use_ema=False",
                stacklevel=4,
            )

    # ----- learning rate and counter ------------------------------------
    @property
    def iterations(self):
        """The number of updates applied so far: a non-trainable int64 scalar ``Variable``.

        With ``gradient_accumulation_steps=n`` it is a Tensor counting updates, ``apply`` calls // n.
        """
        if self.gradient_accumulation_steps:
            return ops.convert_to_tensor(self._host_iterations() // self.gradient_accumulation_steps, "int64")
        return self._iterations

    @property
    def learning_rate(self):
        """The learning rate for the next update, as a Python float.

        With a schedule this is ``schedule(iterations)``. Set it with a float
        (e.g. ``ReduceLROnPlateau``) or replace the schedule with another one.
        """
        return self._learning_rate_at(self._host_iterations())

    @learning_rate.setter
    def learning_rate(self, value):
        if isinstance(self._learning_rate, schedules.LearningRateSchedule) and not isinstance(
            value, schedules.LearningRateSchedule
        ):
            raise TypeError(
                f"Optimizer `{self.name}` was created with a `LearningRateSchedule` as its `learning_rate`, "
                "so its learning rate is not settable (the schedule decides it at every step). "
                "Create the optimizer with a float `learning_rate` to set it, or assign a new schedule. "
                f"Received: learning_rate={value!r}"
            )
        self._set_learning_rate(value)

    def _set_learning_rate(self, value):
        if isinstance(value, schedules.LearningRateSchedule):
            if isinstance(self._learning_rate, ops.Variable):  # untrack it, as Keras does
                self._variables = [v for v in self._variables if v is not self._learning_rate]
            self._learning_rate, self._lr_value = value, None
            return
        value = check_number(
            type(self).__name__, "learning_rate", value, "a float >= 0 or a LearningRateSchedule", 0.0
        )
        if isinstance(self._learning_rate, ops.Variable):
            self._learning_rate.assign(ops.convert_to_tensor(value, "float32"))
        else:
            self._learning_rate = self._new_variable(ops.convert_to_tensor(value, "float32"), "learning_rate")
            self._variables.insert(1, self._learning_rate)
        self._lr_value = value
        self._host_copies[id(self._learning_rate)] = (self._learning_rate.version, _float32(value))

    def _learning_rate_at(self, step):
        if isinstance(self._learning_rate, schedules.LearningRateSchedule):
            return float(self._learning_rate(step))
        stored = self._host_value(self._learning_rate, float)
        # The variable holds float32; report the float the user set while it still matches.
        if self._lr_value is not None and _float32(self._lr_value) == stored:
            return self._lr_value
        return stored

    def _host_value(self, variable, convert):
        """``convert(variable.numpy())``, read from the device only when the variable changed since last time."""
        cached = self._host_copies.get(id(variable))
        if cached is None or cached[0] != variable.version:
            cached = self._host_copies[id(variable)] = (variable.version, convert(variable.numpy()))
        return cached[1]

    def _host_iterations(self):
        return self._host_value(self._iterations, int)

    # ----- variables -----------------------------------------------------
    @property
    def variables(self):
        """``[iterations, learning_rate (unless scheduled), slots...]`` in creation order (as Keras 3)."""
        return list(self._variables)

    def _new_variable(self, tensor, name):
        return ops.Variable(tensor, name=name, trainable=False, path=f"{self.name}/{name}")

    def build(self, variables):
        """Record the trainable variables; subclasses then create their slots.

        Called by the first ``apply``; calling it again does nothing.

        Args:
            variables: the trainable variables this optimizer will update.
        """
        if self.built:
            return
        self._trainable_variables = list(variables)
        self._index = {id(v): i for i, v in enumerate(self._trainable_variables)}
        if self.use_ema:
            self._model_variables_moving_average = _ema.build_averages(self, self._trainable_variables)
        if self.gradient_accumulation_steps:
            self._accumulated_gradients = _accumulation.build_accumulators(self, self._trainable_variables)
        self.built = True

    def add_optimizer_variables(self, variables, names, initializer="zeros"):
        """One slot per variable (and per name, interleaved as in Keras), shaped like the variable.

        Args:
            variables: the trainable variables.
            names: a slot name or a list of them.
            initializer: "zeros" or a float fill value, or a list of them (one per name).

        Returns:
            A list of slot Variables, or a tuple of lists when ``names`` is a list.
        """
        single = isinstance(names, str)
        names = [names] if single else list(names)
        initializers = list(initializer) if isinstance(initializer, (list, tuple)) else [initializer] * len(names)
        fills = [0.0 if init == "zeros" else float(init) for init in initializers]
        slots = tuple([] for _ in names)
        for variable in variables:
            prefix = variable.path.replace("/", "_")
            for i, name in enumerate(names):
                value = ops.full(variable.shape, fills[i], variable.dtype)
                slot = self._new_variable(value, f"{prefix}_{name}")
                self._variables.append(slot)
                slots[i].append(slot)
        return slots[0] if single else slots

    def add_variable(self, shape, initializer="zeros", dtype=None, name=None):
        """A non-trainable optimizer variable (Keras' API for custom optimizers), tracked in ``variables``.

        Args:
            shape: the variable's shape.
            initializer: ``"zeros"`` or a float fill value.
            dtype: the variable's dtype (None: float32).
            name: the variable's name (None: ``"variable"``).

        Returns:
            The new ``ops.Variable``.
        """
        fill = 0.0 if initializer == "zeros" else float(initializer)
        slot = self._new_variable(ops.full(tuple(shape), fill, dtype or "float32"), name or "variable")
        self._variables.append(slot)
        return slot

    def add_variable_from_reference(self, reference_variable, name=None, initializer="zeros"):
        """A slot shaped like ``reference_variable``, named ``<its path>_<name>``.

        Args:
            reference_variable: the trainable variable the slot belongs to.
            name: the slot's name (None: ``"var"``).
            initializer: ``"zeros"`` or a float fill value.

        Returns:
            The new ``ops.Variable``.
        """
        return self.add_optimizer_variables([reference_variable], name or "var", initializer)[0]

    def _get_variable_index(self, variable):
        return self._index[id(variable)]

    def assign(self, variable, value):
        """``variable = value`` (Keras' hook for custom optimizers).

        Args:
            variable: the Variable written.
            value: its new value.
        """
        variable.assign(value)

    def assign_add(self, variable, value):
        """``variable += value`` (Keras' hook for custom optimizers).

        Args:
            variable: the Variable written.
            value: the increment.
        """
        variable.assign(ops.add(variable, value))

    def assign_sub(self, variable, value):
        """``variable -= value`` (Keras' hook for custom optimizers).

        Args:
            variable: the Variable written.
            value: the decrement.
        """
        variable.assign(ops.subtract(variable, value))

    def get_weights(self):
        """Host copies of ``variables``.

        Returns:
            A list of numpy arrays, in the order of ``variables``.
        """
        return [v.numpy() for v in self.variables]

    def set_weights(self, weights):
        """Assign values to ``variables`` in order (shapes must match).

        Args:
            weights: one array per variable, as ``get_weights`` returns them.

        Raises:
            ValueError: when the number of arrays differs from the number of variables.
        """
        weights, variables = list(weights), self.variables
        if len(weights) != len(variables):
            raise ValueError(
                f"Optimizer `{self.name}` has {len(variables)} variables (is it built?); "
                f"received {len(weights)} weights."
            )
        for variable, value in zip(variables, weights):
            variable.assign(ops.convert_to_tensor(value, variable.dtype))

    # ----- the update ----------------------------------------------------
    def apply_gradients(self, grads_and_vars):
        """Apply ``[(gradient, variable), ...]``, the TensorFlow-style form of ``apply``.

        Args:
            grads_and_vars: an iterable of ``(gradient, variable)`` pairs.

        Returns:
            The ``iterations`` Variable.
        """
        grads_and_vars = list(grads_and_vars)
        if grads_and_vars:
            grads, variables = zip(*grads_and_vars)
            self.apply(list(grads), list(variables))
        return self._iterations

    def apply(self, grads, trainable_variables=None):
        """Update ``trainable_variables`` from ``grads`` (one per variable, None skipped).

        Builds the slots on the first call. Without ``trainable_variables`` the
        variables given to ``build`` are used. Gradients of a loss scaled by ``scale_loss`` are unscaled;
        with ``gradient_accumulation_steps`` they are accumulated and only every n-th call goes on, with
        their mean. Gradients are clipped (``clipnorm``, ``clipvalue``, ``global_clipnorm``), weight decay
        is applied, then ``update_step`` runs for each variable; with ``use_ema`` the moving averages are
        updated; each variable with a ``constraint`` is projected
        (``variable.assign(variable.constraint(variable))``) and ``iterations`` goes up by one.

        Args:
            grads: one gradient per variable (None for a variable to leave alone).
            trainable_variables: the Variables to update (None: those of ``build``).

        Raises:
            ValueError: for mismatched lengths, unknown variables, or no gradient at all.
        """
        grads = list(grads)
        if not grads:
            return
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    f"Optimizer `{self.name}` is not built: pass `trainable_variables` to `apply`, "
                    "or call `build(variables)` first."
                )
            trainable_variables = self._trainable_variables
        else:
            trainable_variables = list(trainable_variables)
            if not self.built:
                self.build(trainable_variables)
            else:
                unknown = [v.path for v in trainable_variables if id(v) not in self._index]
                if unknown:
                    raise ValueError(
                        f"Unknown variables {unknown} for optimizer `{self.name}`: it can only update the "
                        "variables it was built with. Create a new optimizer for new variables."
                    )
        if len(grads) != len(trainable_variables):
            raise ValueError(
                f"Expected one gradient per variable: received {len(grads)} gradients "
                f"for {len(trainable_variables)} variables."
            )
        pairs = [(g, v) for g, v in zip(grads, trainable_variables) if g is not None]
        if not pairs:
            raise ValueError("No gradients provided for any variable.")
        if len(pairs) < len(grads):
            missing = [v.path for g, v in zip(grads, trainable_variables) if g is None]
            warnings.warn(
                f"Gradients do not exist for variables {missing} when minimizing the loss.", stacklevel=2
            )
        with ops.stop_recording():
            step = self._host_iterations()
            learning_rate = self._learning_rate_at(step)
            accumulation = self.gradient_accumulation_steps
            self._local_step = (step // accumulation if accumulation else step) + 1
            variables = [v for _, v in pairs]
            grads = self._unscale_gradients([ops.convert_to_tensor(g, v.dtype) for g, v in pairs])
            if accumulation:
                grads = _accumulation.accumulate(self, grads, variables, step)
            if grads is not None:
                self._update_variables(grads, variables, learning_rate)
            if self.use_ema:
                _ema.update_averages(self, self._local_step - 1)
            for variable in variables:  # weight constraints project after the update, as in Keras 3
                constraint = getattr(variable, "constraint", None)
                if constraint is not None:
                    variable.assign(constraint(variable))
            self._iterations.assign(ops.add(self._iterations, 1))
            self._host_copies[id(self._iterations)] = (self._iterations.version, step + 1)

    def _update_variables(self, grads, variables, learning_rate):
        """Clip, decay the weights, then ``update_step`` each variable."""
        grads = self._clip_gradients(grads)
        self._apply_weight_decay(variables, learning_rate)
        for grad, variable in zip(grads, variables):
            self.update_step(grad, variable, learning_rate)

    def scale_loss(self, loss):
        """The loss multiplied by ``loss_scale_factor`` (unchanged when it is None), before taking gradients.

        The next ``apply`` divides the gradients by the factor this call applied, so a training step that
        scales its loss here gets unscaled updates; gradients of a loss that was not scaled here are
        used as they are.

        Args:
            loss: the loss, a scalar Tensor.

        Returns:
            The scaled loss.
        """
        self._loss_scaled_by = self.loss_scale_factor
        return loss if self.loss_scale_factor is None else ops.multiply(loss, self.loss_scale_factor)

    def _unscale_gradients(self, grads):
        scale, self._loss_scaled_by = self._loss_scaled_by, None
        return grads if scale is None else [ops.divide(g, scale) for g in grads]

    def finalize_variable_values(self, var_list):
        """Set the final values of the model's variables: with ``use_ema``, their moving averages.

        Keras's ``fit`` calls it once training ends. Without ``use_ema`` it does nothing.

        Args:
            var_list: the trainable variables, in the order the optimizer was built with.

        Raises:
            ValueError: when ``var_list`` does not match the averaged variables.
        """
        if self.use_ema and self.built:
            _ema.overwrite_with_averages(self, list(var_list))

    def update_step(self, gradient, variable, learning_rate):
        """The per-variable update, which each optimizer implements.

        Args:
            gradient: the (clipped) gradient, a Tensor of the variable's shape.
            variable: the Variable to update in place.
            learning_rate: this step's learning rate, a Python float.
        """
        raise NotImplementedError(f"Optimizer `{type(self).__name__}` must implement `update_step`.")

    def _clip_gradients(self, grads):
        if self.clipnorm:
            return [self._scale(g, self.clipnorm, ops.sqrt(ops.sum(ops.square(g)))) for g in grads]
        if self.global_clipnorm:
            total = ops.sum(ops.square(grads[0]))
            for g in grads[1:]:
                total = ops.add(total, ops.cast(ops.sum(ops.square(g)), total.dtype))
            norm = ops.sqrt(total)
            return [self._scale(g, self.global_clipnorm, norm) for g in grads]
        if self.clipvalue:
            return [ops.clip(g, -self.clipvalue, self.clipvalue) for g in grads]
        return grads

    @staticmethod
    def _scale(grad, clip, norm):
        """``grad * clip / max(norm, clip)``: unchanged when ``norm <= clip``."""
        factor = ops.divide(clip, ops.maximum(norm, clip))
        if factor.dtype != grad.dtype:
            factor = ops.cast(factor, grad.dtype)
        return ops.multiply(grad, factor)

    def exclude_from_weight_decay(self, var_list=None, var_names=None):
        """Skip weight decay for these variables, or those whose name contains one of ``var_names``.

        Args:
            var_list: Variables to exclude, or None.
            var_names: name fragments (e.g. ``["bias"]``); a variable whose name contains one is excluded.

        Raises:
            ValueError: once the optimizer is built.
        """
        if self.built:
            raise ValueError(
                "`exclude_from_weight_decay()` can only be called before the optimizer is built."
            )
        self._exclude_ids = {id(v) for v in var_list or ()}
        self._exclude_pattern = re.compile("|".join(map(re.escape, var_names))) if var_names else None

    def _apply_weight_decay(self, variables, learning_rate):
        if not self.weight_decay:
            return
        factor = self.weight_decay * learning_rate
        for v in variables:
            if id(v) in self._exclude_ids or (self._exclude_pattern and self._exclude_pattern.search(v.name)):
                continue
            v.assign(ops.subtract(v, ops.multiply(v, factor)))

    # ----- configs -------------------------------------------------------
    def get_config(self):
        """The constructor arguments (the learning rate as a float or a serialized schedule)."""
        if isinstance(self._learning_rate, schedules.LearningRateSchedule):
            learning_rate = schedules.serialize(self._learning_rate)
        else:
            learning_rate = self._learning_rate_at(0)
        return {
            "name": self.name,
            "learning_rate": learning_rate,
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "global_clipnorm": self.global_clipnorm,
            "clipvalue": self.clipvalue,
            "use_ema": self.use_ema,
            "ema_momentum": self.ema_momentum,
            "ema_overwrite_frequency": self.ema_overwrite_frequency,
            "loss_scale_factor": self.loss_scale_factor,
            "gradient_accumulation_steps": self.gradient_accumulation_steps,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Rebuild an optimizer (without its state) from ``get_config()``, ours or Keras'.

        Args:
            config: a dict from ``get_config``.
            custom_objects: a dict of the user's schedule classes by name, or None.

        Returns:
            A new optimizer.
        """
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = schedules.deserialize(config["learning_rate"], custom_objects)
        return cls(**config)
