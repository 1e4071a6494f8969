"""Deep models build and load in time linear in their depth (issue 12 item 10; timings in
benchmarks/bench_model_scale.py, never asserted here)."""

import numpy as np
import pytest

import kerasette as ks

DEPTH = 1500  # deeper than Python's default recursion limit allows a recursive graph walk


def test_sequential_add_calls_each_layer_once():
    layers = [ks.layers.Dense(4) for _ in range(50)]
    model = ks.Sequential([ks.Input((4,))])
    for layer in layers:
        model.add(layer)
    assert model.output_shape == (None, 4)
    # One symbolic call per layer: adding a layer never replays the layers before it.
    assert [len(layer._inbound_nodes) for layer in layers] == [1] * len(layers)
    assert [layer.name for layer in model.graph.layers[1:]] == [layer.name for layer in layers]


def test_pop_then_add_keeps_the_model_consistent():
    model = ks.Sequential([ks.Input((3,)), ks.layers.Dense(5), ks.layers.Dense(2)])
    model.pop()
    assert model.output_shape == (None, 5)
    model.add(ks.layers.Dense(7))
    assert model.output_shape == (None, 7)
    assert model.predict(np.ones((2, 3), "float32"), verbose=0).shape == (2, 7)


def test_a_failed_add_leaves_the_model_as_it_was():
    model = ks.Sequential([ks.Input((3,)), ks.layers.Dense(5)])
    with pytest.raises(ValueError):
        model.add(ks.layers.Conv2D(2, 3))  # needs rank-4 input
    assert [type(layer).__name__ for layer in model.layers] == ["Dense"]
    assert model.output_shape == (None, 5)


@pytest.mark.parametrize("form", ["sequential", "functional"])
@pytest.mark.parametrize("extension", [".keras", ".h5"])
def test_a_model_deeper_than_the_recursion_limit_builds_saves_and_loads(form, extension, tmp_path):
    if form == "sequential":
        model = ks.Sequential([ks.Input((2,))] + [ks.layers.Dense(2) for _ in range(DEPTH)])
    else:
        x = inputs = ks.Input((2,))
        for _ in range(DEPTH):
            x = ks.layers.Dense(2)(x)
        model = ks.Model(inputs, x)
    x = np.random.default_rng(0).normal(size=(3, 2)).astype("float32")
    expected = model.predict(x, verbose=0)
    path = tmp_path / f"deep{extension}"
    model.save(path)
    loaded = ks.models.load_model(path)
    assert len(loaded.layers) == len(model.layers)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), expected)
