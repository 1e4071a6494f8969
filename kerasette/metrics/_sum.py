"""``Sum``: the running (weighted) sum of every value passed to ``update_state``."""

from kerasette import ops
from kerasette.metrics._base import Metric, reduce_to_samplewise_values, registry


@registry.register()
class Sum(Metric):
    """The (weighted) sum of every value seen.

    Args:
        name: the metric's name.
        dtype: the dtype of its state (default float32).

    Example:
        >>> from kerasette import metrics
        >>> m = metrics.Sum()
        >>> m.update_state([1.0, 3.0, 5.0, 7.0]); float(m.result())
        16.0
        >>> m.update_state([[1.0, 2.0]], sample_weight=[0.5]); float(m.result())
        17.5
    """

    def __init__(self, name="sum", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(name="total")

    def update_state(self, values, sample_weight=None):
        """Add ``values`` (times their weights) to the total.

        Args:
            values: a tensor; all of its elements are summed.
            sample_weight: weights broadcastable to ``values`` (per sample or per element), or None.
        """
        with ops.stop_recording():
            values, _ = reduce_to_samplewise_values(values, sample_weight, self.dtype, reduce_fn=ops.sum)
            self.total.assign(ops.add(self.total, ops.sum(values)))

    def result(self):
        """The total so far."""
        return ops.convert_to_tensor(self.total)
