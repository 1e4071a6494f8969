"""``DistributedOptimizer``: average the gradients over all ranks, then let the wrapped optimizer update.

The wrapper is the optimizer's own class with ``apply`` (and ``scale_loss``) extended, as Horovod
builds it: ``isinstance`` checks, ``learning_rate``, slots, ``get_config`` and saving are the
wrapped optimizer's, so a model saved during distributed training loads as a plain one.

Each ``apply`` makes one allreduce per gradient dtype (usually one): the gradients are laid end to
end in one buffer on the device, read to the host in one transfer, reduced, and cut back into
tensors. Under ``fit``, the last uneven batch of an epoch is handled by weighting each rank's loss
by its share of the global batch (``replica.Share``), so the averaged gradient is exactly that of the
global batch, as one process would compute it.
"""

from __future__ import annotations

import time
from typing import Any, List, Optional

import numpy as np

from kerasette import ops
from kerasette.distribute import _runtime, collectives, replica
from kerasette.distribute.collectives import Average, Sum
from kerasette.distribute.compression import Compression

# Horovod arguments with no meaning here, and the values accepted for them (all gradients are dense and
# laid in one buffer).
_NO_OP_ARGUMENTS = {"device_dense": "", "device_sparse": "", "sparse_as_dense": (False, True), "num_groups": 0,
                    "groups": None}

# Bytes, calls and seconds of the gradient allreduces, for benchmarks (``allreduce_statistics``).
_statistics = {"calls": 0, "bytes": 0, "seconds": 0.0, "mpi_seconds": 0.0}


def allreduce_statistics(reset: bool = False) -> dict:
    """What the gradient allreduces of ``DistributedOptimizer`` cost so far in this process.

    Args:
        reset: set the counters back to zero after reading them.

    Returns:
        ``{"calls", "bytes", "seconds", "mpi_seconds"}``: allreduce calls, bytes of the buffers
        reduced (what each rank contributes; a ring allreduce sends about ``2 (n - 1) / n`` times
        that), wall time spent in them (laying the gradients out, device-host transfers, MPI), and
        the part of it inside MPI (which includes waiting for the slowest rank).
    """
    result = dict(_statistics)
    if reset:
        _statistics.update(calls=0, bytes=0, seconds=0.0, mpi_seconds=0.0)
    return result


class _DistributedMixin:
    """The part of a distributed optimizer's class that talks to the other ranks."""

    _distributed = True

    def _setup_distributed(self, label, compression, op, predivide, passes, average_passes, deterministic):
        self._dist_label = label
        self._dist_compression = compression
        self._dist_op = op
        self._dist_predivide = predivide
        self._dist_passes = passes
        self._dist_average_passes = average_passes
        self._dist_deterministic = deterministic
        self._dist_pending: Optional[List[Any]] = None
        self._dist_pending_count = 0
        self._dist_scaled_share = None

    def scale_loss(self, loss):
        """The wrapped optimizer's ``scale_loss``, times this rank's weight in the global batch of an uneven step.

        Args:
            loss: the loss, a scalar Tensor.

        Returns:
            The scaled loss.
        """
        scaled = super().scale_loss(loss)
        share = replica.current_share()
        self._dist_scaled_share = None
        if share is not None and replica.active() and not share.uniform:
            self._dist_scaled_share = share
            scaled = ops.multiply(scaled, share.loss_factor)
        return scaled

    def apply(self, grads, trainable_variables=None):
        """Average ``grads`` over all ranks (one fused allreduce), then apply them with the wrapped optimizer.

        With ``backward_passes_per_step=k``, the first ``k - 1`` calls only add the gradients up
        locally; the ``k``-th reduces the sum (or mean) and applies it.

        Args:
            grads: one gradient per variable (None for a variable to leave alone).
            trainable_variables: the Variables to update (None: those the optimizer was built with).
        """
        grads = list(grads)
        if not grads:
            return
        with ops.stop_recording():
            grads = self._weight_unscaled(grads)
            if self._dist_passes > 1:
                grads = self._accumulate(grads)
                if grads is None:
                    return
            if replica.active():
                grads = self._allreduce(grads)
        super().apply(grads, trainable_variables)

    def _weight_unscaled(self, grads):
        """Weight the gradients of an uneven step by this rank's share when ``scale_loss`` did not."""
        share, scaled = replica.current_share(), self._dist_scaled_share
        self._dist_scaled_share = None
        if share is None or share.uniform or not replica.active() or scaled is share:
            return grads
        factor = share.loss_factor
        return [None if g is None else (ops.zeros_like(g) if factor == 0 else ops.multiply(g, factor)) for g in grads]

    def _accumulate(self, grads):
        if self._dist_pending is None:
            self._dist_pending = grads
        else:
            self._dist_pending = [g if p is None else (p if g is None else ops.add(p, g))
                                  for p, g in zip(self._dist_pending, grads)]
        self._dist_pending_count += 1
        if self._dist_pending_count < self._dist_passes:
            return None
        total, self._dist_pending, self._dist_pending_count = self._dist_pending, None, 0
        if self._dist_average_passes:
            total = [None if g is None else ops.divide(g, float(self._dist_passes)) for g in total]
        return total

    def _allreduce(self, grads):
        start = time.perf_counter()
        size = _runtime.size()
        present = [i for i, g in enumerate(grads) if g is not None]
        out = list(grads)
        groups = {}
        for i in present:
            groups.setdefault(str(grads[i].dtype), []).append(i)
        for dtype, indices in groups.items():
            parts = [ops.reshape(grads[i], (-1,)) for i in indices]
            flat = parts[0] if len(parts) == 1 else ops.concatenate(parts)
            buffer = np.ascontiguousarray(ops.convert_to_numpy(flat)).reshape(-1)
            if self._dist_predivide != 1.0:
                buffer = (buffer / buffer.dtype.type(self._dist_predivide)).astype(buffer.dtype, copy=False)
            wire = self._dist_compression.compress(buffer)
            _statistics["bytes"] += wire.nbytes
            mpi_start = time.perf_counter()
            wire = collectives.reduce_in_place(wire, Sum, self._dist_deterministic)
            _statistics["mpi_seconds"] += time.perf_counter() - mpi_start
            total = self._dist_compression.decompress(wire, buffer.dtype)
            if self._dist_op is Average:
                factor = size / self._dist_predivide
                total = total / total.dtype.type(factor) if factor != 1 else total
            elif self._dist_predivide != 1.0:
                total = total * total.dtype.type(self._dist_predivide)
            tensor = ops.convert_to_tensor(np.ascontiguousarray(total), dtype)
            start_at = 0
            for i in indices:
                count = int(np.prod(grads[i].shape, dtype=np.int64))
                piece = tensor if len(indices) == 1 else tensor[start_at:start_at + count]
                out[i] = ops.reshape(piece, tuple(grads[i].shape))
                start_at += count
        _statistics["calls"] += 1
        _statistics["seconds"] += time.perf_counter() - start
        return out


def DistributedOptimizer(optimizer: Any, name: Optional[str] = None, compression: Any = Compression.none,
                         op: Any = Average, gradient_predivide_factor: float = 1.0, backward_passes_per_step: int = 1,
                         average_aggregated_gradients: bool = False, deterministic: Optional[bool] = None,
                         **kwargs: Any) -> Any:
    """Wrap ``optimizer`` so that every ``apply`` first averages the gradients over all ranks.

    The result is an instance of the optimizer's own class (``isinstance(opt, keras.optimizers.Adam)``
    holds, ``learning_rate`` and the slots are its own, and a saved model records a plain Adam).
    Gradients of all variables go in one buffer and one allreduce per step. With one rank (or
    before ``init()``) the optimizer behaves exactly as the wrapped one.

    Args:
        optimizer: a kerasette optimizer instance (built or not; its state is kept).
        name: a label for the allreduce in error messages (Horovod's name prefix).
        compression: ``Compression.none`` or ``Compression.fp16`` (gradients travel as float16:
            half the bytes, about 3 significant digits).
        op: ``Average`` (the default) or ``Sum`` of the ranks' gradients.
        gradient_predivide_factor: with ``Average``, divide by this before the sum and by
            ``size() / gradient_predivide_factor`` after (against overflow in float16).
        backward_passes_per_step: add up this many steps' gradients locally before one
            allreduce and update.
        average_aggregated_gradients: with ``backward_passes_per_step > 1``, apply the mean of the
            aggregated gradients instead of their sum.
        deterministic: reduce in rank order (see ``init(deterministic=...)``); None follows ``init``.
        **kwargs: Horovod's ``device_dense``/``device_sparse`` (``""`` only), ``sparse_as_dense``
            (every gradient is dense here) and ``num_groups``/``groups`` (0/None only: one buffer).

    Returns:
        The distributed optimizer.

    Raises:
        TypeError: if ``optimizer`` is not a kerasette optimizer, or for unknown arguments.
        ValueError: for invalid values, or an optimizer that is already distributed.

    Example:
        >>> from kerasette import distribute, optimizers
        >>> opt = distribute.DistributedOptimizer(optimizers.Adam(learning_rate=0.002))
        >>> isinstance(opt, optimizers.Adam), type(opt).__name__, opt.learning_rate
        (True, 'Adam', 0.002)
    """
    from kerasette.optimizers import Optimizer

    owner = "DistributedOptimizer"
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"Invalid value for argument `optimizer` of `{owner}`. Expected a kerasette optimizer "
                        f"instance. Received: optimizer={optimizer!r}")
    if getattr(optimizer, "_distributed", False):
        raise ValueError(f"Invalid value for argument `optimizer` of `{owner}`: it is already a DistributedOptimizer.")
    _check_no_op_arguments(kwargs, owner)
    collectives.check_op(op, owner)
    if op not in (Average, Sum):
        raise ValueError(f"Invalid value for argument `op` of `{owner}`. Expected kerasette.distribute.Average or "
                         f"Sum (gradients are averaged or added). Received: op={op!r}")
    Compression.check(compression, owner)
    if isinstance(gradient_predivide_factor, bool) or not isinstance(gradient_predivide_factor, (int, float)) \
            or not gradient_predivide_factor > 0:
        raise ValueError(f"Invalid value for argument `gradient_predivide_factor` of `{owner}`. Expected a float > 0. "
                         f"Received: gradient_predivide_factor={gradient_predivide_factor!r}")
    if gradient_predivide_factor != 1.0 and op is not Average:
        raise ValueError(f"`gradient_predivide_factor` of `{owner}` needs op=Average. Received: op={op!r}")
    if isinstance(backward_passes_per_step, bool) or not isinstance(backward_passes_per_step, int) \
            or backward_passes_per_step < 1:
        raise ValueError(f"Invalid value for argument `backward_passes_per_step` of `{owner}`. Expected an int >= 1. "
                         f"Received: backward_passes_per_step={backward_passes_per_step!r}")
    for argument, value in (("average_aggregated_gradients", average_aggregated_gradients),):
        if not isinstance(value, bool):
            raise TypeError(f"Invalid value for argument `{argument}` of `{owner}`. Expected a bool. "
                            f"Received: {argument}={value!r}")
    if deterministic is not None and not isinstance(deterministic, bool):
        raise TypeError(f"Invalid value for argument `deterministic` of `{owner}`. Expected a bool or None. "
                        f"Received: deterministic={deterministic!r}")
    base = type(optimizer)
    cls = type(base.__name__, (_DistributedMixin, base), {"__module__": base.__module__, "__doc__": base.__doc__,
                                                          "__qualname__": base.__qualname__})
    distributed = cls.__new__(cls)
    distributed.__dict__.update(optimizer.__dict__)
    distributed._setup_distributed(name or f"Distributed{base.__name__}", compression, op,
                                   float(gradient_predivide_factor), backward_passes_per_step,
                                   average_aggregated_gradients, deterministic)
    return distributed


def _check_no_op_arguments(kwargs, owner):
    for key, value in kwargs.items():
        if key not in _NO_OP_ARGUMENTS:
            raise TypeError(f"`{owner}` got an unexpected argument `{key}`. Received: {key}={value!r}")
        accepted = _NO_OP_ARGUMENTS[key]
        accepted = accepted if isinstance(accepted, tuple) else (accepted,)
        if value not in accepted or isinstance(value, bool) != isinstance(accepted[0], bool):
            raise ValueError(f"Argument `{key}` of `{owner}` is not supported by kerasette (all gradients are dense "
                             f"and travel in one buffer). Expected {key}={accepted[0]!r}. Received: {key}={value!r}")
