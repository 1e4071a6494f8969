"""The top-level ``keras`` names: base classes, scopes, version, InputSpec (checked on every call)."""

import os

import numpy as np
import pytest

import kerasette as ks
from kerasette import layers, ops

os.environ.setdefault("KERAS_BACKEND", "torch")


def test_base_classes_are_the_families_bases():
    assert ks.Loss is ks.losses.Loss and ks.Metric is ks.metrics.Metric and ks.Optimizer is ks.optimizers.Optimizer
    assert ks.Initializer is ks.initializers.Initializer and ks.Regularizer is ks.regularizers.Regularizer
    assert isinstance(ks.Input((2,)), ks.KerasTensor)
    assert ks.version() == ks.__version__


class HalfSquares(ks.Loss):
    def call(self, y_true, y_pred):
        return ops.multiply(ops.mean(ops.square(ops.subtract(y_true, y_pred)), axis=-1), 0.5)


class Smallest(ks.Regularizer):
    def __call__(self, weight):
        return ops.multiply(ops.sum(ops.abs(weight)), 1e-3)


def test_subclassing_the_top_level_bases_trains():
    x = np.random.default_rng(0).normal(size=(16, 3)).astype("float32")
    model = ks.Sequential([ks.Input((3,)), layers.Dense(1, kernel_regularizer=Smallest())])
    model.compile(optimizer="sgd", loss=HalfSquares())
    history = model.fit(x, x[:, :1], epochs=3, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_name_scope_nests_and_deduplicates_by_caller():
    owner = object()
    with ks.name_scope("a", caller=owner):
        with ks.name_scope("a", caller=owner):
            assert ks.Variable(1.0, name="v").path == "a/v"
        with ks.name_scope("b", override_parent="root"):
            assert ks.Variable(1.0, name="w").path == "root/b/w"
    with pytest.raises(ValueError, match="without '/'"):
        ks.name_scope("a/b")


def test_device_scope():
    with ks.device("cpu"):
        assert ops.ones((2,)).shape == (2,)
    if ks.backends.backend() == "numpy":
        with pytest.warns(UserWarning, match="does not move arrays"):
            with ks.device("gpu:0") as name:
                assert name == "gpu:0"
    with pytest.raises(ValueError, match="device_name"):
        with ks.device(0):
            pass


def test_remat_warns_and_keeps_results():
    def f(x):
        return x * 2

    with pytest.warns(UserWarning, match="rematerialization"):
        assert ks.remat(f) is f
    with pytest.warns(UserWarning, match="rematerialization"):
        with ks.RematScope(mode="full"):
            pass
    with ks.RematScope(mode=None):
        pass
    with pytest.raises(ValueError, match="`mode`"):
        ks.RematScope(mode="some")


class Pairs(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.input_spec = ks.InputSpec(ndim=2, axes={-1: 2}, dtype="float32")

    def call(self, inputs):
        return inputs


class TwoInputs(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.input_spec = [ks.InputSpec(min_ndim=2), ks.InputSpec(shape=(None, 3), allow_last_axis_squeeze=True)]

    def call(self, inputs):
        return inputs[0]


def test_input_spec_is_checked_on_eager_and_symbolic_calls():
    layer = Pairs(name="pairs")
    assert layer(np.ones((4, 2))).shape == (4, 2)
    with pytest.raises(ValueError, match="expected ndim=2, found ndim=3"):
        layer(np.ones((1, 4, 2)))
    with pytest.raises(ValueError, match="expected axis -1 of input shape to have value 2"):
        layer(ks.Input((3,)))
    with pytest.raises(ValueError, match="expected dtype=float32, found dtype=int32"):
        layer(ks.Input((2,), dtype="int32"))
    two = TwoInputs(name="two")
    assert two([np.ones((2, 5)), np.ones((2, 3, 1))]).shape == (2, 5)
    with pytest.raises(ValueError, match="expects 2 input"):
        two([np.ones((2, 5))])
    with pytest.raises(ValueError, match="expected min_ndim=2"):
        two([np.ones(5), np.ones((2, 3))])
    with pytest.raises(ValueError, match=r"expected shape=\(None, 3\)"):
        two([np.ones((2, 5)), np.ones((2, 4))])


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_input_spec_config_and_repr_equal_keras():
    keras = pytest.importorskip("keras")
    for kwargs in ({"ndim": 3, "axes": {-1: 4}}, {"shape": (None, 2), "dtype": "float32"}, {"max_ndim": 4}):
        ours, theirs = ks.InputSpec(**kwargs), keras.InputSpec(**kwargs)
        assert ours.get_config() == theirs.get_config() and repr(ours) == repr(theirs)
        assert ks.InputSpec.from_config(ours.get_config()).get_config() == ours.get_config()
    with pytest.raises(TypeError, match="`axes`"):
        ks.InputSpec(axes=[1])
    with pytest.raises(ValueError, match="greater than the maximum"):
        ks.InputSpec(ndim=2, axes={3: 1})
