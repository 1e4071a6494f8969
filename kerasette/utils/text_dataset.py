"""``text_dataset_from_directory``: a folder of ``.txt`` files, one subfolder per class, as a ``PyDataset``.

Keras returns a ``tf.data.Dataset`` of string tensors; kerasette returns a ``TextFolderDataset`` (a
``PyDataset`` with ``class_names`` and ``file_paths``) whose batches hold the texts as a numpy object
array of ``str``, which ``TextVectorization`` and the lookup layers take. Files are listed, shuffled
and split by ``directory_index``, as Keras does (the same ``seed`` gives the same files).
"""

from __future__ import annotations

import numbers
import warnings
from typing import Any, List, Optional, Sequence

import numpy as np

from kerasette.utils import directory_index
from kerasette.utils.file_dataset import FileDataset

ALLOWLIST_FORMATS = (".txt",)


class TextFolderDataset(FileDataset):
    """Batches of texts read from files, with their labels (what ``text_dataset_from_directory`` returns).

    Each batch is ``(texts, labels)`` (or ``texts`` alone without labels): texts a numpy object array
    of ``str`` of shape (batch,); labels int32 (``"int"``), float32 one-hot (``"categorical"``) or
    float32 of shape (batch, 1) (``"binary"``). With ``shuffle``, the files are dealt into batches in
    a new order every epoch (drawn from ``seed`` and the epoch).

    Args:
        file_paths: the text files.
        labels: an int label per file, or None.
        class_names: the class names (index = label), or None.
        label_mode: ``"int"``, ``"categorical"``, ``"binary"`` or None.
        batch_size: texts per batch (None: one text per item, without a batch axis).
        max_length: keep at most this many bytes of each file's UTF-8 text (None: all of it).
        shuffle: deal the files in a new order every epoch.
        seed: the shuffling seed.
        **kwargs: ``workers``, ``use_multiprocessing``, ``max_queue_size`` (see ``PyDataset``).
    """

    def __init__(self, file_paths: List[str], labels: Any, class_names: Optional[List[str]],
                 label_mode: Optional[str], batch_size: Optional[int] = 32, max_length: Optional[int] = None,
                 shuffle: bool = False, seed: int = 0, **kwargs: Any) -> None:
        super().__init__(file_paths, labels, class_names, label_mode, batch_size=batch_size, shuffle=shuffle,
                         seed=seed, **kwargs)
        self.max_length = max_length

    def _load(self, row):
        path = self.file_paths[row]
        with open(path, "rb") as f:
            raw = f.read()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ValueError(f"Could not read the text file {path!r} as UTF-8: {error}. Convert it to UTF-8 "
                             "(kerasette's texts are Python strings).") from None
        if self.max_length is not None:  # bytes, as Keras's tf.strings.substr counts; a cut character is dropped
            text = raw[: self.max_length].decode("utf-8", errors="ignore")
        return text

    def _collate(self, items, rows):
        texts = np.empty(len(items), dtype=object)
        texts[:] = items
        return texts


def text_dataset_from_directory(directory: str, labels: Any = "inferred", label_mode: Optional[str] = "int",
                                class_names: Optional[Sequence[str]] = None, batch_size: Optional[int] = 32,
                                max_length: Optional[int] = None, shuffle: bool = True, seed: Optional[int] = None,
                                validation_split: Optional[float] = None, subset: Optional[str] = None,
                                follow_links: bool = False, format: str = "tf", verbose: bool = True,
                                **kwargs: Any) -> Any:
    """A dataset of text batches from a folder of class subfolders, as ``keras.utils.text_dataset_from_directory``.

    ``directory/class_a/*.txt``, ``directory/class_b/*.txt``... give labels 0, 1... in the sorted
    order of the subfolders. Only ``.txt`` files are read, as UTF-8.

    Args:
        directory: the folder.
        labels: ``"inferred"`` (from the subfolders), None, or a list of int labels (one per file,
            in the sorted order of the paths).
        label_mode: ``"int"``, ``"categorical"`` (one-hot), ``"binary"`` (two classes, float (N, 1)) or None.
        class_names: the classes (subfolder names) to use, in this order.
        batch_size: texts per batch (None: single texts).
        max_length: keep at most this many bytes of each text (as Keras's default ``tf.data`` format
            counts; a character cut in two is dropped).
        shuffle: shuffle the files (and deal them anew every epoch); False keeps alphanumeric order.
        seed: the shuffling seed (required with ``validation_split`` and ``shuffle``).
        validation_split: the fraction of files held out for validation.
        subset: ``"training"``, ``"validation"`` or ``"both"`` (a pair) with ``validation_split``.
        follow_links: descend into symlinked subfolders.
        format: Keras's choice of ``tf.data`` or Grain; kerasette returns a ``PyDataset`` for both.
        verbose: print the number of files and classes found.
        **kwargs: kerasette's ``workers``, ``use_multiprocessing`` and ``max_queue_size`` for the
            returned ``PyDataset``.

    Returns:
        A ``TextFolderDataset`` (a ``PyDataset``), or a list ``[training, validation]`` for ``subset="both"``.

    Raises:
        ValueError: invalid arguments, or no ``.txt`` file in the folder (or in a subset).

    Example:
        >>> import os, tempfile
        >>> root = tempfile.mkdtemp()
        >>> for name, text in [("neg", "dull"), ("pos", "great fun")]:
        ...     os.makedirs(os.path.join(root, name))
        ...     with open(os.path.join(root, name, "review.txt"), "w") as f:
        ...         _ = f.write(text)
        >>> data = text_dataset_from_directory(root, shuffle=False, verbose=False)
        >>> texts, labels = data[0]
        >>> data.class_names, texts.tolist(), labels.tolist()
        (['neg', 'pos'], ['dull', 'great fun'], [0, 1])
        >>> import shutil; shutil.rmtree(root)
    """
    directory_index.check_common_arguments("text_dataset_from_directory", kwargs, labels, class_names, label_mode,
                                           "text")
    for name, value in (("batch_size", batch_size), ("max_length", max_length)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1):
            raise ValueError(f"Invalid value for argument `{name}`. Expected a positive int or None. "
                             f"Received: {name}={value!r}")
    if format not in ("tf", "grain"):
        raise ValueError(f'`format` should be either "tf" or "grain". Received: format={format}')
    if format == "grain":
        warnings.warn('format="grain": kerasette has neither tf.data nor Grain; it returns a PyDataset for every '
                      "format.", stacklevel=2)
    if labels is None or label_mode is None:
        labels, label_mode = None, None
    directory_index.check_validation_split(validation_split, subset, shuffle, seed)
    def make(paths, part_labels, names, part_shuffle, part_seed):
        return TextFolderDataset(paths, part_labels, names, label_mode, batch_size=batch_size, max_length=max_length,
                                 shuffle=part_shuffle, seed=part_seed, **kwargs)

    return directory_index.make_subsets(make, directory, labels, ALLOWLIST_FORMATS, class_names, label_mode, shuffle,
                                        seed, follow_links, verbose, validation_split, subset,
                                        "No {which}text files found in directory {directory}. Allowed format: .txt")
