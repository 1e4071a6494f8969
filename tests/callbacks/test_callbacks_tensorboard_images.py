"""TensorBoard callback, weight images: Keras's shape rules, scaling, tiling, and the PNG encoding."""

import io

import numpy as np
import pytest

from kerasette.callbacks._tensorboard_images import weight_image
from kerasette.callbacks._tensorboard_writer import png_bytes

GREY = 128


def test_a_bias_is_a_one_pixel_wide_column_from_black_to_white():
    image = weight_image(np.array([-2.0, 0.0, 2.0]))
    assert image.shape == (3, 1, 1) and image.dtype == np.uint8
    assert image[:, 0, 0].tolist() == [0, 128, 255]


def test_a_dense_kernel_is_drawn_as_it_is_or_transposed_when_taller_than_wide():
    wide = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(weight_image(wide)[..., 0], np.round(wide / 5 * 255))
    tall = np.arange(6.0).reshape(3, 2)
    np.testing.assert_array_equal(weight_image(tall)[..., 0], np.round(tall.T / 5 * 255))


def test_a_scalar_weight_is_one_pixel():
    assert weight_image(np.array(3.0)).shape == (1, 1, 1)


def test_size_one_axes_are_squeezed_first():
    np.testing.assert_array_equal(weight_image(np.arange(4.0).reshape(1, 4, 1)), weight_image(np.arange(4.0)))


def test_a_3d_kernel_is_a_grid_of_one_tile_per_filter_with_grey_gaps_and_padding():
    kernel = np.arange(2 * 2 * 5, dtype=float).reshape(2, 2, 5)  # (kh, kw, filters)
    image = weight_image(kernel)[..., 0]
    assert image.shape == (2 * 2 + 1, 3 * 2 + 2)  # 5 filters in a 3-wide grid: 2 rows of 3
    scaled = np.round(kernel / kernel.max() * 255)
    for f in range(5):
        row, col = divmod(f, 3)
        np.testing.assert_array_equal(image[row * 3:row * 3 + 2, col * 3:col * 3 + 2], scaled[:, :, f])
    assert (image[2, :] == GREY).all() and (image[:, 2] == GREY).all()
    assert (image[3:, 6:] == GREY).all()  # the unused sixth cell


def test_a_4d_conv_kernel_is_an_in_by_out_grid():
    kernel = np.random.default_rng(0).normal(size=(3, 3, 2, 4))
    image = weight_image(kernel)[..., 0]
    assert image.shape == (2 * 4 - 1, 4 * 4 - 1)
    low, high = kernel.min(), kernel.max()
    tile = np.round((kernel[:, :, 1, 2] - low) / (high - low) * 255)
    np.testing.assert_array_equal(image[4:7, 8:11], tile)


def test_constant_and_non_finite_weights():
    assert weight_image(np.zeros((2, 3)))[..., 0].tolist() == [[0, 0, 0], [0, 0, 0]]
    assert weight_image(np.array([np.nan, 1.0, 3.0]))[:, 0, 0].tolist() == [0, 0, 255]


def test_five_axes_have_no_image():
    assert weight_image(np.zeros((2, 2, 2, 2, 2))) is None


@pytest.mark.parametrize("channels, mode", [(1, "L"), (3, "RGB"), (4, "RGBA")])
def test_png_decodes_to_the_same_pixels(channels, mode):
    pil = pytest.importorskip("PIL.Image")
    pixels = np.random.default_rng(channels).integers(0, 256, size=(5, 7, channels), dtype=np.uint8)
    decoded = pil.open(io.BytesIO(png_bytes(pixels)))
    assert decoded.mode == mode
    np.testing.assert_array_equal(np.asarray(decoded).reshape(5, 7, channels), pixels)
