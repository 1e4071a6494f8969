"""Orthogonal and Identity initializers, and Keras's function-style names and aliases."""

import numpy as np
import pytest

from kerasette import initializers, layers, ops


@pytest.mark.parametrize("shape", [(4, 4), (3, 7), (7, 3), (2, 3, 4, 5)])
def test_orthogonal_gives_orthonormal_rows_or_columns(shape, backend):
    w = initializers.Orthogonal(gain=1.5, seed=3)(shape)
    assert w.shape == shape and w.dtype == "float32"
    flat = w.numpy().reshape(-1, shape[-1]).astype(np.float64)
    rows, cols = flat.shape
    gram = flat.T @ flat if rows >= cols else flat @ flat.T
    np.testing.assert_allclose(gram, 1.5 ** 2 * np.eye(min(rows, cols)), atol=1e-5)


def test_orthogonal_is_uniform_not_biased_towards_positive_diagonals():
    # Without the sign correction of Keras's algorithm, QR of a normal matrix has a positive R diagonal,
    # which shows as a bias in Q's first column; with it, the diagonal of Q has mean ~0.
    diagonals = [np.diag(initializers.Orthogonal(seed=s)((3, 3)).numpy()) for s in range(200)]
    assert abs(np.mean(diagonals)) < 0.1


def test_orthogonal_seeding_matches_the_other_random_initializers():
    a = initializers.Orthogonal(seed=5)((6, 4)).numpy()
    np.testing.assert_array_equal(a, initializers.Orthogonal(seed=5)((6, 4)).numpy())
    assert not np.array_equal(a, initializers.Orthogonal(seed=6)((6, 4)).numpy())
    unseeded = initializers.Orthogonal()
    assert not np.array_equal(unseeded((6, 4)).numpy(), unseeded((6, 4)).numpy())


def test_identity_values_and_gain():
    np.testing.assert_array_equal(initializers.Identity()((3, 3)).numpy(), np.eye(3, dtype="float32"))
    np.testing.assert_array_equal(initializers.get("identity")((2, 4)).numpy(), np.eye(2, 4, dtype="float32"))
    np.testing.assert_array_equal(initializers.Identity(gain=0.5)((2, 2), dtype="float64").numpy(), 0.5 * np.eye(2))


@pytest.mark.parametrize("make,shape,match", [
    (initializers.Orthogonal, (5,), "at least two-dimensional"),
    (initializers.Identity, (2, 2, 2), "only be used for 2D"),
])
def test_rank_errors(make, shape, match):
    with pytest.raises(ValueError, match=match):
        make()(shape)


def test_gain_must_be_a_number():
    with pytest.raises(ValueError, match="argument `gain`"):
        initializers.Identity(gain="big")


@pytest.mark.parametrize("initializer,config", [
    (initializers.Orthogonal(gain=2.0, seed=7), {"gain": 2.0, "seed": 7}),
    (initializers.Identity(gain=3.0), {"gain": 3.0}),
])
def test_configs_round_trip_with_keras_keys(initializer, config):
    assert initializer.get_config() == config
    serialized = initializers.serialize(initializer)
    assert serialized == {"class_name": type(initializer).__name__, "config": config}
    clone = initializers.deserialize(serialized)
    assert type(clone) is type(initializer) and clone.get_config() == config


@pytest.mark.parametrize("name,cls", [
    ("constant", initializers.Constant), ("glorot_normal", initializers.GlorotNormal),
    ("glorot_uniform", initializers.GlorotUniform), ("he_normal", initializers.HeNormal),
    ("he_uniform", initializers.HeUniform), ("identity", initializers.Identity),
    ("lecun_normal", initializers.LecunNormal), ("lecun_uniform", initializers.LecunUniform),
    ("ones", initializers.Ones), ("orthogonal", initializers.Orthogonal), ("random_normal", initializers.RandomNormal),
    ("random_uniform", initializers.RandomUniform), ("truncated_normal", initializers.TruncatedNormal),
    ("variance_scaling", initializers.VarianceScaling), ("zeros", initializers.Zeros),
    ("IdentityInitializer", initializers.Identity), ("OrthogonalInitializer", initializers.Orthogonal),
])
def test_function_style_names_are_the_classes(name, cls):
    assert getattr(initializers, name) is cls
    assert type(initializers.get(name)) is cls


def test_keras_extra_aliases_resolve():
    assert type(initializers.get("one")) is initializers.Ones
    assert type(initializers.get("zero")) is initializers.Zeros
    config = {"module": "keras.initializers", "class_name": "OrthogonalInitializer",
              "config": {"gain": 1.0, "seed": None}}
    assert type(initializers.get(config)) is initializers.Orthogonal


def test_a_dense_layer_with_an_orthogonal_kernel():
    layer = layers.Dense(4, kernel_initializer=initializers.orthogonal(seed=1))
    layer(ops.ones((1, 4)))
    kernel = layer.kernel.numpy()
    np.testing.assert_allclose(kernel.T @ kernel, np.eye(4), atol=1e-5)
    assert layer.get_config()["kernel_initializer"] == {"class_name": "Orthogonal",
                                                        "config": {"gain": 1.0, "seed": 1}}
