"""Listing a directory of files by class, as Keras's ``index_directory`` does (same order, same shuffle).

``index_directory`` returns the file paths, their integer labels and the class names: classes are
the sorted subfolder names (or ``class_names``, in that order), files are listed by a sorted walk
of each subfolder, and ``shuffle`` permutes paths and labels with ``numpy.random.RandomState(seed)``,
so a ``seed`` picks the same training/validation files as Keras.
"""

from __future__ import annotations

import os
from typing import Any, List, Optional, Sequence, Tuple

import numpy as np


def index_directory(directory: str, labels: Any, formats: Tuple[str, ...], class_names: Optional[Sequence[str]] = None,
                    shuffle: bool = True, seed: Optional[int] = None, follow_links: bool = False,
                    verbose: bool = True) -> Tuple[List[str], Any, Optional[List[str]]]:
    """The files of ``directory`` with their labels.

    Args:
        directory: the folder; with ``labels="inferred"``, one subfolder per class.
        labels: ``"inferred"``, None (no labels), or a list of int labels, one per file in sorted order.
        formats: the file extensions to keep (lower case, with the dot).
        class_names: the classes to use, in this order (``labels="inferred"`` only).
        shuffle: shuffle the files (else alphanumeric order).
        seed: the shuffling seed.
        follow_links: descend into symlinked folders.
        verbose: print how many files and classes were found.

    Returns:
        ``(file_paths, labels, class_names)``: labels an int32 array (None without labels).
    """
    if not os.path.isdir(directory):
        raise ValueError(f"Invalid value for argument `directory`: {directory!r} is not a directory.")
    if labels == "inferred":
        subdirs = [name for name in sorted(os.listdir(directory))
                   if os.path.isdir(os.path.join(directory, name)) and not name.startswith(".")]
        if class_names is not None:
            if not set(class_names).issubset(subdirs):
                raise ValueError("The `class_names` passed did not match the names of the subdirectories of the "
                                 f"target directory. Expected: {subdirs} (or a subset of it), but received: "
                                 f"class_names={list(class_names)}")
            subdirs = list(class_names)
    else:
        if class_names is not None:
            raise ValueError("When `labels=None` (no labels), argument `class_names` cannot be specified."
                             if labels is None else
                             "When argument `labels` is specified, argument `class_names` cannot be specified (the "
                             "`class_names` will be the sorted list of labels).")
        subdirs = [""]
    filenames, found = [], []
    for number, subdir in enumerate(subdirs):
        names = _subdirectory_files(os.path.join(directory, subdir), follow_links, formats)
        filenames += [os.path.join(subdir, name) if subdir else name for name in names]
        found += [number] * len(names)
    if labels == "inferred":
        labels, class_names = np.asarray(found, dtype="int32"), list(subdirs)
    elif labels is None:
        class_names = None
    else:
        if len(labels) != len(filenames):
            raise ValueError(f"Expected the lengths of `labels` to match the number of files in the target "
                             f"directory. len(labels) is {len(labels)} while we found {len(filenames)} files in "
                             f"directory {directory}.")
        class_names = [str(label) for label in sorted(set(labels))]
        labels = np.asarray(labels, dtype="int32")
    if verbose:
        classes = "" if labels is None else f" belonging to {len(class_names)} classes"
        print(f"Found {len(filenames)} files{classes}.")
    paths = [os.path.join(directory, name) for name in filenames]
    if shuffle:
        if seed is None:
            seed = np.random.randint(1e6)
        np.random.RandomState(seed).shuffle(paths)
        if labels is not None:
            np.random.RandomState(seed).shuffle(labels)
    return paths, labels, class_names


def _subdirectory_files(folder, follow_links, formats):
    """The files under ``folder`` (relative to it) with an allowed extension: a sorted walk, sorted names."""
    out = []
    for root, _, files in sorted(os.walk(folder, followlinks=follow_links), key=lambda entry: entry[0]):
        for name in sorted(files):
            if name.lower().endswith(formats):
                out.append(os.path.relpath(os.path.join(root, name), folder))
    return out


def encode_labels(labels: np.ndarray, label_mode: Optional[str], num_classes: int) -> np.ndarray:
    """Integer labels as Keras's directory datasets give them for ``label_mode``.

    Args:
        labels: int labels, one per file.
        label_mode: ``"int"`` (int32, shape (n,)), ``"categorical"`` (float32 one-hot, shape
            (n, num_classes)) or ``"binary"`` (float32, shape (n, 1)).
        num_classes: the number of classes (for ``"categorical"``).
    """
    if label_mode == "categorical":
        return np.eye(num_classes, dtype=np.float32)[labels]
    if label_mode == "binary":
        return np.asarray(labels, dtype=np.float32)[:, None]
    return np.asarray(labels, dtype=np.int32)


def training_or_validation_split(samples: list, labels: Any, validation_split: Optional[float],
                                 subset: Optional[str]) -> tuple:
    """The training part (all but the last ``validation_split``) or the validation part of the files.

    Args:
        samples: the file paths.
        labels: their labels (or None).
        validation_split: the fraction held out for validation (None or 0: everything).
        subset: ``"training"`` or ``"validation"``.
    """
    if not validation_split:
        return samples, labels
    held_out = int(validation_split * len(samples))
    if subset == "training":
        print(f"Using {len(samples) - held_out} files for training.")
        return samples[: len(samples) - held_out], None if labels is None else labels[: len(samples) - held_out]
    if subset == "validation":
        print(f"Using {held_out} files for validation.")
        return samples[len(samples) - held_out:], None if labels is None else labels[len(samples) - held_out:]
    raise ValueError(f'`subset` must be either "training" or "validation", received: {subset}')


def check_validation_split(validation_split: Optional[float], subset: Optional[str], shuffle: bool,
                           seed: Optional[int]) -> None:
    """Raise for inconsistent ``validation_split`` / ``subset`` / ``shuffle`` / ``seed``, with Keras's messages.

    Args:
        validation_split: the fraction held out, or None.
        subset: ``"training"``, ``"validation"``, ``"both"`` or None.
        shuffle: whether files are shuffled.
        seed: the shuffling seed.
    """
    if validation_split and not 0 < validation_split < 1:
        raise ValueError(f"`validation_split` must be between 0 and 1, received: {validation_split}")
    if (validation_split or subset) and not (validation_split and subset):
        raise ValueError("If `subset` is set, `validation_split` must be set, and inversely.")
    if subset not in ("training", "validation", "both", None):
        raise ValueError(f'`subset` must be either "training", "validation" or "both", received: {subset}')
    if validation_split and shuffle and seed is None:
        raise ValueError("If using `validation_split` and shuffling the data, you must provide a `seed` argument, "
                         "to make sure that there is no overlap between the training and validation subset.")


def check_common_arguments(function: str, kwargs: dict, labels: Any, class_names: Any, label_mode: Any,
                           samples: str) -> None:
    """Raise, with Keras's messages, for the arguments every ``*_dataset_from_directory`` checks alike.

    Args:
        function: the public function's name, for the message about unknown keyword arguments.
        kwargs: its extra keyword arguments (only the ``PyDataset`` ones are allowed).
        labels: ``"inferred"``, None, or a list/tuple of int labels.
        class_names: the class names asked for (only with ``labels="inferred"``).
        label_mode: ``"int"``, ``"categorical"``, ``"binary"`` or None.
        samples: what the files hold, for the messages (``"image"``, ``"text"``, ``"audio"``).

    Raises:
        TypeError: an unknown keyword argument.
        ValueError: an invalid ``labels``, ``class_names`` with explicit labels, or an invalid ``label_mode``.
    """
    unknown = sorted(set(kwargs) - {"workers", "use_multiprocessing", "max_queue_size"})
    if unknown:
        raise TypeError(f"{function}() got unexpected keyword arguments: {unknown}")
    if labels not in ("inferred", None):
        if not isinstance(labels, (list, tuple)):
            raise ValueError(f"The `labels` argument should be a list/tuple of integer labels, of the same size as "
                             f"the number of {samples} files in the target directory. If you wish to infer the labels "
                             'from the subdirectory names in the target directory, pass `labels="inferred"`. If you '
                             f"wish to get a dataset that only contains {samples} samples (no labels), pass "
                             f"`labels=None`. Received: labels={labels}")
        if class_names:
            raise ValueError(f'You can only pass `class_names` if `labels="inferred"`. Received: labels={labels}, '
                             f"and class_names={class_names}")
    if label_mode not in ("int", "categorical", "binary", None):
        raise ValueError('`label_mode` argument must be one of "int", "categorical", "binary", or None. '
                         f"Received: label_mode={label_mode}")


def make_subsets(make: Any, directory: str, labels: Any, formats: Tuple[str, ...], class_names: Any,
                 label_mode: Any, shuffle: bool, seed: Any, follow_links: bool, verbose: bool,
                 validation_split: Any, subset: Any, empty: str) -> Any:
    """Index ``directory``, split it, and make the dataset of each subset with ``make``.

    Args:
        make: ``make(paths, labels, class_names, shuffle, seed)`` returning one dataset.
        directory: the folder of class subfolders.
        labels: ``"inferred"``, None or a list of int labels.
        formats: the allowed file extensions.
        class_names: the classes to use, or None.
        label_mode: the label encoding (``"binary"`` needs exactly two classes).
        shuffle: whether the files are shuffled (the validation subset is not reshuffled every epoch).
        seed: the shuffling seed (None: a random one).
        follow_links: descend into symlinked subfolders.
        verbose: print what was found.
        validation_split: the fraction held out, or None.
        subset: ``"training"``, ``"validation"``, ``"both"`` or None.
        empty: the message for a subset without files (Keras's wording differs by function), with
            ``{which}`` for ``"training "`` / ``"validation "`` (empty unless ``subset="both"``) and
            ``{directory}``.

    Returns:
        One dataset, or ``[training, validation]`` for ``subset="both"``.

    Raises:
        ValueError: ``"binary"`` labels without exactly two classes, or a subset without files.
    """
    if seed is None:
        seed = np.random.randint(1e6)
    paths, labels, class_names = index_directory(directory, labels, formats, class_names=class_names, shuffle=shuffle,
                                                 seed=seed, follow_links=follow_links, verbose=verbose)
    if label_mode == "binary" and len(class_names) != 2:
        raise ValueError(f'When passing `label_mode="binary"`, there must be exactly 2 class_names. Received: '
                         f"class_names={class_names}")
    datasets = []
    for part in ("training", "validation") if subset == "both" else (subset,):
        part_paths, part_labels = training_or_validation_split(paths, labels, validation_split, part)
        if not part_paths:
            raise ValueError(empty.format(which=f"{part} " if subset == "both" else "", directory=directory))
        datasets.append(make(part_paths, part_labels, class_names, shuffle and part != "validation", seed))
    return datasets if subset == "both" else datasets[0]
