"""kerasette.ops.image on every backend: against plain numpy references (preprocessing_references.py) and
scipy, gradients against finite differences, and the errors for bad arguments. The comparisons with real
Keras 3 are in test_preprocessing_keras_golden.py."""

import itertools

import numpy as np
import preprocessing_references as ref
import pytest
from finite_differences import central_difference

from kerasette import ops

FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")
RNG = np.random.default_rng(0)
IMAGES = RNG.uniform(0, 1, (2, 7, 9, 3)).astype("float32")


def _transforms():
    """An affine transform (rotation + scale + shift) and a projective one."""
    t = np.zeros((2, 8), "float32")
    t[0, :6] = [1.3 * np.cos(0.4), -np.sin(0.4), 1.7, np.sin(0.4), 0.8 * np.cos(0.4), -1.2]
    t[1] = [0.9, 0.2, 0.5, -0.1, 1.1, 0.3, 0.02, -0.03]
    return t


@pytest.mark.parametrize("interpolation,fill_mode", list(itertools.product(("nearest", "bilinear"), FILL_MODES)))
def test_affine_transform_matches_the_pixel_by_pixel_reference(interpolation, fill_mode, backend):
    out = ops.image.affine_transform(IMAGES, _transforms(), interpolation, fill_mode, fill_value=0.5)
    expected = ref.affine_transform(IMAGES, _transforms(), interpolation, fill_mode, 0.5)
    np.testing.assert_allclose(out.numpy(), expected, atol=2e-5)


def test_affine_transform_matches_scipy_map_coordinates(backend):
    ndimage = pytest.importorskip("scipy.ndimage")
    t = _transforms()[0]
    out = ops.image.affine_transform(IMAGES[0], t, "bilinear", "reflect").numpy()
    y, x = np.mgrid[:7, :9].astype(np.float64)
    coords = [t[3] * x + t[4] * y + t[5], t[0] * x + t[1] * y + t[2]]
    for c in range(3):
        expected = ndimage.map_coordinates(IMAGES[0, :, :, c].astype(np.float64), coords, order=1, mode="reflect")
        np.testing.assert_allclose(out[:, :, c], expected, atol=2e-5)


def test_affine_transform_identity_single_image_and_integer_images(backend):
    identity = [1, 0, 0, 0, 1, 0, 0, 0]
    np.testing.assert_array_equal(ops.image.affine_transform(IMAGES[0], identity).numpy(), IMAGES[0])
    pixels = (IMAGES * 255).astype("uint8")
    out = ops.image.affine_transform(pixels, [1, 0, -0.5, 0, 1, 0, 0, 0], fill_mode="nearest")  # half a pixel
    assert out.dtype == "uint8"
    expected = np.round(ref.affine_transform(pixels, np.tile([1, 0, -0.5, 0, 1, 0, 0, 0], (2, 1)), "bilinear",
                                             "nearest"))
    np.testing.assert_array_equal(out.numpy(), expected.astype("uint8"))


@pytest.mark.parametrize("interpolation", ["nearest", "bilinear"])
@pytest.mark.parametrize("fill_mode", ["constant", "reflect", "wrap"])
def test_affine_transform_gradient_matches_finite_differences(interpolation, fill_mode, backend):
    x_host = RNG.normal(size=(2, 4, 5, 2))
    t = _transforms().astype("float64")
    t[:, 2] += 0.013  # keep sample points off pixel centres, where the bilinear weights have kinks
    cotangent = RNG.normal(size=x_host.shape)

    def objective(_):
        with ops.stop_recording():
            return float(np.sum(ops.image.affine_transform(x_host, t, interpolation, fill_mode).numpy() * cotangent))

    x = ops.convert_to_tensor(x_host)
    with ops.GradientTape() as tape:
        tape.watch(x)
        loss = ops.sum(ops.multiply(ops.image.affine_transform(x, t, interpolation, fill_mode), cotangent))
    (grad,) = tape.gradient(loss, [x])
    np.testing.assert_allclose(grad.numpy(), central_difference(objective, x_host), rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("order", [0, 1])
@pytest.mark.parametrize("fill_mode", FILL_MODES)
def test_map_coordinates_matches_the_reference(order, fill_mode, backend):
    image = IMAGES[0, :, :, 0]
    coords = RNG.uniform(-3, 11, (2, 5, 4)).astype("float32")
    out = ops.image.map_coordinates(image, coords, order, fill_mode, 0.75).numpy()
    interpolation = "nearest" if order == 0 else "bilinear"
    for i, j in itertools.product(range(5), range(4)):
        value = ref.sample(image[:, :, None], coords[0, i, j], coords[1, i, j], interpolation, fill_mode, 0.75)
        np.testing.assert_allclose(out[i, j], value[0], atol=1e-6)


def test_map_coordinates_gradients_reach_inputs_and_coordinates(backend):
    image_host = RNG.normal(size=(4, 5))
    coords_host = RNG.uniform(0.1, 3.9, (2, 3, 3)) + 0.013

    def objective(image, coords):
        with ops.stop_recording():
            return float(np.sum(ops.image.map_coordinates(image, coords, 1, "reflect").numpy()))

    image, coords = ops.convert_to_tensor(image_host), ops.convert_to_tensor(coords_host)
    with ops.GradientTape() as tape:
        tape.watch(image)
        tape.watch(coords)
        loss = ops.sum(ops.image.map_coordinates(image, coords, 1, "reflect"))
    grad_image, grad_coords = tape.gradient(loss, [image, coords])
    np.testing.assert_allclose(grad_image.numpy(), central_difference(lambda v: objective(v, coords_host),
                                                                      image_host), rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(grad_coords.numpy(), central_difference(lambda v: objective(image_host, v),
                                                                       coords_host), rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("size", [(4, 5), (13, 6), (7, 9)])
def test_resize_matches_the_numpy_references(size, backend):
    np.testing.assert_allclose(ops.image.resize(IMAGES, size).numpy(), ref.bilinear_resize(IMAGES, *size), atol=1e-5)
    np.testing.assert_array_equal(ops.image.resize(IMAGES, size, "nearest").numpy(), ref.nearest_resize(IMAGES, *size))


def test_resize_area_averages_blocks_and_lanczos_keeps_constants(backend):
    x = RNG.uniform(size=(1, 6, 8, 2)).astype("float32")
    blocks = x.reshape(1, 3, 2, 4, 2, 2).mean(axis=(2, 4))
    np.testing.assert_allclose(ops.image.resize(x, (3, 4), "area").numpy(), blocks, atol=1e-6)
    for method in ("lanczos3", "lanczos5"):
        np.testing.assert_allclose(ops.image.resize(np.full((1, 5, 7, 1), 3.0, "float32"), (9, 4), method).numpy(),
                                   3.0, atol=1e-5)


@pytest.mark.parametrize("interpolation", ["bilinear", "bicubic", "nearest"])
def test_resize_gradient_matches_finite_differences(interpolation, backend):
    x_host = RNG.normal(size=(1, 5, 4, 2))
    cotangent = RNG.normal(size=(1, 3, 7, 2))

    def objective(_):
        with ops.stop_recording():
            return float(np.sum(ops.image.resize(x_host, (3, 7), interpolation).numpy() * cotangent))

    x = ops.convert_to_tensor(x_host)
    with ops.GradientTape() as tape:
        tape.watch(x)
        loss = ops.sum(ops.multiply(ops.image.resize(x, (3, 7), interpolation), cotangent))
    (grad,) = tape.gradient(loss, [x])
    np.testing.assert_allclose(grad.numpy(), central_difference(objective, x_host), rtol=1e-5, atol=1e-7)


def test_colour_conversions_match_colorsys(backend):
    hsv = ops.image.rgb_to_hsv(IMAGES).numpy()
    np.testing.assert_allclose(hsv, ref.rgb_to_hsv(IMAGES), atol=1e-5)
    np.testing.assert_allclose(ops.image.hsv_to_rgb(hsv).numpy(), ref.hsv_to_rgb(hsv), atol=1e-5)
    np.testing.assert_allclose(ops.image.hsv_to_rgb(hsv).numpy(), IMAGES, atol=1e-5)
    gray = ops.image.rgb_to_grayscale(IMAGES).numpy()
    np.testing.assert_allclose(gray, ref.grayscale(IMAGES), atol=1e-6)


@pytest.mark.parametrize("kernel_size,sigma", [((3, 3), (1.0, 1.0)), ((5, 5), (1.5, 0.7)), ((3, 5), (0.6, 1.2))])
def test_gaussian_blur_matches_the_reference(kernel_size, sigma, backend):
    out = ops.image.gaussian_blur(IMAGES, kernel_size, sigma).numpy()
    np.testing.assert_allclose(out, ref.gaussian_blur(IMAGES, kernel_size, sigma), atol=1e-5)


def test_crop_and_pad_are_slices_and_zero_borders(backend):
    cropped = ops.image.crop_images(IMAGES, 1, 2, target_height=5, right_cropping=3).numpy()
    np.testing.assert_array_equal(cropped, IMAGES[:, 1:6, 2:6])
    padded = ops.image.pad_images(IMAGES[0], 2, 0, bottom_padding=1, target_width=11).numpy()
    np.testing.assert_array_equal(padded, np.pad(IMAGES[0], ((2, 1), (0, 2), (0, 0))))


def test_elastic_transform_reads_where_its_smoothed_noise_points(backend):
    x = RNG.uniform(size=(2, 12, 10, 1)).astype("float32")
    assert np.allclose(ops.image.elastic_transform(np.full((1, 8, 8, 2), 3.0, "float32"), seed=1).numpy(), 3.0)
    out = ops.image.elastic_transform(x, alpha=2.0, sigma=1.0, fill_mode="nearest", seed=7).numpy()
    noise = ops.random.normal((2, 12, 10, 2), stddev=1.0, seed=7).numpy()  # the op's draw for an int seed
    smooth = np.concatenate([ref.gaussian_blur(noise[..., i:i + 1], (7, 7), (1.0, 1.0)) for i in (0, 1)], -1)
    for n, i, j in itertools.product(range(2), range(12), range(10)):
        expected = ref.sample(x[n], i + 2.0 * smooth[n, i, j, 1], j + 2.0 * smooth[n, i, j, 0], "bilinear",
                              "nearest", 0.0)
        np.testing.assert_allclose(out[n, i, j], expected, atol=1e-5)


@pytest.mark.parametrize("call,message", [
    (lambda: ops.image.resize(IMAGES, (0, 3)), "size"),
    (lambda: ops.image.resize(IMAGES, (3, 3), "cubic"), "interpolation"),
    (lambda: ops.image.resize(IMAGES, (3, 3), crop_to_aspect_ratio=True, pad_to_aspect_ratio=True), "Only one"),
    (lambda: ops.image.resize(IMAGES[0, 0], (3, 3)), "rank"),
    (lambda: ops.image.resize(IMAGES, (3, 3), data_format="channels_first"), "data_format"),
    (lambda: ops.image.affine_transform(IMAGES, np.zeros((2, 6))), "transform"),
    (lambda: ops.image.affine_transform(IMAGES, np.zeros(8), fill_mode="edge"), "fill_mode"),
    (lambda: ops.image.affine_transform(IMAGES, np.zeros(8), interpolation="bicubic"), "interpolation"),
    (lambda: ops.image.map_coordinates(IMAGES, np.zeros((2, 3)), 1), "rank of `inputs`"),
    (lambda: ops.image.map_coordinates(IMAGES[0, :, :, 0], np.zeros((2, 3)), 3), "order"),
    (lambda: ops.image.crop_images(IMAGES, 1, 1, 1, 1, target_height=2), "exactly two"),
    (lambda: ops.image.pad_images(IMAGES, -1, 0, 1, 1), ">= 0"),
    (lambda: ops.image.rgb_to_hsv(np.zeros((2, 2, 3), "int32")), "float"),
    (lambda: ops.image.rgb_to_grayscale(np.zeros((2, 2, 2))), "channel"),
    (lambda: ops.image.perspective_transform(IMAGES, np.zeros((3, 2)), np.zeros((3, 2))), "start_points"),
    (lambda: ops.image.elastic_transform(IMAGES, sigma=0.0), "sigma"),
])
def test_bad_arguments_raise_clear_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()
