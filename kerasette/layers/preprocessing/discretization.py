"""Discretization: bucket continuous values by bin boundaries (given, or adapted to quantiles)."""

import numbers

import numpy as np

from kerasette import ops
from kerasette.layers.layer import Layer
from kerasette.layers.preprocessing import arguments
from kerasette.layers.preprocessing.adapt_data import adapt_batches
from kerasette.layers.preprocessing.category_encoding import encode, encoded_shape
from kerasette.layers.validation import invalid

OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count")


def summarize(values, epsilon):
    """An approximate quantile summary of ``values``: every ``len * epsilon``-th sorted value, with weights."""
    values = np.sort(np.reshape(values, [-1]))
    step = max(values.size * epsilon, 1)
    boundaries = values[int(step - 1)::int(step)]
    return np.stack([boundaries, np.ones_like(boundaries) * step])


def compress_summary(summary, epsilon):
    """Reduce a summary to about ``1 / epsilon`` points by interpolating its cumulative weights."""
    if summary.shape[1] * epsilon < 1:
        return summary
    percents = epsilon + np.arange(0.0, 1.0, epsilon)
    cum_weights = summary[1].cumsum()
    cum_percents = cum_weights / cum_weights[-1]
    new_bins = np.interp(percents, cum_percents, summary[0])
    cum_weights = np.interp(percents, cum_percents, cum_weights)
    new_weights = cum_weights - np.concatenate((np.array([0]), cum_weights[:-1]))
    return np.stack((new_bins, new_weights)).astype("float32")


def merge_summaries(first, second, epsilon):
    """Merge two summaries and compress the result."""
    merged = np.concatenate((first, second), axis=1)
    return compress_summary(np.take(merged, np.argsort(merged[0]), axis=1), epsilon)


class Discretization(Layer):
    """A preprocessing layer which buckets continuous features by ranges.

    With ``bin_boundaries=[0., 1., 2.]`` the buckets are ``(-inf, 0)``, ``[0, 1)``, ``[1, 2)`` and
    ``[2, inf)``, numbered 0 to 3. With ``num_bins``, ``adapt`` finds boundaries that put about the
    same number of values in each bucket, from an approximate quantile summary (the algorithm of
    Keras 3, so the boundaries are the same). The bucket indices are returned as int32 (``"int"``) or
    encoded as in ``CategoryEncoding``.

    Args:
        bin_boundaries: sorted list of boundaries, or None to ``adapt``.
        num_bins: int, the number of buckets ``adapt`` makes (exclusive with ``bin_boundaries``).
        epsilon: the error tolerance of ``adapt``'s quantiles (about 1 / epsilon points are kept).
        output_mode: "int" (default), "one_hot", "multi_hot" or "count".
        sparse: must be False (kerasette has no sparse tensors).
        dtype: the dtype of encoded outputs (a float dtype).
        name: the layer's name.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layer = layers.Discretization(bin_boundaries=[0.0, 1.0, 2.0])
        >>> layer(np.array([[-1.5, 1.0, 3.4, 0.5]])).numpy().tolist()
        [[0, 2, 3, 1]]
        >>> layer = layers.Discretization(num_bins=4, epsilon=0.01)
        >>> layer.adapt(np.arange(100.0))
        >>> [round(b, 3) for b in layer.bin_boundaries]  # as Keras 3 computes them
        [24.0, 49.0, 74.0]
    """

    def __init__(self, bin_boundaries=None, num_bins=None, epsilon=0.01, output_mode="int", sparse=False,
                 dtype=None, name=None):
        super().__init__(dtype=dtype, name=name)
        if not self.dtype.startswith("float"):
            raise invalid(self, "dtype", "a float dtype (the inputs are floats; int outputs are int32)", dtype)
        if sparse:
            raise invalid(self, "sparse", "False (kerasette has no sparse tensors)", sparse)
        self.output_mode = arguments.choice(self, "output_mode", output_mode, OUTPUT_MODES)
        if num_bins is not None and (isinstance(num_bins, bool) or not isinstance(num_bins, numbers.Integral)
                                     or num_bins < 0):
            raise ValueError(f"`num_bins` must be greater than or equal to 0. Received: `num_bins={num_bins}`")
        if num_bins is not None and bin_boundaries is not None:
            raise ValueError(f"Both `num_bins` and `bin_boundaries` should not be set. Received: "
                             f"`num_bins={num_bins}` and `bin_boundaries={bin_boundaries}`")
        if num_bins is None and bin_boundaries is None:
            raise ValueError("You need to set either `num_bins` or `bin_boundaries`.")
        if bin_boundaries is not None:
            bin_boundaries = [float(b) for b in bin_boundaries]
            if any(b > a for a, b in zip(bin_boundaries[1:], bin_boundaries)):
                raise invalid(self, "bin_boundaries", "a sorted (non-decreasing) list of numbers", bin_boundaries)
        self.bin_boundaries = bin_boundaries
        self.num_bins = num_bins
        self.epsilon = arguments.number(self, "epsilon", epsilon)
        self.sparse = False
        self.summary = None if bin_boundaries else np.array([[], []], dtype="float32")

    def adapt(self, data, steps=None):
        """Compute ``num_bins`` bucket boundaries from the quantiles of ``data``.

        Args:
            data: an array or tensor; or a PyDataset, a list or another iterable of batches.
            steps: optional int, the number of batches of an iterable to use.

        Raises:
            ValueError: when the layer was given ``bin_boundaries``.
        """
        if self.num_bins is None:
            raise ValueError("Cannot adapt a Discretization layer that has been initialized with `bin_boundaries`, "
                             "use `num_bins` instead.")
        batches, _ = adapt_batches(data, self.name)
        if steps is not None:
            batches = batches[:int(steps)]
        self.reset_state()
        for batch in batches:
            self.update_state(batch)
        self.finalize_state()

    def update_state(self, data):
        """Merge ``data``'s values into the running quantile summary.

        Args:
            data: an array of values.
        """
        data = np.asarray(data.numpy() if isinstance(data, ops.Tensor) else data).astype("float32")
        self.summary = merge_summaries(summarize(data, self.epsilon), self.summary, self.epsilon)

    def finalize_state(self):
        """Set ``bin_boundaries`` from the summary (nothing to do without ``num_bins``)."""
        if self.num_bins is None:
            return
        self.bin_boundaries = compress_summary(self.summary, 1.0 / self.num_bins)[0, :-1].tolist()

    def reset_state(self):
        """Forget the values seen by ``update_state``."""
        if self.num_bins is not None:
            self.summary = np.array([[], []], dtype="float32")

    def call(self, inputs):
        if self.bin_boundaries is None:
            raise ValueError("You need to either pass the `bin_boundaries` argument at construction time or call "
                             "`adapt(dataset)` before you can start using the `Discretization` layer.")
        boundaries = np.asarray(self.bin_boundaries, dtype=self.dtype if inputs.dtype == self.dtype else "float64")
        if boundaries.size:
            indices = ops.digitize(inputs, ops.convert_to_tensor(boundaries))
        else:
            indices = ops.zeros(inputs.shape, "int32")
        if self.output_mode == "int":
            return ops.cast(indices, "int32")
        return encode(self, indices, len(self.bin_boundaries) + 1, self.output_mode, self.dtype)

    def compute_output_shape(self, input_shape):
        if self.output_mode == "int":
            return tuple(input_shape)
        depth = len(self.bin_boundaries) + 1 if self.bin_boundaries is not None else self.num_bins
        return encoded_shape(input_shape, depth, self.output_mode)

    def get_config(self):
        return {"bin_boundaries": self.bin_boundaries, "num_bins": self.num_bins, "epsilon": self.epsilon,
                "output_mode": self.output_mode, "sparse": self.sparse, "name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config.pop("trainable", None)
        if config.get("bin_boundaries") is not None and config.get("num_bins") is not None:
            boundaries = config.pop("bin_boundaries")  # an adapted layer: keep its boundaries
            layer = cls(**config)
            layer.bin_boundaries = [float(b) for b in boundaries]
            return layer
        return cls(**config)
