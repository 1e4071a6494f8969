"""load_img / img_to_array / array_to_img / save_img and the host resize, against real Keras 3."""

import io
import sys
import warnings

import numpy as np
import pytest

import kerasette as ks
from kerasette.utils.image_utils import resize_array

PIL = pytest.importorskip("PIL")


@pytest.fixture(scope="module")
def keras():
    from keras_reference import keras

    return keras


def _pixels(img):
    return img.mode, img.size, np.asarray(img).tolist()


@pytest.mark.parametrize("shape, scale, data_format", [
    ((5, 7, 3), True, "channels_last"), ((5, 7, 4), True, "channels_last"), ((5, 7, 1), True, "channels_last"),
    ((5, 7, 1), False, "channels_last"), ((3, 5, 7), True, "channels_first"),
])
def test_array_to_img_matches_keras(keras, shape, scale, data_format):
    x = np.random.default_rng(0).uniform(0, 300 if not scale else 1, size=shape)
    assert _pixels(ks.utils.array_to_img(x, data_format, scale)) == _pixels(
        keras.utils.array_to_img(x, data_format, scale))


def test_img_to_array_matches_keras(keras):
    for mode, channels in (("L", 1), ("RGB", 3), ("RGBA", 4)):
        img = PIL.Image.fromarray(np.random.default_rng(1).integers(0, 255, (6, 4, channels), dtype=np.uint8)
                                  .squeeze(), mode)
        for data_format in ("channels_last", "channels_first"):
            ours, theirs = ks.utils.img_to_array(img, data_format), keras.utils.img_to_array(img, data_format)
            assert ours.dtype == theirs.dtype and np.array_equal(ours, theirs)


@pytest.mark.parametrize("color_mode", ["rgb", "rgba", "grayscale"])
@pytest.mark.parametrize("target_size, interpolation, keep", [
    (None, "nearest", False), ((9, 5), "nearest", False), ((9, 5), "bilinear", False), ((4, 8), "bicubic", True),
    ((6, 6), "lanczos", True),
])
def test_load_img_matches_keras(keras, tmp_path, color_mode, target_size, interpolation, keep):
    path = tmp_path / "picture.png"
    ks.utils.save_img(path, np.random.default_rng(2).integers(0, 255, (12, 7, 3)).astype("float32"), scale=False)
    ours = ks.utils.load_img(str(path), color_mode, target_size, interpolation, keep)
    theirs = keras.utils.load_img(str(path), color_mode, target_size, interpolation, keep)
    assert _pixels(ours) == _pixels(theirs)
    with open(path, "rb") as f:
        buffer = io.BytesIO(f.read())
    assert _pixels(ks.utils.load_img(buffer, color_mode, target_size, interpolation, keep)) == _pixels(theirs)


def test_save_img_round_trips_and_names_formats(tmp_path):
    x = np.random.default_rng(3).integers(0, 255, (8, 6, 3)).astype("float32")
    ks.utils.save_img(tmp_path / "a.png", x, scale=False)
    assert np.array_equal(ks.utils.img_to_array(ks.utils.load_img(tmp_path / "a.png")), x)
    buffer = io.BytesIO()
    ks.utils.save_img(buffer, x, file_format="png", scale=False)
    assert np.array_equal(ks.utils.img_to_array(ks.utils.load_img(io.BytesIO(buffer.getvalue()))), x)
    with pytest.warns(UserWarning, match="JPEG format does not support RGBA"):
        ks.utils.save_img(tmp_path / "b.jpg", np.concatenate([x, x[:, :, :1]], axis=2))
    assert ks.utils.load_img(tmp_path / "b.jpg").size == (6, 8)


def test_bad_arguments(tmp_path):
    with pytest.raises(ValueError, match="Expected image array to have rank 3"):
        ks.utils.array_to_img(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="Unsupported channel number: 2"):
        ks.utils.array_to_img(np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match="`color_mode`"):
        ks.utils.save_img(tmp_path / "c.png", np.zeros((2, 2, 3))) or ks.utils.load_img(tmp_path / "c.png", "cmyk")
    with pytest.raises(ValueError, match="Invalid interpolation method"):
        ks.utils.load_img(tmp_path / "c.png", target_size=(3, 3), interpolation="fancy")
    with pytest.raises(TypeError, match="path should be path-like or io.BytesIO"):
        ks.utils.load_img(3)
    with pytest.raises(ValueError, match="`data_format`"):
        ks.utils.img_to_array(PIL.Image.new("L", (2, 2)), data_format="channels_middle")


def test_a_missing_pillow_names_the_extra(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "PIL", None)
    with pytest.raises(ImportError, match=r'pip install "kerasette\[images\]"'):
        ks.utils.load_img(tmp_path / "nothing.png")
    with pytest.raises(ImportError, match=r"kerasette\[images\]"):
        ks.utils.image_dataset_from_directory(tmp_path)


@pytest.mark.parametrize("interpolation", ["bilinear", "nearest", "bicubic", "area", "lanczos3"])
@pytest.mark.parametrize("size, crop, pad", [((9, 5), False, False), ((4, 11), False, False),
                                             ((6, 6), True, False), ((6, 6), False, True)])
def test_host_resize_matches_keras_ops_image_resize(keras, interpolation, size, crop, pad):
    image = np.random.default_rng(4).uniform(0, 255, (7, 10, 3)).astype("float32")
    ours = resize_array(image, size, interpolation, crop, pad)
    same_op = ks.ops.image.resize(image, size, interpolation=interpolation, crop_to_aspect_ratio=crop,
                                  pad_to_aspect_ratio=pad)
    np.testing.assert_allclose(ours, ks.ops.convert_to_numpy(same_op), rtol=1e-5, atol=1e-3)
    if interpolation in ("area", "lanczos3"):
        return  # Keras's torch backend resizes with bilinear, nearest and bicubic only
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = np.asarray(keras.ops.convert_to_numpy(keras.ops.image.resize(
            image, size, interpolation=interpolation, crop_to_aspect_ratio=crop, pad_to_aspect_ratio=pad)))
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-3)
