"""keras.StatelessScope: chosen variable values in, state updates collected out, the variables untouched."""

import numpy as np
import pytest
from keras_reference import keras, numpy_of, quiet

import kerasette as ks
from kerasette import layers, ops


def _model(K):
    return K.Sequential([K.Input((3,)), K.layers.Dense(4), K.layers.BatchNormalization(), K.layers.Dense(2)])


def test_a_training_call_in_the_scope_matches_keras_and_changes_nothing(backend):
    x = np.random.default_rng(0).normal(size=(8, 3)).astype("float32")
    ours, theirs = _model(ks), quiet(lambda: _model(keras))
    mapping_values = [np.random.default_rng(i).normal(size=w.shape).astype("float32")
                      for i, w in enumerate(theirs.weights)]
    before = [w.numpy().copy() for w in ours.weights]
    with ks.StatelessScope(list(zip(ours.weights, mapping_values))) as scope:
        got = ours(x, training=True).numpy()
    with keras.StatelessScope(list(zip(theirs.weights, mapping_values))) as their_scope:
        expected = quiet(lambda: numpy_of(theirs(x, training=True)))
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)
    for w, value in zip(ours.weights, before):
        np.testing.assert_array_equal(w.numpy(), value)  # nothing assigned
    bn_ours, bn_theirs = ours.layers[1], theirs.layers[1]
    for mine, keras_variable in zip(bn_ours.non_trainable_weights, bn_theirs.non_trainable_weights):
        np.testing.assert_allclose(scope.get_current_value(mine).numpy(),
                                   numpy_of(their_scope.get_current_value(keras_variable)), rtol=1e-5, atol=1e-6)
    assert scope.get_current_value(ours.layers[0].kernel) is not None  # given in the mapping


def test_optimizer_updates_and_losses_are_collected_not_applied(backend):
    layer = layers.Dense(2, activity_regularizer="l2")
    layer.build((None, 3))
    optimizer = ks.optimizers.Adam(0.1)
    optimizer.build(layer.trainable_weights)
    kernel = layer.kernel.numpy().copy()
    x = ops.ones((4, 3))
    with ops.GradientTape() as tape:
        loss = ops.sum(layer(x))
    grads = tape.gradient(loss, layer.trainable_weights)
    with ks.StatelessScope(collect_losses=True) as scope:
        optimizer.apply(grads, layer.trainable_weights)
        layer(x)
    np.testing.assert_array_equal(layer.kernel.numpy(), kernel)
    updated = scope.get_current_value(layer.kernel).numpy()
    assert not np.allclose(updated, kernel)
    optimizer.apply(grads, layer.trainable_weights)  # the same step outside: the value the scope held
    np.testing.assert_allclose(layer.kernel.numpy(), updated, rtol=1e-6)
    assert len(scope.losses) == 1 and layer.losses == []


def test_bad_mapping_raises():
    v = ops.Variable(np.zeros(3, "float32"))
    with pytest.raises(ValueError, match="must be Variable instances"):
        ks.StatelessScope([(np.zeros(3), v)])
    with pytest.raises(ValueError, match="shape that matches"):
        ks.StatelessScope([(v, np.zeros(4))])


def test_symbolic_scope_marks_the_placeholder_runs():
    from kerasette.ops.symbolic_scope import in_symbolic_scope

    seen = []

    class Probe(layers.Layer):
        def call(self, x, y):
            seen.append(in_symbolic_scope())
            return x + y

    a, b = ks.Input((2,)), ks.Input((2,))
    model = ks.Model([a, b], Probe()(a, b))  # two tensor arguments: shapes found by a run on zeros
    assert seen == [True]
    model.predict([np.ones((1, 2)), np.ones((1, 2))], verbose=0)
    assert seen == [True, False]
    with ks.SymbolicScope():
        assert in_symbolic_scope()
    assert not in_symbolic_scope()
