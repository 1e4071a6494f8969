"""Every preprocessing layer through one harness, on every backend: symbolic and eager shapes, config round
trip, save and load in a model (.keras and .h5), identity at inference, seeding, single images, uint8 and dict
inputs, errors; gradients through the deterministic layers; use inside fit and over a PyDataset-like object."""

import numpy as np
import pytest
from finite_differences import central_difference

import kerasette as ks
from kerasette import layers, ops

RNG = np.random.default_rng(3)
IMAGE_SHAPE = (6, 7, 3)

# (class name, constructor kwargs, input shape without batch, kind of input: "image", "float" or "int")
CASES = [
    ("Rescaling", {"scale": 1 / 255.0, "offset": -0.5}, IMAGE_SHAPE, "image"),
    ("Rescaling", {"scale": [1.0, 0.5, 2.0]}, IMAGE_SHAPE, "image"),
    ("Normalization", {"mean": [1.0, 2.0, 3.0], "variance": [1.0, 4.0, 9.0]}, IMAGE_SHAPE, "image"),
    ("Normalization", {"axis": None, "invert": True}, (4,), "float"),
    ("Discretization", {"bin_boundaries": [0.0, 1.0, 2.0]}, (4,), "float"),
    ("Discretization", {"num_bins": 3, "output_mode": "one_hot"}, (1,), "float"),
    ("CategoryEncoding", {"num_tokens": 5, "output_mode": "multi_hot"}, (3,), "int"),
    ("CategoryEncoding", {"num_tokens": 5, "output_mode": "one_hot"}, (1,), "int"),
    ("Resizing", {"height": 4, "width": 9}, IMAGE_SHAPE, "image"),
    ("Resizing", {"height": 5, "width": 5, "interpolation": "nearest", "pad_to_aspect_ratio": True}, IMAGE_SHAPE,
     "image"),
    ("CenterCrop", {"height": 4, "width": 5}, IMAGE_SHAPE, "image"),
    ("RandomCrop", {"height": 4, "width": 5, "seed": 1}, IMAGE_SHAPE, "image"),
    ("RandomFlip", {"seed": 1}, IMAGE_SHAPE, "image"),
    ("RandomRotation", {"factor": 0.2, "seed": 1}, IMAGE_SHAPE, "image"),
    ("RandomRotation", {"factor": (-0.1, 0.3), "fill_mode": "constant", "interpolation": "nearest",
                        "fill_value": 1.0, "seed": 1}, IMAGE_SHAPE, "image"),
    ("RandomZoom", {"height_factor": 0.3, "width_factor": (-0.2, 0.1), "seed": 1}, IMAGE_SHAPE, "image"),
    ("RandomTranslation", {"height_factor": 0.2, "width_factor": 0.3, "fill_mode": "wrap", "seed": 1}, IMAGE_SHAPE,
     "image"),
    ("RandomShear", {"x_factor": 0.2, "y_factor": (-0.1, 0.3), "seed": 1}, IMAGE_SHAPE, "image"),
    ("RandomContrast", {"factor": 0.4, "seed": 1}, IMAGE_SHAPE, "image"),
    ("RandomBrightness", {"factor": (-0.2, 0.1), "seed": 1}, IMAGE_SHAPE, "image"),
    ("RandomErasing", {"seed": 1}, IMAGE_SHAPE, "image"),
    ("AutoContrast", {}, IMAGE_SHAPE, "image"),
    ("Equalization", {"bins": 128}, IMAGE_SHAPE, "image"),
    ("Solarization", {"addition_factor": 0.1, "threshold_factor": 0.5, "seed": 1}, IMAGE_SHAPE, "image"),
    ("RandomInvert", {"seed": 1}, IMAGE_SHAPE, "image"),
    ("RandomGrayscale", {"factor": 0.7, "seed": 1}, IMAGE_SHAPE, "image"),
    ("RandomPosterization", {"factor": 4, "seed": 1}, IMAGE_SHAPE, "image"),
    ("RandomSharpness", {"factor": 0.6, "seed": 1}, IMAGE_SHAPE, "image"),
    ("RandomColorDegeneration", {"factor": 0.5, "seed": 1}, IMAGE_SHAPE, "image"),
    ("RandomSaturation", {"factor": (0.3, 0.7), "seed": 1}, IMAGE_SHAPE, "image"),
    ("RandomHue", {"factor": 0.5, "seed": 1}, IMAGE_SHAPE, "image"),
    ("RandomColorJitter", {"brightness_factor": 0.1, "contrast_factor": 0.2, "saturation_factor": 0.5,
                           "hue_factor": 0.2, "seed": 1}, IMAGE_SHAPE, "image"),
    ("RandomGaussianBlur", {"kernel_size": 3, "sigma": 0.8, "seed": 1}, IMAGE_SHAPE, "image"),
    ("RandomPerspective", {"scale": 0.4, "seed": 1}, IMAGE_SHAPE, "image"),
    ("RandomElasticTransform", {"scale": 0.5, "seed": 1}, IMAGE_SHAPE, "image"),
    ("MixUp", {"alpha": 0.3, "seed": 1}, IMAGE_SHAPE, "image"),
    ("CutMix", {"seed": 1}, IMAGE_SHAPE, "image"),
    ("RandAugment", {"num_ops": 2, "seed": 1}, IMAGE_SHAPE, "image"),
    ("AugMix", {"num_chains": 2, "chain_depth": 2, "seed": 1}, IMAGE_SHAPE, "image"),
    ("ContrastLimitedAdaptiveHistogramEqualization", {"tile_grid_size": (2, 2)}, IMAGE_SHAPE, "image"),
    ("MaxNumBoundingBoxes", {"max_number": 3}, IMAGE_SHAPE, "image"),
]
IDS = [f"{name}-{i}" for i, (name, *_rest) in enumerate(CASES)]
RANDOM = {"RandomCrop", "RandomFlip", "RandomRotation", "RandomZoom", "RandomTranslation", "RandomShear",
          "RandomContrast", "RandomBrightness", "RandomErasing", "Solarization", "RandomInvert", "RandomGrayscale",
          "RandomPosterization", "RandomSharpness", "RandomColorDegeneration", "RandomSaturation", "RandomHue",
          "RandomColorJitter", "RandomGaussianBlur", "RandomPerspective", "RandomElasticTransform", "MixUp", "CutMix",
          "RandAugment", "AugMix"}


def inputs(shape, kind, batch=4, seed=0):
    rng = np.random.default_rng(seed)
    if kind == "int":
        return rng.integers(0, 5, (batch,) + shape)
    if kind == "float":
        return rng.normal(size=(batch,) + shape).astype("float32")
    return rng.uniform(0, 255, (batch,) + shape).astype("float32")


def make(name, kwargs, shape, kind):
    """A layer ready to call (adapted where it needs statistics)."""
    layer = getattr(layers, name)(**kwargs)
    if hasattr(layer, "adapt") and (kwargs.get("num_bins") or (name == "Normalization" and "mean" not in kwargs)):
        layer.adapt(inputs(shape, kind, batch=16, seed=9))
    return layer


@pytest.mark.parametrize("name,kwargs,shape,kind", CASES, ids=IDS)
def test_symbolic_shape_matches_eager_output(name, kwargs, shape, kind, backend):
    layer = make(name, kwargs, shape, kind)
    symbolic = layer(ks.Input(shape=shape, dtype="int64" if kind == "int" else "float32"))
    x = inputs(shape, kind)
    for training in (True, False):
        out = layer(x, training=training)
        assert symbolic.shape == (None,) + tuple(out.shape[1:])


@pytest.mark.parametrize("name,kwargs,shape,kind", CASES, ids=IDS)
def test_config_round_trip_gives_the_same_layer(name, kwargs, shape, kind, backend):
    layer = make(name, kwargs, shape, kind)
    clone = type(layer).from_config(layer.get_config())
    assert clone.get_config() == layer.get_config()
    x = inputs(shape, kind)
    if layer.weights:
        clone(x)
        clone.set_weights(layer.get_weights())
    fresh = make(name, kwargs, shape, kind) if name in RANDOM else layer  # same seed, same first draw
    np.testing.assert_allclose(clone(x).numpy(), fresh(x).numpy(), rtol=1e-5, atol=1e-4)


@pytest.mark.parametrize("fmt", ["keras", "h5"])
@pytest.mark.parametrize("name,kwargs,shape,kind", CASES, ids=IDS)
def test_model_save_and_load_keep_the_layer(name, kwargs, shape, kind, fmt, tmp_path, backend):
    layer = make(name, kwargs, shape, kind)
    model = ks.Sequential([ks.Input(shape=shape, dtype="int64" if kind == "int" else "float32"), layer])
    x = inputs(shape, kind)
    expected = model.predict(x, verbose=0)
    model.save(tmp_path / f"m.{fmt}")
    loaded = ks.models.load_model(tmp_path / f"m.{fmt}")
    assert type(loaded.layers[0]) is type(layer)
    assert loaded.layers[0].get_config() == layer.get_config()
    np.testing.assert_allclose(loaded.predict(x, verbose=0), expected, rtol=1e-6, atol=1e-5)


@pytest.mark.parametrize("name,kwargs,shape,kind", [c for c in CASES if c[0] in RANDOM],
                         ids=[i for i, c in zip(IDS, CASES) if c[0] in RANDOM])
def test_random_layers_act_only_while_training_and_follow_their_seed(name, kwargs, shape, kind, backend):
    x = inputs(shape, kind)
    layer = make(name, kwargs, shape, kind)
    if name == "RandomCrop":  # at inference: the centred window of the target's aspect ratio, resized
        expected = ops.image.resize(x, (4, 5), crop_to_aspect_ratio=True).numpy()
        np.testing.assert_allclose(layer(x, training=False).numpy(), expected, atol=1e-4)
    else:
        np.testing.assert_array_equal(layer(x, training=False).numpy(), x)
    twin = make(name, kwargs, shape, kind)
    draws = [layer(x, training=True).numpy() for _ in range(4)]
    np.testing.assert_array_equal([twin(x).numpy() for _ in range(4)], draws)  # unset training counts as training
    assert any(not np.allclose(d, draws[0]) for d in draws[1:]) or name == "RandAugment"


@pytest.mark.parametrize("name,kwargs,shape,kind", [c for c in CASES if c[3] == "image"],
                         ids=[i for i, c in zip(IDS, CASES) if c[3] == "image"])
def test_single_images_and_uint8_batches(name, kwargs, shape, kind, backend):
    x = inputs(shape, kind).round()
    layer = make(name, kwargs, shape, kind)
    single = layer(x[0], training=False)
    np.testing.assert_allclose(single.numpy(), make(name, kwargs, shape, kind)(x[:1], training=False).numpy()[0],
                               atol=1e-4)
    out = make(name, kwargs, shape, kind)(x.astype("uint8"), training=False)
    expected = make(name, kwargs, shape, kind)(x, training=False)
    assert out.dtype == ("uint8" if name == "Resizing" else "float32")
    tolerance = 0.51 if name == "Resizing" else 1e-4  # Resizing rounds uint8 results
    np.testing.assert_allclose(out.numpy().astype("float32"), expected.numpy(), atol=tolerance)


@pytest.mark.parametrize("name,kwargs", [
    ("RandomFlip", {}), ("RandomRotation", {"factor": 0.3, "interpolation": "nearest"}),
    ("RandomZoom", {"height_factor": 0.3, "interpolation": "nearest"}), ("RandomCrop", {"height": 4, "width": 5}),
    ("RandomTranslation", {"height_factor": 0.3, "width_factor": 0.3, "interpolation": "nearest"}),
    ("RandomPerspective", {"interpolation": "nearest"}),
    ("Resizing", {"height": 3, "width": 9, "interpolation": "nearest"}),
    ("CenterCrop", {"height": 3, "width": 4}), ("RandomContrast", {"factor": 0.5}), ("CutMix", {})])
def test_dict_inputs_move_masks_with_the_images(name, kwargs, backend):
    masks = RNG.integers(0, 4, (4, 6, 7, 1)).astype("float32")
    labels = np.eye(4, dtype="float32")
    seed = {} if name in ("Resizing", "CenterCrop") else {"seed": 5}
    out = getattr(layers, name)(**seed, **kwargs)({"images": np.repeat(masks, 3, -1), "labels": labels,
                                                  "segmentation_masks": masks})
    if name == "RandomContrast":  # colour layers leave masks and labels alone
        np.testing.assert_array_equal(out["segmentation_masks"].numpy(), masks)
    else:  # geometric layers move them as the images (nearest)
        np.testing.assert_array_equal(out["segmentation_masks"].numpy(), out["images"].numpy()[..., :1])
    if name != "CutMix":
        np.testing.assert_array_equal(out["labels"].numpy(), labels)
    else:
        np.testing.assert_allclose(out["labels"].numpy().sum(axis=1), 1.0, atol=1e-6)


GRADIENT_CASES = [
    ("Rescaling", {"scale": 0.5, "offset": 1.0}, None), ("Normalization", {"mean": 1.0, "variance": 4.0}, None),
    ("Resizing", {"height": 3, "width": 8}, None), ("Resizing", {"height": 4, "width": 4, "interpolation": "bicubic"},
                                                    None),
    ("CenterCrop", {"height": 3, "width": 4}, None), ("RandomCrop", {"height": 3, "width": 4}, "inference"),
    ("RandomFlip", {}, "draw"), ("RandomRotation", {"factor": 0.3}, "draw"),
    ("RandomZoom", {"height_factor": 0.3, "fill_mode": "constant"}, "draw"),
    ("RandomTranslation", {"height_factor": 0.2, "width_factor": 0.2, "fill_mode": "wrap"}, "draw"),
    ("RandomShear", {"x_factor": 0.2}, "draw"), ("RandomContrast", {"factor": 0.5, "value_range": (-99, 99)}, "draw"),
    ("RandomColorDegeneration", {"factor": 0.5, "value_range": (-99, 99)}, "draw"), ("MixUp", {}, "draw"),
]


@pytest.mark.parametrize("name,kwargs,mode", GRADIENT_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(GRADIENT_CASES)])
def test_gradients_flow_through_the_layer(name, kwargs, mode, backend):
    layer = getattr(layers, name)(dtype="float64", seed=4, **kwargs) if mode == "draw" else \
        getattr(layers, name)(dtype="float64", **kwargs)
    x_host = np.random.default_rng(5).normal(size=(2, 5, 6, 3)) + 0.013
    transformation = layer.get_random_transformation(x_host) if mode == "draw" else None

    def forward(x):
        if mode == "draw":
            return layer.transform_images(x, transformation)
        return layer(x, training=False if mode == "inference" else None)

    cotangent = np.random.default_rng(6).normal(size=forward(x_host).shape)

    def objective(_):
        with ops.stop_recording():
            return float(np.sum(forward(x_host).numpy() * cotangent))

    x = ops.convert_to_tensor(x_host)
    with ops.GradientTape() as tape:
        tape.watch(x)
        loss = ops.sum(ops.multiply(forward(x), cotangent))
    (grad,) = tape.gradient(loss, [x])
    np.testing.assert_allclose(grad.numpy(), central_difference(objective, x_host), rtol=1e-5, atol=1e-7)


class Batches:
    """The part of the PyDataset interface ``adapt`` and a training loop use: ``len`` and batch indexing."""

    def __init__(self, x, y, batch_size, augment=None):
        self.x, self.y, self.batch_size, self.augment = x, y, batch_size, augment

    def __len__(self):
        return len(self.x) // self.batch_size

    def __getitem__(self, index):
        part = slice(index * self.batch_size, (index + 1) * self.batch_size)
        x = self.x[part] if self.augment is None else self.augment(self.x[part], training=True).numpy()
        return x, self.y[part]


def test_adapt_on_arrays_tensors_pydatasets_and_iterables(backend):
    x = RNG.normal(3.0, 2.0, (24, 5)).astype("float32")
    mean, variance = x.mean(axis=0), x.var(axis=0)
    for data in (x, ops.convert_to_tensor(x), Batches(x, x, 6), [x[:10], x[10:]], (b for b in (x[:7], x[7:]))):
        layer = layers.Normalization()
        layer.adapt(data)
        np.testing.assert_allclose(layer.weights[0].numpy(), mean, rtol=1e-5)
        np.testing.assert_allclose(layer.weights[1].numpy(), variance, rtol=1e-5)
        assert int(layer.weights[2].numpy()) == 24
        np.testing.assert_allclose(layer(x).numpy(), (x - mean) / np.sqrt(variance), rtol=1e-4, atol=1e-5)
    inverse = layers.Normalization(invert=True)
    inverse.adapt(x)
    np.testing.assert_allclose(inverse(layer(x)).numpy(), x, rtol=1e-5, atol=1e-5)


def test_augmentation_maps_over_batches_and_trains_inside_fit(backend):
    x = RNG.uniform(0, 255, (32, 8, 8, 1)).astype("float32")
    y = RNG.integers(0, 2, (32,))
    augment = layers.Pipeline([layers.RandomFlip("horizontal", seed=1), layers.RandomRotation(0.1, seed=2),
                               layers.RandomZoom(0.1, seed=3)])
    batch_x, _ = Batches(x, y, 8, augment)[1]
    assert batch_x.shape == (8, 8, 8, 1) and not np.allclose(batch_x, x[8:16])
    model = ks.Sequential([ks.Input((8, 8, 1)), layers.Rescaling(1 / 255.0), layers.RandomFlip(seed=4),
                           layers.RandomTranslation(0.1, 0.1, seed=5), layers.Flatten(), layers.Dense(2)])
    model.compile("adam", "sparse_categorical_crossentropy")
    history = model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))
    np.testing.assert_array_equal(model.predict(x, verbose=0), model.predict(x, verbose=0))  # inference: no noise


def test_pipeline_runs_its_layers_in_order_and_round_trips(tmp_path, backend):
    pipeline = layers.Pipeline([layers.Rescaling(2.0), layers.CenterCrop(2, 2), layers.RandomFlip(seed=1)])
    x = RNG.uniform(size=(2, 4, 4, 1)).astype("float32")
    np.testing.assert_allclose(pipeline(x, training=False).numpy(), 2 * x[:, 1:3, 1:3])
    clone = layers.Pipeline.from_config(pipeline.get_config())
    assert [type(a) for a in clone.layers] == [type(b) for b in pipeline.layers]
    model = ks.Sequential([ks.Input((4, 4, 1)), pipeline])
    model.save(tmp_path / "p.keras")
    np.testing.assert_allclose(ks.models.load_model(tmp_path / "p.keras").predict(x, verbose=0),
                               2 * x[:, 1:3, 1:3])


def test_category_encoding_discretization_and_bounding_boxes():
    np.testing.assert_array_equal(layers.CategoryEncoding(3, "count")(np.array([[0, 2, 2]])).numpy(), [[1, 0, 2]])
    np.testing.assert_array_equal(layers.Discretization([0.0, 1.0])(np.array([-1.0, 0.0, 0.5, 3.0])).numpy(),
                                  [0, 1, 1, 2])
    data = {"images": np.zeros((2, 4, 4, 3), "float32"),
            "bounding_boxes": {"boxes": RNG.uniform(size=(2, 5, 4)).astype("float32"), "labels": np.ones((2, 5))}}
    out = layers.MaxNumBoundingBoxes(max_number=3)(data)
    np.testing.assert_array_equal(out["bounding_boxes"]["boxes"].numpy(), data["bounding_boxes"]["boxes"][:, :3])


@pytest.mark.parametrize("make_layer,message", [
    (lambda: layers.RandomFlip(mode="diagonal"), "mode"),
    (lambda: layers.RandomFlip(data_format="channels_first"), "data_format"),
    (lambda: layers.RandomRotation(1.5), "factor"),
    (lambda: layers.RandomRotation(0.1, fill_mode="mirror"), "fill_mode"),
    (lambda: layers.RandomRotation(0.1, interpolation="bicubic"), "interpolation"),
    (lambda: layers.RandomRotation(0.1, bounding_box_format="xyxy"), "bounding boxes"),
    (lambda: layers.RandomZoom(-1.0), "height_factor"),
    (lambda: layers.RandomTranslation(0.1, (0.1, 0.2, 0.3)), "width_factor"),
    (lambda: layers.RandomContrast(1.5), "factor"),
    (lambda: layers.RandomBrightness(0.1, value_range=(1, 1)), "value_range"),
    (lambda: layers.RandomErasing(fill_value=(1, 2)), "fill_value"),
    (lambda: layers.RandomGaussianBlur(kernel_size=4), "kernel_size"),
    (lambda: layers.RandomPosterization(9), "factor"),
    (lambda: layers.MixUp(alpha=0.0), "alpha"),
    (lambda: layers.Resizing(0, 3), "height"),
    (lambda: layers.Resizing(3, 3, interpolation="cubic"), "interpolation"),
    (lambda: layers.Resizing(3, 3, crop_to_aspect_ratio=True, pad_to_aspect_ratio=True), "only one"),
    (lambda: layers.CenterCrop(3, -1), "width"),
    (lambda: layers.Rescaling("a"), "scale"),
    (lambda: layers.Normalization(mean=1.0), "both `mean` and `variance`"),
    (lambda: layers.Discretization(), "either `num_bins` or `bin_boundaries`"),
    (lambda: layers.Discretization(bin_boundaries=[2.0, 1.0]), "bin_boundaries"),
    (lambda: layers.CategoryEncoding(0), "num_tokens"),
    (lambda: layers.CategoryEncoding(3, output_mode="int"), "output_mode"),
])
def test_bad_constructor_arguments_raise(make_layer, message):
    with pytest.raises(ValueError, match=message):
        make_layer()


def test_bad_inputs_raise():
    with pytest.raises(ValueError, match="rank 3"):
        layers.RandomFlip()(np.zeros((4, 5), "float32"))
    with pytest.raises(ValueError, match="bounding boxes"):
        layers.RandomFlip()({"images": np.zeros((1, 4, 4, 3)), "bounding_boxes": {}})
    with pytest.raises(ValueError, match=r"range \[0, 3\)"):
        layers.CategoryEncoding(3)(np.array([[0, 3]]))
    with pytest.raises(ValueError, match="adapt"):
        layers.Discretization(num_bins=3)(np.zeros((2,)))
    with pytest.raises(TypeError, match="Unsupported data type"):
        layers.Normalization().adapt(3.0)
