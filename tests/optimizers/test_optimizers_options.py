"""The base options of Keras 3 optimizers: moving averages (``use_ema``), gradient accumulation,
``loss_scale_factor``, and the ``LossScaleOptimizer`` wrapper, checked against hand-computed values."""

import numpy as np
import pytest

from kerasette import ops, optimizers


def _variable(values, name="w"):
    return ops.Variable(np.array(values, "float32"), name=name)


def _grad(values):
    return ops.convert_to_tensor(np.array(values, "float32"))


def test_ema_average_starts_at_the_variable_then_follows_the_momentum():
    w = _variable([1.0, 2.0])
    opt = optimizers.SGD(learning_rate=0.5, use_ema=True, ema_momentum=0.75)
    opt.apply([_grad([1.0, -1.0])], [w])  # w = [0.5, 2.5]; the first average is the variable itself
    average = opt._model_variables_moving_average[0]
    np.testing.assert_allclose(average.numpy(), [0.5, 2.5])
    opt.apply([_grad([1.0, -1.0])], [w])  # w = [0.0, 3.0]
    np.testing.assert_allclose(average.numpy(), [0.75 * 0.5 + 0.25 * 0.0, 0.75 * 2.5 + 0.25 * 3.0])
    np.testing.assert_allclose(w.numpy(), [0.0, 3.0])  # the model keeps its own values


def test_finalize_variable_values_puts_the_averages_in_place():
    w = _variable([1.0])
    opt = optimizers.SGD(learning_rate=1.0, use_ema=True, ema_momentum=0.5)
    for _ in range(3):
        opt.apply([_grad([1.0])], [w])  # w: 0, -1, -2; average: 0, -0.5, -1.25
    opt.finalize_variable_values([w])
    np.testing.assert_allclose(w.numpy(), [-1.25])
    with pytest.raises(ValueError, match="holds moving averages for 1 variables; received 2"):
        opt.finalize_variable_values([w, _variable([0.0])])


def test_finalize_without_ema_changes_nothing():
    w = _variable([1.0])
    opt = optimizers.SGD(learning_rate=1.0)
    opt.apply([_grad([1.0])], [w])
    opt.finalize_variable_values([w])
    np.testing.assert_allclose(w.numpy(), [0.0])


def test_ema_overwrite_frequency_overwrites_the_variables_every_n_steps():
    w = _variable([0.0])
    opt = optimizers.SGD(learning_rate=1.0, use_ema=True, ema_momentum=0.5, ema_overwrite_frequency=2)
    opt.apply([_grad([-1.0])], [w])  # w = 1, average = 1
    np.testing.assert_allclose(w.numpy(), [1.0])
    opt.apply([_grad([-1.0])], [w])  # w = 2, average = 1.5, then w = average
    np.testing.assert_allclose(w.numpy(), [1.5])


def test_gradient_accumulation_updates_with_the_mean_every_n_calls():
    w = _variable([1.0, 1.0])
    opt = optimizers.SGD(learning_rate=0.5, gradient_accumulation_steps=3)
    for g in ([1.0, 0.0], [2.0, 3.0]):
        opt.apply([_grad(g)], [w])
        np.testing.assert_allclose(w.numpy(), [1.0, 1.0])  # nothing moves while accumulating
    assert int(opt.iterations.numpy()) == 0
    opt.apply([_grad([3.0, 0.0])], [w])
    np.testing.assert_allclose(w.numpy(), [1.0 - 0.5 * 2.0, 1.0 - 0.5 * 1.0])
    assert int(opt.iterations.numpy()) == 1 and int(opt.variables[0].numpy()) == 3
    np.testing.assert_allclose(opt._accumulated_gradients[0].numpy(), [0.0, 0.0])


def test_gradient_accumulation_clips_the_mean():
    w = _variable([0.0])
    opt = optimizers.SGD(learning_rate=1.0, gradient_accumulation_steps=2, clipvalue=1.5)
    opt.apply([_grad([4.0])], [w])
    opt.apply([_grad([0.0])], [w])  # mean 2.0, clipped to 1.5
    np.testing.assert_allclose(w.numpy(), [-1.5])


def test_loss_scale_factor_unscales_gradients_of_a_scaled_loss():
    w = ops.Variable([2.0], name="w")
    opt = optimizers.SGD(learning_rate=0.1, loss_scale_factor=64.0)
    with ops.GradientTape() as tape:
        loss = opt.scale_loss(ops.sum(ops.square(w)))
    assert float(loss) == pytest.approx(256.0)
    opt.apply(tape.gradient(loss, [w]), [w])
    np.testing.assert_allclose(w.numpy(), [2.0 - 0.1 * 4.0])
    opt.apply([_grad([4.0])], [w])  # a gradient of an unscaled loss is used as it is
    np.testing.assert_allclose(w.numpy(), [1.6 - 0.4], rtol=1e-6)


def test_loss_scale_optimizer_skips_non_finite_steps_and_adjusts_the_scale():
    w = _variable([1.0, 2.0])
    opt = optimizers.LossScaleOptimizer(optimizers.SGD(learning_rate=0.5), initial_scale=8.0, dynamic_growth_steps=2)
    scales = []
    for g in ([1.0, 1.0], [np.nan, 1.0], [1.0, 1.0], [1.0, 1.0], [np.inf, 0.0]):
        scale = float(opt.scale_loss(ops.convert_to_tensor(1.0)))
        opt.apply([_grad(np.array(g) * scale)], [w])
        scales.append(float(opt.dynamic_scale.numpy()))
    assert scales == [8.0, 4.0, 4.0, 8.0, 4.0]  # halve on NaN/inf, double after 2 finite steps in a row
    np.testing.assert_allclose(w.numpy(), [1.0 - 1.5, 2.0 - 1.5])  # three finite steps of 0.5 * 1
    assert int(opt.iterations.numpy()) == 3 and int(opt.step_counter.numpy()) == 0


def test_loss_scale_optimizer_is_the_inner_optimizer_on_float32():
    rng = np.random.default_rng(0)
    grads = [rng.normal(size=(3, 2)).astype("float32") for _ in range(4)]
    plain_w, wrapped_w, unscaled_w = (_variable(np.ones((3, 2))) for _ in range(3))
    plain = optimizers.Adam(0.1)
    wrapped = optimizers.LossScaleOptimizer(optimizers.Adam(0.1))
    unscaled = optimizers.LossScaleOptimizer(optimizers.Adam(0.1))
    for g in grads:
        plain.apply([_grad(g)], [plain_w])
        wrapped.apply([_grad(g * float(wrapped.scale_loss(ops.convert_to_tensor(1.0))))], [wrapped_w])
        unscaled.apply([_grad(g)], [unscaled_w])  # a loss that never went through scale_loss
    np.testing.assert_array_equal(wrapped_w.numpy(), plain_w.numpy())
    np.testing.assert_array_equal(unscaled_w.numpy(), plain_w.numpy())


def test_loss_scale_optimizer_delegates_learning_rate_and_layout():
    inner = optimizers.RMSprop(0.01, loss_scale_factor=4.0)
    opt = optimizers.LossScaleOptimizer(inner)
    assert inner.loss_scale_factor is None  # scaling twice would be wrong
    assert opt.name == "loss_scale_optimizer" and opt.learning_rate == pytest.approx(0.01)
    opt.learning_rate = 0.5
    assert inner.learning_rate == 0.5
    w = _variable([1.0])
    opt.build([w])
    paths = [v.path for v in opt.variables]
    assert paths == [
        "loss_scale_optimizer/iteration", "loss_scale_optimizer/learning_rate", "loss_scale_optimizer/step_counter",
        "loss_scale_optimizer/dynamic_scale", "rmsprop/iteration", "rmsprop/learning_rate", "rmsprop/w_velocity",
    ]
    weights = opt.get_weights()
    weights[3] = np.float32(2.0)
    opt.set_weights(weights)
    assert float(opt.dynamic_scale.numpy()) == 2.0


def test_loss_scale_optimizer_config_round_trip():
    opt = optimizers.LossScaleOptimizer(optimizers.Lion(0.02), initial_scale=64.0, dynamic_growth_steps=7)
    config = optimizers.serialize(opt)
    assert config["config"]["inner_optimizer"]["class_name"] == "Lion"
    assert config["config"]["inner_optimizer"]["module"] == "keras.optimizers"  # as Keras nests it
    clone = optimizers.deserialize(config)
    assert isinstance(clone.inner_optimizer, optimizers.Lion) and clone.get_config() == opt.get_config()
    assert isinstance(optimizers.get(config), optimizers.LossScaleOptimizer)


@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda: optimizers.LossScaleOptimizer("adam"), TypeError, "Expected an `Optimizer` instance"),
        (lambda: optimizers.LossScaleOptimizer(optimizers.SGD(), initial_scale=0.0), ValueError, "initial_scale=0.0"),
        (
            lambda: optimizers.LossScaleOptimizer(optimizers.SGD(), dynamic_growth_steps=0),
            ValueError,
            "dynamic_growth_steps=0",
        ),
        (lambda: optimizers.LossScaleOptimizer(optimizers.SGD(), dynamic=False), ValueError, "dynamic=False"),
        (
            lambda: optimizers.LossScaleOptimizer(optimizers.SGD(), clipnorm=1.0),
            ValueError,
            "Argument `clipnorm` of optimizer `LossScaleOptimizer` is not supported: set it on the `inner_optimizer`",
        ),
        (lambda: optimizers.LossScaleOptimizer(optimizers.SGD(), foo=1), ValueError, "not recognized"),
    ],
)
def test_loss_scale_optimizer_bad_arguments(make, error, message):
    with pytest.raises(error) as info:
        make()
    assert message in str(info.value)


def test_loss_scale_optimizer_accepts_the_defaults_older_keras_configs_carry():
    opt = optimizers.LossScaleOptimizer(optimizers.SGD(), weight_decay=None, use_ema=False, ema_momentum=0.99)
    assert opt.initial_scale == 2.0**15 and opt.dynamic_growth_steps == 2000
