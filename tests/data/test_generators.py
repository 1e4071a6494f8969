"""Python generators and iterators in fit / evaluate / predict, on every backend."""

import itertools

import numpy as np
import pytest
from pipeline_datasets import arrays, model


def _batches(x, y, size=8, sample_weight=None):
    for start in range(0, len(x), size):
        rows = slice(start, start + size)
        yield (x[rows], y[rows]) if sample_weight is None else (x[rows], y[rows], sample_weight[rows])


def _forever(x, y, size=8):
    while True:
        yield from _batches(x, y, size)


def _close(a, b):
    for got, expected in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


def test_an_infinite_generator_with_steps_per_epoch_trains_as_arrays(backend):
    x, y = arrays(40)
    on_arrays = model()
    on_arrays.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0)
    on_generator = model()
    history = on_generator.fit(_forever(x, y), steps_per_epoch=5, epochs=3, shuffle=False, verbose=0)
    _close(on_generator, on_arrays)
    assert len(history.history["loss"]) == 3


def test_steps_per_epoch_continues_the_generator_across_epochs():
    x, y = arrays(64)
    pulled = []

    def counting():
        for number, batch in enumerate(_forever(x, y)):
            pulled.append(number)
            yield batch

    model().fit(counting(), steps_per_epoch=3, epochs=2, shuffle=False, verbose=0)
    assert pulled == list(range(6))  # the first batch checked up front is trained on, nothing is pulled twice


def test_a_finite_generator_without_steps_is_one_epoch():
    x, y = arrays(40)
    on_arrays = model()
    on_arrays.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    on_generator = model()
    on_generator.fit(_batches(x, y), epochs=1, shuffle=False, verbose=0)
    _close(on_generator, on_arrays)


def test_a_generator_that_ends_early_stops_training_with_keras_warning():
    x, y = arrays(40)
    net = model()
    with pytest.warns(UserWarning, match="Your input ran out of data; interrupting training"):
        history = net.fit(_batches(x, y), steps_per_epoch=3, epochs=4, shuffle=False, verbose=0)
    assert len(history.history["loss"]) == 2  # 3 + 2 of the 5 batches, then the warning
    net = model()
    with pytest.warns(UserWarning, match="ran out of data"):
        history = net.fit(_batches(x, y), epochs=3, shuffle=False, verbose=0)  # no steps: epoch 1 used it all
    assert len(history.history["loss"]) == 1


def test_validation_generator_with_validation_steps(backend):
    x, y = arrays(48)
    net = model()
    history = net.fit(_forever(x[:32], y[:32]), steps_per_epoch=4, epochs=2, shuffle=False, verbose=0,
                      validation_data=_forever(x[32:], y[32:]), validation_steps=2)
    loss, accuracy = net.evaluate(x[32:], y[32:], batch_size=8, verbose=0)
    assert history.history["val_loss"][-1] == pytest.approx(loss, rel=1e-5)
    assert history.history["val_accuracy"][-1] == pytest.approx(accuracy)


def test_class_weight_with_a_generator(backend):
    x, y = arrays(32)
    class_weight = {0: 3.0, 1: 0.5}
    on_arrays = model()
    on_arrays.fit(x, y, class_weight=class_weight, batch_size=8, epochs=2, shuffle=False, verbose=0)
    on_generator = model()
    on_generator.fit(_forever(x, y), class_weight=class_weight, steps_per_epoch=4, epochs=2, shuffle=False,
                     verbose=0)
    _close(on_generator, on_arrays)


def test_sample_weights_from_a_generator(backend):
    x, y = arrays(32)
    weights = np.linspace(0.1, 2, 32).astype("float32")
    on_arrays = model()
    on_arrays.fit(x, y, sample_weight=weights, batch_size=8, epochs=1, shuffle=False, verbose=0)
    on_generator = model()
    on_generator.fit(_batches(x, y, 8, weights), epochs=1, shuffle=False, verbose=0)
    _close(on_generator, on_arrays)


def test_evaluate_and_predict_take_generators_and_iterators(backend):
    x, y = arrays(30)
    net = model()
    expected = net.evaluate(x, y, batch_size=8, verbose=0)
    assert net.evaluate(_batches(x, y), verbose=0) == pytest.approx(expected, rel=1e-5)
    assert net.evaluate(iter(list(_batches(x, y))), verbose=0) == pytest.approx(expected, rel=1e-5)
    predictions = net.predict(x, verbose=0)
    np.testing.assert_allclose(net.predict((x[s : s + 8] for s in range(0, 30, 8)), verbose=0), predictions,
                               rtol=1e-5)
    first = net.predict(itertools.cycle([x[:8]]), steps=2, verbose=0)
    np.testing.assert_allclose(first, np.concatenate([predictions[:8]] * 2), rtol=1e-5)


def test_shuffle_is_ignored_with_a_warning_and_y_is_refused():
    x, y = arrays(16)
    with pytest.warns(UserWarning, match="`shuffle=True` was passed, but will be ignored"):
        model().fit(_batches(x, y), epochs=1, verbose=0)
    with pytest.raises(ValueError, match="`y` should not be passed"):
        model().fit(_batches(x, y), y, shuffle=False, verbose=0)
    with pytest.warns(UserWarning, match="`batch_size=8` is ignored"):
        model().fit(_batches(x, y), batch_size=8, shuffle=False, verbose=0)
    with pytest.raises(ValueError, match="`validation_split` is only supported for arrays"):
        model().fit(_batches(x, y), validation_split=0.2, shuffle=False, verbose=0)
