"""Keras 3's lowercase regularizer names and OrthogonalRegularizer, against real Keras and finite differences."""

import os

import numpy as np
import pytest
from finite_differences import central_difference

from kerasette import layers, ops, regularizers

os.environ.setdefault("KERAS_BACKEND", "torch")


def test_lowercase_names_are_the_classes_as_in_keras():
    assert regularizers.l1 is regularizers.L1 and regularizers.l2 is regularizers.L2
    assert regularizers.l1_l2 is regularizers.L1L2
    assert regularizers.orthogonal_regularizer is regularizers.OrthogonalRegularizer
    assert regularizers.l2(1e-4).get_config() == {"l2": 1e-4}
    layer = layers.Dense(2, kernel_regularizer=regularizers.l2(0.5))
    layer(np.ones((1, 3), "float32"))
    np.testing.assert_allclose(float(layer.losses[0]), 0.5 * np.sum(layer.kernel.numpy() ** 2), rtol=1e-6)
    assert type(regularizers.get("orthogonal_regularizer")) is regularizers.OrthogonalRegularizer


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("mode", ["rows", "columns"])
def test_orthogonal_regularizer_equals_keras(mode, backend):
    keras = pytest.importorskip("keras")
    weights = np.random.default_rng(0).normal(size=(5, 4)).astype("float32")
    weights[1] = 0.0  # a zero row: its norm is raised to epsilon, as in Keras
    ours = float(regularizers.OrthogonalRegularizer(0.3, mode)(ops.convert_to_tensor(weights)))
    theirs = float(keras.ops.convert_to_numpy(keras.regularizers.OrthogonalRegularizer(0.3, mode)(
        keras.ops.convert_to_tensor(weights))))
    assert ours == pytest.approx(theirs, rel=1e-5)


def test_orthogonal_regularizer_gradient_matches_finite_differences():
    host = np.random.default_rng(1).normal(size=(3, 4))
    weight = ops.Variable(host.copy(), name="w")
    penalty = regularizers.OrthogonalRegularizer(1.0, "rows")
    with ops.GradientTape() as tape:
        value = penalty(weight)
    grad = tape.gradient(value, [weight])[0].numpy()

    def numeric(x):
        weight.assign(x)
        return float(penalty(weight))

    np.testing.assert_allclose(grad, central_difference(numeric, host.copy()), rtol=1e-5, atol=1e-8)


def test_orthogonal_regularizer_arguments():
    with pytest.raises(ValueError, match="`mode`"):
        regularizers.OrthogonalRegularizer(mode="diagonal")
    with pytest.raises(ValueError, match="`factor`"):
        regularizers.OrthogonalRegularizer(factor=-1.0)
    with pytest.raises(ValueError, match="rank 2"):
        regularizers.OrthogonalRegularizer()(ops.ones((2, 2, 2)))
    config = regularizers.OrthogonalRegularizer(0.2, "columns").get_config()
    assert config == {"factor": 0.2, "mode": "columns"}
    assert regularizers.deserialize(regularizers.serialize(regularizers.OrthogonalRegularizer(0.2))).factor == 0.2
