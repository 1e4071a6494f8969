"""Checks the layer test modules run on many layers: config round trip, one training epoch, and the tape's
weight gradients against central finite differences."""

import numpy as np
from finite_differences import central_difference


def as_list(outputs):
    """A layer's outputs as a list (a single tensor becomes a list of one)."""
    return list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]


def assert_config_round_trip(layer, x):
    """``from_config(layer.get_config())`` gives the same config and, with the same weights, the same outputs."""
    expected = [output.numpy() for output in as_list(layer(x))]
    config = layer.get_config()
    clone = type(layer).from_config(config)
    assert clone.get_config() == config
    clone(x)
    clone.set_weights(layer.get_weights())
    for got, want in zip(as_list(clone(x)), expected):
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-6, atol=1e-6)


def assert_one_training_epoch_changes_every_weight(model, x):
    """One SGD epoch (batches of 4) towards all-ones targets keeps the loss finite and moves every weight."""
    model.compile(optimizer="sgd", loss="mse")
    before = [w.copy() for w in model.get_weights()]
    history = model.fit(x, np.ones((len(x), 1), "float32"), batch_size=4, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])
    assert all(not np.array_equal(a, b) for a, b in zip(before, model.get_weights()))


def assert_weight_gradients_match_finite_differences(variables, grads, objective, rtol, atol):
    """Each of ``grads`` (the tape's) against central differences of ``objective()`` in its float64 variable."""
    for variable, grad in zip(variables, grads):
        host = np.array(variable.numpy(), order="C")  # a contiguous copy for central_difference to perturb

        def objective_at(values, variable=variable):
            variable.assign(values)
            return objective()

        numeric = central_difference(objective_at, host)
        variable.assign(host)
        np.testing.assert_allclose(grad.numpy(), numeric, rtol=rtol, atol=atol, err_msg=variable.path)
