"""Configs, the optimizer registry (get/serialize/deserialize) and argument validation."""

import pytest

from kerasette import optimizers

ALL = [optimizers.SGD, optimizers.Adam, optimizers.RMSprop, optimizers.Adagrad, optimizers.Adadelta]

NON_DEFAULT = {
    optimizers.SGD: dict(learning_rate=0.2, momentum=0.5, nesterov=True, clipnorm=2.0),
    optimizers.Adam: dict(
        learning_rate=0.02, beta_1=0.8, beta_2=0.99, epsilon=1e-5, amsgrad=True, weight_decay=0.01
    ),
    optimizers.RMSprop: dict(
        learning_rate=0.03, rho=0.8, momentum=0.1, epsilon=1e-6, centered=True, global_clipnorm=1.0
    ),
    optimizers.Adagrad: dict(learning_rate=0.04, initial_accumulator_value=0.2, epsilon=1e-6, clipvalue=0.5),
    optimizers.Adadelta: dict(learning_rate=0.5, rho=0.9, epsilon=1e-6, name="my_adadelta"),
}


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_defaults_are_keras_defaults(cls):
    # Keras 3 defaults (keras.optimizers.<cls>().get_config()).
    expected = {
        "SGD": dict(learning_rate=0.01, momentum=0.0, nesterov=False),
        "Adam": dict(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False),
        "RMSprop": dict(learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False),
        "Adagrad": dict(learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7),
        "Adadelta": dict(learning_rate=0.001, rho=0.95, epsilon=1e-7),
    }[cls.__name__]
    config = cls().get_config()
    for key, value in expected.items():
        assert config[key] == value, key
    assert config["weight_decay"] is None and config["clipnorm"] is None
    assert config["clipvalue"] is None and config["global_clipnorm"] is None


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_config_round_trip(cls):
    opt = cls(**NON_DEFAULT[cls])
    config = opt.get_config()
    for key, value in NON_DEFAULT[cls].items():
        assert config[key] == value, key
    clone = cls.from_config(config)
    assert type(clone) is cls and clone.get_config() == config
    again = optimizers.deserialize(optimizers.serialize(opt))
    assert type(again) is cls and again.get_config() == config


def test_serialize_format():
    assert optimizers.serialize(optimizers.SGD(momentum=0.5)) == {
        "class_name": "SGD",
        "config": optimizers.SGD(momentum=0.5).get_config(),
    }


@pytest.mark.parametrize(
    "name, cls",
    [
        ("sgd", "SGD"),
        ("adam", "Adam"),
        ("rmsprop", "RMSprop"),
        ("adagrad", "Adagrad"),
        ("adadelta", "Adadelta"),
        ("Adam", "Adam"),
        ("RMSProp", "RMSprop"),
        ("SGD", "SGD"),
    ],
)
def test_get_by_name_returns_a_fresh_default_instance(name, cls):
    first, second = optimizers.get(name), optimizers.get(name)
    assert type(first).__name__ == cls and first is not second
    assert first.get_config() == getattr(optimizers, cls)().get_config()


def test_get_by_dict_instance_and_class():
    opt = optimizers.get({"class_name": "Adam", "config": {"learning_rate": 0.5}})
    assert isinstance(opt, optimizers.Adam) and opt.learning_rate == 0.5
    assert optimizers.get({"class_name": "adam", "config": {}}).learning_rate == 0.001
    assert optimizers.get(opt) is opt
    assert isinstance(optimizers.get(optimizers.RMSprop), optimizers.RMSprop)


def test_get_unknown_name_lists_known_names():
    with pytest.raises(ValueError, match="Unknown optimizer: 'adamm'") as info:
        optimizers.get("adamm")
    for name in ("adam", "sgd", "rmsprop", "adagrad", "adadelta"):
        assert name in str(info.value)


def test_get_rejects_other_identifiers():
    with pytest.raises(ValueError, match="Could not interpret optimizer identifier"):
        optimizers.get(42)


def test_custom_objects_in_deserialize():
    class MySGD(optimizers.SGD):
        pass

    opt = optimizers.deserialize(
        {"class_name": "MySGD", "config": {"momentum": 0.3}}, custom_objects={"MySGD": MySGD}
    )
    assert isinstance(opt, MySGD) and opt.momentum == 0.3


def test_keras_config_with_extra_keys_is_accepted():
    # keras.optimizers.Adam(learning_rate=0.01).get_config() from Keras 3.15.1 (float32 learning rate).
    keras_config = {
        "name": "adam",
        "learning_rate": 0.009999999776482582,
        "weight_decay": None,
        "clipnorm": None,
        "global_clipnorm": None,
        "clipvalue": None,
        "use_ema": False,
        "ema_momentum": 0.99,
        "ema_overwrite_frequency": None,
        "loss_scale_factor": None,
        "gradient_accumulation_steps": None,
        "beta_1": 0.9,
        "beta_2": 0.999,
        "epsilon": 1e-07,
        "amsgrad": False,
    }
    opt = optimizers.Adam.from_config(keras_config)
    assert opt.learning_rate == pytest.approx(0.01)
    # A Keras 2 (tf.keras) config carries `decay`, `jit_compile` and `is_legacy_optimizer`.
    legacy = {
        "name": "SGD",
        "learning_rate": 0.1,
        "decay": 0.0,
        "momentum": 0.0,
        "nesterov": False,
        "jit_compile": True,
        "is_legacy_optimizer": False,
    }
    assert optimizers.SGD.from_config(legacy).learning_rate == pytest.approx(0.1)


@pytest.mark.parametrize(
    "make, error, message",
    [
        (
            lambda: optimizers.SGD(momentum=1.5),
            ValueError,
            "Invalid value for argument `momentum` of optimizer `SGD`. Expected a float in [0, 1]. "
            "Received: momentum=1.5",
        ),
        (lambda: optimizers.SGD(momentum=-0.1), ValueError, "momentum=-0.1"),
        (
            lambda: optimizers.SGD(learning_rate=-0.01),
            ValueError,
            "Invalid value for argument `learning_rate` of optimizer `SGD`. Expected a float >= 0 or a "
            "LearningRateSchedule. Received: learning_rate=-0.01",
        ),
        (lambda: optimizers.Adam(learning_rate="fast"), TypeError, "learning_rate='fast'"),
        (lambda: optimizers.Adam(beta_1=1.0), ValueError, "Expected a float in [0, 1). Received: beta_1=1.0"),
        (lambda: optimizers.Adam(beta_2=-0.5), ValueError, "beta_2=-0.5"),
        (lambda: optimizers.Adam(epsilon=-1.0), ValueError, "epsilon=-1.0"),
        (lambda: optimizers.Adam(amsgrad="yes"), TypeError, "Expected a bool. Received: amsgrad='yes'"),
        (lambda: optimizers.SGD(nesterov=1), TypeError, "nesterov=1"),
        (lambda: optimizers.RMSprop(rho=2.0), ValueError, "rho=2.0"),
        (lambda: optimizers.RMSprop(momentum=3.0), ValueError, "momentum=3.0"),
        (lambda: optimizers.RMSprop(centered=None), TypeError, "centered=None"),
        (
            lambda: optimizers.Adagrad(initial_accumulator_value=-1.0),
            ValueError,
            "initial_accumulator_value=-1.0",
        ),
        (lambda: optimizers.Adadelta(rho=1.5), ValueError, "Adadelta`. Expected a float in [0, 1]"),
        (lambda: optimizers.SGD(weight_decay=-1.0), ValueError, "weight_decay=-1.0"),
        (
            lambda: optimizers.SGD(clipnorm=0.0),
            ValueError,
            "Expected a float > 0 or None. Received: clipnorm=0.0",
        ),
        (lambda: optimizers.SGD(clipvalue="big"), TypeError, "clipvalue='big'"),
        (
            lambda: optimizers.SGD(clipnorm=1.0, global_clipnorm=1.0),
            ValueError,
            "Only one of `clipnorm`, `clipvalue` and `global_clipnorm`",
        ),
        (lambda: optimizers.Adam(clipnorm=1.0, clipvalue=1.0), ValueError, "Only one of"),
        (
            lambda: optimizers.Adam(lr=0.1),
            ValueError,
            "Argument(s) not recognized by optimizer `Adam`: {'lr': 0.1}",
        ),
        (lambda: optimizers.SGD(use_ema="yes"), TypeError, "Expected a bool. Received: use_ema='yes'"),
        (
            lambda: optimizers.SGD(use_ema=True, ema_momentum=1.5),
            ValueError,
            "Invalid value for argument `ema_momentum` of optimizer `SGD`. Expected a float in [0, 1]. "
            "Received: ema_momentum=1.5",
        ),
        (
            lambda: optimizers.SGD(use_ema=True, ema_overwrite_frequency=0),
            ValueError,
            "Expected an integer >= 1 or None. Received: ema_overwrite_frequency=0",
        ),
        (lambda: optimizers.SGD(ema_overwrite_frequency=2.5), TypeError, "ema_overwrite_frequency=2.5"),
        (lambda: optimizers.Adam(loss_scale_factor=0.0), ValueError, "loss_scale_factor=0.0"),
        (
            lambda: optimizers.Adam(gradient_accumulation_steps=1),
            ValueError,
            "Invalid value for argument `gradient_accumulation_steps` of optimizer `Adam`. Expected an integer "
            ">= 2 or None. Received: gradient_accumulation_steps=1",
        ),
        (lambda: optimizers.SGD(decay=0.01), ValueError, "`decay`"),
    ],
)
def test_bad_arguments_raise_clear_errors(make, error, message):
    with pytest.raises(error) as info:
        make()
    assert message in str(info.value)


def test_integer_hyperparameters_are_accepted_as_floats():
    opt = optimizers.SGD(learning_rate=1, momentum=0)
    assert opt.learning_rate == 1.0 and isinstance(opt.get_config()["learning_rate"], float)


def test_default_names():
    assert [cls().name for cls in ALL] == ["sgd", "adam", "rmsprop", "adagrad", "adadelta"]
    assert optimizers.Adam(name="head").name == "head"
