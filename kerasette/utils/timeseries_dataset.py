"""``timeseries_dataset_from_array``: sliding windows over an array of timesteps, as a ``PyDataset``.

Keras returns a ``tf.data.Dataset`` (or a Grain dataset); kerasette returns a ``TimeseriesDataset``,
whose batches are gathered from the array on the host when ``fit`` asks for them. The windows, their
order without ``shuffle`` and their targets are Keras's; with ``shuffle``, the first epoch deals the
windows in the order Keras's ``seed`` gives its window starts, and each later epoch in a new order.
"""

from __future__ import annotations

import numbers
import warnings
from typing import Any, Optional

import numpy as np

from kerasette.utils.py_dataset import PyDataset, batch_count, batch_of


class TimeseriesDataset(PyDataset):
    """Windows of a timeseries with their targets (what ``timeseries_dataset_from_array`` returns).

    Each batch is ``(windows, targets)`` (or ``windows`` alone without targets): windows of shape
    (batch, sequence_length) + data.shape[1:], in the data's dtype; targets ``targets[start]`` for
    each window's first timestep.

    Args:
        data: the timesteps (axis 0 is time), from ``start_index`` to ``end_index``.
        targets: the targets, from ``start_index`` (or None).
        start_positions: the first timestep of each window, in the order of the first epoch.
        sequence_length: timesteps per window.
        sampling_rate: the step between the timesteps of a window.
        batch_size: windows per batch (None: one window per item, without a batch axis).
        shuffle: deal the windows in a new order every epoch.
        seed: the shuffling seed.
        **kwargs: ``workers``, ``use_multiprocessing``, ``max_queue_size`` (see ``PyDataset``).
    """

    def __init__(self, data: np.ndarray, targets: Optional[np.ndarray], start_positions: np.ndarray,
                 sequence_length: int, sampling_rate: int, batch_size: Optional[int], shuffle: bool = False,
                 seed: int = 0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.data, self.targets = data, targets
        self.start_positions = start_positions
        self.sequence_length, self.sampling_rate = sequence_length, sampling_rate
        self.batch_size, self.shuffle, self.seed = batch_size, shuffle, seed
        self._offsets = np.arange(sequence_length) * sampling_rate
        self._epoch = 0

    def __len__(self) -> int:
        return batch_count(len(self.start_positions), self.batch_size)

    def __getitem__(self, index: int) -> Any:
        """Batch ``index``: ``(windows, targets)``, or ``windows`` without targets.

        Args:
            index: the batch's position.
        """
        if self.batch_size is None:
            start = batch_of(self.start_positions, index, None)
            window = self.data[start + self._offsets]
            return window if self.targets is None else (window, self.targets[start])
        starts = batch_of(self.start_positions, index, self.batch_size)
        windows = self.data[starts[:, None] + self._offsets]
        return windows if self.targets is None else (windows, self.targets[starts])

    def on_epoch_end(self) -> None:
        """Deal the windows into batches in a new order for the next epoch (with ``shuffle``)."""
        self._epoch += 1
        if self.shuffle:
            order = np.random.default_rng([int(self.seed), self._epoch]).permutation(len(self.start_positions))
            self.start_positions = np.sort(self.start_positions)[order]


def timeseries_dataset_from_array(data: Any, targets: Any, sequence_length: int, sequence_stride: int = 1,
                                  sampling_rate: int = 1, batch_size: Optional[int] = 128, shuffle: bool = False,
                                  seed: Optional[int] = None, start_index: Optional[int] = None,
                                  end_index: Optional[int] = None, format: str = "tf",
                                  **kwargs: Any) -> TimeseriesDataset:
    """A dataset of sliding windows over a timeseries, as ``keras.utils.timeseries_dataset_from_array``.

    Window ``i`` starts at timestep ``start_index + i * sequence_stride`` and holds ``sequence_length``
    timesteps ``sampling_rate`` apart; its target is ``targets[start_index + i * sequence_stride]``.
    Windows that would run past ``end_index`` (or past the last target) are left out.

    Args:
        data: an array (or tensor) of timesteps; axis 0 is time.
        targets: the target of the window that starts at each timestep (``targets[i]`` for the window
            starting at ``data[i]``), or None to yield windows only.
        sequence_length: timesteps per window.
        sequence_stride: timesteps between the starts of consecutive windows.
        sampling_rate: timesteps between consecutive steps of a window.
        batch_size: windows per batch (the last batch may be smaller); None yields single windows.
        shuffle: shuffle the windows (a new order every epoch) instead of keeping time order.
        seed: the shuffling seed.
        start_index: timesteps before it are not used (to hold data out for validation).
        end_index: timesteps from it on are not used.
        format: Keras's choice of ``tf.data`` or Grain; kerasette returns a ``PyDataset`` for both.
        **kwargs: kerasette's ``workers``, ``use_multiprocessing`` and ``max_queue_size`` for the
            returned ``PyDataset``.

    Returns:
        A ``TimeseriesDataset`` (a ``PyDataset``) of ``(windows, targets)`` batches, or of windows
        when ``targets`` is None.

    Raises:
        ValueError: an index, stride, rate, length or batch size out of range.

    Example:
        >>> import numpy as np
        >>> data = timeseries_dataset_from_array(np.arange(10), np.arange(10) * 10, sequence_length=3,
        ...                                      sequence_stride=2, batch_size=2)
        >>> len(data)
        2
        >>> windows, targets = data[0]
        >>> windows.tolist(), targets.tolist()
        ([[0, 1, 2], [2, 3, 4]], [0, 20])
    """
    unknown = sorted(set(kwargs) - {"workers", "use_multiprocessing", "max_queue_size"})
    if unknown:
        raise TypeError(f"timeseries_dataset_from_array() got unexpected keyword arguments: {unknown}")
    data = _host_array(data, "data")
    targets = None if targets is None else _host_array(targets, "targets")
    length = len(data)
    _check_positive_int("sequence_length", sequence_length)
    if batch_size is not None:
        _check_positive_int("batch_size", batch_size)
    if start_index:
        if start_index < 0:
            raise ValueError(f"`start_index` must be 0 or greater. Received: start_index={start_index}")
        if start_index >= length:
            raise ValueError(f"`start_index` must be lower than the length of the data. Received: "
                             f"start_index={start_index}, for data of length {length}")
    if end_index:
        if start_index and end_index <= start_index:
            raise ValueError(f"`end_index` must be higher than `start_index`. Received: start_index={start_index}, "
                             f"and end_index={end_index} ")
        if end_index >= length:
            raise ValueError(f"`end_index` must be lower than the length of the data. Received: "
                             f"end_index={end_index}, for data of length {length}")
        if end_index <= 0:
            raise ValueError(f"`end_index` must be higher than 0. Received: end_index={end_index}")
    for name, value in (("sampling_rate", sampling_rate), ("sequence_stride", sequence_stride)):
        _check_positive_int(name, value)
        if value >= length:
            raise ValueError(f"`{name}` must be lower than the length of the data. Received: {name}={value}, "
                             f"for data of length {length}")
    if format not in ("tf", "grain"):
        raise ValueError(f'`format` should be either "tf" or "grain". Received: format={format}')
    if format == "grain":
        warnings.warn('format="grain": kerasette has neither tf.data nor Grain; it returns a PyDataset for every '
                      "format.", stacklevel=2)
    start_index = start_index or 0
    end_index = length if end_index is None else end_index
    count = end_index - start_index - (sequence_length - 1) * sampling_rate
    if targets is not None:
        count = min(count, len(targets))
        last = start_index + (count - 1) // sequence_stride * sequence_stride
        if count > 0 and last >= len(targets):
            raise ValueError(f"`targets` is too short: the window starting at timestep {last} needs targets[{last}], "
                             f"but len(targets)={len(targets)} (targets[i] is the target of the window starting at "
                             "data[i]).")
    start_positions = np.arange(0, max(count, 0), sequence_stride, dtype="int64")
    if shuffle:
        if seed is None:
            seed = np.random.randint(1e6)
        np.random.RandomState(seed).shuffle(start_positions)
    return TimeseriesDataset(data[start_index:end_index], None if targets is None else targets[start_index:],
                             start_positions, int(sequence_length), int(sampling_rate), batch_size,
                             shuffle=bool(shuffle), seed=0 if seed is None else int(seed), **kwargs)


def _host_array(value, name):
    """``value`` (an array, a list or a kerasette tensor) as a numpy array with a time axis."""
    if hasattr(value, "numpy") and not isinstance(value, np.ndarray):
        value = value.numpy()
    array = np.asarray(value)
    if array.ndim == 0:
        raise ValueError(f"Invalid value for argument `{name}`. Expected an array whose axis 0 is time. "
                         f"Received: {name} of shape {array.shape}")
    return array


def _check_positive_int(name, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value <= 0:
        raise ValueError(f"`{name}` must be higher than 0. Received: {name}={value!r}")
