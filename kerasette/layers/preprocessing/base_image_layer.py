"""The base of the image preprocessing and augmentation layers (Keras 3's ``BaseImagePreprocessingLayer``).

A layer draws its random parameters for a batch with ``get_random_transformation(data, training, seed)``
and applies them with ``transform_images(images, transformation, training)``; ``call`` does both. The
two are public, as in Keras, so the same draw can be applied to several tensors (or checked in a test).
Random layers act only while training: ``training=False`` (``predict``, ``evaluate``) returns the
images unchanged, cast to the layer's dtype. As in Keras 3, a direct call that does not say
(``layer(x)``, ``model(x)``) counts as training. Inputs are a batch (N, H, W, C) or one image (H, W, C),
or a dict with ``"images"`` and optionally ``"labels"`` and ``"segmentation_masks"``; bounding boxes are
refused (kerasette does not implement them).
"""

from __future__ import annotations

from typing import Any, Optional

from kerasette import ops
from kerasette.layers import validation
from kerasette.layers.layer import Layer
from kerasette.layers.node import KerasTensor
from kerasette.layers.preprocessing import arguments
from kerasette.ops import random

_DICT_KEYS = ("images", "labels", "segmentation_masks", "bounding_boxes")


class BaseImagePreprocessingLayer(Layer):
    """Base class of the image preprocessing layers (NHWC images, ``data_format="channels_last"``).

    Subclasses implement ``get_random_transformation`` (the random draw for a batch, or None) and
    ``_transform_batch(images, transformation, interpolation)`` (applied to a rank-4 float batch).

    Args:
        factor: the strength of the augmentation, a number or a pair (for layers that take it).
        bounding_box_format: must be None: kerasette does not transform bounding boxes.
        data_format: "channels_last" or None; "channels_first" raises.
        **kwargs: base layer arguments (``name``, ``dtype``...).
    """

    _USE_BASE_FACTOR = True  # the layer reads `factor` through _set_factor
    _FACTOR_BOUNDS = (-1, 1)
    _ALWAYS_ACTIVE = False  # deterministic layers (Resizing, CenterCrop...) also transform at inference
    _TRANSFORMS_MASKS = False  # geometric layers move segmentation masks with the images (nearest)
    interpolation = "bilinear"

    def __init__(self, factor: Any = None, bounding_box_format: Optional[str] = None,
                 data_format: Optional[str] = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if bounding_box_format is not None:
            raise ValueError(f"Layer `{self.name}` does not support bounding boxes: kerasette's preprocessing "
                             f"layers transform images, labels and segmentation masks only. Received: "
                             f"bounding_box_format={bounding_box_format!r}")
        self.bounding_box_format = None
        self.data_format = validation.data_format(self, data_format)
        if self._USE_BASE_FACTOR:
            self._set_factor(0.0 if factor is None else factor)
        elif factor is not None:
            raise ValueError(f"Layer {type(self).__name__} does not take a `factor` argument. Received: "
                             f"factor={factor}")

    def _set_factor(self, factor):
        low, high = self._FACTOR_BOUNDS
        self.factor = arguments.factor_range(self, "factor", factor, low, high)

    def _set_seed(self, seed):
        self.seed = arguments.seed(self, seed)
        self.generator = random.SeedGenerator(self.seed)
        self.seed_generator = self.generator

    # ----- helpers for subclasses ------------------------------------------------------------------
    def _seed(self, seed):
        return self.generator if seed is None else seed

    @staticmethod
    def _images_of(data):
        return data["images"] if isinstance(data, dict) else data

    def _batch_shape(self, data):
        """The shape of ``data``'s images as a batch: (N, H, W, C) (N = 1 for one image)."""
        shape = tuple(ops.shape(self._images_of(data)))
        self._check_rank(shape)
        return shape if len(shape) == 4 else (1,) + shape

    def _check_rank(self, shape):
        if len(shape) not in (3, 4):
            raise ValueError(f"Layer `{self.name}` expects images of rank 3 (single image) or 4 (batch of images). "
                             f"Received input with shape {tuple(shape)}.")

    def _uniform(self, shape, low, high, seed=None):
        return random.uniform(tuple(shape), float(low), float(high), dtype=self.dtype, seed=self._seed(seed))

    def _to_compute_dtype(self, images):
        return images if images.dtype == self.dtype else ops.cast(images, self.dtype)

    def _transform_value_range(self, images, original_range, target_range):
        """``images`` mapped linearly from ``original_range`` to ``target_range``."""
        if tuple(original_range) == tuple(target_range):
            return images
        low, high = float(original_range[0]), float(original_range[1])
        target_low, target_high = float(target_range[0]), float(target_range[1])
        images = ops.divide(ops.subtract(images, low), high - low)
        return ops.add(ops.multiply(images, target_high - target_low), target_low)

    # ----- the public steps ------------------------------------------------------------------------
    def get_random_transformation(self, data: Any, training: bool = True, seed: Any = None) -> Any:
        """Draw the random parameters of one call on ``data``.

        Args:
            data: images (rank 3 or 4) or a dict with ``"images"``.
            training: whether the layer is active; inactive layers draw nothing.
            seed: a ``SeedGenerator``, int or pair to draw from instead of the layer's own generator.

        Returns:
            The parameters (a dict of tensors for most layers), or None.
        """
        return None

    def transform_images(self, images: Any, transformation: Any = None, training: bool = True) -> ops.Tensor:
        """Apply ``transformation`` (from ``get_random_transformation``) to ``images``.

        Args:
            images: rank 3 or 4 tensor or array.
            transformation: the parameters drawn for these images.
            training: whether the layer is active; if not, the images come back cast to the layer's dtype.

        Returns:
            The transformed images, of the layer's dtype.
        """
        images = ops.convert_to_tensor(images)
        self._check_rank(images.shape)
        single = images.ndim == 3
        batch = self._to_compute_dtype(ops.expand_dims(images, 0) if single else images)
        if training or self._ALWAYS_ACTIVE:
            batch = self._transform_batch(batch, transformation, self.interpolation)
        return ops.squeeze(batch, 0) if single else batch

    def _transform_batch(self, images, transformation, interpolation):
        raise NotImplementedError(f"{type(self).__name__} does not implement `_transform_batch`.")

    def transform_labels(self, labels: Any, transformation: Any = None, training: bool = True) -> Any:
        """Labels that go with the images: unchanged, except in layers that mix images (MixUp, CutMix).

        Args:
            labels: the labels tensor.
            transformation: the parameters drawn for the images.
            training: whether the layer is active.

        Returns:
            The labels.
        """
        return labels

    def transform_segmentation_masks(self, segmentation_masks: Any, transformation: Any = None,
                                     training: bool = True) -> Any:
        """Segmentation masks that go with the images: moved like them (nearest) by geometric layers.

        Args:
            segmentation_masks: rank 3 or 4 masks, laid out as the images.
            transformation: the parameters drawn for the images.
            training: whether the layer is active.

        Returns:
            The masks; colour layers return them unchanged.
        """
        if not self._TRANSFORMS_MASKS:
            return segmentation_masks
        masks = ops.convert_to_tensor(segmentation_masks)
        self._check_rank(masks.shape)
        single = masks.ndim == 3
        batch = self._to_compute_dtype(ops.expand_dims(masks, 0) if single else masks)
        if training or self._ALWAYS_ACTIVE:
            batch = self._transform_batch(batch, transformation, "nearest")
        return ops.squeeze(batch, 0) if single else batch

    def call(self, inputs, training=None):
        training = True if training is None else bool(training)  # Keras 3: call(..., training=True)
        transformation = self.get_random_transformation(inputs, training=training)
        return self.transform_images(inputs, transformation, training=training)

    def __call__(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        """Call the layer on images (a tensor or array) or on a dict with ``"images"`` (see the class docs).

        Args:
            inputs: the images, or a dict of ``"images"``, ``"labels"``, ``"segmentation_masks"``.
            *args: passed on for tensor inputs.
            **kwargs: ``training`` and, for tensor inputs, what ``Layer.__call__`` accepts.

        Returns:
            The transformed images, or a new dict with each entry transformed.
        """
        if isinstance(inputs, dict):
            return self._call_dict(inputs, args, kwargs)
        return super().__call__(inputs, *args, **kwargs)

    def _call_dict(self, data, args, kwargs):
        unknown = sorted(set(data) - set(_DICT_KEYS))
        if "images" not in data or unknown:
            raise ValueError(f"Layer `{self.name}` expects a dict with the key 'images' and optionally 'labels' and "
                             f"'segmentation_masks'. Received keys: {sorted(data)}")
        if "bounding_boxes" in data:
            raise ValueError(f"Layer `{self.name}` received 'bounding_boxes': kerasette's preprocessing layers do not "
                             "transform bounding boxes.")
        training = kwargs.pop("training", None)
        if args or kwargs:
            raise TypeError(f"Layer `{self.name}` called on a dict accepts only `training`. Received: "
                            f"{list(args) + sorted(kwargs)}")
        if any(isinstance(v, KerasTensor) for v in data.values()):
            raise ValueError(f"Layer `{self.name}`: dict inputs work on arrays and tensors, not on symbolic inputs "
                             "of a functional model.")
        training = True if training is None else bool(training)
        images = ops.convert_to_tensor(data["images"])
        if images.dtype != self.dtype and images.dtype.startswith("float"):
            images = ops.cast(images, self.dtype)
        self._maybe_build(tuple(images.shape))
        data = {**data, "images": images}
        transformation = self.get_random_transformation(data, training=training)
        out = dict(data)
        out["images"] = self.transform_images(images, transformation, training=training)
        if "labels" in data:
            out["labels"] = self.transform_labels(ops.convert_to_tensor(data["labels"]), transformation, training)
        if "segmentation_masks" in data:
            out["segmentation_masks"] = self.transform_segmentation_masks(
                ops.convert_to_tensor(data["segmentation_masks"]), transformation, training)
        return out

    def compute_output_shape(self, input_shape):
        self._check_rank(input_shape)
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}
