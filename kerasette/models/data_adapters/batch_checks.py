"""Checking streamed batches (PyDataset, generators, HDF5 and memmap reads) one at a time.

Arrays in memory are checked whole before the first step; streamed data cannot be, so each batch
is checked as it is made (in the data thread): its structure (``x``, ``(x, y)`` or
``(x, y, sample_weight)``), its dtypes and per-sample shapes against the first batch's (a dim may
vary only where the model's input or output declares it None), and everything the model's
``_adapt`` checks for arrays (shapes against the inputs, NaN/inf, labels that fit the loss,
non-negative weights). The first batch is checked on the main thread, where it also builds the model.
An error names the batch: "Batch 3 of the PyDataset `Images`: ...".
"""

from __future__ import annotations

from typing import Any, Callable, List, Optional, Tuple

import numpy as np

from kerasette.models import data_adapter as da

PARTS = ("x", "y", "sample_weight")


def standardize(batch: Any, position: Any, source: str) -> tuple:
    """``batch`` as a tuple ``(x,)``, ``(x, y)`` or ``(x, y, sample_weight)``.

    A dict or an array is ``x`` alone; a list counts as a tuple (as Keras reads a PyDataset's
    batches); trailing None parts are dropped.

    Args:
        batch: what the dataset or generator produced.
        position: the batch's number, for messages.
        source: what produced it, for messages.
    """
    if isinstance(batch, dict) or is_array(batch):
        return (batch,)
    if isinstance(batch, list):
        batch = tuple(batch)
    if isinstance(batch, tuple):
        while len(batch) > 1 and batch[-1] is None:
            batch = batch[:-1]
    if not isinstance(batch, tuple) or not 1 <= len(batch) <= 3 or batch[0] is None:
        if batch is None or isinstance(batch, tuple) and len(batch) == 1:
            what = "None"
        elif isinstance(batch, tuple):
            what = "a tuple whose `x` is None" if batch and batch[0] is None else f"a tuple of {len(batch)} elements"
        else:
            what = f"a {type(batch).__name__}"
        raise ValueError(f"Batch {position} of {source} is {what}. Expected a batch as `x`, `(x,)`, `(x, y)` or "
                         "`(x, y, sample_weight)`, where x and y are arrays, or lists or dicts of arrays.")
    return batch


def is_array(value: Any) -> bool:
    """Whether ``value`` is one array (numpy, a kerasette tensor, or anything with a shape and a dtype)."""
    return isinstance(value, np.ndarray) or (hasattr(value, "shape") and hasattr(value, "dtype")
                                             and not isinstance(value, (dict, list, tuple)))


def to_host(value: Any) -> Any:
    """``value`` with every tensor leaf read into a numpy array (structure kept)."""
    if isinstance(value, dict):
        return {key: to_host(v) for key, v in value.items()}
    if isinstance(value, (list, tuple)) and not is_array(value):
        return type(value)(to_host(v) for v in value)
    if hasattr(value, "numpy") and not isinstance(value, np.ndarray):
        return np.asarray(value.numpy())
    return value


def leaves(batch: tuple) -> List[Tuple[str, Any]]:
    """``[(label, leaf)]`` of a standardized batch: ``x``, ``x[0]``, ``x["image"]``, ``y``, ``sample_weight``."""
    found = []
    for part, value in zip(PARTS, batch):
        if isinstance(value, dict):
            found += [(f"{part}[{key!r}]", value[key]) for key in sorted(value, key=str)]
        elif isinstance(value, (list, tuple)) and not is_array(value):
            found += [(f"{part}[{i}]", v) for i, v in enumerate(value)]
        else:
            found.append((part, value))
    return found


def signature(batch: tuple) -> List[Tuple[str, str, tuple]]:
    """``[(label, dtype name, per-sample shape)]`` of a standardized batch."""
    out = []
    for label, value in leaves(batch):
        shape = tuple(np.shape(value)) if not hasattr(value, "shape") else tuple(value.shape)
        dtype = np.asarray(value).dtype.name if not hasattr(value, "dtype") else _dtype_name(value.dtype)
        out.append((label, dtype, shape[1:]))
    return out


def _dtype_name(dtype):
    try:
        return np.dtype(dtype).name
    except TypeError:
        return str(dtype)


def compare(first: list, current: list, position: Any, source: str, flexible: Callable[[str], set]) -> None:
    """Raise when ``current``'s structure, dtypes or per-sample shapes differ from the first batch's.

    Args:
        first: the first batch's ``signature``.
        current: this batch's ``signature``.
        position: this batch's number, for messages.
        source: what produced the batches, for messages.
        flexible: label -> the per-sample dims (0 = first dim after the batch) allowed to vary.
    """
    labels, first_labels = [s[0] for s in current], [s[0] for s in first]
    if labels != first_labels:
        raise ValueError(f"Batch {position} of {source} has the parts {_list(labels)}, but the first batch had "
                         f"{_list(first_labels)}. Every batch must have the same structure.")
    for (label, dtype, shape), (_, first_dtype, first_shape) in zip(current, first):
        if dtype != first_dtype:
            raise ValueError(f"Batch {position} of {source}: `{label}` has dtype {dtype}, but the first batch's was "
                             f"{first_dtype}. Every batch must have the same dtypes.")
        free = flexible(label)
        if len(shape) != len(first_shape) or any(
                a != b and i not in free for i, (a, b) in enumerate(zip(shape, first_shape))):
            raise ValueError(f"Batch {position} of {source}: `{label}` has samples of shape {shape}, but the first "
                             f"batch's were {first_shape}. Every batch must have the same per-sample shapes "
                             "(except along dims the model declares None).")


def _list(labels):
    return "(" + ", ".join(labels) + ")"


class BatchChecker:
    """Checks each batch of a stream and turns it into host arrays aligned with the model.

    ``first(batch)`` runs on the main thread (it builds the model from the data, as ``fit`` does
    for arrays); ``check(position, batch)`` runs on later batches, in the data thread.

    Args:
        model: the model being trained or run.
        source: what produces the batches, for messages (``the PyDataset `Images```).
        argument: the ``fit``/``evaluate``/``predict`` argument the data came in.
        need_y: whether targets are required (False for ``predict``, which ignores them).
        class_weight: ``{class: weight}`` turned into per-sample weights, or None.
    """

    def __init__(self, model: Any, source: str, argument: str = "x", need_y: bool = True,
                 class_weight: Optional[dict] = None) -> None:
        self.model, self.source, self.argument = model, source, argument
        self.need_y, self.class_weight = need_y, class_weight
        self.first_signature = self.raw_signature = None
        self._flexible = {}

    def first(self, batch: Any) -> tuple:
        """Check the first batch (and build the model from it); returns ``(xs, ys, sample_weight)``.

        Args:
            batch: the first batch, as produced.
        """
        batch = to_host(standardize(batch, 0, self.source))
        self.first_signature = signature(batch)
        result = self._adapt(0, batch)
        self._flexible = self._flexible_dims(batch)
        return result

    def check(self, position: Any, batch: Any) -> tuple:
        """Check a later batch against the model and the first batch; returns ``(xs, ys, sample_weight)``.

        Args:
            position: the batch's number, for messages.
            batch: the batch, as produced.
        """
        batch = to_host(standardize(batch, position, self.source))
        compare(self.first_signature, signature(batch), position, self.source,
                lambda label: self._flexible.get(label, set()))
        return self._adapt(position, batch)

    def _adapt(self, position, batch):
        x, y, sample_weight = (tuple(batch) + (None, None))[:3]
        if not self.need_y:
            y, sample_weight = None, None
        try:
            xs, ys, sw = self.model._adapt(x, y, sample_weight, argument=self.argument, need_y=self.need_y)
            if self.class_weight is not None:
                if ys is None:
                    raise ValueError("`class_weight` needs targets: the batch has no `y`.")
                if len(ys) > 1:
                    raise ValueError("`class_weight` is only supported for models with a single output.")
                weights = da.class_weights_to_sample_weights(ys[0], self.class_weight)
                sw = weights if sw is None else sw * weights
        except (ValueError, TypeError) as error:
            raise type(error)(f"Batch {position} of {self.source}: {error}") from None
        return xs, ys, sw

    def _flexible_dims(self, batch):
        """The per-sample dims the model leaves free (None in its shapes), by leaf label."""
        free = {}
        specs = {"x": self._specs(self.model._input_specs), "y": self._specs(self.model._output_specs)}
        for part, value in zip(PARTS[:2], batch[:2]):
            shapes = specs[part]
            if shapes is None or value is None:
                continue
            for label, _ in leaves((value,)):
                key = label[1:]  # "" / "[0]" / "['name']"
                shape = shapes.get(key) or (shapes.get("") if len(shapes) == 1 else None)
                if shape is not None:
                    free[part + key] = {i for i, dim in enumerate(shape[1:]) if dim is None}
        return free

    @staticmethod
    def _specs(read_specs):
        """``{"" (one spec) / "[i]" / "['name']": shape}`` of the model's inputs or outputs, or None."""
        try:
            specs = read_specs()
        except RuntimeError:  # outputs not known yet (no targets)
            return None
        if specs is None:
            return None
        shapes = {"": specs[0][1]} if len(specs) == 1 else {}
        for i, (name, shape) in enumerate(specs):
            shapes[f"[{i}]"] = shape
            shapes[f"[{name!r}]"] = shape
        return shapes

    # ----- batches that a function maps on the main thread (PyDataset.map) -----------------------
    def first_raw(self, batch: Any) -> tuple:
        """The first batch before mapping: standardized, read to the host, its signature kept.

        Args:
            batch: the first batch, as the dataset produced it.
        """
        batch = to_host(standardize(batch, 0, self.source))
        self.raw_signature = signature(batch)
        return batch

    def check_raw(self, position: Any, batch: Any) -> tuple:
        """A later batch before mapping: same structure, dtypes and shapes as the first, finite values.

        Args:
            position: the batch's number, for messages.
            batch: the batch, as the dataset produced it.
        """
        batch = to_host(standardize(batch, position, self.source))
        compare(self.raw_signature, signature(batch), position, self.source, lambda label: set())
        for label, value in leaves(batch):
            try:
                da.check_finite(np.asarray(value), label)
            except ValueError as error:
                raise ValueError(f"Batch {position} of {self.source}: {error}") from None
        return batch

    def check_mapped(self, position: Any, batch: Any) -> tuple:
        """A mapped batch (tensors): its signature against the first mapped batch's; ``(xs, ys, sw)`` tensors.

        Args:
            position: the batch's number, for messages.
            batch: what the map functions returned.
        """
        from kerasette import ops

        batch = standardize(batch, position, self.source)
        compare(self.first_signature, signature(batch), position, self.source,
                lambda label: self._flexible.get(label, set()))
        x, y, sample_weight = (tuple(batch) + (None, None))[:3]
        model = self.model
        xs = da.structured(x, model._input_names(), "inputs", self.argument)
        xs = [ops.convert_to_tensor(v, dtype=d) for v, d in zip(xs, model._input_dtypes(len(xs)))]
        if not self.need_y or y is None:
            return xs, None, None
        ys = [ops.convert_to_tensor(v) for v in da.structured(y, model._output_names(), "outputs", self.argument)]
        sw = None if sample_weight is None else ops.convert_to_tensor(sample_weight, dtype="float32")
        if self.class_weight is not None:
            weights = ops.convert_to_tensor(da.class_weights_to_sample_weights(ys[0].numpy(), self.class_weight))
            sw = weights if sw is None else ops.multiply(sw, weights)
        return xs, ys, sw
