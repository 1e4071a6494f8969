"""``image_dataset_from_directory``: a folder of images, one subfolder per class, as a ``PyDataset``.

Keras returns a ``tf.data.Dataset``; kerasette returns an ``ImageFolderDataset`` (a ``PyDataset``
with ``class_names``, ``file_paths`` and ``map``), whose batches are decoded by Pillow and resized
on the host, in the data workers, while the previous step trains. Files are listed, shuffled and
split as Keras does (the same ``seed`` gives the same training and validation files).
"""

from __future__ import annotations

import numbers
import warnings
from typing import Any, List, Optional, Sequence

import numpy as np

from kerasette.utils import directory_index, image_utils
from kerasette.utils.file_dataset import FileDataset

ALLOWLIST_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")
INTERPOLATIONS = ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5")
_KERAS_ONLY_INTERPOLATIONS = ("gaussian", "mitchellcubic")
_CHANNELS = {"grayscale": 1, "rgb": 3, "rgba": 4}


class ImageFolderDataset(FileDataset):
    """Batches of images read from files, with their labels (what ``image_dataset_from_directory`` returns).

    Each batch is ``(images, labels)`` (or ``images`` alone without labels): images float32 of
    shape (batch, height, width, channels) with values 0-255; labels int32 (``"int"``), float32
    one-hot (``"categorical"``) or float32 of shape (batch, 1) (``"binary"``). With ``shuffle``, the
    files are dealt into batches in a new order every epoch (drawn from ``seed`` and the epoch).

    Args:
        file_paths: the image files.
        labels: an int label per file, or None.
        class_names: the class names (index = label), or None.
        label_mode: ``"int"``, ``"categorical"``, ``"binary"`` or None.
        image_size: ``(height, width)`` of the batches.
        color_mode: ``"grayscale"``, ``"rgb"`` or ``"rgba"``.
        batch_size: images per batch (None: one image per item, without a batch axis).
        shuffle: deal the files in a new order every epoch.
        seed: the shuffling seed.
        interpolation: how images are resized (see ``image_utils.resize_array``).
        crop_to_aspect_ratio: crop to the target aspect ratio before resizing.
        pad_to_aspect_ratio: pad to the target aspect ratio before resizing.
        data_format: ``"channels_last"`` or ``"channels_first"``.
        **kwargs: ``workers``, ``use_multiprocessing``, ``max_queue_size`` (see ``PyDataset``).
    """

    def __init__(self, file_paths: List[str], labels: Any, class_names: Optional[List[str]], label_mode: Optional[str],
                 image_size: Sequence[int], color_mode: str = "rgb", batch_size: Optional[int] = 32,
                 shuffle: bool = False, seed: int = 0, interpolation: str = "bilinear",
                 crop_to_aspect_ratio: bool = False, pad_to_aspect_ratio: bool = False,
                 data_format: str = "channels_last", **kwargs: Any) -> None:
        super().__init__(file_paths, labels, class_names, label_mode, batch_size=batch_size, shuffle=shuffle,
                         seed=seed, **kwargs)
        self.image_size, self.color_mode = tuple(image_size), color_mode
        self.interpolation, self.data_format = interpolation, data_format
        self.crop_to_aspect_ratio, self.pad_to_aspect_ratio = crop_to_aspect_ratio, pad_to_aspect_ratio

    def _load(self, row):
        path, image = self.file_paths[row], image_utils.pil_image()
        try:
            with image.open(path) as img:
                pixels = np.asarray(image_utils.convert_mode(img, self.color_mode), dtype=np.float32)
        except Exception as error:
            raise ValueError(f"Could not read the image file {path!r}: {type(error).__name__}: {error}") from None
        if pixels.ndim == 2:
            pixels = pixels[:, :, None]
        if pixels.shape[:2] != self.image_size or self.crop_to_aspect_ratio or self.pad_to_aspect_ratio:
            pixels = image_utils.resize_array(pixels, self.image_size, self.interpolation, self.crop_to_aspect_ratio,
                                              self.pad_to_aspect_ratio)
        return pixels.transpose(2, 0, 1) if self.data_format == "channels_first" else pixels


def image_dataset_from_directory(directory: str, labels: Any = "inferred", label_mode: Optional[str] = "int",
                                 class_names: Optional[Sequence[str]] = None, color_mode: str = "rgb",
                                 batch_size: Optional[int] = 32, image_size: Any = (256, 256), shuffle: bool = True,
                                 seed: Optional[int] = None, validation_split: Optional[float] = None,
                                 subset: Optional[str] = None, interpolation: str = "bilinear",
                                 follow_links: bool = False, crop_to_aspect_ratio: bool = False,
                                 pad_to_aspect_ratio: bool = False, data_format: Optional[str] = None,
                                 format: str = "tf", verbose: bool = True, **kwargs: Any) -> Any:
    """A dataset of image batches from a folder of class subfolders, as ``keras.utils.image_dataset_from_directory``.

    ``directory/class_a/*.png``, ``directory/class_b/*.jpg``... give labels 0, 1... in the sorted
    order of the subfolders. Images (bmp, gif, jpeg, png) are decoded by Pillow
    (``pip install "kerasette[images]"``), converted to ``color_mode`` and resized to
    ``image_size``; values stay in 0-255 (add a ``Rescaling`` layer or a ``map``).

    Args:
        directory: the folder.
        labels: ``"inferred"`` (from the subfolders), None, or a list of int labels (one per file,
            in the sorted order of the paths).
        label_mode: ``"int"``, ``"categorical"`` (one-hot), ``"binary"`` (two classes, float (N, 1)) or None.
        class_names: the classes (subfolder names) to use, in this order.
        color_mode: ``"grayscale"``, ``"rgb"`` or ``"rgba"``.
        batch_size: images per batch (None: single images).
        image_size: ``(height, width)`` (an int: square).
        shuffle: shuffle the files (and deal them anew every epoch).
        seed: the shuffling seed (required with ``validation_split`` and ``shuffle``).
        validation_split: the fraction of files held out for validation.
        subset: ``"training"``, ``"validation"`` or ``"both"`` (a pair) with ``validation_split``.
        interpolation: "bilinear", "nearest", "bicubic", "area", "lanczos3" or "lanczos5".
        follow_links: descend into symlinked subfolders.
        crop_to_aspect_ratio: crop to the target aspect ratio before resizing.
        pad_to_aspect_ratio: pad to the target aspect ratio before resizing.
        data_format: ``"channels_last"`` (default) or ``"channels_first"``.
        format: Keras's choice of ``tf.data`` or grain; kerasette returns a ``PyDataset`` for both.
        verbose: print the number of files and classes found.
        **kwargs: kerasette's ``workers``, ``use_multiprocessing`` and ``max_queue_size`` for the
            returned ``PyDataset`` (how many threads or processes decode images).

    Returns:
        An ``ImageFolderDataset`` (a ``PyDataset``), or a list ``[training, validation]`` for ``subset="both"``.
    """
    directory_index.check_common_arguments("image_dataset_from_directory", kwargs, labels, class_names, label_mode,
                                           "image")
    if labels is None or label_mode is None:
        labels, label_mode = None, None
    if color_mode not in _CHANNELS:
        raise ValueError(f'`color_mode` must be one of {{"rgb", "rgba", "grayscale"}}. '
                         f"Received: color_mode={color_mode}")
    image_size = _image_size(image_size)
    interpolation = _interpolation(interpolation)
    if batch_size is not None and (isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral)
                                   or batch_size < 1):
        raise ValueError(f"Invalid value for argument `batch_size`. Expected a positive int or None. "
                         f"Received: batch_size={batch_size!r}")
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError("Only one of `pad_to_aspect_ratio`, `crop_to_aspect_ratio` can be set to `True`.")
    if format not in ("tf", "grain"):
        raise ValueError(f'`format` should be either "tf" or "grain". Received: format={format}')
    if format == "grain":
        warnings.warn('format="grain": kerasette has neither tf.data nor grain; it returns a PyDataset for every '
                      "format.", stacklevel=2)
    data_format = image_utils.standardize_data_format(data_format)
    directory_index.check_validation_split(validation_split, subset, shuffle, seed)
    image_utils.pil_image()  # a clear error now if Pillow is missing, rather than in a data worker
    def make(paths, part_labels, names, part_shuffle, part_seed):
        return ImageFolderDataset(paths, part_labels, names, label_mode, image_size, color_mode=color_mode,
                                  batch_size=batch_size, shuffle=part_shuffle, seed=part_seed,
                                  interpolation=interpolation, crop_to_aspect_ratio=crop_to_aspect_ratio,
                                  pad_to_aspect_ratio=pad_to_aspect_ratio, data_format=data_format, **kwargs)

    return directory_index.make_subsets(make, directory, labels, ALLOWLIST_FORMATS, class_names, label_mode, shuffle,
                                        seed, follow_links, verbose, validation_split, subset,
                                        "No {which}images found in directory {directory}. Allowed formats: "
                                        f"{ALLOWLIST_FORMATS}")


def _image_size(image_size):
    if isinstance(image_size, numbers.Integral) and not isinstance(image_size, bool):
        image_size = (image_size, image_size)
    if (not isinstance(image_size, (list, tuple)) or len(image_size) != 2
            or not all(isinstance(s, numbers.Integral) and not isinstance(s, bool) and s > 0 for s in image_size)):
        raise ValueError(f"Invalid `image_size` value. Expected a tuple of 2 integers. "
                         f"Received: image_size={image_size}")
    return (int(image_size[0]), int(image_size[1]))


def _interpolation(interpolation):
    interpolation = str(interpolation).lower()
    if interpolation in _KERAS_ONLY_INTERPOLATIONS:
        raise ValueError(f"interpolation={interpolation!r} is not supported by kerasette (it has no TensorFlow "
                         f"resize); use one of {INTERPOLATIONS}.")
    if interpolation not in INTERPOLATIONS:
        raise ValueError(f"Argument `interpolation` should be one of {INTERPOLATIONS + _KERAS_ONLY_INTERPOLATIONS}. "
                         f"Received: interpolation={interpolation}")
    return interpolation
