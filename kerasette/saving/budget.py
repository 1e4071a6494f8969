"""The weight budget of a model rebuilt from a file: sizes are checked before anything is allocated.

A config says how large each layer is (``units``, ``filters``,
``kernel_size``, ``input_dim``, the input shape...), and building it takes
that memory before a single weight is compared with the file. While
``config_serialization.model_from_config`` builds a model, a ``WeightBudget``
sees every weight a layer is about to create (``Layer.add_weight`` calls it
first) and refuses, with an error naming the layer, a weight that brings the
model over ``limits.max_model_bytes()``, or over the number of values the
file's weight datasets declare (a config that does not match its weights).
When the file says which layer each dataset belongs to (``layer_shapes``),
the refusal also names the shapes stored for that layer.
"""

import numpy as np

from kerasette.saving import limits
from kerasette.saving.errors import InvalidFileError


def _itemsize(dtype):
    try:
        return np.dtype(dtype).itemsize
    except TypeError:
        return 4


class WeightBudget:
    """A check for ``layers.layer.checking_allocations`` (see the module docstring).

    Args:
        source: the file, for messages.
        file_values: the number of weight values the file's datasets declare, or None when unknown.
        file_datasets: how many datasets those are (for the message).
        max_bytes: the byte limit (default ``limits.max_model_bytes()``).
        layer_shapes: ``{layer name: [shape, ...]}``, the shapes the file stores for each layer, or None.
    """

    def __init__(self, source, file_values=None, file_datasets=None, max_bytes=None, layer_shapes=None):
        self.source, self.file_values, self.file_datasets = source, file_values, file_datasets
        self.layer_shapes = {name: [tuple(s) for s in shapes] for name, shapes in (layer_shapes or {}).items()}
        self.max_bytes = limits.max_model_bytes() if max_bytes is None else max_bytes
        self.values = self.bytes = 0

    def _refuse(self, layer, message):
        return InvalidFileError(f"Cannot load {self.source}: layer `{layer.name}` ({type(layer).__name__}) "
                                f"{message} Nothing was allocated.", self.source, f"layer `{layer.name}`")

    def __call__(self, layer, name, shape, dtype, transient=False):
        """Refuse the allocation of ``shape`` x ``dtype`` for ``layer`` when it passes a limit."""
        if any(size < 0 for size in shape):
            raise self._refuse(layer, f"would create `{name}` with a negative size: shape {tuple(shape)}.")
        count = 1
        for size in shape:
            count *= int(size)
        nbytes = count * _itemsize(dtype)
        what = "an input" if transient else "weight"
        if transient:
            if nbytes > self.max_bytes:
                raise self._refuse(layer, f"would run on {what} of shape {tuple(shape)} ({limits.show(nbytes)}), "
                                          f"over the limit of {limits.show(self.max_bytes)} "
                                          f"({limits.MODEL_VARIABLE} raises it).")
            return
        self.values += count
        self.bytes += nbytes
        if self.bytes > self.max_bytes:
            raise self._refuse(layer, f"would create weight `{name}` of shape {tuple(shape)} ({limits.show(nbytes)}),"
                                      f" bringing the model to {limits.show(self.bytes)}, over the limit of "
                                      f"{limits.show(self.max_bytes)}. If the model really is that large, raise "
                                      f"the limit with the environment variable {limits.MODEL_VARIABLE} (or "
                                      "`kerasette.saving.limits.override(max_model_bytes=...)`).")
        if self.file_values is not None and self.values > self.file_values:
            stored = self.layer_shapes.get(layer.name)
            hint = f" (it stores shapes {stored} for layer `{layer.name}`)" if stored is not None else ""
            raise self._refuse(layer, f"would create weight `{name}` of shape {tuple(shape)} ({count} values), "
                                      f"bringing the model to {self.values} weight values, but the file's weights "
                                      f"hold only {self.file_values} values in all ({self.file_datasets} datasets)"
                                      f"{hint}: the config does not match the weights saved with it.")
