"""`OptimizerMap` and `MultiOptimizer`: lookups, dispatch (equal to running the optimizers apart),
variable layout, configs and errors."""

import numpy as np
import pytest

from kerasette import ops, optimizers


def _variables():
    return [
        ops.Variable(np.array([[1.0, 2.0], [3.0, 4.0]], "float32"), name="kernel", path="encoder/kernel"),
        ops.Variable(np.array([0.5, -0.5], "float32"), name="bias", path="encoder/bias"),
        ops.Variable(np.array([[1.0], [-1.0]], "float32"), name="kernel", path="head/kernel"),
    ]


def _grads(step):
    rng = np.random.default_rng(step)
    return [ops.convert_to_tensor(rng.normal(size=s).astype("float32")) for s in ((2, 2), (2,), (2, 1))]


def test_map_lookup_rules():
    adam, sgd, rms, default = optimizers.Adam(), optimizers.SGD(), optimizers.RMSprop(), optimizers.Lion()
    mapping = optimizers.OptimizerMap(default, {"encoder/kernel": adam, "encoder/.*": sgd})
    mapping["dec.*"] = rms
    assert mapping["encoder/kernel"] is adam  # an exact key wins over patterns
    assert mapping["encoder/bias"] is sgd  # re.fullmatch
    assert mapping["decoder/dense/kernel"] is rms
    assert mapping["head/kernel"] is default and mapping.default_optimizer is default
    assert mapping["xencoder/bias"] is default  # fullmatch, not search
    assert len(mapping) == 3 and list(mapping) == ["encoder/kernel", "encoder/.*", "dec.*"]
    mapping["enc.*"] = rms
    with pytest.raises(ValueError, match=r"Several optimizers are assigned to variable `encoder/bias`"):
        mapping["encoder/bias"]
    del mapping["enc.*"]
    assert mapping["encoder/bias"] is sgd


@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda: optimizers.OptimizerMap("sgd"), TypeError, "argument `default_optimizer` of `OptimizerMap`"),
        (lambda: optimizers.OptimizerMap(optimizers.SGD(), [1]), TypeError, "Expected a dict from variable path"),
        (
            lambda: optimizers.OptimizerMap(optimizers.SGD(), {"a": optimizers.LossScaleOptimizer(optimizers.SGD())}),
            ValueError,
            "a `LossScaleOptimizer` cannot be used inside a `MultiOptimizer`",
        ),
        (lambda: optimizers.OptimizerMap(optimizers.SGD(), {1: optimizers.SGD()}), TypeError, "must be a variable"),
        (lambda: optimizers.MultiOptimizer(42), TypeError, "Expected an `OptimizerMap` or a function"),
    ],
)
def test_bad_arguments(make, error, message):
    with pytest.raises(error) as info:
        make()
    assert message in str(info.value)


def test_duplicate_key_is_refused():
    mapping = optimizers.OptimizerMap(optimizers.SGD(), {"a": optimizers.Adam()})
    with pytest.raises(ValueError, match="`a` is already in the OptimizerMap"):
        mapping["a"] = optimizers.Adam()


def test_dispatch_equals_running_the_optimizers_apart():
    together, apart = _variables(), _variables()
    multi = optimizers.MultiOptimizer(
        optimizers.OptimizerMap(optimizers.SGD(0.1, momentum=0.9), {"encoder/.*": optimizers.Adam(0.05)})
    )
    adam, sgd = optimizers.Adam(0.05), optimizers.SGD(0.1, momentum=0.9)
    for step in range(3):
        grads = _grads(step)
        multi.apply(grads, together)
        adam.apply(grads[:2], apart[:2])
        sgd.apply(grads[2:], apart[2:])
    for a, b in zip(together, apart):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert int(multi.iterations.numpy()) == 3
    assert [int(o.iterations.numpy()) for o in multi.optimizers] == [3, 3]
    # Keras's layout: the wrapper's iteration and learning rate, then each inner optimizer's variables.
    assert [v.path for v in multi.variables] == [
        "multi_optimizer/iteration", "multi_optimizer/learning_rate",
        "adam/iteration", "adam/learning_rate", "adam/encoder_kernel_momentum", "adam/encoder_kernel_velocity",
        "adam/encoder_bias_momentum", "adam/encoder_bias_velocity",
        "sgd/iteration", "sgd/learning_rate", "sgd/head_kernel_momentum",
    ]


def test_a_function_chooses_too_but_cannot_be_serialized():
    adam, sgd = optimizers.Adam(0.05), optimizers.SGD(0.1)
    multi = optimizers.MultiOptimizer(lambda v: adam if v.path.startswith("encoder") else sgd)
    variables = _variables()
    multi.apply(_grads(0), variables)
    assert multi.optimizers == [adam, sgd]
    with pytest.raises(NotImplementedError, match="chooses optimizers with a function"):
        multi.get_config()


def test_learning_rate_belongs_to_the_inner_optimizers():
    multi = optimizers.MultiOptimizer(optimizers.OptimizerMap(optimizers.SGD(0.1)))
    with pytest.raises(AttributeError, match="has no learning rate of its own"):
        getattr(multi, "learning_rate")  # noqa: B009
    with pytest.raises(AttributeError, match="set it on the inner optimizers"):
        multi.learning_rate = 0.5
    multi.optimizers[0].learning_rate = 0.5
    assert multi.optimizers[0].learning_rate == 0.5


def test_loss_scale_factor_reaches_the_inner_optimizers():
    multi = optimizers.MultiOptimizer(
        optimizers.OptimizerMap(optimizers.SGD(0.1), {"encoder/.*": optimizers.SGD(0.1)}), loss_scale_factor=8.0
    )
    assert [o.loss_scale_factor for o in multi.optimizers] == [8.0, 8.0]
    variables, reference = _variables(), _variables()
    with ops.GradientTape() as tape:
        loss = ops.add(ops.sum(ops.square(variables[0])), ops.add(ops.sum(variables[1]), ops.sum(variables[2])))
        loss = multi.scale_loss(loss)
    grads = tape.gradient(loss, variables)
    multi.apply(grads, variables)
    optimizers.SGD(0.1).apply([ops.multiply(reference[0], 2.0)], [reference[0]])
    np.testing.assert_allclose(variables[0].numpy(), reference[0].numpy(), rtol=1e-6)


def test_config_round_trip():
    multi = optimizers.MultiOptimizer(
        optimizers.OptimizerMap(optimizers.Lion(0.01), {"encoder/.*": optimizers.AdamW(0.02)}), name="split"
    )
    config = optimizers.serialize(multi)
    inner = config["config"]["optimizer_map"]
    assert inner["class_name"] == "OptimizerMap" and inner["module"] == "keras.optimizers"
    clone = optimizers.deserialize(config)
    assert isinstance(clone, optimizers.MultiOptimizer) and clone.get_config() == multi.get_config()
    assert [type(o).__name__ for o in clone.optimizers] == ["AdamW", "Lion"]


def test_ema_and_finalize_through_the_wrapper():
    variables = _variables()
    multi = optimizers.MultiOptimizer(
        optimizers.OptimizerMap(optimizers.SGD(0.1), {"encoder/.*": optimizers.SGD(0.1, use_ema=True)})
    )
    for step in range(3):
        multi.apply(_grads(step), variables)
    averages = [a.numpy() for a in multi.optimizers[0]._model_variables_moving_average]
    head = variables[2].numpy()
    multi.finalize_variable_values(variables)
    for variable, average in zip(variables[:2], averages):
        np.testing.assert_array_equal(variable.numpy(), average)
    np.testing.assert_array_equal(variables[2].numpy(), head)  # that optimizer keeps no averages
