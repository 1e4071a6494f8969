"""Weight constraints: Keras 3.15.1 numbers, names and configs, and how layers and optimizers apply them."""

import numpy as np
import pytest

import kerasette as ks
from kerasette import constraints, layers, ops

W = np.array([[0.5, -1.5, 2.0], [2.0, -0.25, 0.1], [-1.0, 3.0, 0.0]], dtype=np.float32)

# From keras 3.15.1 (KERAS_BACKEND=torch), float32, on W above.
KERAS = [
    (constraints.MaxNorm(1.5), [[0.32732683, -0.66896474, 1.4981285], [1.3093073, -0.11149412, 0.074906431],
                                [-0.65465367, 1.3379295, 0]]),
    (constraints.MaxNorm(2, axis=1), [[0.39223227, -1.1766968, 1.5689291], [1.9821175, -0.24776469, 0.09910588],
                                      [-0.63245553, 1.8973665, 0]]),
    (constraints.MaxNorm(1.0, axis=[0, 1]), [[0.11023677, -0.33071032, 0.44094709],
                                             [0.44094709, -0.055118386, 0.022047354], [-0.22047354, 0.66142064, 0]]),
    (constraints.NonNeg(), [[0.5, 0, 2], [2, 0, 0.1], [0, 3, 0]]),
    (constraints.UnitNorm(), [[0.21821788, -0.4459765, 0.99875236], [0.87287152, -0.074329413, 0.049937621],
                              [-0.43643576, 0.89195299, 0]]),
    (constraints.UnitNorm(axis=1), [[0.19611613, -0.58834839, 0.78446454], [0.99105877, -0.12388235, 0.04955294],
                                    [-0.31622776, 0.94868326, 0]]),
    (constraints.MinMaxNorm(0.5, 2.0), [[0.43643576, -0.89195299, 1.9975047], [1.745743, -0.14865883, 0.099875234],
                                        [-0.87287152, 1.783906, 0]]),
    (constraints.MinMaxNorm(1.0, 3.0, rate=0.5, axis=1), [[0.5, -1.5, 2], [2, -0.25, 0.1],
                                                          [-0.97434163, 2.9230249, 0]]),
]


@pytest.mark.parametrize("constraint,expected", KERAS, ids=[repr(c) for c, _ in KERAS])
def test_matches_keras_numbers(constraint, expected, backend):
    out = constraint(ops.convert_to_tensor(W))
    assert out.dtype == "float32"
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-5, atol=1e-6)


def test_base_constraint_is_the_identity():
    np.testing.assert_array_equal(constraints.Constraint()(ops.convert_to_tensor(W)).numpy(), W)


@pytest.mark.parametrize("name,cls", [("max_norm", constraints.MaxNorm), ("MaxNorm", constraints.MaxNorm),
                                      ("min_max_norm", constraints.MinMaxNorm), ("non_neg", constraints.NonNeg),
                                      ("unit_norm", constraints.UnitNorm), ("UnitNorm", constraints.UnitNorm)])
def test_names_resolve_and_lowercase_aliases_are_the_classes(name, cls):
    assert type(constraints.get(name)) is cls
    if name.islower():
        assert getattr(constraints, name) is cls


@pytest.mark.parametrize("constraint,config", [
    (constraints.MaxNorm(1.5), {"max_value": 1.5, "axis": 0}),
    (constraints.MinMaxNorm(0.5, 2.0, 0.5, 1), {"min_value": 0.5, "max_value": 2.0, "rate": 0.5, "axis": 1}),
    (constraints.UnitNorm(axis=[0, 1]), {"axis": [0, 1]}),
    (constraints.NonNeg(), {}),
])
def test_configs_are_keras_configs_and_round_trip(constraint, config):
    # Keras 3.15.1's serialize gives {"module": "keras.constraints", "class_name": ..., "config": <these>}.
    assert constraints.serialize(constraint) == {"class_name": type(constraint).__name__, "config": config}
    keras_form = {"module": "keras.constraints", "class_name": type(constraint).__name__, "config": config,
                  "registered_name": None}
    clone = constraints.get(keras_form)
    assert type(clone) is type(constraint) and clone.get_config() == config
    assert constraints.deserialize(constraints.serialize(constraint)).get_config() == config


def test_get_passes_none_and_callables_through_and_refuses_the_rest():
    assert constraints.get(None) is None
    assert constraints.get(abs) is abs
    with pytest.raises(ValueError, match="Unknown constraint: 'max_nrom'"):
        constraints.get("max_nrom")
    with pytest.raises(ValueError, match="Could not interpret constraint"):
        constraints.get(3)


@pytest.mark.parametrize("make,match", [
    (lambda: constraints.MaxNorm(axis="rows"), "argument `axis`"),
    (lambda: constraints.MinMaxNorm(rate="fast"), "argument `rate`"),
    (lambda: constraints.MaxNorm(max_value=None), "argument `max_value`"),
])
def test_bad_arguments(make, match):
    with pytest.raises(ValueError, match=match):
        make()


@pytest.mark.parametrize("make,attribute", [
    (lambda c: layers.Dense(3, kernel_constraint=c, bias_constraint=c), ("kernel", "bias")),
    (lambda c: layers.Conv2D(2, 2, kernel_constraint=c, bias_constraint=c), ("kernel", "bias")),
    (lambda c: layers.Conv1DTranspose(2, 2, kernel_constraint=c), ("kernel",)),
    (lambda c: layers.DepthwiseConv2D(2, depthwise_constraint=c, bias_constraint=c), ("kernel", "bias")),
    (lambda c: layers.SeparableConv1D(2, 2, depthwise_constraint=c, pointwise_constraint=c),
     ("depthwise_kernel", "pointwise_kernel")),
    (lambda c: layers.BatchNormalization(gamma_constraint=c, beta_constraint=c), ("gamma", "beta")),
    (lambda c: layers.LayerNormalization(gamma_constraint=c, beta_constraint=c), ("gamma", "beta")),
    (lambda c: layers.GroupNormalization(groups=1, gamma_constraint=c, beta_constraint=c), ("gamma", "beta")),
    (lambda c: layers.PReLU(alpha_constraint=c), ("alpha",)),
], ids=["Dense", "Conv2D", "Conv1DTranspose", "DepthwiseConv2D", "SeparableConv1D", "BatchNormalization",
        "LayerNormalization", "GroupNormalization", "PReLU"])
def test_layers_store_constraints_on_their_variables_and_in_their_config(make, attribute):
    constraint = constraints.NonNeg()
    layer = make(constraint)
    shape = (1, 4, 4, 3) if isinstance(layer, (layers.Conv2D, layers.DepthwiseConv2D)) else (1, 4, 3)
    layer(np.ones(shape, "float32"))
    for name in attribute:
        assert getattr(layer, name).constraint is constraint
    config = layer.get_config()
    assert {"class_name": "NonNeg", "config": {}} in config.values()
    clone = type(layer).from_config(config)
    clone(np.ones(shape, "float32"))
    assert all(isinstance(getattr(clone, name).constraint, constraints.NonNeg) for name in attribute)


def test_embedding_accepts_embeddings_constraint():
    layer = layers.Embedding(5, 2, embeddings_constraint="unit_norm")
    layer(np.array([[1, 2]]))
    assert isinstance(layer.embeddings.constraint, constraints.UnitNorm)
    assert layer.get_config()["embeddings_constraint"] == {"class_name": "UnitNorm", "config": {"axis": 0}}


def test_add_weight_stores_the_constraint():
    layer = layers.Layer()
    variable = layer.add_weight((2,), "ones", constraint="non_neg")
    assert isinstance(variable.constraint, constraints.NonNeg)
    assert layer.add_weight((2,), "ones").constraint is None
    with pytest.raises(ValueError, match="attribute `constraint`"):
        variable.constraint = 3


def test_the_optimizer_projects_after_each_update(backend):
    variable = ops.Variable(np.array([1.0, -1.0, 0.5], "float32"), name="w")
    variable.constraint = constraints.NonNeg()
    frozen = ops.Variable(np.array([-3.0], "float32"), name="v")  # no constraint: left as the update makes it
    ks.optimizers.SGD(learning_rate=1.0).apply([ops.convert_to_tensor([2.0, -1.0, 0.25]),
                                                ops.convert_to_tensor([1.0])], [variable, frozen])
    np.testing.assert_allclose(variable.numpy(), [0.0, 0.0, 0.25])
    np.testing.assert_allclose(frozen.numpy(), [-4.0])


def test_fit_keeps_a_max_norm_kernel_within_bounds(backend):
    model = ks.Sequential([ks.Input((4,)), layers.Dense(3, kernel_constraint=constraints.MaxNorm(0.5)),
                           layers.Dense(1, bias_constraint="non_neg")])
    model.compile(optimizer=ks.optimizers.SGD(0.05), loss="mse")
    x = np.random.default_rng(0).normal(size=(32, 4)).astype("float32")
    model.fit(x, -3.0 * np.ones((32, 1), "float32"), epochs=3, batch_size=8, verbose=0)
    kernel, _, _, bias = model.get_weights()
    assert np.sqrt((kernel ** 2).sum(axis=0)).max() <= 0.5 + 1e-5
    assert bias.min() >= 0.0
