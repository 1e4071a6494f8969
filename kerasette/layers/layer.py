"""The Layer base class: the contract every layer follows.

``__init__`` validates and stores config -> ``build(input_shape)`` creates
weights with ``add_weight`` -> ``call(inputs, training=None)`` computes with
``kerasette.ops`` -> ``compute_output_shape`` -> ``get_config``. Calling a
layer on a symbolic ``KerasTensor`` records a node in the model graph
instead of computing.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import warnings
import weakref
from collections.abc import Sequence
from typing import Any, List, Optional, Tuple, Union

import numpy as np

from kerasette import constraints, initializers, ops, regularizers
from kerasette.layers import validation
from kerasette.layers.autocast import autocast_scope_for
from kerasette.layers.input_spec import assert_input_compatibility
from kerasette.layers.node import KerasTensor, record_call
from kerasette.ops.autocast import get_autocast_scope
from kerasette.ops.stateless import get_stateless_scope
from kerasette.ops.tensor import Tensor, discarding_assignments
from kerasette.utils import naming

# Checks called as check(layer, name, shape, dtype, transient) before add_weight (or the default
# compute_output_shape) allocates: kerasette.saving bounds what a model rebuilt from a file may create.
_ALLOCATION_CHECKS = contextvars.ContextVar("kerasette_allocation_checks", default=())


@contextlib.contextmanager
def checking_allocations(check):
    """Call ``check(layer, name, shape, dtype, transient)`` before each weight (or dummy input) is allocated.

    ``transient`` is True for the zeros the default ``compute_output_shape`` runs on. The check
    raises to refuse; loaders use it to bound the memory a config may make a model take.
    """
    token = _ALLOCATION_CHECKS.set(_ALLOCATION_CHECKS.get() + (check,))
    try:
        yield
    finally:
        _ALLOCATION_CHECKS.reset(token)


def _check_allocation(layer, name, shape, dtype, transient=False):
    for check in _ALLOCATION_CHECKS.get():
        check(layer, name, shape, dtype, transient)

_BASE_KWARGS = ("name", "trainable", "dtype", "input_shape", "batch_input_shape", "batch_size", "input_dim",
                "activity_regularizer")
_LAYERS_WITH_LOSSES = weakref.WeakSet()  # layers whose add_loss losses of the last call are not cleared yet
_call_depth = [0]  # eager calls in progress: the outermost one clears the add_loss losses of the last call
_TRAINING_ONLY = frozenset(["training"])  # the only keyword ``Layer._call_plain`` takes
_NEEDS_GENERAL_CALL = object()  # what ``Layer._call_plain`` returns for a call it does not cover

# A shape: ints for known sizes, None for unknown ones (the batch axis of a symbolic tensor).
Shape = Tuple[Optional[int], ...]
# What ``build`` and ``compute_output_shape`` receive: one shape, or a list of shapes for multi-input layers.
ShapeOrShapes = Union[Shape, List[Shape]]


class Layer:
    """The base class of all layers: a computation with weights and a config.

    Every layer follows one contract. ``__init__`` validates and stores the configuration;
    ``build(input_shape)`` creates the weights with ``add_weight``, once, on the first call;
    ``call(inputs, training=None)`` computes the outputs with ``kerasette.ops`` only (gradients come
    from the autodiff tape, so a layer needs no backward code); ``compute_output_shape`` gives the
    output shape for symbolic inputs; ``get_config`` returns the constructor arguments, from which
    ``from_config`` makes an equivalent layer.

    Calling a layer on arrays or tensors computes; calling it on a symbolic tensor (from ``Input``)
    records a node of a model graph instead.

    Args:
        trainable: bool, whether the layer's weights are updated during training. Defaults to True.
        name: str, the layer's name, unique within a model. If None, one is derived from the class
            name (``dense``, ``dense_1``...).
        dtype: the layer's dtype policy: a dtype name (``"float32"``, the default unless
            ``keras.config.set_dtype_policy`` changed it), ``"mixed_float16"`` (float16 computations,
            float32 weights), a ``DTypePolicy`` or a Keras 3 ``DTypePolicy`` config dict.
        **kwargs: only Keras's input-shape arguments ``input_shape``, ``batch_input_shape``,
            ``batch_size`` and ``input_dim``, which declare the input of the first layer of a
            ``Sequential`` model. Any other keyword raises a TypeError.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers, ops
        >>> class Scale(layers.Layer):
        ...     def build(self, input_shape):
        ...         self.scale = self.add_weight((input_shape[-1],), initializer="ones", name="scale")
        ...     def call(self, inputs):
        ...         return ops.multiply(inputs, self.scale)
        >>> layer = Scale()
        >>> layer(np.array([[1.0, 2.0]])).numpy().tolist()
        [[1.0, 2.0]]
        >>> [tuple(w.shape) for w in layer.weights], layer.count_params()
        ([(2,)], 2)
    """

    input_ndim = None  # rank-specific layers set this; every call checks it
    input_spec = None  # an InputSpec (or a list of them) that every call checks, as in Keras

    supports_masking = False  # True: the layer passes a mask on (compute_mask); set it in __init__ or on the class
    autocast = True  # cast float inputs to the layer's dtype, as Keras does (an op node keeps its inputs' dtypes)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "build" in cls.__dict__:
            cls.build = _marks_built(cls.__dict__["build"])
        if "compute_mask" in cls.__dict__ and "supports_masking" not in cls.__dict__:
            cls.supports_masking = True  # as Keras 3: a layer that computes masks supports them

    def __init__(self, trainable: bool = True, name: str | None = None, dtype: Any = None, **kwargs: Any) -> None:
        unknown = set(kwargs) - set(_BASE_KWARGS)
        if unknown:
            raise TypeError(
                f"Unrecognized keyword arguments passed to {type(self).__name__}: {sorted(unknown)}"
            )
        if name is not None and (not isinstance(name, str) or not name):
            raise ValueError(f"Invalid value for argument `name` of layer {type(self).__name__}. "
                             f"Expected a non-empty string. Received: name={name!r}")
        self.name = name or naming.unique_name(naming.to_snake_case(type(self).__name__))
        self._dtype_policy = _policy_of(dtype)
        self._trainable = bool(trainable)
        self.built = False
        self._weights = []
        self._declared_trainable = {}  # id(variable) -> trainable as created (BN statistics are not)
        self._regularized = []  # (regularizer, variable) pairs added to the loss
        self._inbound_nodes = []
        self._build_shape = None
        self._batch_input_shape = _declared_input_shape(kwargs)
        self._losses = []  # from add_loss during the last call
        self.activity_regularizer = regularizers.get(kwargs.get("activity_regularizer"))

    # ----- weights ---------------------------------------------------------
    def add_weight(self, shape: Sequence[int] | None = (), initializer: Any = "glorot_uniform", dtype: Any = None,
                   trainable: bool = True, autocast: bool = True, regularizer: Any = None, constraint: Any = None,
                   name: str | None = None) -> ops.Variable:
        """Create a weight variable owned by this layer and return it.

        Call it from ``build``. The variable joins ``weights`` in creation order (Keras's order, which
        saving and ``set_weights`` rely on); its path is ``"<layer name>/<name>"``.

        Args:
            shape: tuple of ints, the variable's shape. ``()`` (the default) or None makes a scalar.
            initializer: an initializer instance, name (``"zeros"``, ``"ones"``, ``"glorot_uniform"``...)
                or config dict. Defaults to ``"glorot_uniform"``.
            dtype: the variable's dtype. If None, the layer's ``variable_dtype`` (float32 under
                ``"mixed_float16"``).
            trainable: bool, whether the optimizer updates the variable. Defaults to True. A variable
                created with ``trainable=False`` (such as BatchNormalization's moving statistics) stays
                non-trainable when the layer is unfrozen.
            autocast: bool, whether a float variable reads in the layer's ``compute_dtype`` inside
                ``call`` under a mixed-precision policy (float16 reads of a float32 weight). Defaults to True.
            regularizer: optional regularizer (instance, name or config); its penalty on the variable
                is added to ``losses``.
            constraint: optional constraint (instance, name or config), stored as the variable's
                ``constraint``: the optimizer projects the variable with it after each update, as Keras does.
            name: str, the variable's name within the layer. If None, ``variable_<index>``.

        Returns:
            The new ``Variable``, initialized.
        """
        shape = tuple(int(s) for s in (shape or ()))
        initializer = initializers.get(initializer)
        dtype = _dtype_name(dtype) if dtype else self.variable_dtype
        name = name or f"variable_{len(self._weights)}"
        _check_allocation(self, name, shape, dtype)
        value = initializer(shape, dtype=dtype)
        variable = ops.Variable(value, dtype=dtype, name=name, trainable=trainable and self._trainable,
                                autocast=autocast, path=f"{self.name}/{name}")
        self._weights.append(variable)
        self._declared_trainable[id(variable)] = bool(trainable)
        variable.constraint = constraints.get(constraint)
        regularizer = regularizers.get(regularizer)
        if regularizer is not None:
            self._regularized.append((regularizer, variable))
        return variable

    @property
    def dtype_policy(self) -> Any:
        """The layer's ``DTypePolicy`` (settable with a policy, a name or a config, as ``dtype`` is)."""
        return self._dtype_policy

    @dtype_policy.setter
    def dtype_policy(self, value: Any) -> None:
        self._dtype_policy = _policy_of(value)

    @property
    def dtype(self) -> str:
        """The dtype of the layer's weights, as in Keras 3 (``variable_dtype``; float32 under ``"mixed_float16"``).

        Setting it (a name, a policy or a config) sets ``dtype_policy``.
        """
        return self._dtype_policy.variable_dtype

    @dtype.setter
    def dtype(self, value: Any) -> None:
        from kerasette.dtype_policies import DTypePolicy

        # "string": an InputLayer of raw text, kept on the host (no computing layer takes it)
        self._dtype_policy = DTypePolicy("string") if value == "string" else _policy_of(value)

    @property
    def compute_dtype(self) -> str:
        """The dtype of the layer's computations and outputs (float16 under ``"mixed_float16"``).

        Float inputs are cast to it, and inside ``call`` float weights read in it.
        """
        return self._dtype_policy.compute_dtype

    @property
    def variable_dtype(self) -> str:
        """The dtype of the layer's weights (float32 under ``"mixed_float16"``)."""
        return self._dtype_policy.variable_dtype

    @property
    def quantization_mode(self) -> str | None:
        """``"int8"`` for a layer quantized with ``quantize("int8")``, else None (as in Keras)."""
        return getattr(self.dtype_policy, "quantization_mode", None)

    @property
    def trainable(self) -> bool:
        """Whether the layer is trained.

        Setting it freezes (False) or unfreezes (True) every weight of the layer and of its sublayers,
        except weights created with ``trainable=False``, which stay frozen. As in Keras 3, a frozen
        ``BatchNormalization`` also runs in inference mode. A model must be compiled again for a
        change to take effect in ``fit``.
        """
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        self._trainable = bool(value)
        for variable in self._weights:
            variable.trainable = self._trainable and self._declared_trainable[id(variable)]
        for layer in self._sublayers():
            layer.trainable = value

    def _sublayers(self):
        """The layers held in this layer's attributes (directly, or in a list, tuple or dict), in order."""
        return held_in_attributes(self, Layer, seen={id(self)}, in_dicts=True)

    def _flatten_layers(self, include_self=True):
        """This layer and every layer nested in it, depth first, each once (cycles are harmless)."""
        order, seen, stack = [], set(), [self]
        while stack:
            layer = stack.pop()
            if id(layer) in seen:
                continue
            seen.add(id(layer))
            order.append(layer)
            stack.extend(reversed(layer._sublayers()))
        return order if include_self else order[1:]

    @property
    def weights(self) -> list[ops.Variable]:
        """All weights (trainable and not), layer by layer in the order they were created (Keras's order).

        Empty until the layer is built.
        """
        return self._all_weights()

    @property
    def trainable_weights(self) -> list[ops.Variable]:
        """The weights the optimizer updates, in the order of ``weights``; also ``trainable_variables``."""
        return [v for v in self._all_weights() if v.trainable]

    @property
    def non_trainable_weights(self) -> list[ops.Variable]:
        """The weights the optimizer leaves alone (frozen, or statistics such as a moving mean).

        Also ``non_trainable_variables``.
        """
        return [v for v in self._all_weights() if not v.trainable]

    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights

    @property
    def variables(self) -> list[ops.Variable]:
        """The same list as ``weights`` (Keras 3's name)."""
        return self.weights

    def _all_weights(self):
        weights, seen = [], set()
        for layer in self._flatten_layers():
            for variable in layer._weights:
                if id(variable) not in seen:
                    seen.add(id(variable))
                    weights.append(variable)
        return weights

    @property
    def losses(self) -> list[ops.Tensor]:
        """The scalar losses of the last call and the regularization penalties, of this layer and nested ones.

        ``add_loss`` losses (and activity regularization) come from the latest call and are
        cleared when the next outermost call starts; weight penalties are computed from the
        current weights. ``fit`` adds their sum to the compiled loss.
        """
        layers = self._flatten_layers()
        added = [loss for layer in layers for loss in layer._losses]
        return added + [reg(var) for layer in layers for reg, var in layer._regularized]

    def add_loss(self, loss: Any) -> None:
        """Add a scalar loss (or a list of them) from inside ``call``, for ``fit`` to minimize.

        Example:
            >>> from kerasette import layers, ops
            >>> class ActivityPenalty(layers.Layer):
            ...     def call(self, x):
            ...         self.add_loss(0.01 * ops.sum(ops.square(x)))
            ...         return x
            >>> layer = ActivityPenalty()
            >>> _ = layer(ops.ones((2, 3)))
            >>> [round(float(loss), 4) for loss in layer.losses]
            [0.06]

        Args:
            loss: a scalar tensor, or a list of them, computed with ``kerasette.ops``.

        Raises:
            ValueError: a value that is not a tensor (e.g. a Python number).
        """
        for value in loss if isinstance(loss, (list, tuple)) else [loss]:
            if not ops.is_tensor(value):
                raise ValueError("`add_loss()` can only be called from inside `build()` or `call()`, on a tensor "
                                 f"input. Received invalid value: {value!r}")
            scope = get_stateless_scope()
            if scope is not None and scope.collect_losses:  # keras.StatelessScope(collect_losses=True)
                scope.add_loss(value)
                continue
            self._losses.append(value)
            _LAYERS_WITH_LOSSES.add(self)

    def _clear_losses(self):
        if not _LAYERS_WITH_LOSSES:
            return  # no layer holds an add_loss loss: nothing to walk (the common case, every call)
        for layer in self._flatten_layers():
            if layer._losses:
                layer._losses.clear()
                _LAYERS_WITH_LOSSES.discard(layer)

    def add_metric(self, *args: Any, **kwargs: Any) -> None:
        """Not in Keras 3: raises, with Keras's message saying what to do instead."""
        raise NotImplementedError(
            "Layer `add_metric()` method is deprecated. Add your metric in `Model.compile(metrics=[...])`, or "
            "create metric trackers in init() or build() when subclassing the layer or model, then call "
            "`metric.update_state()` whenever necessary."
        )

    def get_weights(self) -> list[np.ndarray]:
        """Return the values of ``weights`` as numpy arrays (copies), in the same order.

        Returns:
            A list of numpy arrays, one per weight; empty if the layer is not built.
        """
        return [v.numpy() for v in self.weights]

    def set_weights(self, weights: Sequence[Any]) -> None:
        """Set the layer's weights from arrays, in the order of ``get_weights``.

        Every shape is checked before any weight changes, so a failed call leaves the layer as it was.

        Args:
            weights: a list of arrays (or nested lists), one per weight, each with that weight's shape.

        Raises:
            ValueError: if the number of arrays differs from the number of weights, or a shape differs.
        """
        own = self.weights
        if len(weights) != len(own):
            raise ValueError(
                f"Layer `{self.name}` expects {len(own)} weights, but the list has {len(weights)}."
            )
        for variable, value in zip(own, weights):
            if tuple(np.shape(value)) != variable.shape:
                raise ValueError(
                    f"Layer `{self.name}` weight `{variable.name}` has shape {variable.shape}, "
                    f"received an array of shape {tuple(np.shape(value))}."
                )
        for variable, value in zip(own, weights):
            variable.assign(np.asarray(value, dtype=variable.dtype))

    def count_params(self) -> int:
        """Return the number of scalars in all the layer's weights (trainable and not).

        Returns:
            An int.

        Raises:
            ValueError: the layer is not built yet (it has no weights to count), as in Keras.
        """
        if not self.built:
            raise ValueError(f"You tried to call `count_params` on layer '{self.name}', but the layer isn't built. "
                             "You can build it manually via: `layer.build(input_shape)`.")
        return int(sum(int(np.prod(v.shape)) for v in self.weights))

    # ----- calling ---------------------------------------------------------
    def build(self, input_shape: ShapeOrShapes) -> None:
        """Create the layer's weights for inputs of ``input_shape``.

        The first call of the layer runs it once, automatically. Subclasses with weights override it
        and create them with ``add_weight``; calling ``build`` directly also marks the layer built, as
        in Keras 3. The default creates nothing.

        Args:
            input_shape: the input's shape as a tuple (None for unknown sizes, such as the batch
                size of a symbolic input), or a list of such tuples for a layer called on a list.
        """
        self.built = True

    def call(self, inputs: Any, training: bool | None = None) -> Any:
        """Compute the layer's outputs from ``inputs``; subclasses implement it.

        Write it with ``kerasette.ops`` only, so it runs on every backend and gradients flow. Declare
        ``training`` only where the layer behaves differently while training (``Dropout``,
        ``BatchNormalization``): ``__call__`` passes it only to a ``call`` that accepts it.

        Args:
            inputs: a tensor, or a list of tensors for a layer called on a list.
            training: bool or None, whether the call is part of a training step.

        Returns:
            The output tensor (or a list of tensors).

        Raises:
            NotImplementedError: always, in the base class.
        """
        raise NotImplementedError(f"Layer {type(self).__name__} does not implement `call`.")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Call the layer: build it on first use, then run ``call``.

        Arrays and lists are converted to tensors, and float inputs are cast to the layer's
        ``dtype``. Symbolic inputs (``KerasTensor``) build the layer from their shapes and record a
        node of the model graph; the result is then symbolic too.

        Args:
            *args: the inputs (a tensor or array, or a list of them; or symbolic tensor(s)), then any
                further positional arguments of ``call`` (more tensors, e.g. ``layer(query, value)``).
            **kwargs: further arguments of ``call`` (such as ``mask``); ``training`` (bool or None)
                is passed to ``call`` if it takes it, and on symbolic inputs a bool fixes the mode
                of this node.

        Returns:
            The output tensor(s), or symbolic tensor(s) for symbolic inputs.
        """
        if len(args) == 1 and type(args[0]) is Tensor and (not kwargs or kwargs.keys() == _TRAINING_ONLY):
            outputs = self._call_plain(args[0], kwargs.get("training"))
            if outputs is not _NEEDS_GENERAL_CALL:
                return outputs
        inputs, args, kwargs, training = self._split_call_arguments(args, kwargs)
        if _is_symbolic(inputs) or any(_is_symbolic(a) for a in args) or any(_is_symbolic(v) for v in kwargs.values()):
            if training is not None:  # a fixed mode for this call, e.g. base(x, training=False)
                kwargs = {**kwargs, "training": training}
            assert_input_compatibility(self.input_spec, inputs, self.name)
            return record_call(self, inputs, kwargs, args)
        compute_dtype = self.compute_dtype
        inputs = _to_tensors(inputs, compute_dtype if self.autocast else None)
        assert_input_compatibility(self.input_spec, inputs, self.name)
        args = tuple(_to_tensors(a, compute_dtype) if _is_array_like(a) else a for a in args)
        kwargs = {k: _to_tensors(v, compute_dtype) if _is_array_like(v) else v for k, v in kwargs.items()}
        previous_mask = kwargs.get("mask")
        if previous_mask is None:
            previous_mask = _masks_of(inputs)
            if self._accepts("mask") and "mask" not in kwargs:
                kwargs["mask"] = previous_mask  # the mask the inputs carry, passed on as Keras does
        if _call_depth[0] == 0:
            self._clear_losses()
        _call_depth[0] += 1
        try:
            self._maybe_build(_shapes_of(inputs))
            if self._accepts_training():
                kwargs["training"] = training
            scope = autocast_scope_for(self)  # mixed precision: float weights read in compute_dtype
            if scope is None:
                outputs = self.call(inputs, *args, **kwargs)
            else:
                with scope:
                    outputs = self.call(inputs, *args, **kwargs)
        finally:
            _call_depth[0] -= 1
        self._attach_masks(inputs, outputs, previous_mask)
        if self.activity_regularizer is not None:
            for output in outputs if isinstance(outputs, (list, tuple)) else [outputs]:
                penalty = self.activity_regularizer(output)
                if len(output.shape) > 0 and output.shape[0]:  # per sample, as Keras 3 normalizes it
                    penalty = ops.divide(penalty, float(output.shape[0]))
                self.add_loss(penalty)
        return outputs

    def _call_plain(self, x, training):
        """``__call__`` for the common eager case, with only the steps that case needs.

        The case: one tensor without a mask, already in the layer's compute dtype, into a built layer
        with no input spec, no mask computation of its own, no activity regularizer and no autocast
        scope to open. Then converting, masking and regularizing do nothing, and skipping them takes a
        few microseconds off every layer of an inference call (batch-1 latency is mostly such calls).

        Returns:
            The outputs, or ``_NEEDS_GENERAL_CALL`` when the call is not that case.
        """
        policy = self._dtype_policy
        if (x._keras_mask is not None or not self.built or self.input_spec or self.activity_regularizer is not None
                or policy.compute_dtype != policy.variable_dtype or get_autocast_scope() is not None
                or (self.autocast and x.dtype != policy.compute_dtype)
                or (self.supports_masking and type(self).compute_mask is not Layer.compute_mask)):
            return _NEEDS_GENERAL_CALL
        kwargs = {"training": training} if self._accepts_training() else {}
        if self._accepts("mask"):
            kwargs["mask"] = None
        if _call_depth[0] == 0:
            self._clear_losses()
        _call_depth[0] += 1
        try:
            self._maybe_build(tuple(x.shape))
            return self.call(x, **kwargs)
        finally:
            _call_depth[0] -= 1

    def _split_call_arguments(self, args, kwargs):
        """``(inputs, other positional args, kwargs, training)`` from a call's arguments.

        A positional argument that ``call`` names ``training`` (``layer(x, True)``) is taken as the
        training flag, as Python would bind it.
        """
        kwargs = dict(kwargs)
        if args:
            inputs, args = args[0], tuple(args[1:])
        elif "inputs" in kwargs:
            inputs = kwargs.pop("inputs")
        else:
            raise TypeError(f"Layer `{self.name}` was called without inputs.")
        training = kwargs.pop("training", None)
        if args:
            import inspect

            names = [p for p in inspect.signature(type(self).call).parameters][2:]  # after self, inputs
            positional = dict(zip(names, args))
            if "training" in positional:
                training = positional["training"]
                args = tuple(a for name, a in zip(names, args) if name != "training")
        return inputs, args, kwargs, training

    def compute_mask(self, inputs: Any, previous_mask: Any = None) -> Any:
        """The mask of the outputs, for a layer that ``supports_masking``: by default the input's mask.

        Args:
            inputs: the layer's inputs.
            previous_mask: the mask they carry (or that was passed as ``mask=``), or None.

        Returns:
            A boolean tensor (True for the positions to keep), a list of them, or None.
        """
        return previous_mask

    def _attach_masks(self, inputs, outputs, previous_mask):
        """Give the outputs their masks (Keras's ``_set_mask_metadata``), or warn that a mask ends here."""
        flat = outputs if isinstance(outputs, (list, tuple)) else [outputs]
        if not self.supports_masking:
            carried = previous_mask if isinstance(previous_mask, list) else [previous_mask]
            if any(m is not None for m in carried):
                warnings.warn(f"Layer '{self.name}' (of type {type(self).__name__}) was passed an input with a mask "
                              "attached to it. However, this layer does not support masking and will therefore "
                              "destroy the mask information. Downstream layers will not see the mask.", stacklevel=3)
            return
        if all(getattr(t, "_keras_mask", None) is not None for t in flat):
            return
        masks = self.compute_mask(inputs, previous_mask)
        if masks is None:
            return
        for tensor, mask in zip(flat, masks if isinstance(masks, (list, tuple)) else [masks]):
            if ops.is_tensor(tensor) and tensor._keras_mask is None and mask is not None:
                tensor._keras_mask = mask

    def _accepts(self, argument):
        cls = type(self)
        cached = _CALL_ARGUMENTS.get(cls)
        if cached is None:
            import inspect

            cached = _CALL_ARGUMENTS[cls] = set(inspect.signature(cls.call).parameters)
        return argument in cached

    def _accepts_training(self):
        cls = type(self)
        cached = _TRAINING_ARG.get(cls)
        if cached is None:
            import inspect

            cached = _TRAINING_ARG[cls] = "training" in inspect.signature(cls.call).parameters
        return cached

    def _maybe_build(self, input_shape):
        if self.input_ndim is not None and isinstance(input_shape, tuple):
            validation.input_rank(self, input_shape, self.input_ndim)
        if not self.built:
            self.build(input_shape)
            self.built = True
            self._build_shape = input_shape
        elif self._weights and self._build_shape is not None:
            self._check_compatible(input_shape)

    def _check_compatible(self, input_shape):
        expected = self._build_shape
        if not isinstance(expected, tuple) or not isinstance(input_shape, tuple):
            return
        if len(expected) != len(input_shape) or (
            expected[-1] is not None and input_shape[-1] is not None and expected[-1] != input_shape[-1]
        ):
            raise ValueError(
                f"Input 0 of layer `{self.name}` is incompatible with the layer: expected shape "
                f"{_show(expected)}, but received input with shape {_show(input_shape)}."
            )

    def compute_output_shape(self, input_shape: ShapeOrShapes) -> ShapeOrShapes:
        """Return the shape of the outputs for inputs of ``input_shape``, without data.

        The default runs the layer on zeros (unknown sizes replaced by 1) and reads the shape of the
        result, keeping the input's batch size; layers override it with the formula.

        Args:
            input_shape: a shape tuple (None for unknown sizes), or a list of them.

        Returns:
            The output shape tuple, or a list of them for a layer with several outputs.
        """
        def concrete(shape):
            return tuple(1 if s is None else s for s in shape)

        for shape in input_shape if isinstance(input_shape, list) else [input_shape]:
            _check_allocation(self, "<dummy input>", concrete(shape), self.compute_dtype, transient=True)
        with ops.stop_recording(), discarding_assignments():  # placeholder data must not change state
            if isinstance(input_shape, list):
                dummy = [ops.zeros(concrete(s), self.compute_dtype) for s in input_shape]
            else:
                dummy = ops.zeros(concrete(input_shape), self.compute_dtype)
            out = self.__call__(dummy)
        batch = input_shape[0][0] if isinstance(input_shape, list) else input_shape[0]
        if isinstance(out, (list, tuple)):
            return [(batch,) + tuple(o.shape[1:]) for o in out]
        return (batch,) + tuple(out.shape[1:])

    # ----- config ----------------------------------------------------------
    def get_config(self) -> dict[str, Any]:
        """Return the layer's constructor arguments as a JSON-serializable dict.

        The base entries are ``name``, ``trainable``, ``dtype`` and, when the layer declared its
        input shape, ``batch_input_shape``; each layer adds its own arguments under Keras's keys, so
        configs carry over to and from Keras. Weights are not part of the config.

        Returns:
            A dict such that ``type(layer).from_config(config)`` makes an equivalent, unbuilt layer.
        """
        config = {"name": self.name, "trainable": self.trainable, "dtype": self._dtype_policy.name}
        if self._batch_input_shape is not None:
            config["batch_input_shape"] = list(self._batch_input_shape)
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Layer:
        """Create a layer from the output of ``get_config``.

        Args:
            config: a dict of constructor arguments, as ``get_config`` returns.

        Returns:
            A new, unbuilt layer (its weights are not restored).
        """
        return cls(**config)

    # ----- saving hooks (Keras 3) ----------------------------------------
    def get_build_config(self) -> dict[str, Any] | None:
        """Return what ``build_from_config`` needs to create the weights again: the build input shape.

        Saving stores it next to the config, so a loaded layer is built (its weights exist) before
        the saved values are assigned. Override it, with ``build_from_config``, for layers that
        create state in another way.

        Returns:
            ``{"input_shape": shape}`` (a list of shapes for multi-input layers), or None if the
            layer was never built from a shape.
        """
        if self._build_shape is None:
            return None
        return {"input_shape": self._build_shape}

    def build_from_config(self, config: dict[str, Any] | None) -> None:
        """Create the layer's weights from ``get_build_config()``'s output (the loader calls it).

        ``build(config["input_shape"])`` runs; if sublayers created in ``__init__`` are still unbuilt
        afterwards (a layer that builds them on its first call), the layer is also called once on
        zeros of that shape, so every weight exists before saved values are assigned.

        Args:
            config: ``{"input_shape": ...}`` (or Keras's ``{"shapes_dict": {...}}``), or None (nothing to do).
        """
        if not config:
            return
        if "input_shape" in config:
            shape = _as_shape(config["input_shape"])
            self.build(shape)
        elif "shapes_dict" in config:
            shapes = {key: _as_shape(value) for key, value in config["shapes_dict"].items()}
            self.build(**shapes)
            shape = next(iter(shapes.values())) if len(shapes) == 1 else None
        else:
            return
        self.built = True
        if shape is not None and any(not layer.built for layer in self._flatten_layers(include_self=False)):
            def concrete(s):
                return tuple(1 if d is None else int(d) for d in s)

            dummy = [ops.zeros(concrete(s), self.compute_dtype) for s in shape] if isinstance(shape, list) else \
                ops.zeros(concrete(shape), self.compute_dtype)
            with ops.stop_recording(), discarding_assignments():
                self(dummy)

    def _own_variables(self):
        """This layer's own variables in Keras 3's saving order: declared trainable first, then the others."""
        declared = self._declared_trainable
        return [v for v in self._weights if declared.get(id(v), True)] + [
            v for v in self._weights if not declared.get(id(v), True)]

    def save_own_variables(self, store: Any) -> None:
        """Write the layer's own variables (not its sublayers') into ``store``, as ``"0"``, ``"1"``...

        ``model.save`` and ``save_weights`` call it for every layer, with the store of the layer's
        ``vars`` group in the Keras 3 file (sublayers get their own groups). Override it, with
        ``load_own_variables``, to save state in another form.

        Args:
            store: a dict-like object: ``store["0"] = variable`` saves a value.
        """
        for index, variable in enumerate(self._own_variables()):
            store[str(index)] = variable

    def load_own_variables(self, store: Any) -> None:
        """Assign the layer's own variables from ``store`` (what ``save_own_variables`` wrote).

        Args:
            store: a dict-like object: ``store["0"]`` gives the first value, ``store.keys()`` the names.

        Raises:
            ValueError: the store holds a different number of values than the layer has variables.
        """
        own = self._own_variables()
        if len(store.keys()) != len(own):
            hint = " The layer was never built: implement `build_from_config`." if not own and not self.built else ""
            raise ValueError(f"Layer '{self.name}' expected {len(own)} variables, but received {len(store.keys())} "
                             f"variables during loading. Expected: {[v.name for v in own]}.{hint}")
        for index, variable in enumerate(own):
            variable.assign(store[str(index)])

    # ----- graph -----------------------------------------------------------
    @property
    def input(self) -> KerasTensor | list[KerasTensor]:
        """The symbolic input tensor(s) of the layer's first call on symbolic inputs.

        Raises:
            AttributeError: if the layer was never called on a symbolic input.
        """
        return self._node_attr("input_tensors")

    @property
    def output(self) -> KerasTensor | list[KerasTensor]:
        """The symbolic output tensor(s) of the layer's first call on symbolic inputs.

        Raises:
            AttributeError: if the layer was never called on a symbolic input.
        """
        return self._node_attr("output_tensors")

    @property
    def output_shape(self) -> Shape | list[Shape]:
        """The shape of ``output`` (a list of shapes for several outputs).

        Raises:
            AttributeError: if the layer was never called on a symbolic input.
        """
        out = self.output
        return [t.shape for t in out] if isinstance(out, list) else out.shape

    def _node_attr(self, attr):
        if not self._inbound_nodes:
            raise AttributeError(f"Layer `{self.name}` has never been called on a symbolic input.")
        value = getattr(self._inbound_nodes[0], attr)
        return value[0] if len(value) == 1 else list(value)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


_TRAINING_ARG = {}
_CALL_ARGUMENTS = {}
# Attribute types that never are or hold layers or metrics: the walks over attributes skip them by type alone.
PLAIN_ATTRIBUTE_TYPES = frozenset({int, float, bool, str, type(None), ops.Variable, ops.Tensor, np.ndarray})


def held_in_attributes(owner: Any, cls: type, seen: set, in_dicts: bool) -> list:
    """The instances of ``cls`` in ``owner``'s attributes, directly or in a list or tuple (or dict), in order.

    It runs a few times per training step (the model's layers and metrics), so it makes no list per
    attribute and skips plain values by type.

    Args:
        owner: the object whose attributes are read.
        cls: the class to look for.
        seen: ids of the instances to leave out; those found are added to it.
        in_dicts: whether to look in dict values too.

    Returns:
        The instances found, each once.
    """
    found = []
    for value in vars(owner).values():
        if type(value) in PLAIN_ATTRIBUTE_TYPES:
            continue
        if isinstance(value, cls):
            items = (value,)
        elif isinstance(value, (list, tuple)):
            items = value
        elif in_dicts and isinstance(value, dict):
            items = value.values()
        else:
            continue
        for item in items:
            if isinstance(item, cls) and id(item) not in seen:
                seen.add(id(item))
                found.append(item)
    return found


def _marks_built(build):
    """Wrap a subclass's ``build`` so calling it directly also marks the layer built (as Keras 3 does)."""
    if getattr(build, "_marks_built", False):
        return build

    @functools.wraps(build)
    def wrapper(self, input_shape=None, *args, **kwargs):
        result = build(self, input_shape, *args, **kwargs)
        self.built = True
        if self._build_shape is None and input_shape is not None:
            self._build_shape = _as_shape(input_shape)
        return result

    wrapper._marks_built = True
    return wrapper


def _as_shape(shape):
    """A single shape as a tuple; a list of shapes (multi-input layers) stays a list."""
    if isinstance(shape, (list, tuple)) and shape and isinstance(shape[0], (list, tuple)):
        return [tuple(s) for s in shape]
    return tuple(shape)


def _declared_input_shape(kwargs):
    if kwargs.get("batch_input_shape") is not None:
        return tuple(kwargs["batch_input_shape"])
    if kwargs.get("input_shape") is not None:
        return (kwargs.get("batch_size"),) + tuple(kwargs["input_shape"])
    if kwargs.get("input_dim") is not None:
        return (kwargs.get("batch_size"), int(kwargs["input_dim"]))
    return None


def _policy_of(dtype):
    """The ``DTypePolicy`` a layer's ``dtype`` argument names (None: the global policy)."""
    from kerasette import dtype_policies

    if dtype is None:  # the global policy (keras.config.set_dtype_policy), float32 by default
        return dtype_policies.dtype_policy()
    if isinstance(dtype, dtype_policies.DTypePolicy):
        _dtype_name(dtype.compute_dtype, shown=dtype)
        return dtype
    name = dtype
    if isinstance(dtype, dict):  # Keras 3 DTypePolicy config
        config = dtype.get("config", {})
        name = config.get("name", "float32") if isinstance(config, dict) else None
    if name in dtype_policies.MIXED_PRECISION_POLICIES:
        return dtype_policies.DTypePolicy(name)
    return dtype_policies.DTypePolicy(_dtype_name(name, shown=dtype))


def _dtype_name(dtype, shown=None):
    """The numpy name of a numeric ``dtype`` (``shown``: what the error message names, default ``dtype``)."""
    shown = dtype if shown is None else shown
    try:
        numpy_dtype = np.dtype(dtype) if isinstance(dtype, (str, type, np.dtype)) else None
    except TypeError:
        numpy_dtype = None
    if numpy_dtype is None or numpy_dtype.kind not in "biuf":
        raise ValueError(f"Invalid dtype {shown!r}. Expected a numeric dtype name such as 'float32', 'float64', "
                         "'int32' or the policy 'mixed_float16'.")
    return numpy_dtype.name


def _is_array_like(value):
    """Arrays, tensors, and lists/tuples of them: what a call converts to tensors."""
    if isinstance(value, (list, tuple)):
        return bool(value) and all(_is_array_like(v) for v in value)
    return isinstance(value, (np.ndarray, ops.Tensor))


def _is_symbolic(inputs):
    if isinstance(inputs, (list, tuple)):
        return any(isinstance(x, KerasTensor) for x in inputs)
    return isinstance(inputs, KerasTensor)


def _to_tensors(inputs, dtype):
    if isinstance(inputs, (list, tuple)):
        return [_to_tensor(x, dtype) for x in inputs]
    return _to_tensor(inputs, dtype)


def _to_tensor(x, dtype):
    if isinstance(x, np.ndarray) and x.dtype.kind in "USO":
        return x  # text stays on the host, for the layers that take it (TextVectorization, StringLookup...)
    x = ops.convert_to_tensor(x)
    if dtype is not None and x.dtype != dtype and x.dtype.startswith("float"):
        mask = x._keras_mask
        x = ops.cast(x, dtype)  # autocast float inputs to the layer's dtype, as Keras does
        x._keras_mask = mask  # the cast keeps the mask
    return x


def _masks_of(inputs):
    """The masks the inputs carry: one, or a list for a list of inputs (None where there is none)."""
    if isinstance(inputs, (list, tuple)):
        masks = [getattr(x, "_keras_mask", None) for x in inputs]
        return None if all(m is None for m in masks) else masks
    return getattr(inputs, "_keras_mask", None)


def _shapes_of(inputs):
    if isinstance(inputs, list):
        return [tuple(x.shape) for x in inputs]
    return tuple(inputs.shape)


def _show(shape):
    return "(" + ", ".join("None" if s is None else str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"
