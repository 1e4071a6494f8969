"""End to end: each optimizer minimises a small quadratic through the tape."""

import numpy as np
import pytest

from kerasette import ops, optimizers

TARGET = np.array([[1.0, -2.0], [0.5, 3.0]], "float32")

CASES = [
    (optimizers.SGD, dict(learning_rate=0.1)),
    (optimizers.SGD, dict(learning_rate=0.05, momentum=0.9, nesterov=True)),
    (optimizers.Adam, dict(learning_rate=0.1)),
    (optimizers.Adam, dict(learning_rate=0.1, amsgrad=True, weight_decay=0.001)),
    (optimizers.RMSprop, dict(learning_rate=0.05)),
    (optimizers.RMSprop, dict(learning_rate=0.02, momentum=0.5, centered=True)),
    (optimizers.Adagrad, dict(learning_rate=0.5)),
    (optimizers.Adadelta, dict(learning_rate=50.0)),
    (optimizers.Adam, dict(learning_rate=optimizers.schedules.CosineDecay(0.1, 50), clipnorm=1.0)),
    (optimizers.AdamW, dict(learning_rate=0.1, weight_decay=0.01)),
    (optimizers.Nadam, dict(learning_rate=0.1)),
    (optimizers.Adamax, dict(learning_rate=0.2)),
    (optimizers.Lion, dict(learning_rate=optimizers.schedules.PolynomialDecay(0.1, 50, end_learning_rate=0.001))),
    (optimizers.Ftrl, dict(learning_rate=0.5)),
    (optimizers.Adafactor, dict(learning_rate=0.5)),
    (optimizers.Lamb, dict(learning_rate=0.1)),
    (optimizers.Muon, dict(learning_rate=0.3, weight_decay=None, adam_weight_decay=None)),
    (optimizers.ScheduleFreeAdamW, dict(learning_rate=0.2, warmup_steps=5)),
    (optimizers.SGD, dict(learning_rate=optimizers.schedules.InverseTimeDecay(0.2, 10, 0.1), use_ema=True)),
    (optimizers.Adam, dict(learning_rate=optimizers.schedules.CosineDecayRestarts(0.1, 10), ema_momentum=0.5)),
    (optimizers.RMSprop, dict(learning_rate=0.1, gradient_accumulation_steps=2)),
    (optimizers.LossScaleOptimizer, dict(inner_optimizer=optimizers.Adam(0.1))),
]


def loss_fn(kernel, bias, x):
    prediction = ops.add(ops.matmul(x, kernel), bias)
    return ops.mean(ops.square(ops.subtract(prediction, ops.matmul(x, ops.convert_to_tensor(TARGET)))))


@pytest.mark.parametrize("cls, kwargs", CASES, ids=[f"{c.__name__}-{i}" for i, (c, _) in enumerate(CASES)])
def test_minimises_a_quadratic(cls, kwargs):
    rng = np.random.default_rng(0)
    x = ops.convert_to_tensor(rng.normal(size=(16, 2)).astype("float32"))
    kernel = ops.Variable(ops.zeros((2, 2)).data, name="kernel")
    bias = ops.Variable(ops.ones((2,)).data, name="bias")
    opt = cls(**kwargs)
    losses = []
    for _ in range(50):
        with ops.GradientTape() as tape:
            loss = loss_fn(kernel, bias, x)
        grads = tape.gradient(loss, [kernel, bias])
        opt.apply(grads, [kernel, bias])
        losses.append(float(loss))
    final = float(loss_fn(kernel, bias, x))
    assert np.isfinite(final)
    assert final < 0.1 * losses[0], (losses[0], final)
    accumulation = getattr(opt, "gradient_accumulation_steps", None) or 1
    assert int(opt.iterations.numpy()) == 50 // accumulation
