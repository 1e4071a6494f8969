"""Freezing: `trainable` takes effect at the next compile (with a warning otherwise); frozen BN is in inference mode."""

import warnings

import numpy as np
import pytest

import kerasette as ks
from kerasette import applications, layers

CHANGED = "has been changed since the last compile"


def data(n=16, classes=10, seed=0):
    rng = np.random.default_rng(seed)
    return rng.random((n, 28, 28, 1), dtype=np.float32), rng.integers(0, classes, n)


def compiled(model):
    model.compile(optimizer=ks.optimizers.SGD(0.1), loss="sparse_categorical_crossentropy")
    return model


def test_frozen_model_trains_nothing_and_summary_says_so():
    model = applications.LeNet5(weights=None)
    model.trainable = False
    compiled(model)
    before = [w.copy() for w in model.get_weights()]
    model.fit(*data(), epochs=1, verbose=0)
    for old, new in zip(before, model.get_weights()):
        np.testing.assert_array_equal(old, new)
    lines = []
    model.summary(print_fn=lines.append)
    text = "\n".join(lines)
    assert "Trainable params: 0" in text
    assert f"Non-trainable params: {model.count_params():,}" in text


def test_summary_counts_trainable_and_frozen_parts():
    base = applications.ResNetSmall(include_top=False, weights=None, pooling="avg")
    base.trainable = False
    inputs = ks.Input((28, 28, 1))
    model = ks.Model(inputs, layers.Dense(4, name="head")(base(inputs)))
    lines = []
    model.summary(print_fn=lines.append)
    text = "\n".join(lines)
    assert "Trainable params: 260" in text  # 64 * 4 + 4: only the new head
    assert f"Non-trainable params: {base.count_params():,}" in text


def test_unfreezing_takes_effect_at_the_next_compile_and_warns_before():
    model = applications.LeNet5(weights=None)
    conv1 = model.get_layer("conv1")
    conv1.trainable = False
    compiled(model)
    x, y = data()
    kernel = conv1.get_weights()[0].copy()
    model.fit(x, y, epochs=1, verbose=0)
    np.testing.assert_array_equal(conv1.get_weights()[0], kernel)
    conv1.trainable = True
    with pytest.warns(UserWarning, match=CHANGED):
        model.fit(x, y, epochs=1, verbose=0)
    np.testing.assert_array_equal(conv1.get_weights()[0], kernel)  # not recompiled: still frozen
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.fit(x, y, epochs=1, verbose=0)  # warned once per compile
    compiled(model)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.fit(x, y, epochs=1, verbose=0)
    assert not np.array_equal(conv1.get_weights()[0], kernel)  # recompiled: trained


def test_freezing_after_compile_warns():
    model = compiled(applications.LeNet5(weights=None))
    x, y = data()
    model.fit(x, y, epochs=1, verbose=0)
    model.get_layer("conv1").trainable = False
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(x, y, epochs=1, verbose=0)
    assert any(CHANGED in str(w.message) for w in caught)


def test_train_on_batch_warns_too():
    model = compiled(applications.LeNet5(weights=None))
    x, y = data()
    model.get_layer("conv1").trainable = False
    compiled(model)
    model.train_on_batch(x, y)
    model.get_layer("conv1").trainable = True
    with pytest.warns(UserWarning, match=CHANGED):
        model.train_on_batch(x, y)


def test_no_warning_when_nothing_changed():
    model = compiled(applications.LeNet5(weights=None))
    x, y = data()
    model.fit(x, y, epochs=1, verbose=0)
    model.get_layer("conv1").trainable = True  # already trainable: no change
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.fit(x, y, epochs=1, verbose=0)


def test_frozen_batch_normalization_runs_in_inference_mode():
    model = applications.ResNetSmall()  # pretrained: meaningful moving statistics
    bn = model.get_layer("conv1_bn")
    x = applications.resnet_small.preprocess_input(np.random.default_rng(3).integers(0, 256, (8, 28, 28)))
    bn.trainable = False
    compiled(model)
    moving = [bn.moving_mean.numpy().copy(), bn.moving_variance.numpy().copy()]
    np.testing.assert_allclose(bn(np.ones((2, 28, 28, 16), "float32"), training=True).numpy(),
                               bn(np.ones((2, 28, 28, 16), "float32"), training=False).numpy(), rtol=1e-6)
    model.fit(x, np.zeros(8, "int64"), epochs=1, verbose=0)
    np.testing.assert_array_equal(bn.moving_mean.numpy(), moving[0])
    np.testing.assert_array_equal(bn.moving_variance.numpy(), moving[1])
    assert bn.gamma not in model.trainable_weights


def test_frozen_application_gives_the_same_output_in_training_mode():
    model = applications.MobileNetSmall(include_top=False, pooling="avg")
    model.trainable = False  # every BatchNormalization frozen: inference mode even with training=True
    x = applications.mobilenet_small.preprocess_input(np.random.default_rng(4).integers(0, 256, (4, 28, 28)))
    np.testing.assert_allclose(model(x, training=True).numpy(), model(x, training=False).numpy(), rtol=1e-5,
                               atol=1e-6)
