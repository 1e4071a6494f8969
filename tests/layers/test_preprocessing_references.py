"""Each augmentation layer's output against an independent numpy reference, given the layer's random draw.

The draw (``get_random_transformation``) is read back as numbers, the reference recomputes the images from
them with the textbook formula (preprocessing_references.py for the resampling), and the layer's
``transform_images`` must agree, on every backend.
"""

import colorsys

import numpy as np
import preprocessing_references as ref
import pytest

from kerasette import layers, ops

RNG = np.random.default_rng(2)
PIXELS = RNG.uniform(0, 255, (3, 8, 10, 3)).astype("float32")


def draw(layer, images=PIXELS):
    """The layer's transformation and its output for ``images``, as numpy."""
    transformation = layer.get_random_transformation(images)
    return transformation, layer.transform_images(images, transformation).numpy()


def host(value):
    return value.numpy() if isinstance(value, ops.Tensor) else np.asarray(value)


def test_random_flip(backend):
    for mode, axes in (("horizontal", (1,)), ("vertical", (0,)), ("horizontal_and_vertical", (0, 1))):
        t, out = draw(layers.RandomFlip(mode, seed=1))
        for n, flip in enumerate(host(t["flips"]).ravel()):
            np.testing.assert_array_equal(out[n], np.flip(PIXELS[n], axes) if flip else PIXELS[n])


@pytest.mark.parametrize("fill_mode", ["reflect", "wrap", "constant", "nearest"])
@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
def test_random_rotation(fill_mode, interpolation, backend):
    layer = layers.RandomRotation(0.3, fill_mode=fill_mode, interpolation=interpolation, fill_value=17.0, seed=2)
    t, out = draw(layer)
    angles = host(t["angle"])
    assert np.all(np.abs(angles) <= 0.3 * 360)
    transforms = [ref.rotation_transform(a, 8, 10) for a in angles]
    expected = ref.affine_transform(PIXELS, transforms, interpolation, fill_mode, 17.0)
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=2e-3)


@pytest.mark.parametrize("kwargs", [{"height_factor": 0.4}, {"height_factor": (-0.5, -0.1), "width_factor": 0.3,
                                                               "fill_mode": "constant"}], ids=str)
def test_random_zoom(kwargs, backend):
    t, out = draw(layers.RandomZoom(seed=3, **kwargs))
    zy, zx = host(t["height_zoom"]).ravel(), host(t["width_zoom"]).ravel()
    if "width_factor" not in kwargs:
        np.testing.assert_array_equal(zx, zy)
    cy, cx = (8 - 1) / 2, (10 - 1) / 2
    transforms = [[sx, 0, cx - sx * cx, 0, sy, cy - sy * cy, 0, 0] for sy, sx in zip(zy, zx)]  # about the centre
    expected = ref.affine_transform(PIXELS, transforms, "bilinear", kwargs.get("fill_mode", "reflect"))
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=2e-3)


def test_random_translation_and_shear(backend):
    t, out = draw(layers.RandomTranslation(0.3, (-0.2, 0.4), fill_mode="wrap", seed=4))
    shifts = host(t["translations"])
    assert np.all(np.abs(shifts[:, 1]) <= 0.3 * 8) and np.all((shifts[:, 0] >= -2) & (shifts[:, 0] <= 4))
    transforms = [[1, 0, -dx, 0, 1, -dy, 0, 0] for dx, dy in shifts]  # content moves by (dx, dy)
    np.testing.assert_allclose(out, ref.affine_transform(PIXELS, transforms, "bilinear", "wrap"), atol=2e-3)
    t, out = draw(layers.RandomShear(0.3, 0.2, fill_mode="constant", seed=5))
    transforms = [[1, sx, 0, sy, 1, 0, 0, 0] for sx, sy in host(t["shear_factor"])]  # reads (x + sx y, y + sy x)
    np.testing.assert_allclose(out, ref.affine_transform(PIXELS, transforms, "bilinear", "constant"), atol=2e-3)


def test_random_perspective(backend):
    t, out = draw(layers.RandomPerspective(factor=(1.0, 1.0), scale=0.5, seed=6))
    for n in range(3):
        start, end = host(t["start_points"])[n].astype(np.float64), host(t["end_points"])[n].astype(np.float64)
        # the homography that sends each end point to its start point, from 8 linear equations
        rows, rhs = [], []
        for (sx, sy), (ex, ey) in zip(start, end):
            rows.append([ex, ey, 1, 0, 0, 0, -sx * ex, -sx * ey])
            rows.append([0, 0, 0, ex, ey, 1, -sy * ex, -sy * ey])
            rhs += [sx, sy]
        h = np.linalg.solve(np.array(rows), np.array(rhs))
        np.testing.assert_allclose(out[n], ref.affine_transform(PIXELS[n:n + 1], [h])[0], rtol=1e-4, atol=1e-2)


def test_random_elastic_transform_is_the_op_applied_where_drawn(backend):
    layer = layers.RandomElasticTransform(factor=(0.0, 1.0), scale=(0.5, 0.5), fill_mode="nearest", seed=7)
    t, out = draw(layer)
    warped = ops.image.elastic_transform(PIXELS, alpha=1.0 * 0.5, sigma=8 * 0.05 * 0.5, fill_mode="nearest",
                                         seed=t["seed"]).numpy()
    for n, apply in enumerate(host(t["apply_transform"])):
        np.testing.assert_allclose(out[n], np.clip(warped[n], 0, 255) if apply else PIXELS[n], atol=1e-4)


def test_contrast_brightness_invert(backend):
    t, out = draw(layers.RandomContrast((0.3, 0.6), seed=8))
    factor = host(t["contrast_factor"]).reshape(-1, 1, 1, 1)
    assert np.all((factor >= 0.7) & (factor <= 1.6))
    mean = PIXELS.mean(axis=(1, 2), keepdims=True)
    np.testing.assert_allclose(out, np.clip((PIXELS - mean) * factor + mean, 0, 255), rtol=1e-5, atol=1e-3)
    t, out = draw(layers.RandomBrightness(0.2, value_range=(0, 255), seed=9))
    delta = host(t["rgb_delta"]).reshape(-1, 1, 1, 1)
    assert np.all(np.abs(delta) <= 0.2 * 255)
    np.testing.assert_allclose(out, np.clip(PIXELS + delta, 0, 255), atol=1e-4)
    t, out = draw(layers.RandomInvert(seed=10))
    for n, apply in enumerate(host(t["apply_inversion"])):
        np.testing.assert_allclose(out[n], 255 - PIXELS[n] if apply else PIXELS[n], atol=1e-4)


def test_grayscale_degeneration_posterization_solarization(backend):
    gray = ref.grayscale(PIXELS)
    t, out = draw(layers.RandomGrayscale(0.5, seed=11))
    for n, apply in enumerate(host(t).ravel()):
        np.testing.assert_allclose(out[n], np.broadcast_to(gray[n], PIXELS[n].shape) if apply else PIXELS[n],
                                   rtol=1e-5, atol=1e-3)
    t, out = draw(layers.RandomColorDegeneration(0.7, seed=12))
    f = host(t["factor"]).reshape(-1, 1, 1, 1)
    np.testing.assert_allclose(out, np.clip(PIXELS + f * (gray - PIXELS), 0, 255), rtol=1e-5, atol=1e-3)
    t, out = draw(layers.RandomPosterization((3, 7), seed=13))
    bits = 8 - host(t["shift_factor"]).astype(int)
    assert np.all((bits >= 3) & (bits < 7))
    for n in range(3):
        kept = np.floor(PIXELS[n]).astype(np.uint8) >> (8 - bits[n]) << (8 - bits[n])
        np.testing.assert_array_equal(out[n], kept.astype("float32"))
    t, out = draw(layers.Solarization(addition_factor=0.3, threshold_factor=(0.2, 0.8), seed=14))
    add, threshold = host(t["additions"]).reshape(-1, 1, 1, 1), host(t["thresholds"]).reshape(-1, 1, 1, 1)
    shifted = np.clip(PIXELS + add, 0, 255)
    np.testing.assert_allclose(out, np.where(shifted < threshold, shifted, 255 - shifted), atol=1e-3)


def test_sharpness_and_gaussian_blur(backend):
    t, out = draw(layers.RandomSharpness((0.0, 1.0), seed=15))
    f = host(t["factor"]).reshape(-1, 1, 1, 1)
    a, b = 1 / 13, 5 / 13
    padded = np.pad(PIXELS.astype(np.float64), ((0, 0), (1, 1), (1, 1), (0, 0)))
    smooth = sum((b if (dy, dx) == (1, 1) else a) * padded[:, dy:dy + 8, dx:dx + 10] for dy in range(3)
                 for dx in range(3))
    np.testing.assert_allclose(out, np.clip(PIXELS + (1 - 2 * f) * (smooth - PIXELS), 0, 255), rtol=1e-5, atol=1e-3)
    t, out = draw(layers.RandomGaussianBlur(factor=(0.0, 1.0), kernel_size=(3, 5), sigma=(0.5, 1.0), seed=16))
    sigma = host(t["blur_factor"])
    blurred = ref.gaussian_blur(PIXELS, (3, 5), sigma)
    for n, apply in enumerate(host(t["should_apply_blur"])):
        np.testing.assert_allclose(out[n], blurred[n] if apply else PIXELS[n], rtol=1e-5, atol=1e-3)


def test_saturation_and_hue_follow_colorsys(backend):
    images = PIXELS / 255.0
    t, out = draw(layers.RandomSaturation((0.2, 0.7), value_range=(0, 1), seed=17), images)
    scale = host(t["factor"])
    for n in range(3):
        hsv = ref.rgb_to_hsv(images[n])
        hsv[..., 1] = np.clip(hsv[..., 1] * scale[n], 0, 1)
        np.testing.assert_allclose(out[n], ref.hsv_to_rgb(hsv), atol=1e-4)
    t, out = draw(layers.RandomHue(0.8, value_range=(0, 1), seed=18), images)
    shift = host(t["factor"])
    for n in range(3):
        expected = [colorsys.hsv_to_rgb((h + shift[n]) % 1.0, s, v)
                    for h, s, v in ref.rgb_to_hsv(images[n]).reshape(-1, 3)]
        np.testing.assert_allclose(out[n], np.clip(np.reshape(expected, (8, 10, 3)), 0, 1), atol=1e-4)


def test_erasing_cut_mix_and_mix_up(backend):
    t, out = draw(layers.RandomErasing(factor=(1.0, 1.0), scale=(0.1, 0.3), fill_value=7.0, seed=19))
    masks, apply = host(t["batch_masks"]), host(t["apply_erasing"])
    assert apply.all()
    for n in range(3):
        rows, cols = np.nonzero(masks[n, :, :, 0])
        assert masks[n, rows.min():rows.max() + 1, cols.min():cols.max() + 1].all()  # one rectangle
        np.testing.assert_array_equal(out[n], np.where(masks[n], 7.0, PIXELS[n]))
    labels = np.eye(3, dtype="float32")
    layer = layers.CutMix(seed=20)
    t = layer.get_random_transformation(PIXELS)
    out = layer.transform_images(PIXELS, t).numpy()
    order, masks, weight = host(t["permutation_order"]), host(t["batch_masks"]), host(t["mix_weight"])
    np.testing.assert_array_equal(out, np.where(masks, PIXELS[order], PIXELS))
    for n in range(3):  # a box of sides s = sqrt(1 - weight) times (height, width) holds floor or ceil of that
        rows, cols = masks[n, :, :, 0].any(axis=1).sum(), masks[n, :, :, 0].any(axis=0).sum()
        side = np.sqrt(1 - weight[n])
        assert np.floor(side * 8 - 1e-4) <= rows <= np.ceil(side * 8 + 1e-4)
        assert rows == 0 or np.floor(side * 10 - 1e-4) <= cols <= np.ceil(side * 10 + 1e-4)
    np.testing.assert_allclose(layer.transform_labels(labels, t).numpy(),
                               weight[:, None] * labels + (1 - weight[:, None]) * labels[order], atol=1e-6)
    layer = layers.MixUp(alpha=0.5, seed=21)
    t = layer.get_random_transformation(PIXELS)
    order, weight = host(t["permutation_order"]), host(t["mix_weight"])
    assert sorted(order.tolist()) == [0, 1, 2] and np.all((weight >= 0) & (weight <= 1))
    np.testing.assert_allclose(layer.transform_images(PIXELS, t).numpy(),
                               weight[:, None, None, None] * PIXELS + (1 - weight[:, None, None, None]) * PIXELS[order],
                               rtol=1e-5, atol=1e-3)


def test_auto_contrast_and_equalization(backend):
    out = layers.AutoContrast()(PIXELS).numpy()
    low, high = PIXELS.min(axis=(1, 2), keepdims=True), PIXELS.max(axis=(1, 2), keepdims=True)
    np.testing.assert_allclose(out, (PIXELS - low) * 255 / (high - low), rtol=1e-5, atol=1e-3)
    out = layers.Equalization(bins=256)(PIXELS).numpy()
    for c in range(3):  # one histogram per channel over the batch, as Keras 3
        values = PIXELS[..., c]
        bins = np.clip(values.astype(np.int64), 0, 255)
        cdf = np.cumsum(np.bincount(bins.ravel(), minlength=256))
        cdf_min = cdf[cdf > 0][0]
        table = np.clip(np.round((cdf - cdf_min) * 255.0 / (cdf[-1] - cdf_min)), 0, 255)
        np.testing.assert_array_equal(out[..., c], table[bins])


def test_resizing_and_crops(backend):
    np.testing.assert_allclose(layers.Resizing(5, 13)(PIXELS).numpy(), ref.bilinear_resize(PIXELS, 5, 13),
                               rtol=1e-5, atol=1e-3)
    np.testing.assert_array_equal(layers.CenterCrop(4, 7)(PIXELS).numpy(), PIXELS[:, 2:6, 1:8])
    # smaller than the target: the centred 8 x 8 window of the target's (square) aspect ratio, resized
    np.testing.assert_allclose(layers.CenterCrop(12, 12)(PIXELS).numpy(),
                               ref.bilinear_resize(PIXELS[:, :, 1:9], 12, 12), rtol=1e-5, atol=1e-3)
    layer = layers.RandomCrop(5, 6, seed=22)
    top, left = layer.get_random_transformation(PIXELS)
    np.testing.assert_array_equal(layer.transform_images(PIXELS, (top, left)).numpy(),
                                  PIXELS[:, top:top + 5, left:left + 6])
    # inference: the largest centred window of aspect 6 / 5 (8 x 9 pixels), resized
    np.testing.assert_allclose(layer(PIXELS, training=False).numpy(), ref.bilinear_resize(PIXELS[:, :, 0:9], 5, 6),
                               rtol=1e-5, atol=1e-3)


def test_aug_mix_mixes_its_chains_with_its_weights(backend):
    layer = layers.AugMix(seed=23, num_chains=2, chain_depth=2)
    t = layer.get_random_transformation(PIXELS)
    out = layer.transform_images(PIXELS, t).numpy()
    weights, sample = host(t["chain_mixing_weights"]), float(host(t["weight_sample"]))
    np.testing.assert_allclose(weights.sum(), 1.0, atol=1e-6)
    chains = []
    for chain in t["chain_transforms"]:
        images = PIXELS
        for step in chain:
            images = layer.augmentations[step["layer_name"]].transform_images(images, step["transformation"]).numpy()
        chains.append(images)
    expected = sample * PIXELS + (1 - sample) * sum(w * c for w, c in zip(weights, chains))
    np.testing.assert_allclose(out, np.clip(expected, 0, 255), rtol=1e-5, atol=1e-3)
