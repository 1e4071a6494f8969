"""``InputSpec``: what a layer accepts (rank, dtype, sizes), checked on every call, as in Keras.

A layer sets ``self.input_spec = InputSpec(ndim=2)`` (or a list of specs, one per input); each call
then checks its inputs against it before computing, symbolic calls included.
"""

import numbers

from kerasette.dtypes import standardize_dtype


class InputSpec:
    """The rank, dtype and sizes a layer's input must have, as ``keras.InputSpec``.

    Args:
        dtype: the expected dtype, or None.
        shape: the expected shape (None entries match any size); sets ``ndim`` too.
        ndim: the expected rank.
        max_ndim: the largest rank accepted.
        min_ndim: the smallest rank accepted.
        axes: ``{axis: size}`` for axes that must have a given size.
        allow_last_axis_squeeze: accept a trailing axis of size 1 more or less than ``shape``.
        name: the input's name (dict inputs are matched by it).
        optional: whether the input may be None.

    Raises:
        TypeError: ``axes`` is not a dict with integer keys.
        ValueError: an axis in ``axes`` is beyond the rank.

    Example:
        >>> import numpy as np
        >>> from kerasette import InputSpec, layers
        >>> class Pairwise(layers.Layer):
        ...     def __init__(self, **kwargs):
        ...         super().__init__(**kwargs)
        ...         self.input_spec = InputSpec(ndim=2, axes={-1: 2})
        ...     def call(self, inputs):
        ...         return inputs
        >>> try:
        ...     Pairwise(name="pairwise")(np.ones((3, 4)))
        ... except ValueError as error:
        ...     print(str(error).split(": ", 1)[1])
        expected axis -1 of input shape to have value 2, but received input with shape (3, 4)
    """

    def __init__(self, dtype=None, shape=None, ndim=None, max_ndim=None, min_ndim=None, axes=None,
                 allow_last_axis_squeeze=False, name=None, optional=False):
        self.dtype = standardize_dtype(dtype) if dtype is not None else None
        if shape is not None:
            self.shape = tuple(None if d is None else int(d) for d in shape)
            self.ndim = len(self.shape)
        else:
            self.shape = None
            self.ndim = ndim
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.name = name
        self.optional = optional
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        axes = axes or {}
        try:
            if not isinstance(axes, dict):
                raise TypeError
            self.axes = {int(k): axes[k] for k in axes}
        except (ValueError, TypeError):
            raise TypeError(f"Argument `axes` must be a dict with integer keys. Received: axes={axes!r}") from None
        top = self.ndim if self.ndim else self.max_ndim
        if self.axes and top is not None and max(self.axes) > top - 1:
            raise ValueError(f"Axis {max(self.axes)} is greater than the maximum allowed value: {top - 1}")

    def __repr__(self):
        parts = [f"{key}={value}" for key, value in (
            ("dtype", self.dtype), ("shape", self.shape), ("ndim", self.ndim), ("max_ndim", self.max_ndim),
            ("min_ndim", self.min_ndim), ("axes", self.axes)) if value]
        return f"InputSpec({', '.join(parts)})"

    def get_config(self):
        """The constructor arguments (Keras's keys).

        Returns:
            A dict.
        """
        return {"dtype": self.dtype, "shape": self.shape, "ndim": self.ndim, "max_ndim": self.max_ndim,
                "min_ndim": self.min_ndim, "axes": self.axes, "optional": self.optional}

    @classmethod
    def from_config(cls, config):
        """An InputSpec from ``get_config()``'s output.

        Args:
            config: the dict.

        Returns:
            An InputSpec.
        """
        return cls(**config)


def _flatten(value):
    if isinstance(value, (list, tuple)):
        return [leaf for item in value for leaf in _flatten(item)]
    if isinstance(value, dict):
        return [leaf for key in sorted(value) for leaf in _flatten(value[key])]
    return [value]


def assert_input_compatibility(input_spec, inputs, layer_name):
    """Raise a ValueError naming the layer when ``inputs`` do not match ``input_spec``.

    Args:
        input_spec: an InputSpec, a list (or nested structure) of them, or None.
        inputs: a tensor (data or symbolic), or a list, tuple or dict of them.
        layer_name: the layer's name, for the message.

    Raises:
        ValueError: the number of inputs, a rank, a dtype or a size does not match.
    """
    if not input_spec:
        return
    specs = _flatten(input_spec)
    if isinstance(inputs, dict) and all(spec.name for spec in specs):
        missing = [spec.name for spec in specs if spec.name not in inputs]
        if missing:
            raise ValueError(f'Missing data for input "{missing[0]}". You passed a data dictionary with keys '
                             f"{list(inputs)}. Expected the following keys: {[s.name for s in specs]}")
        inputs = [inputs[spec.name] for spec in specs]
    flat = _flatten(inputs)
    if len(flat) != len(specs):
        raise ValueError(f'Layer "{layer_name}" expects {len(specs)} input(s), but it received {len(flat)} input '
                         "tensors.")
    for index, (x, spec) in enumerate(zip(flat, specs)):
        if spec is None or (x is None and spec.optional):
            continue
        if not hasattr(x, "shape"):
            raise ValueError(f"Inputs to a layer should be tensors. Got {x!r} (of type {type(x).__name__}) as input "
                             f"for layer '{layer_name}'.")
        _check_one(index, tuple(x.shape), getattr(x, "dtype", None), spec, layer_name)


def _check_one(index, shape, dtype, spec, layer_name):
    where = f"Input {index} with name '{spec.name}' of layer '{layer_name}' is incompatible with the layer:"
    ndim = len(shape)
    if spec.ndim is not None and not spec.allow_last_axis_squeeze and ndim != spec.ndim:
        raise ValueError(f"{where} expected ndim={spec.ndim}, found ndim={ndim}. Full shape received: {shape}")
    if spec.max_ndim is not None and ndim > spec.max_ndim:
        raise ValueError(f"{where} expected max_ndim={spec.max_ndim}, found ndim={ndim}")
    if spec.min_ndim is not None and ndim < spec.min_ndim:
        raise ValueError(f"{where} expected min_ndim={spec.min_ndim}, found ndim={ndim}. Full shape received: {shape}")
    if spec.dtype is not None and dtype is not None and standardize_dtype(str(dtype)) != spec.dtype:
        raise ValueError(f"{where} expected dtype={spec.dtype}, found dtype={dtype}")
    for axis, size in spec.axes.items():
        if size is not None and -ndim <= axis < ndim and shape[axis] not in (size, None):
            raise ValueError(f"{where} expected axis {axis} of input shape to have value {size}, but received input "
                             f"with shape {shape}")
    if spec.shape is not None:
        expected, actual = spec.shape, shape
        if spec.allow_last_axis_squeeze:
            actual = actual[:-1] if actual and actual[-1] == 1 else actual
            expected = expected[:-1] if expected and expected[-1] == 1 else expected
        for want, got in zip(expected, actual):
            if isinstance(want, numbers.Integral) and got is not None and want != got:
                raise ValueError(f"{where} expected shape={spec.shape}, found shape={shape}")
