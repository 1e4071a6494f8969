"""Configs, names, registry lookups and argument checks of the optimizers added with issue 13."""

import pytest

from kerasette import optimizers

NEW = [
    optimizers.AdamW,
    optimizers.Nadam,
    optimizers.Adamax,
    optimizers.Lion,
    optimizers.Ftrl,
    optimizers.Adafactor,
    optimizers.Lamb,
    optimizers.Muon,
    optimizers.ScheduleFreeAdamW,
]

# Keras 3.15.1 defaults (keras.optimizers.<cls>().get_config()), beyond the base arguments.
DEFAULTS = {
    "AdamW": dict(learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False),
    "Nadam": dict(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7),
    "Adamax": dict(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7),
    "Lion": dict(learning_rate=0.001, beta_1=0.9, beta_2=0.99),
    "Ftrl": dict(
        learning_rate=0.001,
        learning_rate_power=-0.5,
        initial_accumulator_value=0.1,
        l1_regularization_strength=0.0,
        l2_regularization_strength=0.0,
        l2_shrinkage_regularization_strength=0.0,
        beta=0.0,
    ),
    "Adafactor": dict(
        learning_rate=0.001, beta_2_decay=-0.8, epsilon_1=1e-30, epsilon_2=1e-3, clip_threshold=1.0, relative_step=True
    ),
    "Lamb": dict(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7),
    "Muon": dict(
        learning_rate=0.001,
        weight_decay=0.004,
        adam_beta_1=0.9,
        adam_beta_2=0.999,
        epsilon=1e-7,
        exclude_layers=[],
        muon_a=3.4445,
        muon_b=-4.775,
        muon_c=2.0315,
        adam_lr_ratio=1,
        momentum=0.95,
        ns_steps=5,
        nesterov=True,
        exclude_embeddings=True,
        adam_weight_decay=0.004,
        rms_rate=0.2,
    ),
    "ScheduleFreeAdamW": dict(learning_rate=0.0025, beta_1=0.9, beta_2=0.999, epsilon=1e-8, warmup_steps=0),
}
NAMES = {
    "AdamW": "adam_w",
    "Nadam": "nadam",
    "Adamax": "adamax",
    "Lion": "lion",
    "Ftrl": "ftrl",
    "Adafactor": "adafactor",
    "Lamb": "lamb",
    "Muon": "muon",
    "ScheduleFreeAdamW": "schedule_free_adam_w",
}
NON_DEFAULT = {
    optimizers.AdamW: dict(learning_rate=0.02, weight_decay=0.1, beta_1=0.8, amsgrad=True, clipnorm=1.0),
    optimizers.Nadam: dict(learning_rate=0.02, beta_1=0.8, beta_2=0.99, epsilon=1e-5, use_ema=True),
    optimizers.Adamax: dict(learning_rate=0.02, beta_1=0.8, beta_2=0.99, epsilon=1e-5, clipvalue=0.5),
    optimizers.Lion: dict(learning_rate=0.02, beta_1=0.5, beta_2=0.9, weight_decay=0.01),
    optimizers.Ftrl: dict(
        learning_rate=0.02,
        learning_rate_power=-0.3,
        initial_accumulator_value=0.2,
        l1_regularization_strength=0.1,
        l2_regularization_strength=0.2,
        l2_shrinkage_regularization_strength=0.3,
        beta=0.4,
    ),
    optimizers.Adafactor: dict(
        learning_rate=0.02, beta_2_decay=-0.5, epsilon_1=1e-20, epsilon_2=1e-2, clip_threshold=2.0, relative_step=False
    ),
    optimizers.Lamb: dict(learning_rate=0.02, beta_1=0.8, beta_2=0.99, epsilon=1e-5, gradient_accumulation_steps=4),
    optimizers.Muon: dict(
        learning_rate=0.02, exclude_layers=["head"], exclude_embeddings=False, ns_steps=3, nesterov=False, rms_rate=None
    ),
    optimizers.ScheduleFreeAdamW: dict(learning_rate=0.02, beta_1=0.8, warmup_steps=10, ema_overwrite_frequency=None),
}


@pytest.mark.parametrize("cls", NEW, ids=lambda c: c.__name__)
def test_defaults_are_keras_defaults(cls):
    config = cls().get_config()
    for key, value in DEFAULTS[cls.__name__].items():
        assert config[key] == value, key
    assert config["name"] == NAMES[cls.__name__]
    assert config["use_ema"] is False and config["ema_momentum"] == 0.99
    assert config["ema_overwrite_frequency"] is None and config["gradient_accumulation_steps"] is None
    assert config["loss_scale_factor"] is None and config["clipnorm"] is None


@pytest.mark.parametrize("cls", NEW, ids=lambda c: c.__name__)
def test_config_round_trip(cls):
    optimizer = cls(**NON_DEFAULT[cls])
    config = optimizer.get_config()
    for key, value in NON_DEFAULT[cls].items():
        assert config[key] == value, key
    clone = cls.from_config(config)
    assert type(clone) is cls and clone.get_config() == config
    again = optimizers.deserialize(optimizers.serialize(optimizer))
    assert type(again) is cls and again.get_config() == config


@pytest.mark.parametrize(
    "name, cls",
    [
        ("adamw", "AdamW"),
        ("nadam", "Nadam"),
        ("adamax", "Adamax"),
        ("lion", "Lion"),
        ("ftrl", "Ftrl"),
        ("adafactor", "Adafactor"),
        ("lamb", "Lamb"),
        ("muon", "Muon"),
        ("schedulefreeadamw", "ScheduleFreeAdamW"),
        ("AdamW", "AdamW"),
        ("NAdam", "Nadam"),
    ],
)
def test_get_by_name(name, cls):
    optimizer = optimizers.get(name)
    assert type(optimizer).__name__ == cls
    assert optimizer.get_config() == getattr(optimizers, cls)().get_config()


@pytest.mark.parametrize(
    "make, error, message",
    [
        (
            lambda: optimizers.AdamW(weight_decay=None),
            ValueError,
            "Invalid value for argument `weight_decay` of optimizer `AdamW`. Expected a float >= 0. "
            "Received: weight_decay=None",
        ),
        (lambda: optimizers.AdamW(beta_1=1.0), ValueError, "argument `beta_1` of optimizer `AdamW`"),
        (lambda: optimizers.Nadam(beta_2=1.5), ValueError, "Received: beta_2=1.5"),
        (lambda: optimizers.Adamax(epsilon=-1.0), ValueError, "epsilon=-1.0"),
        (
            lambda: optimizers.Lion(beta_1=0.0),
            ValueError,
            "Invalid value for argument `beta_1` of optimizer `Lion`. Expected a float in (0, 1] (at 0 Lion "
            "degenerates to SignSGD). Received: beta_1=0.0",
        ),
        (lambda: optimizers.Ftrl(learning_rate_power=0.5), ValueError, "Expected a float <= 0"),
        (lambda: optimizers.Ftrl(initial_accumulator_value=-0.1), ValueError, "initial_accumulator_value=-0.1"),
        (lambda: optimizers.Ftrl(l1_regularization_strength=-1.0), ValueError, "l1_regularization_strength"),
        (lambda: optimizers.Ftrl(l2_shrinkage_regularization_strength=-1.0), ValueError, "l2_shrinkage"),
        (lambda: optimizers.Adafactor(clip_threshold=0.0), ValueError, "Expected a float > 0"),
        (lambda: optimizers.Adafactor(relative_step="yes"), TypeError, "relative_step='yes'"),
        (lambda: optimizers.Lamb(beta_1=-0.1), ValueError, "beta_1=-0.1"),
        (lambda: optimizers.Muon(ns_steps=0), ValueError, "Expected an integer >= 1. Received: ns_steps=0"),
        (lambda: optimizers.Muon(exclude_layers="dense"), TypeError, "Expected a list of regular expressions"),
        (lambda: optimizers.Muon(momentum=2.0), ValueError, "momentum=2.0"),
        (lambda: optimizers.ScheduleFreeAdamW(beta_1=0.0), ValueError, "Expected a float in (0, 1)"),
        (lambda: optimizers.ScheduleFreeAdamW(warmup_steps=-1), ValueError, "warmup_steps=-1"),
        (lambda: optimizers.Nadam(amsgrad=True), ValueError, "Argument(s) not recognized by optimizer `Nadam`"),
    ],
)
def test_bad_arguments_raise_clear_errors(make, error, message):
    with pytest.raises(error) as info:
        make()
    assert message in str(info.value)


def test_ema_overwrite_frequency_without_use_ema_warns():
    with pytest.warns(UserWarning, match="`ema_overwrite_frequency` of optimizer `SGD` has no effect without"):
        optimizers.SGD(ema_overwrite_frequency=3)


def test_slot_layout_follows_keras():
    # The slot names and order Keras 3 builds (checked against Keras in test_optimizers_keras_live.py).
    from kerasette import ops

    kernel = ops.Variable(ops.zeros((2, 3)), name="kernel")
    bias = ops.Variable(ops.zeros((3,)), name="bias")

    def layout(optimizer):
        optimizer.build([kernel, bias])
        return [(v.path.split("/", 1)[1], v.shape) for v in optimizer.variables[2:]]

    assert layout(optimizers.Nadam()) == [
        ("kernel_momentum", (2, 3)), ("kernel_velocity", (2, 3)), ("bias_momentum", (3,)), ("bias_velocity", (3,)),
        ("u_product", ()),
    ]
    assert layout(optimizers.Adafactor()) == [
        ("kernel_r", (2,)), ("kernel_c", (3,)), ("kernel_velocity", (2, 3)),
        ("bias_r", ()), ("bias_c", ()), ("bias_velocity", (3,)),
    ]
    assert layout(optimizers.Ftrl())[:2] == [("kernel_accumulator", (2, 3)), ("kernel_linear", (2, 3))]
    assert layout(optimizers.Adamax())[:2] == [("kernel_momentum", (2, 3)), ("kernel_norm", (2, 3))]
    assert layout(optimizers.Muon()) == [("kernel_momentum", (2, 3)), ("bias_momentum", (3,)), ("bias_velocity", (3,))]
    assert layout(optimizers.SGD(momentum=0.5, use_ema=True, gradient_accumulation_steps=2)) == [
        ("kernel_average", (2, 3)), ("bias_average", (3,)),
        ("kernel_gradient_accumulator", (2, 3)), ("bias_gradient_accumulator", (3,)),
        ("kernel_momentum", (2, 3)), ("bias_momentum", (3,)),
    ]
