"""The base of the merge layers: checks a list of inputs and combines them elementwise."""

from kerasette import ops
from kerasette.layers.layer import Layer


class Merge(Layer):
    """Combines a list of tensors with ``_merge_function``.

    Non-batch axes broadcast as in numpy (aligned on the right: each pair of sizes must be
    equal or one of them 1); an input of lower rank gains size-1 axes just after its batch
    axis, as in Keras, so ``(batch, 4)`` merges with ``(batch, 3, 4)``.

    Subclasses set ``min_inputs``/``max_inputs`` and implement ``_merge_function(inputs)``.

    Args:
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``...).

    Input shape:
        A list of at least ``min_inputs`` (and at most ``max_inputs``) tensors ``(batch_size, ...)``
        with equal (or unknown) batch sizes.

    Output shape:
        ``(batch_size, ...)``, the broadcast shape of the inputs.

    Raises:
        ValueError: when called on a single tensor, on too few or too many inputs, or on inputs whose
            shapes do not broadcast.
    """

    supports_masking = True  # passes the input's mask on, as in Keras 3

    min_inputs = 2
    max_inputs = None

    def build(self, input_shape):
        self._merged_shape(input_shape)

    def call(self, inputs):
        self._merged_shape(_shapes_of(inputs))  # eager calls after build are checked as well
        rank = max(len(x.shape) for x in inputs)
        return self._merge_function([_expand_to_rank(x, rank) for x in inputs])

    def _merge_function(self, inputs):
        raise NotImplementedError

    def compute_mask(self, inputs, previous_mask=None):
        """The positions every masked input keeps (their AND); None when no input is masked."""
        if previous_mask is None:
            return None
        masks = [m for m in previous_mask if m is not None]
        if not masks:
            return None
        out = masks[0]
        for mask in masks[1:]:
            out = ops.logical_and(out, mask)
        return out

    def compute_output_shape(self, input_shape):
        return self._merged_shape(input_shape)

    # ----- shape checks ----------------------------------------------------
    def _shape_list(self, input_shape):
        """``input_shape`` as a list of tuples, or a ValueError if it is not a list of enough shapes."""
        count = "exactly" if self.min_inputs == self.max_inputs else "at least"
        needed = f"{count} {self.min_inputs} inputs"
        if not isinstance(input_shape, (list, tuple)) or not all(
            isinstance(s, (list, tuple)) for s in input_shape
        ):
            raise ValueError(f"Layer `{self.name}` ({type(self).__name__}) must be called on a list of {needed}. "
                             f"Received a single input of shape {_show(input_shape)}.")
        shapes = [tuple(s) for s in input_shape]
        if len(shapes) < self.min_inputs or (self.max_inputs is not None and len(shapes) > self.max_inputs):
            raise ValueError(f"Layer `{self.name}` ({type(self).__name__}) must be called on a list of {needed}. "
                             f"Received {len(shapes)} input(s) with shapes {_show_all(shapes)}.")
        if any(len(s) < 1 for s in shapes):
            raise self._incompatible(shapes, "Every input needs a batch axis.")
        batches = {s[0] for s in shapes} - {None}
        if len(batches) > 1:
            raise self._incompatible(shapes, "The batch sizes differ.")
        return shapes

    def _merged_shape(self, input_shape):
        shapes = self._shape_list(input_shape)
        merged = ()
        for shape in shapes:
            merged = _broadcast(merged, shape[1:])
            if merged is None:
                raise self._incompatible(
                    shapes, "Non-batch axes must be equal or 1 (aligned on the right, as numpy broadcasts)."
                )
        batch = next((s[0] for s in shapes if s[0] is not None), None)
        return (batch,) + merged

    def _incompatible(self, shapes, rule):
        return ValueError(f"Layer `{self.name}` ({type(self).__name__}) received inputs with incompatible shapes: "
                          f"{_show_all(shapes)}. {rule}")


def _broadcast(a, b):
    """The broadcast of two shapes (None = unknown size), or None if they are incompatible."""
    if len(a) < len(b):
        a, b = b, a
    b = (1,) * (len(a) - len(b)) + tuple(b)
    out = []
    for x, y in zip(a, b):
        if x == 1 or (x is None and y not in (None, 1)):
            out.append(y)
        elif y == 1 or y is None or x == y:
            out.append(x)
        else:
            return None
    return tuple(out)


def _expand_to_rank(x, rank):
    """Insert size-1 axes after the batch axis until ``x`` has ``rank`` axes."""
    shape = tuple(x.shape)
    if len(shape) == rank:
        return x
    return ops.reshape(x, shape[:1] + (1,) * (rank - len(shape)) + shape[1:])


def _shapes_of(inputs):
    if isinstance(inputs, (list, tuple)):
        return [tuple(x.shape) for x in inputs]
    return tuple(inputs.shape)


def _show(shape):
    if not isinstance(shape, (list, tuple)):
        return repr(shape)
    return "(" + ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def _show_all(shapes):
    return "[" + ", ".join(_show(s) for s in shapes) + "]"
