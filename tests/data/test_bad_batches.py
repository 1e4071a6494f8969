"""Bad streamed data: clear errors that name the batch, and the bad batch is never trained on."""

import numpy as np
import pytest
from pipeline_datasets import ArrayDataset, ShiftingDataset, arrays, model

import kerasette as ks


def _trained_on_first(batches, x, y):
    """A model trained on the first ``batches`` batches of 8 only."""
    net = model()
    if batches:
        net.fit(x[: 8 * batches], y[: 8 * batches], batch_size=8, shuffle=False, verbose=0)
    return net


def _same_weights(a, b):
    for got, expected in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("change, message", [
    ("shape", r"Batch 3 of the PyDataset `ShiftingDataset`: `x` has samples of shape \(3,\), but the first batch's "
              r"were \(4,\)"),
    ("dtype", r"Batch 3 of the PyDataset `ShiftingDataset`: `x` has dtype float64, but the first batch's was float32"),
    ("structure", r"Batch 3 of the PyDataset `ShiftingDataset` is a tuple of 4 elements"),
    ("nan", r"Batch 3 of the PyDataset `ShiftingDataset`: .*NaN or infinite"),
    ("empty", r"Batch 3 of the PyDataset `ShiftingDataset`: .*empty \(0 samples\)"),
])
def test_a_py_dataset_batch_that_differs_names_the_batch_and_is_not_trained(backend, change, message):
    x, y = arrays(48)
    net = model()
    with pytest.raises(ValueError, match=message):
        net.fit(ShiftingDataset(x, y, 3, change), epochs=1, shuffle=False, verbose=0)
    _same_weights(net, _trained_on_first(3, x, y))


@pytest.mark.parametrize("bad_at", [0, 2])
def test_a_generator_yielding_the_wrong_structure(bad_at):
    x, y = arrays(48)

    def generator(bad):
        for number, start in enumerate(range(0, 48, 8)):
            yield bad if number == bad_at else (x[start : start + 8], y[start : start + 8])

    for bad, what in [("text", "a str"), ((x[:8], y[:8], y[:8], y[:8]), "a tuple of 4 elements"), (None, "None")]:
        net = model()
        with pytest.raises(ValueError, match=f"Batch {bad_at} of the generator is {what}. Expected a batch as `x`"):
            net.fit(generator(bad), epochs=1, shuffle=False, verbose=0)
        _same_weights(net, _trained_on_first(bad_at, x, y))


def test_the_first_batch_is_checked_against_the_model_before_training():
    x, y = arrays(32)
    net = model()
    start = net.get_weights()
    with pytest.raises(ValueError, match=r"Batch 0 of the PyDataset `ArrayDataset`: Input of layer .* expected shape "
                                         r"\(None, 4\), but `x` has shape \(None, 3\)"):
        net.fit(ArrayDataset(x[:, :3], y), verbose=0)
    with pytest.raises(ValueError, match="Batch 0 of the iterator `list_iterator`: .*sparse_categorical_crossentropy"):
        net.fit(iter([(x[:8], y[:8] + 5)]), shuffle=False, verbose=0)
    with pytest.raises(ValueError, match="Batch 0 of the PyDataset `ArrayDataset`: Targets `y` are required"):
        net.fit(ArrayDataset(x), verbose=0)
    _same_weights(net, model())
    assert all(np.array_equal(a, b) for a, b in zip(start, net.get_weights()))


def test_datasets_and_generators_without_batches():
    x, y = arrays(8)

    class Empty(ArrayDataset):
        def __len__(self):
            return 0

    with pytest.raises(ValueError, match="the PyDataset `Empty` has no batches"):
        model().fit(Empty(x, y), verbose=0)
    with pytest.raises(ValueError, match="the generator must yield at least one batch"):
        model().fit((b for b in []), shuffle=False, verbose=0)


def test_a_py_dataset_refuses_arguments_it_carries():
    x, y = arrays(16)
    with pytest.raises(ValueError, match="When providing `x` as a PyDataset, `y` should not be passed"):
        model().fit(ArrayDataset(x, y), y, verbose=0)
    with pytest.raises(ValueError, match="`sample_weight` should not be passed"):
        model().fit(ArrayDataset(x, y), sample_weight=np.ones(16), verbose=0)
    with pytest.raises(ValueError, match="`validation_split` is only supported for arrays"):
        model().fit(ArrayDataset(x, y), validation_split=0.5, verbose=0)
    with pytest.raises(TypeError, match="`PyDataset.map` expects a function"):
        ArrayDataset(x, y).map(3)
    with pytest.raises(ValueError, match=r"Batch 0 of the PyDataset `ArrayDataset`: `class_weight` has no entry for "
                                         r"class\(es\) \[1\]"):
        model().fit(ArrayDataset(x, y), class_weight={0: 1.0}, verbose=0)


def test_a_mapped_batch_that_changes_shape_names_the_batch(backend):
    x, y = arrays(32)

    def crop_late(features, labels):
        return (features[:, :3] if int(ks.ops.convert_to_numpy(labels).sum()) < 0 else features), labels

    model().fit(ArrayDataset(x, y, 8).map(crop_late), shuffle=False, verbose=0)
    calls = []

    def shrink_third(features, labels):
        calls.append(1)
        return (features[:, :3] if len(calls) == 4 else features), labels

    with pytest.raises(ValueError, match=r"Batch 2 of the PyDataset `ArrayDataset`: `x` has samples of shape \(3,\)"):
        model().fit(ArrayDataset(x, y, 8).map(shrink_third), shuffle=False, verbose=0)
