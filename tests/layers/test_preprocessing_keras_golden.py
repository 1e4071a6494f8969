"""kerasette's image ops and preprocessing layers against real Keras 3 (torch backend), on every backend.

Random layers cannot share Keras's random streams, so each test draws kerasette's transformation and hands
the same numbers to Keras's ``transform_images`` (as torch tensors): both must then give the same images.
Where Keras 3.15.1 has a bug, the test says so and compares what Keras means to compute.
"""

import numpy as np
import pytest
from keras_reference import keras, numpy_of, quiet

import kerasette as ks
from kerasette import ops

torch = pytest.importorskip("torch")
RNG = np.random.default_rng(1)
IMAGES = RNG.uniform(0, 1, (2, 7, 9, 3)).astype("float32")
PIXELS = RNG.uniform(0, 255, (3, 9, 11, 3)).astype("float32")


def kops(fn, *args, **kwargs):
    return numpy_of(quiet(lambda: fn(*args, **kwargs)))


def to_torch(value):
    """A transformation (tensors, possibly nested in dicts, lists and tuples) with torch tensors for Keras."""
    if isinstance(value, dict):
        return {k: to_torch(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(to_torch(v) for v in value)
    if isinstance(value, ops.Tensor):
        return torch.as_tensor(value.numpy())
    return value


def keras_transform(layer, images, transformation):
    """Keras's ``transform_images`` on a copy of ``images`` (some Keras layers add to their input in place)."""
    return numpy_of(quiet(lambda: layer.transform_images(torch.as_tensor(np.array(images)), to_torch(transformation))))


# ----- ops ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("interpolation", ["nearest", "bilinear"])
@pytest.mark.parametrize("fill_mode", ["constant", "nearest", "wrap", "mirror", "reflect"])
def test_affine_transform(interpolation, fill_mode, backend):
    t = np.array([[1.3 * np.cos(0.4), -np.sin(0.4), 1.7, np.sin(0.4), 0.8 * np.cos(0.4), -1.2, 0, 0],
                  [0.9, 0.2, 0.5, -0.1, 1.1, 0.3, 0, 0]], "float32")
    out = ops.image.affine_transform(IMAGES, t, interpolation, fill_mode, fill_value=0.25).numpy()
    np.testing.assert_allclose(out, kops(keras.ops.image.affine_transform, IMAGES, t, interpolation, fill_mode, 0.25),
                               atol=1e-5)


@pytest.mark.parametrize("size,interpolation", [((4, 5), "bilinear"), ((17, 20), "bilinear"), ((3, 13), "nearest"),
                                                ((14, 4), "nearest"), ((5, 6), "bicubic"), ((15, 19), "bicubic")])
@pytest.mark.parametrize("options", [{}, {"antialias": True}, {"crop_to_aspect_ratio": True},
                                     {"pad_to_aspect_ratio": True, "fill_value": 0.3}], ids=str)
def test_resize(size, interpolation, options, backend):
    out = ops.image.resize(IMAGES, size, interpolation, **options).numpy()
    np.testing.assert_allclose(out, kops(keras.ops.image.resize, IMAGES, size, interpolation, **options), atol=2e-5)


def test_resize_of_uint8_images(backend):
    pixels = PIXELS.astype("uint8")
    for interpolation in ("bilinear", "bicubic"):
        out = ops.image.resize(pixels, (15, 17), interpolation)
        assert out.dtype == "uint8"
        np.testing.assert_array_equal(out.numpy(), kops(keras.ops.image.resize, pixels, (15, 17), interpolation))


def test_scale_and_translate(backend):
    for shape, scale, translation, method, antialias in [
            ((2, 5, 7, 3), [0.6, 0.5], [0.3, -0.2], "linear", True),
            ((2, 15, 27, 3), [1.6, 2.1], [0.3, -0.2], "cubic", False),
            ((2, 5, 27, 3), [0.6, 2.1], [0.3, -0.2], "lanczos3", True),
            ((2, 9, 4, 3), [1.0, 0.4], [0.0, 1.0], "lanczos5", True)]:
        out = ops.image.scale_and_translate(IMAGES, shape, scale, translation, [1, 2], method, antialias).numpy()
        expected = kops(keras.ops.image.scale_and_translate, IMAGES, shape, np.array(scale), np.array(translation),
                        [1, 2], method, antialias)
        np.testing.assert_allclose(out, expected, atol=2e-5)


def test_map_coordinates_perspective_colour_blur_sobel_crop_pad(backend):
    k = keras.ops.image
    coords = RNG.uniform(-3, 11, (4, 2, 5, 4, 3)).astype("float32")
    coords[3] = np.round(coords[3]) % 3
    for fill_mode in ("constant", "nearest", "wrap", "mirror", "reflect"):
        for order in (0, 1):
            np.testing.assert_allclose(ops.image.map_coordinates(IMAGES, coords, order, fill_mode, 0.75).numpy(),
                                       kops(k.map_coordinates, IMAGES, coords, order, fill_mode, 0.75), atol=1e-6)
    start = np.array([[[0, 0], [8, 0], [0, 6], [8, 6]]] * 2, "float32")
    end = start + RNG.uniform(-1.5, 1.5, start.shape).astype("float32")
    for interpolation in ("nearest", "bilinear"):
        np.testing.assert_allclose(ops.image.perspective_transform(IMAGES, start, end, interpolation, 0.3).numpy(),
                                   kops(k.perspective_transform, IMAGES, start, end, interpolation, 0.3), atol=1e-4)
    hsv = ops.image.rgb_to_hsv(IMAGES).numpy()
    np.testing.assert_allclose(hsv, kops(k.rgb_to_hsv, IMAGES), atol=1e-6)
    np.testing.assert_allclose(ops.image.hsv_to_rgb(hsv).numpy(), kops(k.hsv_to_rgb, hsv), atol=1e-6)
    np.testing.assert_allclose(ops.image.rgb_to_grayscale(IMAGES).numpy(), kops(k.rgb_to_grayscale, IMAGES), atol=1e-6)
    # Keras's torch backend reads data_format=None as channels_first here, so it is passed explicitly
    for size, sigma in (((3, 3), (1.0, 1.0)), ((5, 5), (1.5, 0.7))):
        np.testing.assert_allclose(ops.image.gaussian_blur(IMAGES, size, sigma).numpy(),
                                   kops(k.gaussian_blur, IMAGES, size, sigma, data_format="channels_last"), atol=1e-5)
    np.testing.assert_allclose(ops.image.sobel_edges(IMAGES).numpy(), kops(k.sobel_edges, IMAGES), atol=1e-5)
    np.testing.assert_array_equal(ops.image.crop_images(IMAGES, 1, 2, target_height=5, right_cropping=3).numpy(),
                                  kops(k.crop_images, IMAGES, 1, 2, target_height=5, right_cropping=3))
    np.testing.assert_array_equal(ops.image.pad_images(IMAGES[0], 2, 0, bottom_padding=1, target_width=11).numpy(),
                                  kops(k.pad_images, IMAGES[0], 2, 0, bottom_padding=1, target_width=11))


# ----- layers, given the same random draw -------------------------------------------------------
RANDOM_LAYERS = [
    ("RandomFlip", {"mode": "horizontal_and_vertical"}), ("RandomFlip", {"mode": "vertical"}),
    ("RandomZoom", {"height_factor": 0.3}),
    ("RandomZoom", {"height_factor": (-0.4, 0.3), "width_factor": 0.5, "fill_mode": "wrap"}),
    ("RandomTranslation", {"height_factor": 0.3, "width_factor": 0.2, "fill_mode": "nearest"}),
    ("RandomTranslation", {"height_factor": 0.2, "width_factor": 0.3, "fill_mode": "constant", "fill_value": 9.0,
                           "interpolation": "nearest"}),
    ("RandomShear", {"x_factor": 0.3, "y_factor": 0.2}),
    ("RandomContrast", {"factor": 0.3}), ("RandomBrightness", {"factor": 0.3}),
    ("RandomErasing", {"factor": 1.0}), ("RandomErasing", {"factor": 1.0, "fill_value": [1.0, 2.0, 3.0]}),
    ("Solarization", {"addition_factor": 0.2, "threshold_factor": 0.6}), ("RandomInvert", {}),
    ("RandomGrayscale", {"factor": 0.5}), ("RandomPosterization", {"factor": (2, 6)}),
    ("RandomSharpness", {"factor": 0.8}), ("RandomColorDegeneration", {"factor": 0.8}),
    ("RandomSaturation", {"factor": (0.2, 0.8)}), ("RandomHue", {"factor": 0.7}),
    ("RandomGaussianBlur", {"factor": 0.8, "sigma": 0.9, "kernel_size": 5}), ("MixUp", {"alpha": 0.4}),
    ("CutMix", {"factor": 0.8}), ("RandomPerspective", {"scale": 0.6}),
]


@pytest.mark.parametrize("name,kwargs", RANDOM_LAYERS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(RANDOM_LAYERS)])
def test_random_layer_applies_its_draw_as_keras_does(name, kwargs, backend):
    ours = getattr(ks.layers, name)(seed=3, **kwargs)
    theirs = quiet(lambda: getattr(keras.layers, name)(seed=3, **kwargs))
    transformation = ours.get_random_transformation(PIXELS)
    out = ours.transform_images(PIXELS, transformation).numpy()
    atol = 1e-3 if name == "RandomPerspective" else 1e-4  # the homography is solved in float64 / float32
    np.testing.assert_allclose(out, keras_transform(theirs, PIXELS, transformation), rtol=1e-5, atol=atol)


def test_random_rotation_builds_keras_transform_from_the_angle(backend):
    ours = ks.layers.RandomRotation(0.2, seed=3)
    theirs = quiet(lambda: keras.layers.RandomRotation(0.2, seed=3))
    transformation = ours.get_random_transformation(PIXELS)
    n, h, w = PIXELS.shape[:3]
    angle = torch.as_tensor(transformation["angle"].numpy())
    zeros, ones = torch.zeros(n), torch.ones(n)
    matrix = quiet(lambda: theirs._compute_affine_matrix(0.5, 0.5, angle, zeros, zeros, ones, zeros, zeros, h, w))
    np.testing.assert_allclose(transformation["rotation_matrix"].numpy(), numpy_of(matrix), rtol=1e-5, atol=1e-5)
    expected = keras_transform(theirs, PIXELS, {**transformation, "rotation_matrix": matrix})
    np.testing.assert_allclose(ours.transform_images(PIXELS, transformation).numpy(), expected, rtol=1e-5, atol=1e-4)


def test_random_color_jitter_applies_the_stages_as_keras(backend):
    kwargs = {"brightness_factor": 0.2, "contrast_factor": 0.3, "saturation_factor": (0.3, 0.7), "hue_factor": 0.4}
    ours = ks.layers.RandomColorJitter(seed=1, **kwargs)
    theirs = quiet(lambda: keras.layers.RandomColorJitter(seed=1, **kwargs))
    transformation = ours.get_random_transformation(PIXELS)
    expected = PIXELS
    stages = (("brightness_factor", theirs.random_brightness), ("contrast_factor", theirs.random_contrast),
              ("saturation_factor", theirs.random_saturation), ("hue_factor", theirs.random_hue))
    for argument, stage in stages:
        expected = keras_transform(stage, expected, transformation[argument])
    np.testing.assert_allclose(ours.transform_images(PIXELS, transformation).numpy(), expected, atol=1e-3)


def test_rand_augment_and_aug_mix_apply_their_chosen_operations_as_keras(backend):
    ours = ks.layers.RandAugment(seed=5, num_ops=3)
    theirs = quiet(lambda: keras.layers.RandAugment(seed=5, num_ops=3))
    transformation = ours.get_random_transformation(PIXELS)
    # Keras 3.15.1's RandAugment runs every operation and keeps the chosen ones, but RandomBrightness adds to its
    # input in place, so its output depends on that; the chosen operations are applied here one after the other.
    expected = PIXELS
    for index in transformation["layer_idxes"].numpy():
        name = theirs._AUGMENT_LAYERS[index]
        expected = keras_transform(getattr(theirs, name), expected, transformation["transforms"][name])
    np.testing.assert_allclose(ours.transform_images(PIXELS, transformation).numpy(), expected, atol=1e-3)
    ours = ks.layers.AugMix(seed=5)
    theirs = quiet(lambda: keras.layers.AugMix(seed=5))
    transformation = ours.get_random_transformation(PIXELS)
    np.testing.assert_allclose(ours.transform_images(PIXELS, transformation).numpy(),
                               keras_transform(theirs, PIXELS, transformation), atol=1e-3)


@pytest.mark.parametrize("name,kwargs", [
    ("AutoContrast", {}), ("AutoContrast", {"value_range": (0, 300)}), ("Equalization", {}),
    ("Equalization", {"bins": 64, "value_range": (-10, 300)}), ("Resizing", {"height": 5, "width": 4}),
    ("Resizing", {"height": 12, "width": 6, "interpolation": "bicubic", "crop_to_aspect_ratio": True}),
    ("CenterCrop", {"height": 5, "width": 6}), ("CenterCrop", {"height": 12, "width": 6}),
    # tiles of 16 x 16 pixels keep the clip limit a whole number: Keras's torch backend truncates it to an int
    ("ContrastLimitedAdaptiveHistogramEqualization", {"tile_grid_size": (2, 3), "clip_limit": 3.0}),
    ("ContrastLimitedAdaptiveHistogramEqualization", {"tile_grid_size": (2, 2), "clip_limit": 0.0}),
    ("Rescaling", {"scale": [0.5, 2.0, 1.0], "offset": -3.0}),
])
def test_deterministic_layer_matches_keras(name, kwargs, backend):
    images = RNG.uniform(0, 255, (2, 32, 48, 3)).astype("float32") if "Contrast" in name else PIXELS
    ours = getattr(ks.layers, name)(**kwargs)
    theirs = quiet(lambda: getattr(keras.layers, name)(**kwargs))
    np.testing.assert_allclose(ours(images).numpy(), numpy_of(quiet(lambda: theirs(np.array(images)))), atol=1e-3)


def test_data_layers_match_keras(backend):
    x = RNG.normal(size=(12, 4, 3)).astype("float32")
    for kwargs in ({}, {"axis": None}, {"axis": (1, 2)}, {"axis": -1, "invert": True}):
        theirs = quiet(lambda kwargs=kwargs: keras.layers.Normalization(**kwargs))
        quiet(lambda theirs=theirs: theirs.adapt(x))
        ours = ks.layers.Normalization(**kwargs)
        ours.adapt(x)
        np.testing.assert_allclose([w.numpy() for w in ours.weights[:2]], [numpy_of(w) for w in theirs.weights[:2]],
                                   rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(ours(x).numpy(), numpy_of(quiet(lambda theirs=theirs: theirs(x))), atol=1e-5)
    given = {"mean": [1.0, 2.0, 3.0], "variance": [4.0, 0.5, 2.0]}
    np.testing.assert_allclose(ks.layers.Normalization(**given)(x).numpy(),
                               numpy_of(quiet(lambda: keras.layers.Normalization(**given)(x))), atol=1e-6)
    boundaries = [-1.0, 0.0, 0.5]
    for mode in ("int", "one_hot", "multi_hot", "count"):
        values = x[:, :, 0] if mode != "one_hot" else x[:, :1, 0]
        np.testing.assert_array_equal(
            ks.layers.Discretization(bin_boundaries=boundaries, output_mode=mode)(values).numpy(),
            numpy_of(quiet(lambda mode=mode, values=values: keras.layers.Discretization(
                bin_boundaries=boundaries, output_mode=mode)(values))))
    tokens = RNG.integers(0, 6, (5, 3))
    for mode in ("one_hot", "multi_hot", "count"):
        inputs = tokens[:, :1] if mode == "one_hot" else tokens
        np.testing.assert_array_equal(ks.layers.CategoryEncoding(6, output_mode=mode)(inputs).numpy(),
                                      numpy_of(quiet(lambda mode=mode, inputs=inputs: keras.layers.CategoryEncoding(
                                          6, output_mode=mode)(inputs))))
    weights = RNG.uniform(size=(5, 3)).astype("float32")
    np.testing.assert_allclose(ks.layers.CategoryEncoding(6, "count")(tokens, count_weights=weights).numpy(),
                               numpy_of(quiet(lambda: keras.layers.CategoryEncoding(6, "count")(
                                   tokens, count_weights=weights))), atol=1e-6)


def test_discretization_adapts_to_the_same_boundaries_as_keras():
    from keras.src.layers.preprocessing import discretization as keras_discretization

    data = [RNG.normal(size=(50,)).astype("float32"), RNG.exponential(size=(70, 2)).astype("float32")]
    summary = np.array([[], []], dtype="float32")
    for batch in data:  # Keras's adapt needs TensorFlow; its summary functions do not
        summary = keras_discretization.merge_summaries(keras_discretization.summarize(batch, 0.01), summary, 0.01)
    expected = keras_discretization.get_bin_boundaries(summary, 5)
    layer = ks.layers.Discretization(num_bins=5)
    layer.adapt(data)
    np.testing.assert_allclose(layer.bin_boundaries, expected, rtol=1e-6)
