"""Normalization: shift and scale inputs to zero mean and unit variance, from given or adapted statistics."""

import numpy as np

from kerasette import ops
from kerasette.layers.layer import Layer
from kerasette.layers.preprocessing.adapt_data import adapt_batches

_EPSILON = 1e-7  # keras.config.epsilon()


class Normalization(Layer):
    """A preprocessing layer that normalizes continuous features: ``(inputs - mean) / sqrt(variance)``.

    The statistics are either given (``mean`` and ``variance``) or computed from data by ``adapt``,
    which keeps them in the non-trainable weights ``mean``, ``variance`` and ``count`` (saved with the
    model). ``invert=True`` applies the inverse, ``mean + inputs * sqrt(variance)``. The square root of
    the variance is floored at 1e-7. Differentiable with respect to the inputs.

    Args:
        axis: int, tuple of ints or None: the axes that keep separate statistics (the others are
            averaged over). Default -1: one mean and variance per feature of the last axis. None: a
            single mean and variance for all values.
        mean: the mean to use, or None to ``adapt``. Broadcast to the kept axes.
        variance: the variance to use, or None to ``adapt``; given together with ``mean``.
        invert: if True, undo the normalization instead.
        **kwargs: base layer arguments (``name``, ``dtype``...).

    Input shape:
        Any; the kept axes must have known sizes.

    Output shape:
        The input's shape.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layer = layers.Normalization(axis=None)
        >>> layer.adapt(np.array([1.0, 2.0, 3.0, 4.0, 5.0]))
        >>> [round(v, 4) for v in layer(np.array([1.0, 3.0, 5.0])).numpy().tolist()]
        [-1.4142, 0.0, 1.4142]
        >>> layers.Normalization(mean=3.0, variance=2.0, invert=True)(np.array([0.0])).numpy().tolist()
        [3.0]
    """

    supports_masking = True  # passes the input's mask on, as in Keras 3

    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs):
        super().__init__(**kwargs)
        if axis is None:
            axis = ()
        elif isinstance(axis, int) and not isinstance(axis, bool):
            axis = (axis,)
        elif isinstance(axis, (list, tuple)) and all(isinstance(a, int) and not isinstance(a, bool) for a in axis):
            axis = tuple(axis)
        else:
            raise ValueError(f"Invalid value for argument `axis` of layer `{self.name}`. Expected an int, a tuple of "
                             f"ints or None. Received: axis={axis!r}")
        self.axis = axis
        if (mean is None) != (variance is None):
            raise ValueError(f"When setting values directly, both `mean` and `variance` must be set. Received: "
                             f"mean={mean} and variance={variance}")
        if mean is not None:
            if np.shape(mean) != np.shape(variance):
                raise ValueError(f"When setting values directly, `mean` and `variance` must have the same shape. "
                                 f"Received: mean shape {np.shape(mean)} and variance shape {np.shape(variance)}")
            if np.ndim(mean) > len(self.axis):
                raise ValueError(f"The rank of `mean` must be less than or equal to the number of axes "
                                 f"({len(self.axis)}). Received: mean shape {np.shape(mean)} for axis {self.axis}")
        self.input_mean = mean
        self.input_variance = variance
        self.invert = bool(invert)
        self._keep_axis = None

    def build(self, input_shape):
        ndim = len(input_shape)
        if any(a < -ndim or a >= ndim for a in self.axis):
            raise ValueError(f"All `axis` values must be in the range [-ndim, ndim). Received inputs with ndim={ndim}, "
                             f"while axis={self.axis}")
        self._keep_axis = tuple(sorted(a % ndim for a in self.axis))
        for d in self._keep_axis:
            if input_shape[d] is None:
                raise ValueError(f"All `axis` values to be kept must have a known shape. Received axis={self.axis}, "
                                 f"inputs.shape={tuple(input_shape)}, with unknown axis at index {d}")
        self._reduce_axis = tuple(d for d in range(ndim) if d not in self._keep_axis)
        self._broadcast_shape = tuple(input_shape[d] if d in self._keep_axis else 1 for d in range(ndim))
        self._statistics_shape = tuple(input_shape[d] for d in self._keep_axis)
        self._build_input_shape = tuple(input_shape)
        if self.input_mean is None:
            self.adapt_mean = self.add_weight(self._statistics_shape, "zeros", trainable=False, name="mean")
            self.adapt_variance = self.add_weight(self._statistics_shape, "ones", trainable=False, name="variance")
            self.count = self.add_weight((), "zeros", dtype="int32", trainable=False, name="count")
        else:
            self._given = [self._broadcast(np.asarray(v, dtype=np.float64))
                           for v in (self.input_mean, self.input_variance)]

    def _check_compatible(self, input_shape):
        """Only the kept axes must match the build shape (axis=None normalizes inputs of any shape)."""
        built = self._build_input_shape
        for d in self._keep_axis:
            k = d - len(built)
            if len(input_shape) < -k or input_shape[k] not in (None, built[d]):
                raise ValueError(f"Layer `{self.name}` was built for inputs of shape {built} (normalizing axes "
                                 f"{self.axis}); received inputs of shape {tuple(input_shape)}.")

    def _broadcast(self, value):
        """A given statistic (scalar or shaped like the trailing kept axes) broadcast to the input's rank."""
        expanded = [1] * len(self._broadcast_shape)
        for i in range(1, value.ndim + 1):
            expanded[self._keep_axis[-i]] = value.shape[-i]
        return np.broadcast_to(value.reshape(expanded), self._broadcast_shape).astype(self.dtype)

    def adapt(self, data):
        """Compute the mean and variance of ``data`` over the reduced axes and store them in the weights.

        Args:
            data: a numpy array or tensor; or a PyDataset, a list or another iterable of batches (arrays,
                or ``(x, y)`` tuples whose ``x`` is used). The statistics of several batches are combined
                exactly (as Keras does).

        Raises:
            ValueError: when the layer was given ``mean`` and ``variance``, or the data's kept axes do not
                match the layer's.
            TypeError: for data of another kind.
        """
        if self.input_mean is not None:
            raise ValueError(f"Layer `{self.name}` was given `mean` and `variance`; it cannot be adapted.")
        batches, first_shape = adapt_batches(data, self.name)
        if not self.built:
            self.build(first_shape)
            self.built = True
        mean = np.zeros(self._statistics_shape)
        variance = np.zeros(self._statistics_shape)
        total = 0
        for batch in batches:
            batch = np.asarray(batch, dtype=np.float64)
            if batch.ndim != len(self._build_input_shape) or any(
                    batch.shape[d] != self._build_input_shape[d] for d in self._keep_axis):
                raise ValueError(f"Layer `{self.name}` was built with input_shape={self._build_input_shape}, but "
                                 f"adapt() received a batch of shape {batch.shape}.")
            batch_mean = batch.mean(axis=self._reduce_axis).reshape(self._statistics_shape)
            batch_variance = batch.var(axis=self._reduce_axis).reshape(self._statistics_shape)
            count = int(np.prod([batch.shape[d] for d in self._reduce_axis]))
            total += count
            weight = count / total
            new_mean = mean * (1 - weight) + batch_mean * weight
            variance = (variance + (mean - new_mean) ** 2) * (1 - weight) + \
                (batch_variance + (batch_mean - new_mean) ** 2) * weight
            mean = new_mean
        self.adapt_mean.assign(mean.astype(self.dtype))
        self.adapt_variance.assign(variance.astype(self.dtype))
        self.count.assign(np.asarray(min(total, 2**31 - 1), dtype="int32"))

    def _statistics(self):
        if self.input_mean is not None:
            return [ops.convert_to_tensor(v) for v in self._given]
        return [ops.reshape(v, self._broadcast_shape) for v in (self.adapt_mean, self.adapt_variance)]

    def call(self, inputs):
        x = ops.cast(inputs, self.dtype) if inputs.dtype != self.dtype else inputs
        mean, variance = self._statistics()
        std = ops.maximum(ops.sqrt(variance), _EPSILON)
        if self.invert:
            return ops.add(mean, ops.multiply(x, std))
        return ops.divide(ops.subtract(x, mean), std)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        def listed(value):
            return None if value is None else np.asarray(value).tolist()

        return {**super().get_config(), "axis": self.axis, "invert": self.invert, "mean": listed(self.input_mean),
                "variance": listed(self.input_variance)}
