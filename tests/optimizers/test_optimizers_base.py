"""What every optimizer shares: building, the counter, the learning rate, variables, None gradients."""

import numpy as np
import pytest

from kerasette import ops, optimizers


def variable(values, name="w", dtype="float32"):
    return ops.Variable(ops.convert_to_tensor(np.array(values, dtype)).data, name=name)


def tensor(values, dtype="float32"):
    return ops.convert_to_tensor(np.array(values, dtype))


def test_sgd_single_step_by_hand():
    w = variable([1.0, -2.0])
    optimizers.SGD(learning_rate=0.1).apply([tensor([0.5, 1.0])], [w])
    np.testing.assert_allclose(w.numpy(), [0.95, -2.1], rtol=1e-7)


def test_iterations_counts_updates():
    opt = optimizers.Adam()
    assert int(opt.iterations.numpy()) == 0 and opt.iterations.dtype == "int64"
    w = variable([1.0])
    for step in range(1, 4):
        opt.apply([tensor([1.0])], [w])
        assert int(opt.iterations.numpy()) == step
    assert opt.iterations.trainable is False


def test_variables_order_and_names_follow_keras():
    # Keras 3.15.1: [iteration, learning_rate, <path>_momentum, <path>_velocity, ...], per variable.
    kernel, bias = variable([[1.0, 2.0]], "kernel"), variable([0.0], "bias")
    kernel.path, bias.path = "dense/kernel", "dense/bias"
    opt = optimizers.Adam()
    opt.build([kernel, bias])
    names = [v.name for v in opt.variables]
    assert names == [
        "iteration",
        "learning_rate",
        "dense_kernel_momentum",
        "dense_kernel_velocity",
        "dense_bias_momentum",
        "dense_bias_velocity",
    ]
    assert [v.path for v in opt.variables][:2] == ["adam/iteration", "adam/learning_rate"]
    assert all(not v.trainable for v in opt.variables)
    assert [v.shape for v in opt.variables[2:]] == [(1, 2), (1, 2), (1,), (1,)]


@pytest.mark.parametrize(
    "opt, slots",
    [
        (optimizers.SGD(), []),
        (optimizers.SGD(momentum=0.9), ["momentum"]),
        (optimizers.Adam(amsgrad=True), ["momentum", "velocity", "velocity_hat"]),
        (optimizers.RMSprop(), ["velocity"]),
        (optimizers.RMSprop(momentum=0.5, centered=True), ["velocity", "momentum", "average_gradient"]),
        (optimizers.Adagrad(), ["accumulator"]),
        (optimizers.Adadelta(), ["accumulated_grad", "accumulated_delta_var"]),
    ],
    ids=lambda x: type(x).__name__ if isinstance(x, optimizers.Optimizer) else None,
)
def test_slots_created_on_build(opt, slots):
    w = variable([1.0, 2.0])
    opt.build([w])
    assert [v.name for v in opt.variables[2:]] == [f"w_{s}" for s in slots]


def test_adagrad_accumulator_starts_at_initial_value():
    opt = optimizers.Adagrad(initial_accumulator_value=0.25)
    opt.build([variable([[1.0, 2.0]])])
    np.testing.assert_array_equal(opt.variables[2].numpy(), [[0.25, 0.25]])


def test_slots_take_the_variable_dtype():
    w = variable([1.0, 2.0], dtype="float64")
    opt = optimizers.Adam(learning_rate=0.1)
    opt.apply([tensor([1.0, 1.0])], [w])  # float32 gradient is cast to the variable's dtype
    assert w.dtype == "float64" and {v.dtype for v in opt.variables[2:]} == {"float64"}


def test_learning_rate_is_a_settable_float():
    opt = optimizers.SGD(learning_rate=0.1)
    assert opt.learning_rate == 0.1 and isinstance(opt.learning_rate, float)
    opt.learning_rate = 0.01  # what ReduceLROnPlateau does
    assert opt.learning_rate == 0.01
    w = variable([1.0])
    opt.apply([tensor([1.0])], [w])
    np.testing.assert_allclose(w.numpy(), [0.99], rtol=1e-7)
    with pytest.raises(ValueError, match="learning_rate=-1.0"):
        opt.learning_rate = -1.0
    assert opt.get_config()["learning_rate"] == 0.01


def test_learning_rate_follows_its_variable_when_loaded():
    opt = optimizers.SGD(learning_rate=0.1)
    opt.set_weights([np.array(5, "int64"), np.array(0.5, "float32")])
    assert opt.learning_rate == 0.5 and int(opt.iterations.numpy()) == 5


def test_get_and_set_weights_round_trip():
    w = variable([1.0, 2.0])
    opt = optimizers.RMSprop(momentum=0.5)
    for _ in range(2):
        opt.apply([tensor([0.3, -0.1])], [w])
    other = optimizers.RMSprop(momentum=0.5)
    other.build([variable([0.0, 0.0])])
    other.set_weights(opt.get_weights())
    for a, b in zip(other.get_weights(), opt.get_weights()):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="received 1 weights"):
        other.set_weights(opt.get_weights()[:1])


def test_none_gradients_are_skipped_with_a_warning():
    a, b = variable([1.0], "a"), variable([1.0], "b")
    opt = optimizers.SGD(learning_rate=0.5)
    with pytest.warns(UserWarning, match="Gradients do not exist for variables"):
        opt.apply([tensor([1.0]), None], [a, b])
    np.testing.assert_allclose(a.numpy(), [0.5])
    np.testing.assert_allclose(b.numpy(), [1.0])
    assert int(opt.iterations.numpy()) == 1


def test_all_none_gradients_raise():
    with pytest.raises(ValueError, match="No gradients provided"):
        optimizers.SGD().apply([None], [variable([1.0])])


def test_apply_gradients_and_apply_without_variables():
    w = variable([1.0])
    opt = optimizers.SGD(learning_rate=0.5)
    result = opt.apply_gradients([(tensor([1.0]), w)])
    assert result is opt.iterations
    opt.apply([tensor([1.0])])  # reuses the variables it was built with
    np.testing.assert_allclose(w.numpy(), [0.0])


def test_apply_errors():
    w, stranger = variable([1.0]), variable([1.0], "stranger")
    opt = optimizers.SGD()
    with pytest.raises(ValueError, match="not built"):
        opt.apply([tensor([1.0])])
    opt.apply([tensor([1.0])], [w])
    with pytest.raises(ValueError, match="Unknown variables \\['stranger'\\]"):
        opt.apply([tensor([1.0])], [stranger])
    with pytest.raises(ValueError, match="received 2 gradients for 1 variables"):
        opt.apply([tensor([1.0]), tensor([1.0])], [w])


def test_numpy_gradients_are_accepted():
    w = variable([1.0, 1.0])
    optimizers.SGD(learning_rate=1.0).apply([np.array([0.5, 0.25])], [w])
    np.testing.assert_allclose(w.numpy(), [0.5, 0.75])
    assert w.dtype == "float32"


def test_update_is_not_recorded_on_an_open_tape():
    w = variable([2.0])
    opt = optimizers.Adam(learning_rate=0.1)
    with ops.GradientTape() as tape:
        loss = ops.sum(ops.square(w))
        (grad,) = tape.gradient(loss, [w])
        opt.apply([grad], [w])
    assert all(v.node is None for v in opt.variables)
    assert w.node is None


def test_weight_decay_exclusion():
    kernel, bias = variable([1.0], "kernel"), variable([1.0], "bias")
    opt = optimizers.SGD(learning_rate=0.1, weight_decay=0.5)
    opt.exclude_from_weight_decay(var_names=["bias"])
    opt.apply([tensor([0.0]), tensor([0.0])], [kernel, bias])
    np.testing.assert_allclose(kernel.numpy(), [0.95])  # 1 - 1 * 0.5 * 0.1
    np.testing.assert_allclose(bias.numpy(), [1.0])
    with pytest.raises(ValueError, match="before the optimizer is built"):
        opt.exclude_from_weight_decay(var_names=["kernel"])


def test_clipnorm_leaves_small_gradients_alone():
    w = variable([0.0, 0.0])
    optimizers.SGD(learning_rate=1.0, clipnorm=10.0).apply([tensor([3.0, 4.0])], [w])
    np.testing.assert_allclose(w.numpy(), [-3.0, -4.0])
    w = variable([0.0, 0.0])
    optimizers.SGD(learning_rate=1.0, clipnorm=1.0).apply([tensor([3.0, 4.0])], [w])
    np.testing.assert_allclose(w.numpy(), [-0.6, -0.8], rtol=1e-6)


def test_zero_gradient_with_global_clipnorm_is_finite():
    w = variable([1.0])
    optimizers.Adam(global_clipnorm=1.0).apply([tensor([0.0])], [w])
    np.testing.assert_allclose(w.numpy(), [1.0])


def test_custom_optimizer_written_as_for_keras():
    # The Keras 3 recipe for a custom optimizer runs unchanged.
    class SignSGD(optimizers.Optimizer):
        def __init__(self, learning_rate=0.1, name="sign_sgd", **kwargs):
            super().__init__(learning_rate=learning_rate, name=name, **kwargs)

        def build(self, variables):
            if self.built:
                return
            super().build(variables)
            self.counts = [self.add_variable_from_reference(v, "count") for v in variables]

        def update_step(self, gradient, variable, learning_rate):
            count = self.counts[self._get_variable_index(variable)]
            self.assign_add(count, ops.ones_like(count))
            self.assign_sub(variable, ops.multiply(ops.sign(gradient), learning_rate))

    w = variable([1.0, -1.0])
    opt = SignSGD()
    opt.apply([tensor([3.0, -0.5])], [w])
    opt.apply([tensor([3.0, -0.5])], [w])
    np.testing.assert_allclose(w.numpy(), [0.8, -0.8], rtol=1e-6)
    assert [v.name for v in opt.variables] == ["iteration", "learning_rate", "w_count"]
    np.testing.assert_array_equal(opt.variables[2].numpy(), [2.0, 2.0])
    assert SignSGD.from_config(opt.get_config()).get_config() == opt.get_config()
