"""The Variable API of Keras 3 (``keras.Variable``): construction, updates, reads, operators, paths."""

import os

import numpy as np
import pytest
from finite_differences import central_difference

import kerasette as keras
from kerasette import layers, metrics, ops

os.environ.setdefault("KERAS_BACKEND", "torch")


def test_constructed_from_a_value_an_initializer_name_or_a_callable(backend):
    from_value = keras.Variable(np.array([[1.0, 2.0]], "float32"), name="v")
    assert from_value.shape == (1, 2) and from_value.ndim == 2 and from_value.dtype == "float32"
    from_name = keras.Variable("ones", shape=(2, 3), name="w")
    np.testing.assert_array_equal(from_name.numpy(), np.ones((2, 3), "float32"))
    from_object = keras.Variable(keras.initializers.Constant(0.5), shape=(3,), dtype="float32", name="c")
    np.testing.assert_array_equal(from_object.numpy(), [0.5, 0.5, 0.5])
    from_callable = keras.Variable(lambda shape, dtype=None: np.full(shape, 7.0, dtype), shape=(2,), name="f")
    np.testing.assert_array_equal(from_callable.numpy(), [7.0, 7.0])
    assert keras.Variable(3.0, name="s").dtype == "float32"
    source = np.zeros(2, "float32")
    keras.Variable(source, name="copy").assign_add(1.0)
    np.testing.assert_array_equal(source, [0.0, 0.0])  # the caller's array is copied, as in Keras
    assert keras.Variable(np.arange(3), dtype="float32", name="cast").dtype == "float32"


def test_argument_errors_name_the_argument():
    with pytest.raises(ValueError, match="shape"):
        keras.Variable("zeros")
    with pytest.raises(ValueError, match="`name`"):
        keras.Variable(1.0, name="a/b")
    with pytest.raises(ValueError, match="`aggregation`"):
        keras.Variable(1.0, aggregation="max")
    with pytest.raises(ValueError, match="`synchronization`"):
        keras.Variable(1.0, synchronization="sometimes")
    with pytest.raises(ValueError, match=r"shape=\(3,\)"):
        keras.Variable(np.zeros(2), shape=(3,))
    with pytest.raises(ValueError, match="fully-defined"):
        keras.Variable("zeros", shape=(None, 2))


def test_assign_add_and_sub_update_in_place_and_return_the_variable(backend):
    v = keras.Variable(np.array([1.0, 2.0], "float32"), name="v")
    data = v.data
    assert v.assign([3.0, 4.0]) is v
    assert v.assign_add([1.0, 1.0]) is v
    assert v.assign_sub(0.5) is v
    np.testing.assert_allclose(v.numpy(), [3.5, 4.5])
    assert v.data is data and v.version == 3
    with pytest.raises(ValueError, match="shape"):
        v.assign_add(np.ones((3, 2)))
    counter = keras.Variable(np.array(0, "int64"), name="steps", trainable=False)
    counter.assign_add(1)
    counter.assign_add(1)
    assert int(counter) == 2 and counter.dtype == "int64"


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # raised inside Keras's torch backend
def test_value_numpy_and_repr_match_keras():
    keras_lib = pytest.importorskip("keras")
    v = keras.Variable(np.array([1.0, 2.0], "float32"), name="v")
    kv = keras_lib.Variable(np.array([1.0, 2.0], "float32"), name="v")
    assert repr(v) == repr(kv)
    assert v.value is v
    copy = v.numpy()
    v.assign([5.0, 6.0])
    np.testing.assert_array_equal(copy, [1.0, 2.0])  # numpy() is a copy
    assert (v.name, v.path, v.trainable, v.aggregation, v.synchronization) == (
        kv.name, kv.path, kv.trainable, kv.aggregation, kv.synchronization)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_operators_follow_keras():
    keras_lib = pytest.importorskip("keras")
    values = np.array([1.0, -2.0, 3.0], "float32")
    v, kv = keras.Variable(values, name="v"), keras_lib.Variable(values, name="v")

    def host(x):
        return np.asarray(keras_lib.ops.convert_to_numpy(x)) if not isinstance(x, ops.Tensor) else x.numpy()

    cases = [lambda a: a + 1, lambda a: 2 - a, lambda a: a * a, lambda a: a / 2, lambda a: 2 ** a, lambda a: -a,
             lambda a: abs(a), lambda a: a > 0, lambda a: a <= 1, lambda a: a == 3.0, lambda a: a != 3.0,
             lambda a: +a, lambda a: a[1:]]
    for case in cases:
        np.testing.assert_allclose(host(case(v)), host(case(kv)), rtol=1e-6)
    assert float(keras.Variable(2.5, name="s")) == 2.5


def test_variables_compare_by_identity_with_each_other_so_lists_work():
    a, b = keras.Variable([1.0, 2.0], name="a"), keras.Variable([1.0, 2.0], name="b")
    assert a in [b, a] and b not in [a]
    assert [a, b].index(b) == 1
    assert len({a, b}) == 2
    assert (a == None) is False and (a != "a") is True  # noqa: E711


def test_name_scope_prefixes_paths():
    with keras.name_scope("outer"):
        with keras.name_scope("inner"):
            v = keras.Variable(1.0, name="w")
        u = keras.Variable(1.0, name="u")
    assert (v.path, u.path, keras.Variable(1.0, name="x").path) == ("outer/inner/w", "outer/u", "x")
    unnamed = keras.Variable(1.0)
    assert unnamed.name.startswith("variable") and unnamed.path == unnamed.name


def test_trainable_flag_controls_the_tape_and_value_keeps_gradients(backend):
    w = keras.Variable(np.array([0.5, -1.5], "float64"), name="w")
    frozen = keras.Variable(np.array([2.0, 3.0], "float64"), name="frozen", trainable=False)
    x = np.array([1.0, 2.0])

    def loss(weights):
        return ops.sum(ops.square(ops.multiply(weights, x)))

    with ops.GradientTape() as tape:
        value = loss(w.value)
    grad = tape.gradient(value, [w])[0].numpy()
    host = w.numpy().copy()
    np.testing.assert_allclose(grad, central_difference(lambda h: float(np.sum((h * x) ** 2)), host), rtol=1e-6)
    with ops.GradientTape() as tape:
        value = loss(frozen)
    assert tape.gradient(value, [frozen])[0] is None or not np.any(tape.gradient(value, [frozen])[0].numpy())
    frozen.trainable = True
    assert frozen.trainable


class Counter(layers.Layer):
    """A layer with non-trainable state that its call updates (Keras's pattern)."""

    def build(self, input_shape):
        self.seen = self.add_weight(shape=(), initializer="zeros", trainable=False, name="seen")
        self.total = self.add_weight(shape=(input_shape[-1],), initializer="zeros", trainable=False, name="total")

    def call(self, inputs):
        self.seen.assign_add(float(inputs.shape[0]))
        self.total.assign_add(ops.sum(inputs, axis=0))
        return inputs


class MeanOfPositives(metrics.Metric):
    """A custom metric whose state is updated with assign_add."""

    def __init__(self, name="mean_of_positives", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(name="total")
        self.count = self.add_variable(name="count")

    def update_state(self, y_true, y_pred, sample_weight=None):
        positive = ops.cast(ops.greater(y_pred, 0.0), "float32")
        self.total.assign_add(ops.sum(ops.multiply(y_pred, positive)))
        self.count.assign_add(ops.sum(positive))

    def result(self):
        return ops.divide(self.total, ops.maximum(self.count, 1.0))


def test_layer_and_metric_state_updated_with_assign_add_during_fit(backend):
    x = np.random.default_rng(0).normal(size=(12, 3)).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    model = keras.Sequential([keras.Input((3,)), Counter(name="counter"), layers.Dense(1)])
    model.compile("sgd", "mse", metrics=[MeanOfPositives()])
    history = model.fit(x, y, batch_size=4, epochs=2, verbose=0)
    counter = model.get_layer("counter")
    assert float(counter.seen) == 24.0
    np.testing.assert_allclose(counter.total.numpy(), 2 * x.sum(axis=0), rtol=1e-5)
    assert counter.seen not in model.trainable_weights and counter.seen in model.non_trainable_weights
    assert "mean_of_positives" in history.history and history.history["mean_of_positives"][-1] >= 0.0
