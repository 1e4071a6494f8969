"""The activations added for Keras 3 parity (celu ... threshold): Keras 3.15.1 numbers, numpy references,
gradients against finite differences on every backend, and name resolution."""

import numpy as np
import pytest
from finite_differences import central_difference

from kerasette import activations, ops

X = np.array([-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0, 8.0], dtype=np.float32)

# From keras 3.15.1 (KERAS_BACKEND=torch), float32, on X above.
KERAS = {
    ("celu", ()): [-0.95021296, -0.63212055, -0.39346933, 0, 0.5, 1, 3, 8],
    ("celu", (("alpha", 0.5),)): [-0.49876061, -0.43233237, -0.31606027, 0, 0.5, 1, 3, 8],
    ("hard_shrink", ()): [-3, -1, 0, 0, 0, 1, 3, 8],
    ("hard_silu", ()): [0, -0.33333334, -0.20833333, 0, 0.29166666, 0.66666669, 3, 8],
    ("hard_swish", ()): [0, -0.33333334, -0.20833333, 0, 0.29166666, 0.66666669, 3, 8],
    ("hard_tanh", ()): [-1, -1, -0.5, 0, 0.5, 1, 1, 1],
    ("log_sigmoid", ()): [-3.0485873, -1.3132617, -0.97407699, -0.69314718, -0.47407699, -0.31326169, -0.048587352,
                          -0.00033540637],
    ("mish", ()): [-0.14564747, -0.30340147, -0.22074378, 0, 0.37524521, 0.86509836, 2.9865351, 7.9999981],
    ("soft_shrink", ()): [-2.5, -0.5, 0, 0, 0, 0.5, 2.5, 7.5],
    ("soft_shrink", (("threshold", 1.0),)): [-2, 0, 0, 0, 0, 0, 2, 7],
    ("sparse_plus", ()): [0, 0, 0.0625, 0.25, 0.5625, 1, 3, 8],
    ("sparse_sigmoid", ()): [0, 0, 0.25, 0.5, 0.75, 1, 1, 1],
    ("squareplus", ()): [0.30277562, 0.61803401, 0.78077638, 1, 1.2807764, 1.618034, 3.3027756, 8.123106],
    ("squareplus", (("b", 1),)): [0.081138849, 0.20710677, 0.309017, 0.5, 0.809017, 1.2071068, 3.0811388, 8.0311289],
    ("tanh_shrink", ()): [-2.0049453, -0.23840582, -0.037882835, 0, 0.037882835, 0.23840582, 2.0049453, 7],
    ("threshold", (("threshold", 0.5), ("default_value", -2.0))): [-2, -2, -2, -2, -2, 1, 3, 8],
    # X reshaped to (2, 4):
    ("glu", ()): [-1.132622, -0.5, 0.47628707, 0.99966466],
    ("glu", (("axis", 0),)): [-1.867378, -0.7310586, -0.47628707, 0],
    ("sparsemax", ()): [0, 0, 0.25, 0.75, 0, 0, 0, 1],
}
TWO_D = {"glu", "sparsemax"}


def _sparsemax_reference(z):
    """Martins & Astudillo (2016), Algorithm 1, on the last axis."""
    z_sorted = -np.sort(-z, axis=-1)
    cumsum = np.cumsum(z_sorted, axis=-1)
    r = np.arange(1, z.shape[-1] + 1)
    k = np.sum(1 + r * z_sorted > cumsum, axis=-1, keepdims=True)
    tau = (np.take_along_axis(cumsum, k - 1, axis=-1) - 1) / k
    return np.maximum(z - tau, 0)


@pytest.mark.parametrize("key", list(KERAS), ids=[k[0] + "-" + "-".join(a for a, _ in k[1]) for k in KERAS])
def test_matches_keras_numbers(key, backend):
    name, kwargs = key
    x = X.reshape(2, 4) if name in TWO_D else X
    out = getattr(activations, name)(ops.convert_to_tensor(x), **dict(kwargs))
    assert out.dtype == "float32"
    np.testing.assert_allclose(out.numpy().ravel(), KERAS[key], rtol=1e-5, atol=1e-6)


def test_sparsemax_projects_onto_the_simplex_where_keras_3_15_does_not(backend):
    # keras 3.15.1 returns [[0, 0, 0.25]] here (keras-team/keras#23425); the projection is [[0, 0.25, 0.75]].
    z = np.random.default_rng(0).normal(size=(6, 5)).astype(np.float32)
    z = np.concatenate([z, [[0.0, 0.5, 1.0, -4.0, -4.0], [0.1, 0.2, 0.3, 0.4, 0.5]]]).astype(np.float32)
    out = activations.sparsemax(ops.convert_to_tensor(z)).numpy()
    np.testing.assert_allclose(out, _sparsemax_reference(z.astype(np.float64)), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out.sum(axis=-1), 1.0, rtol=1e-5)
    np.testing.assert_allclose(out[-2], [0.0, 0.25, 0.75, 0.0, 0.0], atol=1e-6)
    along_0 = activations.sparsemax(ops.convert_to_tensor(z.T), axis=0).numpy()
    np.testing.assert_allclose(along_0, out.T, rtol=1e-5, atol=1e-6)


SMOOTH_X = np.array([[-2.3, -0.7, 0.4, 1.9], [6.5, -1.6, 0.7, 0.05]], dtype=np.float64)  # away from kinks


@pytest.mark.parametrize("name,kwargs", [
    ("celu", {"alpha": 0.7}), ("glu", {}), ("glu", {"axis": 0}), ("hard_shrink", {}), ("hard_silu", {}),
    ("hard_tanh", {}), ("log_sigmoid", {}), ("mish", {}), ("soft_shrink", {}), ("sparse_plus", {}),
    ("sparse_sigmoid", {}), ("sparsemax", {}), ("sparsemax", {"axis": 0}), ("squareplus", {}), ("tanh_shrink", {}),
    ("threshold", {"threshold": 0.2, "default_value": 3.0}),
])
def test_gradient_matches_finite_differences(name, kwargs, backend):
    fn = getattr(activations, name)
    x_host = SMOOTH_X.copy()
    weights = np.random.default_rng(1).normal(size=fn(ops.convert_to_tensor(x_host), **kwargs).shape)

    def scalar(x):
        with ops.stop_recording():
            return float(ops.sum(ops.multiply(fn(ops.convert_to_tensor(x), **kwargs), weights)))

    x = ops.convert_to_tensor(x_host)
    with ops.GradientTape() as tape:
        tape.watch(x)
        y = ops.sum(ops.multiply(fn(x, **kwargs), weights))
    (grad,) = tape.gradient(y, [x])
    np.testing.assert_allclose(grad.numpy(), central_difference(scalar, x_host), rtol=1e-5, atol=1e-7)


NEW = ["celu", "glu", "hard_shrink", "hard_silu", "hard_tanh", "log_sigmoid", "mish", "soft_shrink", "sparse_plus",
       "sparse_sigmoid", "sparsemax", "squareplus", "tanh_shrink", "threshold"]


@pytest.mark.parametrize("name", NEW)
def test_names_resolve_and_serialize_as_in_keras(name):
    fn = getattr(activations, name)
    assert activations.get(name) is fn
    assert activations.serialize(fn) == name
    assert activations.deserialize(name) is fn
    keras_form = {"module": "keras.activations", "class_name": "function", "config": name, "registered_name": name}
    assert activations.get(keras_form) is fn


def test_hard_swish_is_hard_silu():
    assert activations.get("hard_swish") is activations.hard_silu
    assert activations.serialize(activations.hard_swish) == "hard_silu"


def test_glu_refuses_an_odd_axis():
    with pytest.raises(ValueError, match="even size along `axis`"):
        activations.glu(ops.ones((2, 3)))
