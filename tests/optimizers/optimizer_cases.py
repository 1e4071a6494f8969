"""Fixed variables, gradients and optimizer settings shared by the golden and live-Keras tests.

Three variables: a vector, a 2x2 matrix and a 2x3 matrix (so Muon and Adafactor see matrices,
wide and square, and a vector). ``run(library, case)`` applies ``steps`` gradient steps with
either kerasette or real Keras and returns the final variables and the optimizer's variables.
"""

import numpy as np

V1 = [1.0, 2.0, -3.0]
V2 = [[0.5, -1.5], [2.5, 0.1]]
V3 = [[0.5, -1.0, 0.3], [0.2, 0.8, -0.6]]
G1 = [[0.5, -1.0, 1.5], [0.1, -0.3, 2.0], [-0.2, 0.05, 0.4]]
G2 = [[[0.2, -0.4], [0.6, 0.1]], [[0.3, 0.2], [-0.5, 0.0]], [[-0.1, -0.6], [0.05, 0.9]]]
G3 = [[[0.1, -0.2, 0.3], [0.4, 0.0, -0.1]], [[-0.3, 0.1, 0.2], [0.0, 0.5, 0.1]], [[0.2, 0.2, -0.4], [0.1, -0.1, 0.3]]]

# name: (class name, constructor kwargs, steps). Steps cycle through the three gradients.
CASES = {
    "adamw": ("AdamW", {"learning_rate": 0.01}, 3),
    "adamw_amsgrad_decay": ("AdamW", {"learning_rate": 0.01, "weight_decay": 0.1, "amsgrad": True}, 3),
    "nadam": ("Nadam", {"learning_rate": 0.01}, 3),
    "nadam_betas": ("Nadam", {"learning_rate": 0.05, "beta_1": 0.5, "beta_2": 0.9, "epsilon": 1e-3}, 3),
    "adamax": ("Adamax", {"learning_rate": 0.01}, 3),
    "adamax_betas": ("Adamax", {"learning_rate": 0.05, "beta_1": 0.5, "beta_2": 0.9, "epsilon": 1e-3}, 3),
    "lion": ("Lion", {"learning_rate": 0.01}, 3),
    "lion_betas": ("Lion", {"learning_rate": 0.05, "beta_1": 0.5, "beta_2": 0.5, "weight_decay": 0.2}, 3),
    "ftrl": ("Ftrl", {"learning_rate": 0.1}, 3),
    "ftrl_regularized": (
        "Ftrl",
        {
            "learning_rate": 0.1,
            "learning_rate_power": -0.7,
            "initial_accumulator_value": 0.5,
            "l1_regularization_strength": 0.01,
            "l2_regularization_strength": 0.05,
            "l2_shrinkage_regularization_strength": 0.02,
            "beta": 0.3,
        },
        3,
    ),
    "adafactor": ("Adafactor", {"learning_rate": 0.1}, 3),
    "adafactor_options": (
        "Adafactor",
        {"learning_rate": 0.5, "beta_2_decay": -0.5, "epsilon_1": 1e-10, "epsilon_2": 0.01, "clip_threshold": 0.5},
        3,
    ),
    "lamb": ("Lamb", {"learning_rate": 0.01}, 3),
    "lamb_betas_decay": (
        "Lamb",
        {"learning_rate": 0.05, "beta_1": 0.5, "beta_2": 0.9, "epsilon": 1e-3, "weight_decay": 0.1},
        3,
    ),
    "muon": ("Muon", {"learning_rate": 0.01}, 3),
    "muon_options": (
        "Muon",
        {
            "learning_rate": 0.05,
            "momentum": 0.8,
            "nesterov": False,
            "ns_steps": 3,
            "rms_rate": None,
            "adam_lr_ratio": 0.5,
            "weight_decay": 0.1,
            "adam_weight_decay": 0.01,
        },
        3,
    ),
    "schedule_free_adamw": ("ScheduleFreeAdamW", {"learning_rate": 0.01}, 3),
    "schedule_free_adamw_warmup": (
        "ScheduleFreeAdamW",
        {"learning_rate": 0.05, "beta_1": 0.8, "beta_2": 0.9, "warmup_steps": 2, "weight_decay": 0.1},
        3,
    ),
    "sgd_ema": ("SGD", {"learning_rate": 0.1, "momentum": 0.9, "use_ema": True, "ema_momentum": 0.5}, 3),
    "adam_ema_overwrite": (
        "Adam",
        {"learning_rate": 0.01, "use_ema": True, "ema_momentum": 0.9, "ema_overwrite_frequency": 2},
        5,
    ),
    "adam_accumulation": ("Adam", {"learning_rate": 0.01, "gradient_accumulation_steps": 2}, 6),
    "sgd_accumulation_ema": (
        "SGD",
        {"learning_rate": 0.1, "momentum": 0.5, "gradient_accumulation_steps": 2, "use_ema": True},
        5,
    ),
    "nadam_accumulation": ("Nadam", {"learning_rate": 0.01, "gradient_accumulation_steps": 3}, 6),
    "lamb_schedule_clipnorm": (
        "Lamb",
        {"learning_rate": ("InverseTimeDecay", (0.05, 2, 0.5)), "clipnorm": 0.5},
        4,
    ),
}


def _schedule(library, kwargs):
    kwargs = dict(kwargs)
    if isinstance(kwargs.get("learning_rate"), tuple):
        name, args = kwargs["learning_rate"]
        kwargs["learning_rate"] = getattr(library.optimizers.schedules, name)(*args)
    return kwargs


def keras_optimizer_class(keras, name):
    """Keras's class, except ScheduleFreeAdamW: Keras 3.15 on torch reads the updated ``z`` where the
    algorithm (and Keras on JAX/TensorFlow) reads the previous one, so the reference copies it first."""
    cls = getattr(keras.optimizers, name)
    if name != "ScheduleFreeAdamW":
        return cls
    from keras.src import ops as kops

    class ScheduleFreeAdamWPreviousZ(cls):
        def update_step(self, gradient, variable, learning_rate):
            index = self._get_variable_index(variable)
            z = self._momentums[index]
            previous = kops.copy(z)
            dtype = variable.dtype
            lr, gradient = kops.cast(learning_rate, dtype), kops.cast(gradient, dtype)
            t = kops.cast(self.iterations + 1, dtype)
            if self.warmup_steps > 0:
                lr = lr * kops.minimum(t / kops.cast(self.warmup_steps, dtype), 1.0)
            beta_1, beta_2 = kops.cast(self.beta_1, dtype), kops.cast(self.beta_2, dtype)
            v = self._velocities[index]
            self.assign_add(v, kops.multiply(kops.subtract(kops.square(gradient), v), 1 - beta_2))
            denominator = kops.add(kops.sqrt(v / (1 - kops.power(beta_2, t))), kops.cast(self.epsilon, dtype))
            self.assign_sub(z, kops.divide(kops.multiply(lr, gradient), denominator))
            weight = 1.0 / t
            x = kops.divide(kops.subtract(variable, kops.multiply(1 - beta_1, previous)), beta_1)
            x = kops.add(kops.multiply(1 - weight, x), kops.multiply(weight, z))
            self.assign(variable, kops.add(kops.multiply(1 - beta_1, z), kops.multiply(beta_1, x)))

    return ScheduleFreeAdamWPreviousZ


def run(library, case):
    """Apply the case's steps with ``library`` (kerasette or keras).

    Returns:
        (final variables as numpy arrays, optimizer variables as numpy arrays, iterations).
    """
    cls_name, kwargs, steps = CASES[case]
    kwargs = _schedule(library, kwargs)
    is_keras = library.__name__ == "keras"
    if is_keras:
        optimizer = keras_optimizer_class(library, cls_name)(**kwargs)
        make = library.Variable
        tensor = library.ops.convert_to_tensor

        def to_numpy(x):
            return np.asarray(library.ops.convert_to_numpy(x))
    else:
        from kerasette import ops

        optimizer = getattr(library.optimizers, cls_name)(**kwargs)
        make = ops.Variable
        tensor = ops.convert_to_tensor

        def to_numpy(x):
            return x.numpy()

    variables = [make(np.array(v, "float32"), name=n) for v, n in ((V1, "v1"), (V2, "v2"), (V3, "v3"))]
    for step in range(steps):
        grads = [tensor(np.array(g[step % 3], "float32")) for g in (G1, G2, G3)]
        optimizer.apply(grads, variables)
    iterations = int(to_numpy(optimizer.iterations))
    return [to_numpy(v) for v in variables], [to_numpy(v) for v in optimizer.variables], iterations
