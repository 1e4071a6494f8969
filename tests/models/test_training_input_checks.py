"""Issue 12 item 8: values that would silently corrupt training are refused before the first step,
naming the argument, with weights and optimizer untouched, on every backend."""

import numpy as np
import pytest

import kerasette as ks
from kerasette import layers


def _model():
    model = ks.Sequential([ks.Input(shape=(4,)), layers.Dense(6, activation="relu"),
                           layers.Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def _data():
    rng = np.random.default_rng(0)
    return rng.normal(size=(20, 4)), np.arange(20) % 3


CASES = {
    "float64 beyond float32": (lambda x, y: dict(x=x * 1e300, y=y), "`x`.*float32's range"),
    "complex x": (lambda x, y: dict(x=x + 1j, y=y), "`x`.*complex"),
    "nan sample_weight": (lambda x, y: dict(x=x, y=y, sample_weight=np.full(20, np.nan)), "`sample_weight`.*NaN"),
    "inf sample_weight": (lambda x, y: dict(x=x, y=y, sample_weight=np.full(20, np.inf)), "`sample_weight`.*infinite"),
    "negative sample_weight": (lambda x, y: dict(x=x, y=y, sample_weight=-np.ones(20)),
                               "`sample_weight`.*non-negative"),
    "huge sample_weight": (lambda x, y: dict(x=x, y=y, sample_weight=np.full(20, 1e300)), "`sample_weight`.*float32"),
    "nan class_weight": (lambda x, y: dict(x=x, y=y, class_weight={0: 1.0, 1: np.nan, 2: 1.0}), "`class_weight`"),
    "negative class_weight": (lambda x, y: dict(x=x, y=y, class_weight={0: 1.0, 1: -2.0, 2: 1.0}), "`class_weight`"),
    "shuffle string": (lambda x, y: dict(x=x, y=y, shuffle="yes"), "`shuffle`"),
    "validation labels": (lambda x, y: dict(x=x, y=y, validation_data=(x, y + 7)), "`validation_data`.*\\[0, 3\\)"),
    "validation nan": (lambda x, y: dict(x=x, y=y, validation_data=(x * np.nan, y)), "`validation_data`.*NaN"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_training_input_is_refused_before_any_step(backend, case):
    make, match = CASES[case]
    model = _model()
    x, y = _data()
    before = model.get_weights()
    with pytest.raises(ValueError, match=match):
        model.fit(**make(x, y), epochs=1, batch_size=8, verbose=0)
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert int(model.optimizer.iterations.numpy()) == 0


@pytest.mark.parametrize("loss_weights", [[1.0, 2.0], (0.5, 0.5, 0.5)])
def test_loss_weights_list_must_match_the_outputs(loss_weights):
    model = _model()
    with pytest.raises(ValueError, match="`loss_weights` has .* entries but the model has 1 output"):
        model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", loss_weights=loss_weights)


def test_loss_weights_on_a_subclassed_model_fail_before_the_first_step():
    class Net(ks.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(3)

        def call(self, x):
            return self.dense(x)

    model = Net()
    model.compile(optimizer="sgd", loss="mse", loss_weights=[1.0, 2.0])
    x, _ = _data()
    with pytest.raises(ValueError, match="`loss_weights`"):
        model.fit(x, np.zeros((20, 3)), verbose=0)
    assert model.optimizer.iterations.numpy() == 0


def test_one_element_lists_still_work_for_one_output():
    model = _model()
    model.compile(optimizer="sgd", loss=["sparse_categorical_crossentropy"], loss_weights=[2.0])
    x, y = _data()
    single = model.evaluate(x, y, verbose=0)
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    assert single == pytest.approx(2.0 * model.evaluate(x, y, verbose=0), rel=1e-6)


def test_shuffle_batch_keeps_batches_contiguous():
    from kerasette.models import data_adapter as da

    orders = []
    for epoch in range(6):
        batches = da.batch_indices(10, 4, "batch", seed=3, epoch=epoch)
        assert sorted(np.concatenate(batches)) == list(range(10))
        for batch in batches:
            assert list(batch) == list(range(batch[0], batch[0] + len(batch))) and batch[0] % 4 == 0
        orders.append([int(b[0]) for b in batches])
    assert len({tuple(o) for o in orders}) > 1  # the batch order changes from epoch to epoch
