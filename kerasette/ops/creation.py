"""Tensor creation: filled tensors (zeros, ones, full and their ``_like`` forms) and one-hot encodings."""

from kerasette.backends import current as _backend
from kerasette.ops._helpers import _data, _shape, convert_to_tensor
from kerasette.ops.tensor import Tensor


def zeros(shape, dtype="float32"):
    return Tensor(_backend().zeros(tuple(shape), dtype))


def ones(shape, dtype="float32"):
    return Tensor(_backend().ones(tuple(shape), dtype))


def full(shape, fill_value, dtype="float32"):
    return Tensor(_backend().full(tuple(shape), fill_value, dtype))


def zeros_like(x, dtype=None):
    return zeros(_shape(x), dtype or convert_to_tensor(x).dtype)


def ones_like(x, dtype=None):
    return ones(_shape(x), dtype or convert_to_tensor(x).dtype)


def one_hot(x, num_classes, dtype="float32"):
    return Tensor(_backend().one_hot(_data(x), int(num_classes), dtype))
