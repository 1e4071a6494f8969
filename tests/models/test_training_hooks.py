"""Keras 3's public customisation points: train_step, test_step, predict_step, compute_loss,
compute_metrics, metrics / reset_metrics, add_loss, activity_regularizer and compile without a loss."""

import numpy as np
import pytest

import kerasette as keras
from kerasette import layers, ops


def _data(n=64, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4)).astype("float32")
    y = (x @ np.array([[1.0], [-2.0], [0.5], [0.0]], "float32") + 0.3).astype("float32")
    return x, y


def _mlp(seed=3):
    keras.utils.set_random_seed(seed)
    return keras.Sequential([keras.Input((4,)), layers.Dense(8, activation="tanh"), layers.Dense(1)])


class TapeStep(keras.Model):
    """The default step written out with the public pieces, as a user would override it."""

    def train_step(self, data):
        x, y, sample_weight = keras.utils.unpack_x_y_sample_weight(data) if hasattr(
            keras.utils, "unpack_x_y_sample_weight") else (data + (None,))[:3]
        with keras.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight)
        grads = tape.gradient(loss, self.trainable_weights)
        self.optimizer.apply(grads, self.trainable_weights)
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}


def test_a_train_step_written_with_the_tape_trains_like_the_default_step(backend):
    x, y = _data()
    reference = _mlp()
    reference.compile(optimizer="adam", loss="mse", metrics=["mae"])
    reference_history = reference.fit(x, y, epochs=3, batch_size=16, shuffle=False, verbose=0)

    base = _mlp()
    model = TapeStep(base.input, base.output)
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    history = model.fit(x, y, epochs=3, batch_size=16, shuffle=False, verbose=0)
    np.testing.assert_allclose(history.history["loss"], reference_history.history["loss"], rtol=1e-5)
    np.testing.assert_allclose(history.history["mae"], reference_history.history["mae"], rtol=1e-5)
    for a, b in zip(model.get_weights(), reference.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


class GAN(keras.Model):
    """The Keras guide's GAN: two sub-models, two optimizers, no `call` and no compiled loss."""

    def __init__(self, discriminator, generator, latent_dim):
        super().__init__()
        self.discriminator = discriminator
        self.generator = generator
        self.latent_dim = latent_dim
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")

    def compile(self, d_optimizer, g_optimizer, loss_fn):
        super().compile()
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        self.loss_fn = loss_fn

    @property
    def metrics(self):
        return [self.d_loss_tracker, self.g_loss_tracker]

    def train_step(self, real):
        batch = ops.shape(real)[0]
        noise = ops.convert_to_tensor(np.random.default_rng(batch).normal(size=(batch, self.latent_dim)), "float32")
        fake = self.generator(noise)
        combined = ops.concatenate([fake, real], axis=0)
        labels = ops.concatenate([ops.ones((batch, 1)), ops.zeros((batch, 1))], axis=0)
        with keras.GradientTape() as tape:
            d_loss = self.loss_fn(labels, self.discriminator(combined))
        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
        self.d_optimizer.apply(grads, self.discriminator.trainable_weights)
        misleading = ops.zeros((batch, 1))
        with keras.GradientTape() as tape:
            g_loss = self.loss_fn(misleading, self.discriminator(self.generator(noise)))
        grads = tape.gradient(g_loss, self.generator.trainable_weights)
        self.g_optimizer.apply(grads, self.generator.trainable_weights)
        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        return {"d_loss": self.d_loss_tracker.result(), "g_loss": self.g_loss_tracker.result()}


def test_a_gan_trains_through_its_own_train_step_with_two_optimizers(backend):
    keras.utils.set_random_seed(5)
    latent_dim = 3
    discriminator = keras.Sequential([keras.Input((2,)), layers.Dense(8, activation="relu"), layers.Dense(1)])
    generator = keras.Sequential([keras.Input((latent_dim,)), layers.Dense(8, activation="relu"), layers.Dense(2)])
    gan = GAN(discriminator, generator, latent_dim)
    d_opt, g_opt = keras.optimizers.Adam(1e-2), keras.optimizers.Adam(1e-2)
    gan.compile(d_optimizer=d_opt, g_optimizer=g_opt,
                loss_fn=keras.losses.BinaryCrossentropy(from_logits=True))
    real = np.random.default_rng(1).normal(loc=(2.0, -1.0), scale=0.3, size=(64, 2)).astype("float32")
    d_before, g_before = discriminator.get_weights(), generator.get_weights()
    history = gan.fit(real, epochs=3, batch_size=16, verbose=0)
    assert sorted(history.history) == ["d_loss", "g_loss"]
    assert all(np.isfinite(v) for v in history.history["d_loss"] + history.history["g_loss"])
    assert int(d_opt.iterations.numpy()) == int(g_opt.iterations.numpy()) == 12  # 4 batches x 3 epochs
    assert all(not np.array_equal(a, b) for a, b in zip(d_before, discriminator.get_weights()))
    assert all(not np.array_equal(a, b) for a, b in zip(g_before, generator.get_weights()))
    # The metrics the model lists are reset at each epoch: the logged value is the last epoch's mean only.
    assert float(gan.d_loss_tracker.result()) == pytest.approx(history.history["d_loss"][-1])
    assert [float(v.numpy()) for v in gan.d_loss_tracker.variables][-1] == 4  # its count: this epoch's 4 batches


class PenalizedLoss(keras.Model):
    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        loss = super().compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=training)
        return loss + 10.0 * ops.mean(ops.square(y_pred))


def test_an_overridden_compute_loss_is_what_fit_and_evaluate_minimise():
    x, y = _data()
    base = _mlp()
    model = PenalizedLoss(base.input, base.output)
    model.compile(optimizer="sgd", loss="mse")
    plain = float(np.mean((model.predict(x, verbose=0) - y) ** 2))
    penalty = float(10.0 * np.mean(model.predict(x, verbose=0) ** 2))
    assert model.evaluate(x, y, batch_size=64, verbose=0) == pytest.approx(plain + penalty, rel=1e-5)
    model.fit(x, y, epochs=20, batch_size=64, verbose=0)
    # The penalty pulls the predictions towards 0, far more than plain MSE training would.
    assert float(np.mean(model.predict(x, verbose=0) ** 2)) < 0.5 * float(np.mean(y ** 2))


class CountingSteps(keras.Model):
    def test_step(self, data):
        self.tested = getattr(self, "tested", 0) + 1
        return super().test_step(data)

    def predict_step(self, data):
        return {"doubled": 2.0 * self(data, training=False)}


def test_evaluate_and_predict_go_through_test_step_and_predict_step():
    x, y = _data(n=40)
    base = _mlp()
    model = CountingSteps(base.input, base.output)
    model.compile(optimizer="sgd", loss="mse")
    model.evaluate(x, y, batch_size=10, verbose=0)
    assert model.tested == 4
    out = model.predict(x, batch_size=16, verbose=0)
    assert set(out) == {"doubled"} and out["doubled"].shape == (40, 1)
    np.testing.assert_allclose(out["doubled"], 2.0 * base.predict(x, verbose=0), rtol=1e-6)


class Encoder(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.mean = layers.Dense(2)
        self.log_var = layers.Dense(2)

    def call(self, x):
        mean, log_var = self.mean(x), self.log_var(x)
        self.add_loss(-0.5 * ops.mean(1.0 + log_var - ops.square(mean) - ops.exp(log_var)))
        return mean


def test_add_loss_losses_are_collected_reset_each_call_and_trained_without_a_compiled_loss():
    x, _ = _data()
    encoder = Encoder()
    inputs = keras.Input((4,))
    outputs = layers.Dense(4)(encoder(inputs))
    model = keras.Model(inputs, outputs)
    model(x[:8])
    assert len(model.losses) == 1 and len(encoder.losses) == 1  # nested layer's loss reaches the model
    model(x[:8])
    assert len(model.losses) == 1  # reset at each outermost call, not accumulated
    assert encoder.mean in encoder._sublayers() and len(encoder.weights) == 4  # nested layers are tracked
    model.compile(optimizer=keras.optimizers.Adam(0.02))  # no loss: the model trains on what its layers add
    with pytest.warns(UserWarning, match="Gradients do not exist for variables"):  # the head is untouched
        history = model.fit(x, epochs=15, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]


def test_without_any_loss_fit_says_so():
    x, y = _data()
    model = _mlp()
    model.compile(optimizer="adam")
    with pytest.raises(ValueError, match="No loss to compute"):
        model.fit(x, epochs=1, verbose=0)


def test_activity_regularizer_adds_its_penalty_to_the_loss():
    x, y = _data()
    keras.utils.set_random_seed(2)
    layer = layers.Activation("linear", activity_regularizer=keras.regularizers.L2(0.1))
    out = layer(ops.convert_to_tensor(x[:4]))
    assert len(layer.losses) == 1
    # Keras 3 divides an activity penalty by the batch size (4 here): Layer.__call__, keras/src/layers/layer.py
    assert float(layer.losses[0]) == pytest.approx(0.1 * float(np.sum(np.asarray(out) ** 2)) / 4, rel=1e-5)


def test_add_metric_is_refused_with_keras_message():
    with pytest.raises(NotImplementedError, match="add_metric\\(\\)` method is deprecated"):
        layers.Layer().add_metric(ops.ones(()))


def test_add_loss_needs_a_tensor():
    with pytest.raises(ValueError, match="add_loss\\(\\)` can only be called"):
        layers.Layer().add_loss(1.0)


def test_weighted_metrics_use_sample_weights_and_metrics_do_not():
    x, y = _data(n=32)
    model = _mlp()
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"], weighted_metrics=["mae"])
    weights = np.linspace(0.0, 2.0, 32).astype("float32")
    logs = model.evaluate(x, y, sample_weight=weights, batch_size=32, verbose=0, return_dict=True)
    errors = np.abs(model.predict(x, verbose=0) - y)[:, 0]
    assert list(logs) == ["loss", "mae", "weighted_mae"]
    assert logs["mae"] == pytest.approx(errors.mean(), rel=1e-5)
    assert logs["weighted_mae"] == pytest.approx((errors * weights).sum() / weights.sum(), rel=1e-5)


def test_summary_honours_layer_range_line_length_and_expand_nested():
    inner = keras.Sequential([keras.Input((4,)), layers.Dense(3, name="inner_dense")], name="inner")
    inputs = keras.Input((4,), name="x")
    outputs = layers.Dense(2, name="head")(inner(inputs))
    model = keras.Model(inputs, outputs)
    lines = []
    model.summary(print_fn=lines.append, layer_range=["inner", "head"])
    table = "\n".join(lines)
    assert "inner (Sequential)" in table and "head (Dense)" in table and "x (InputLayer)" not in table
    lines.clear()
    model.summary(print_fn=lines.append, expand_nested=True)
    assert any("  inner_dense (Dense)" in line for line in lines)
    lines.clear()
    model.summary(print_fn=lines.append, line_length=70)
    assert {len(line) for line in lines[1:-3]} == {70}
    with pytest.raises(ValueError, match="do not match"):
        model.summary(print_fn=lines.append, layer_range=["nope", "head"])


def test_compile_says_when_an_execution_setting_has_no_effect():
    model = _mlp()
    with pytest.warns(UserWarning, match="steps_per_execution=4"):
        model.compile(optimizer="sgd", loss="mse", steps_per_execution=4)
    with pytest.warns(UserWarning, match="jit_compile=True"):
        model.compile(optimizer="sgd", loss="mse", jit_compile=True)
    with pytest.raises(ValueError, match="steps_per_execution"):
        model.compile(optimizer="sgd", loss="mse", steps_per_execution=0)


def test_calling_conventions():
    x, y = _data(n=16)
    # A 1-D target for a one-unit output.
    model = _mlp()
    model.compile(optimizer="sgd", loss="mse")
    assert model.evaluate(x, y[:, 0], verbose=0) == pytest.approx(model.evaluate(x, y, verbose=0), rel=1e-6)
    # model(x) on numpy returns a tensor numpy converts.
    assert np.asarray(model(x)).shape == (16, 1)
    # A layer called with several positional tensors, eagerly and in the functional API.

    class Blend(layers.Layer):
        def call(self, a, b, alpha=0.5):
            return alpha * a + (1.0 - alpha) * b

    a, b = np.ones((2, 3), "float32"), np.zeros((2, 3), "float32")
    np.testing.assert_allclose(np.asarray(Blend()(a, b, alpha=0.25)), 0.25)
    in_a, in_b = keras.Input((3,), name="a"), keras.Input((3,), name="b")
    functional = keras.Model({"a": in_a, "b": in_b}, Blend()(in_a, in_b))
    np.testing.assert_allclose(functional.predict({"a": a, "b": b}, verbose=0), 0.5)


@keras.saving.register_keras_serializable(package="HooksTests")
class Blend(layers.Layer):
    def call(self, a, b, alpha=0.5):
        return alpha * a + (1.0 - alpha) * b


@keras.saving.register_keras_serializable(package="HooksTests")
class SplitHalves(layers.Layer):
    def call(self, x):
        half = x.shape[-1] // 2
        return [x[:, :half], x[:, half:]]


@pytest.mark.parametrize("how", ["config", ".keras", ".h5"])
def test_calls_with_several_tensors_and_layers_with_several_outputs_save_and_load(how, tmp_path):
    in_a, in_b = keras.Input((4,), name="a"), keras.Input((4,), name="b")
    left, right = SplitHalves()(Blend()(in_a, in_b, alpha=0.25))
    model = keras.Model([in_a, in_b], layers.Concatenate()([right, left]))
    x = [np.arange(8.0).reshape(2, 4).astype("float32"), np.ones((2, 4), "float32")]
    expected = model.predict(x, verbose=0)
    if how == "config":
        loaded = keras.Model.from_config(model.get_config())
    else:
        model.save(tmp_path / f"m{how}")
        loaded = keras.models.load_model(tmp_path / f"m{how}")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), expected)
    np.testing.assert_allclose(expected[:, :2], 0.25 * x[0][:, 2:] + 0.75)
