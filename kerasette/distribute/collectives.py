"""Collectives on tensors and numpy arrays: ``allreduce``, ``allgather``, ``broadcast`` (Horovod's names).

Each call is one MPI collective that every rank must make, in the same order (calls are matched by
order; ``name`` only labels errors). Values go through the host: a kerasette Tensor is read with
``numpy()`` and the result made a Tensor again on the active backend; a numpy array comes back as a
numpy array. Before ``init()`` (or with one rank) the collectives return their input's value.
"""

from __future__ import annotations

from typing import Any, Callable, List, Optional, Sequence

import numpy as np

from kerasette import ops
from kerasette.distribute import _runtime
from kerasette.distribute.compression import Compression


class ReduceOp:
    """A reduction of ``allreduce``: ``Average``, ``Sum``, ``Min`` or ``Max``.

    Args:
        name: the reduction's name.
    """

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"kerasette.distribute.{self.name}"


Average = ReduceOp("Average")
Sum = ReduceOp("Sum")
Min = ReduceOp("Min")
Max = ReduceOp("Max")
_OPS = (Average, Sum, Min, Max)


def check_op(op: Any, owner: str) -> ReduceOp:
    """``op`` if it is one of ``Average``, ``Sum``, ``Min``, ``Max``, else a ValueError naming ``owner``.

    Args:
        op: the value received.
        owner: the function or class it was given to, for the message.
    """
    if not any(op is known for known in _OPS):
        raise ValueError(f"Invalid value for argument `op` of `{owner}`. Expected one of kerasette.distribute."
                         f"Average, Sum, Min, Max (Adasum and Product are not implemented). Received: op={op!r}")
    return op


def _host(value: Any, argument: str, owner: str):
    """``(numpy array, to_output)``: the value on the host, and how to return a result like it."""
    if ops.is_tensor(value):
        dtype = value.dtype
        return np.array(value.numpy(), order="C"), lambda array: ops.convert_to_tensor(array, dtype)
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as error:
        raise TypeError(f"Invalid value for argument `{argument}` of `{owner}`. Expected a tensor, a numpy array "
                        f"or a number. Received: {type(value).__name__} ({error})") from None
    if array.dtype == object or not (np.issubdtype(array.dtype, np.number) or array.dtype == bool):
        raise TypeError(f"Invalid value for argument `{argument}` of `{owner}`. Expected numeric data. "
                        f"Received an array of dtype {array.dtype}.")
    return np.array(array, order="C"), lambda result: result


def _comm():
    comm = _runtime.communicator()
    return comm if comm is not None and comm.Get_size() > 1 else None


def _mpi_op(op: ReduceOp):
    MPI = _runtime.mpi()
    return {"Average": MPI.SUM, "Sum": MPI.SUM, "Min": MPI.MIN, "Max": MPI.MAX}[op.name]


_FLOAT16_OPS = {}


def _float16_op(op: ReduceOp):
    """An MPI user op reducing float16 data (MPI has no float16 type), elementwise, in float16."""
    if op.name not in _FLOAT16_OPS:
        MPI = _runtime.mpi()
        combine = {"Average": np.add, "Sum": np.add, "Min": np.minimum, "Max": np.maximum}[op.name]

        def reduce(inbuf, inoutbuf, datatype):
            out = np.frombuffer(inoutbuf, dtype=np.float16)
            combine(np.frombuffer(inbuf, dtype=np.float16), out, out=out)

        _FLOAT16_OPS[op.name] = MPI.Op.Create(reduce, commute=True)
    return _FLOAT16_OPS[op.name]


def reduce_in_place(buffer: np.ndarray, op: ReduceOp, deterministic: Optional[bool] = None) -> np.ndarray:
    """Reduce a contiguous 1-d host ``buffer`` over all ranks (``Average`` leaves the sum; divide yourself).

    Args:
        buffer: a C-contiguous numpy array (float16 travels as 2-byte words with its own MPI op).
        op: ``Average``/``Sum`` (both sum here), ``Min`` or ``Max``.
        deterministic: sums in rank order through an allgather (None: as ``init`` said).

    Returns:
        The reduced buffer (``buffer`` itself, or a new array in deterministic mode).
    """
    comm = _comm()
    if comm is None:
        return buffer
    deterministic = _runtime.deterministic() if deterministic is None else deterministic
    if deterministic and op.name in ("Average", "Sum"):
        gathered = np.empty((comm.Get_size(),) + buffer.shape, buffer.dtype)
        comm.Allgather(buffer, gathered)
        total = gathered[0].copy()
        for part in gathered[1:]:  # rank 0 + rank 1, then + rank 2...: the same order on every rank
            total += part
        return total
    MPI = _runtime.mpi()
    if buffer.dtype == np.float16:
        words = buffer.view(np.uint16)
        comm.Allreduce(MPI.IN_PLACE, [words, MPI.UINT16_T], op=_float16_op(op))
        return buffer
    comm.Allreduce(MPI.IN_PLACE, buffer, op=_mpi_op(op))
    return buffer


def allreduce(value: Any, op: ReduceOp = Average, compression: Any = Compression.none,
              prescale_factor: float = 1.0, postscale_factor: float = 1.0, name: Optional[str] = None) -> Any:
    """Reduce ``value`` elementwise over all ranks; every rank gets the result.

    Args:
        value: a Tensor, a numpy array or a number, of the same shape and dtype on every rank.
        op: ``Average`` (the default), ``Sum``, ``Min`` or ``Max``.
        compression: ``Compression.none`` or ``Compression.fp16`` (floats travel as float16).
        prescale_factor: multiply the local value by this before reducing.
        postscale_factor: multiply the result by this after reducing (and after averaging).
        name: a label for error messages (collectives are matched by call order).

    Returns:
        The reduced value: a Tensor for a Tensor input, else a numpy array.

    Example:
        >>> import numpy as np
        >>> from kerasette import distribute
        >>> distribute.allreduce(np.array([1.0, 2.0]), op=distribute.Sum)  # one process: its own value
        array([1., 2.])
    """
    owner = f"allreduce({name})" if name else "allreduce"
    check_op(op, owner)
    array, to_output = _host(value, "value", owner)
    dtype = array.dtype
    if dtype.kind == "b":
        raise TypeError(f"`{owner}` reduces numbers; cast the boolean value to an int type first.")
    compressor = Compression.check(compression, owner)
    buffer = array.reshape(-1).copy()
    if prescale_factor != 1.0:
        buffer = (buffer * prescale_factor).astype(dtype, copy=False)
    wire = compressor.compress(buffer)
    wire = reduce_in_place(wire, op)
    result = compressor.decompress(wire, dtype)
    if op is Average and _comm() is not None:
        result = _divide(result, _comm().Get_size())
    if postscale_factor != 1.0:
        result = (result * postscale_factor).astype(dtype, copy=False)
    return to_output(result.reshape(array.shape))


def _divide(buffer: np.ndarray, count: int) -> np.ndarray:
    if np.issubdtype(buffer.dtype, np.floating):
        return buffer / buffer.dtype.type(count)
    return buffer // count  # integer averages round down, as an integer division


def allgather(value: Any, name: Optional[str] = None) -> Any:
    """Concatenate every rank's ``value`` along the first axis, in rank order.

    The first dimension may differ from rank to rank; the others and the dtype must match.

    Args:
        value: a Tensor or numpy array with at least one dimension (a scalar counts as shape ``(1,)``).
        name: a label for error messages.

    Returns:
        The concatenation: a Tensor for a Tensor input, else a numpy array.

    Example:
        >>> import numpy as np
        >>> from kerasette import distribute
        >>> distribute.allgather(np.array([[1, 2]]))
        array([[1, 2]])
    """
    owner = f"allgather({name})" if name else "allgather"
    array, to_output = _host(value, "value", owner)
    array = array.reshape(1) if array.ndim == 0 else array
    comm = _comm()
    if comm is None:
        return to_output(array.copy())
    shapes = comm.allgather((array.shape, array.dtype.str))
    if any(shape[1:] != array.shape[1:] or dtype != array.dtype.str for shape, dtype in shapes):
        raise ValueError(f"`{owner}`: every rank must give the same trailing shape and dtype. Received (shape, "
                         f"dtype) by rank: {[(tuple(s), d) for s, d in shapes]}")
    row = int(np.prod(array.shape[1:], dtype=np.int64))
    counts = [shape[0] * row for shape, _ in shapes]
    out = np.empty((sum(shape[0] for shape, _ in shapes),) + array.shape[1:], array.dtype)
    MPI = _runtime.mpi()
    words = array.reshape(-1).view(np.uint8)
    comm.Allgatherv(words, [out.reshape(-1).view(np.uint8), [c * array.itemsize for c in counts], MPI.BYTE])
    return to_output(out)


def broadcast(value: Any, root_rank: int = 0, name: Optional[str] = None) -> Any:
    """``value`` as ``root_rank`` has it, on every rank.

    Args:
        value: a Tensor, numpy array or number, of the same shape and dtype on every rank.
        root_rank: the rank whose value is sent.
        name: a label for error messages.

    Returns:
        Root's value: a Tensor for a Tensor input, else a numpy array.

    Example:
        >>> from kerasette import distribute
        >>> int(distribute.broadcast(7, root_rank=0))
        7
    """
    owner = f"broadcast({name})" if name else "broadcast"
    array, to_output = _host(value, "value", owner)
    comm = _comm()
    if comm is None:
        return to_output(array.copy())
    _check_root(root_rank, comm.Get_size(), owner)
    array = array.copy()
    comm.Bcast(array.reshape(-1).view(np.uint8), root=root_rank)
    return to_output(array)


def _check_root(root_rank, count, owner):
    if isinstance(root_rank, bool) or not isinstance(root_rank, (int, np.integer)) or not 0 <= root_rank < count:
        raise ValueError(f"Invalid value for argument `root_rank` of `{owner}`. Expected an int in [0, {count}). "
                         f"Received: root_rank={root_rank!r}")


def broadcast_variables(variables: Sequence[Any], root_rank: int = 0) -> None:
    """Assign ``root_rank``'s values to ``variables`` on every rank (one broadcast per dtype).

    Args:
        variables: kerasette Variables, in the same order on every rank.
        root_rank: the rank whose values are sent.
    """
    variables = list(variables)
    comm = _comm()
    if comm is None or not variables:
        return
    _check_root(root_rank, comm.Get_size(), "broadcast_variables")
    for dtype, group in _by_dtype(variables, lambda v: v.dtype):
        buffer = np.concatenate([np.asarray(v.numpy(), dtype).reshape(-1) for v in group])
        comm.Bcast(buffer.view(np.uint8), root=root_rank)
        if comm.Get_rank() != root_rank:
            for variable, part in zip(group, split(buffer, [v.shape for v in group])):
                variable.assign(ops.convert_to_tensor(part, variable.dtype))


def _by_dtype(items: List[Any], dtype_of: Callable[[Any], Any]):
    groups = {}
    for item in items:
        groups.setdefault(str(dtype_of(item)), []).append(item)
    return list(groups.items())


def split(buffer: np.ndarray, shapes: Sequence[Sequence[int]]) -> List[np.ndarray]:
    """Cut a flat ``buffer`` into consecutive pieces of the given ``shapes``.

    Args:
        buffer: a 1-d array holding the pieces end to end.
        shapes: the pieces' shapes, in order.

    Returns:
        One array (a view) per shape.
    """
    pieces, start = [], 0
    for shape in shapes:
        count = int(np.prod(shape, dtype=np.int64))
        pieces.append(buffer[start:start + count].reshape(tuple(shape)))
        start += count
    return pieces


__all__ = ["Average", "Max", "Min", "ReduceOp", "Sum", "allgather", "allreduce", "broadcast",
           "broadcast_variables", "check_op", "reduce_in_place", "split"]
