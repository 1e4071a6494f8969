"""`keras.Function` and `keras.Operation`: values and symbolic shapes against Keras 3, graphs, gradients, errors."""

import numpy as np
import pytest
from finite_differences import central_difference

import kerasette as ks
from kerasette import ops

RNG = np.random.default_rng(0)
A = RNG.normal(size=(4, 2, 3))
B = RNG.normal(size=(4, 2, 3))


@pytest.fixture(scope="module")
def keras():
    from keras_reference import keras

    return keras


def _numpy(value):
    from keras_reference import numpy_of

    return numpy_of(value)


def _sigmoid_of_sum(lib):
    a, b = lib.KerasTensor(shape=(None, 2, 3)), lib.KerasTensor(shape=(None, 2, 3))
    return lib.Function(inputs=[a, b], outputs=lib.ops.sigmoid(a + b), name="f")


def _nested(lib):
    x = lib.KerasTensor(shape=(None, 2, 3))
    y = lib.KerasTensor(shape=(None, 3))
    outputs = {"scaled": x * 2.0, "pair": [lib.ops.sum(x, axis=1) + y, lib.ops.maximum(x, 0.5)]}
    return lib.Function(inputs={"x": x, "y": y}, outputs=outputs)


def test_function_values_match_keras(keras, backend):
    ours = _sigmoid_of_sum(ks)([A, B])
    np.testing.assert_allclose(ours.numpy(), _numpy(_sigmoid_of_sum(keras)([A, B])), rtol=1e-6)
    y = RNG.normal(size=(4, 3))
    ours, theirs = _nested(ks)({"x": A, "y": y}), _nested(keras)({"x": A, "y": y})
    assert set(ours) == {"scaled", "pair"} and isinstance(ours["pair"], list) and len(ours["pair"]) == 2
    np.testing.assert_allclose(ours["scaled"].numpy(), _numpy(theirs["scaled"]), rtol=1e-6)
    for mine, keras_value in zip(ours["pair"], theirs["pair"]):
        np.testing.assert_allclose(mine.numpy(), _numpy(keras_value), rtol=1e-6)


def test_function_properties_and_symbolic_outputs_match_keras(keras):
    fn, keras_fn = _sigmoid_of_sum(ks), _sigmoid_of_sum(keras)
    assert fn.name == keras_fn.name == "f" and len(fn.inputs) == 2 and len(fn.outputs) == 1
    assert fn.inputs[0].shape == keras_fn.inputs[0].shape and fn.outputs[0].shape == keras_fn.outputs[0].shape
    assert [type(op).__name__ for op in fn.operations] == ["OpLayer", "OpLayer"]
    for shape in [(None, 2, 3), (5, 2, 3)]:
        ours = fn([ks.KerasTensor(shape), ks.KerasTensor(shape)])
        theirs = keras_fn([keras.KerasTensor(shape), keras.KerasTensor(shape)])
        spec = fn.compute_output_spec([ks.KerasTensor(shape), ks.KerasTensor(shape)])
        assert ours.shape == spec.shape == tuple(theirs.shape) == shape and ours.dtype == theirs.dtype


def test_function_composes_into_a_model_and_holds_layers(keras, backend):
    x = ks.KerasTensor((None, 3))
    dense = ks.layers.Dense(2, kernel_initializer="ones", bias_initializer="zeros")
    fn = ks.Function(x, ops.relu(dense(x)) - 1.0)
    inputs = ks.Input((3,))
    model = ks.Model(inputs, fn(inputs) * 3.0)
    data = np.array([[1.0, 2.0, -4.0], [0.5, 0.5, 0.5]], dtype="float32")
    expected = (np.maximum(data.sum(axis=1, keepdims=True).repeat(2, axis=1), 0) - 1.0) * 3.0
    np.testing.assert_allclose(model.predict(data, verbose=0), expected, rtol=1e-6)
    np.testing.assert_allclose(fn(data).numpy() * 3.0, expected, rtol=1e-6)
    # A Function is stateless: the model does not own the weights of the layers inside it, as in Keras.
    keras_x, keras_inputs = keras.KerasTensor((None, 3)), keras.Input((3,))
    keras_fn = keras.Function(keras_x, keras.ops.relu(keras.layers.Dense(2)(keras_x)) - 1.0)
    assert len(model.weights) == len(keras.Model(keras_inputs, keras_fn(keras_inputs) * 3.0).weights) == 0
    assert len(dense.weights) == 2


def test_gradients_flow_through_a_function():
    x = ks.KerasTensor((2, 3), dtype="float64")
    fn = ks.Function(x, ops.sum(ops.tanh(x) * x))
    value = RNG.normal(size=(2, 3))

    def loss(v):
        return float(fn(v.astype("float64")).numpy())

    tensor = ops.convert_to_tensor(value)
    with ops.GradientTape() as tape:
        tape.watch(tensor)
        out = fn(tensor)
    (grad,) = tape.gradient(out, [tensor])
    np.testing.assert_allclose(grad.numpy(), central_difference(loss, value.copy()), rtol=1e-6, atol=1e-8)


def test_function_input_checks_match_keras_messages():
    fn = _sigmoid_of_sum(ks)
    with pytest.raises(ValueError, match="For input 0, expected shape \\(None, 2, 3\\), but received instead a "
                                         "tensor with shape \\(1, 2, 4\\)"):
        fn([np.ones((1, 2, 4)), np.ones((1, 2, 3))])
    with pytest.raises(ValueError, match="Function was called with an invalid input structure"):
        fn(np.ones((1, 2, 3)))
    with pytest.raises(ValueError, match="invalid input structure"):
        _nested(ks)({"x": A})
    a, b = ks.KerasTensor((None, 2)), ks.KerasTensor((None, 2))
    with pytest.raises(ValueError, match="the outputs cannot be computed from `inputs` alone"):
        ks.Function([a], a + b)
    with pytest.raises(ValueError, match="`outputs` argument cannot be empty"):
        ks.Function([a], [])
    with pytest.raises(TypeError, match="All `inputs` of a Function must be KerasTensors"):
        ks.Function([np.ones(2)], a)


class Cube(ks.Operation):
    def call(self, x, y=None):
        return ops.power(x, 3) if y is None else ops.add(ops.power(x, 3), y)


class SplitHalves(ks.Operation):
    def __init__(self, axis=-1, name=None):
        super().__init__(name=name)
        self.axis = axis

    def call(self, x):
        first, second = ops.split(x, 2, axis=self.axis)
        return first, {"sum": ops.sum(second, axis=0), "stacked": ops.concatenate([x, x], axis=0)}


class KerasCube:
    """Cube and SplitHalves written for real Keras."""

    @staticmethod
    def make(keras):
        class KCube(keras.Operation):
            def call(self, x, y=None):
                return keras.ops.power(x, 3) if y is None else keras.ops.add(keras.ops.power(x, 3), y)

        class KSplit(keras.Operation):
            def __init__(self, axis=-1, name=None):
                super().__init__(name=name)
                self.axis = axis

            def call(self, x):
                first, second = keras.ops.split(x, 2, axis=self.axis)
                return first, {"sum": keras.ops.sum(second, axis=0),
                               "stacked": keras.ops.concatenate([x, x], axis=0)}

        return KCube, KSplit


def test_operation_eager_values_match_keras(keras, backend):
    KCube, KSplit = KerasCube.make(keras)
    x, y = RNG.normal(size=(3, 4)).astype("float32"), RNG.normal(size=(3, 4)).astype("float32")
    np.testing.assert_allclose(Cube()(x).numpy(), _numpy(KCube()(x)), rtol=1e-6)
    np.testing.assert_allclose(Cube()(x, y=y).numpy(), _numpy(KCube()(x, y=y)), rtol=1e-6)
    (first, rest), (keras_first, keras_rest) = SplitHalves()(x), KSplit()(x)
    np.testing.assert_allclose(first.numpy(), _numpy(keras_first))
    np.testing.assert_allclose(rest["sum"].numpy(), _numpy(keras_rest["sum"]), rtol=1e-6)


def test_operation_symbolic_outputs_match_keras_shapes(keras):
    KCube, KSplit = KerasCube.make(keras)
    for shape in [(None, 4), (2, 6), (None, 3, 8)]:
        ours, theirs = Cube()(ks.KerasTensor(shape)), KCube()(keras.KerasTensor(shape))
        assert isinstance(ours, ks.KerasTensor) and ours.shape == tuple(theirs.shape) and ours.dtype == theirs.dtype
        ours = Cube()(ks.KerasTensor(shape), y=ks.KerasTensor(shape))
        assert ours.shape == tuple(KCube()(keras.KerasTensor(shape), y=keras.KerasTensor(shape)).shape)
        (first, rest), (keras_first, keras_rest) = SplitHalves()(ks.KerasTensor(shape)), KSplit()(
            keras.KerasTensor(shape))
        assert isinstance(rest, dict) and first.shape == tuple(keras_first.shape)
        for key in ("sum", "stacked"):
            assert rest[key].shape == tuple(keras_rest[key].shape), (shape, key)


def test_operation_in_a_model_trains_and_runs_its_call(backend):
    class Scale(ks.Operation):
        def __init__(self, factor, name=None):
            super().__init__(name=name)
            self.factor = factor

        def call(self, x):
            return x * self.factor

        def compute_output_spec(self, x):
            return ks.KerasTensor(x.shape, x.dtype)

    scale = Scale(0.5)
    inputs = ks.Input((3,))
    model = ks.Model(inputs, scale(ks.layers.Dense(1)(inputs)))
    x = RNG.normal(size=(64, 3)).astype("float32")
    y = x @ np.array([[1.0], [-2.0], [0.5]], dtype="float32")
    model.compile(optimizer=ks.optimizers.Adam(0.1), loss="mse")
    history = model.fit(x, y, epochs=30, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0] / 50
    dense = model.layers[1]
    np.testing.assert_allclose(model.predict(x[:4], verbose=0), 0.5 * dense(x[:4]).numpy(), rtol=1e-5)
    with pytest.raises(NotImplementedError, match="custom Operation `scale` .*cannot save or clone"):
        model.get_config()


def test_operation_config_and_names():
    class Pad(ks.Operation):
        def __init__(self, width, value=0.0, name=None):
            super().__init__(name=name)
            self.width, self.value = width, value

        def call(self, x):
            return ops.pad(x, [(0, 0), (self.width, self.width)], constant_values=self.value)

    pad = Pad(2)
    assert pad.name == "pad" and Pad(1).name == "pad_1" and Cube().name == "cube"
    assert pad.get_config() == {"name": "pad", "width": 2, "value": 0.0}
    clone = Pad.from_config(pad.get_config())
    assert clone.width == 2 and clone.name == "pad"
    assert clone(ks.KerasTensor((None, 3))).shape == (None, 7)
    with pytest.raises(NotImplementedError, match="override `get_config\\(\\)`"):
        Pad(np.ones(2)).get_config()
    with pytest.raises(ValueError, match="cannot contain character `/`"):
        Cube(name="a/b")
    with pytest.raises(NotImplementedError, match="Operation must implement `call"):
        ks.Operation()(np.ones(2))


def test_operation_that_cannot_run_on_placeholders_says_what_to_override():
    class NeedsPositive(ks.Operation):
        def call(self, x):
            if float(ops.min(x)) <= 0:
                raise ValueError("inputs must be positive")
            return ops.log(x)

    with pytest.raises(ValueError, match="(?s)Could not automatically infer the output shape / dtype of "
                                         "'needs_positive'.*compute_output_spec.*inputs must be positive"):
        NeedsPositive()(ks.KerasTensor((None, 2), dtype="int32"))
