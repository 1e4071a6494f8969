"""Filters and warps built on convolution: ``gaussian_blur``, ``sobel_edges`` and ``elastic_transform``."""

from __future__ import annotations

from typing import Optional, Tuple, Union

import numpy as np

from kerasette.ops._helpers import cast, convert_to_tensor
from kerasette.ops._image_common import as_batch, back_to_dtype, check_data_format, to_float, unbatch
from kerasette.ops._image_sampling import check_fill_mode, check_interpolation, sample_images
from kerasette.ops._types import TensorLike
from kerasette.ops.elementwise import add, divide, exp, multiply, square
from kerasette.ops.keras_forms import reshape, stack
from kerasette.ops.manipulation import tile
from kerasette.ops.nn import depthwise_conv
from kerasette.ops.random import normal
from kerasette.ops.reductions import sum as reduce_sum
from kerasette.ops.tensor import Tensor


def _pair(value, name):
    values = tuple(value) if isinstance(value, (list, tuple)) else (value, value)
    if len(values) != 2:
        raise ValueError(f"`gaussian_blur`: `{name}` must be a number or a pair. Received: {name}={value!r}")
    return values


def gaussian_kernel_1d(size: int, sigma: Union[float, Tensor], dtype: str) -> Tensor:
    """A normalized Gaussian window of ``size`` taps centred on ``(size - 1) / 2``.

    Args:
        size: the number of taps.
        sigma: the standard deviation (a number or a scalar tensor).
        dtype: the float dtype of the result.

    Returns:
        A tensor (size,) summing to 1.
    """
    x = convert_to_tensor(np.arange(size, dtype=dtype) - (size - 1) / 2)
    window = exp(multiply(square(divide(x, cast(sigma, dtype))), -0.5))
    return divide(window, reduce_sum(window))


def gaussian_blur(
    images: TensorLike,
    kernel_size: Tuple[int, int] = (3, 3),
    sigma: Tuple[float, float] = (1.0, 1.0),
    data_format: Optional[str] = None,
) -> Tensor:
    """Blur images with a Gaussian kernel, as ``keras.ops.image.gaussian_blur`` (zero padding, same size).

    Args:
        images: rank 3 or 4 (NHWC) float tensor.
        kernel_size: two positive ints. As in Keras's code (its docstring says height, width), the first
            is the kernel's width and the second its height.
        sigma: two standard deviations (numbers or scalar tensors): along the width, then the height.
        data_format: "channels_last" or None.

    Returns:
        The blurred images, of the input's shape.

    Raises:
        ValueError: for a bad rank or kernel size.

    Example:
        >>> from kerasette import ops
        >>> x = ops.ones((1, 5, 5, 1))
        >>> round(float(ops.image.gaussian_blur(x)[0, 2, 2, 0]), 4)  # inside the image the weights sum to 1
        1.0
    """
    check_data_format(data_format, "gaussian_blur")
    kernel_size = tuple(int(k) for k in _pair(kernel_size, "kernel_size"))
    if any(k <= 0 for k in kernel_size):
        raise ValueError(f"`gaussian_blur`: `kernel_size` must be positive ints. Received: kernel_size={kernel_size}")
    sigma_x, sigma_y = _pair(sigma, "sigma")
    images, single = as_batch(images, "gaussian_blur")
    dtype = images.dtype
    x = to_float(images)
    kx = gaussian_kernel_1d(kernel_size[0], sigma_x, x.dtype)
    ky = gaussian_kernel_1d(kernel_size[1], sigma_y, x.dtype)
    kernel = multiply(reshape(ky, (-1, 1, 1, 1)), reshape(kx, (1, -1, 1, 1)))
    kernel = tile(kernel, (1, 1, x.shape[-1], 1))
    return unbatch(back_to_dtype(depthwise_conv(x, kernel, padding="same"), dtype), single)


def sobel_edges(images: TensorLike, data_format: Optional[str] = None) -> Tensor:
    """Sobel gradients of images, as ``keras.ops.image.sobel_edges`` (zero padding).

    Args:
        images: (N, H, W, C) float tensor.
        data_format: "channels_last" or None.

    Returns:
        A tensor (N, H, W, C, 2): ``[..., 0]`` the vertical gradient dy, ``[..., 1]`` the horizontal dx.

    Raises:
        ValueError: for images that are not of rank 4.

    Example:
        >>> import numpy as np
        >>> from kerasette import ops
        >>> image = np.zeros((1, 4, 4, 1), "float32"); image[0, :, 2:, 0] = 1.0
        >>> ops.image.sobel_edges(image)[0, 1, :, 0, 1].numpy().tolist()
        [0.0, 4.0, 4.0, -4.0]
    """
    check_data_format(data_format, "sobel_edges")
    images = convert_to_tensor(images)
    if images.ndim != 4:
        raise ValueError(f"`sobel_edges` expects images of rank 4 (N, H, W, C). Received shape {images.shape}")
    sobel_x = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=images.dtype)
    channels = images.shape[-1]
    edges = []
    for kernel in (sobel_x.T, sobel_x):
        k = convert_to_tensor(np.tile(kernel[:, :, None, None], (1, 1, channels, 1)))
        edges.append(depthwise_conv(images, k, padding="same"))
    return stack(edges, axis=-1)


def elastic_transform(
    images: TensorLike,
    alpha: float = 20.0,
    sigma: float = 5.0,
    interpolation: str = "bilinear",
    fill_mode: str = "reflect",
    fill_value: float = 0.0,
    seed=None,
    data_format: Optional[str] = None,
) -> Tensor:
    """Displace every pixel by smooth random offsets, as ``keras.ops.image.elastic_transform``.

    Offsets are normal noise (stddev ``sigma``) blurred with a Gaussian of ``sigma`` (kernel size
    ``int(6 * sigma) | 1``) and scaled by ``alpha``; pixel ``(y, x)`` then reads the input at
    ``(y + alpha * dy, x + alpha * dx)``. Differentiable with respect to the images.

    Args:
        images: rank 3 or 4 (NHWC) tensor.
        alpha: the scale of the displacement.
        sigma: the smoothness of the displacement (and the noise's stddev).
        interpolation: "nearest" or "bilinear".
        fill_mode: "constant", "nearest", "wrap", "mirror" or "reflect".
        fill_value: the value read outside with "constant".
        seed: an int, a ``SeedGenerator`` or None, as for ``kerasette.random``.
        data_format: "channels_last" or None.

    Returns:
        The warped images, of the input's shape and dtype.

    Raises:
        ValueError: for a bad rank, interpolation or fill mode, or ``sigma <= 0``.

    Example:
        >>> from kerasette import ops
        >>> ops.image.elastic_transform(ops.ones((2, 8, 8, 3)), seed=1).shape
        (2, 8, 8, 3)
    """
    check_interpolation(interpolation, "elastic_transform")
    check_fill_mode(fill_mode, "elastic_transform")
    check_data_format(data_format, "elastic_transform")
    if not float(sigma) > 0:
        raise ValueError(f"Invalid value for argument `sigma` of `elastic_transform`. Expected a number > 0. "
                         f"Received: sigma={sigma}")
    images, single = as_batch(images, "elastic_transform")
    dtype = images.dtype
    x = to_float(images)
    n, h, w, _ = x.shape
    size = int(6 * float(sigma)) | 1
    noise = normal((n, h, w, 2), stddev=float(sigma), dtype=x.dtype, seed=seed)
    kernel = multiply(reshape(gaussian_kernel_1d(size, float(sigma), x.dtype), (-1, 1, 1, 1)),
                      reshape(gaussian_kernel_1d(size, float(sigma), x.dtype), (1, -1, 1, 1)))
    smooth = depthwise_conv(noise, tile(kernel, (1, 1, 2, 1)), padding="same")
    grid_y, grid_x = np.meshgrid(np.arange(h), np.arange(w), indexing="ij")
    ys = add(convert_to_tensor(grid_y.astype(x.dtype)), multiply(smooth[..., 1], float(alpha)))
    xs = add(convert_to_tensor(grid_x.astype(x.dtype)), multiply(smooth[..., 0], float(alpha)))
    out = sample_images(x, ys, xs, interpolation, fill_mode, fill_value)
    return unbatch(back_to_dtype(out, dtype), single)

