"""Image ops, named and shaped as ``keras.ops.image``: ``from kerasette import ops; ops.image.resize(...)``.

Images are NHWC (channels last; ``data_format="channels_first"`` raises), rank 4 for a batch or
rank 3 for one image. Every op runs on every backend; all but the colour conversions' integer paths
are differentiable with respect to the images (``affine_transform`` through its backend primitive,
the others through ``take``, ``slice``, ``pad`` and convolutions).

The ops live in private modules by concept: ``_image_resize`` (``resize``, ``scale_and_translate``),
``_image_sampling`` (``affine_transform``, ``perspective_transform``, ``map_coordinates``),
``_image_geometry`` (``crop_images``, ``pad_images``), ``_image_color`` and ``_image_filters``
(``gaussian_blur``, ``sobel_edges``, ``elastic_transform``).
"""

from kerasette.ops._image_color import hsv_to_rgb, rgb_to_grayscale, rgb_to_hsv
from kerasette.ops._image_filters import elastic_transform, gaussian_blur, sobel_edges
from kerasette.ops._image_geometry import crop_images, pad_images
from kerasette.ops._image_resize import resize, scale_and_translate
from kerasette.ops._image_sampling import (
    affine_transform,
    compute_homography_matrix,
    map_coordinates,
    perspective_transform,
)

__all__ = [
    "affine_transform", "compute_homography_matrix", "crop_images", "elastic_transform", "gaussian_blur",
    "hsv_to_rgb", "map_coordinates", "pad_images", "perspective_transform", "resize", "rgb_to_grayscale",
    "rgb_to_hsv", "scale_and_translate", "sobel_edges",
]
