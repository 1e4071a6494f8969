"""Golden values: three steps of every optimizer and option on fixed float32 data.

The expected numbers came from real Keras 3.15.1 (torch 2.13 backend, float32),
running ``optimizer.apply([g1, g2], [v1, v2])`` three times with the settings and
gradients below. Each row: (class name, constructor kwargs, v1 after 3 steps, v2 after 3 steps).
"""

import numpy as np
import pytest

from kerasette import ops, optimizers

V1 = [1.0, 2.0, -3.0]
V2 = [[0.5, -1.5], [2.5, 0.1]]
G1 = [[0.5, -1.0, 1.5], [0.1, -0.3, 2.0], [-0.2, 0.05, 0.4]]
G2 = [[[0.2, -0.4], [0.6, 0.1]], [[0.3, 0.2], [-0.5, 0.0]], [[-0.1, -0.6], [0.05, 0.9]]]

# From keras 3.15.1 (KERAS_BACKEND=torch), float32.
GOLDEN = {
    "sgd": (
        "SGD",
        {"learning_rate": 0.1},
        [0.96, 2.1249998, -3.39],
        [[0.45999998, -1.42], [2.485, 4.61936e-09]],
    ),
    "sgd_momentum": (
        "SGD",
        {"learning_rate": 0.1, "momentum": 0.9},
        [0.8655, 2.3229997, -3.8265002],
        [[0.3988, -1.3696], [2.4274, -0.017099999]],
    ),
    "sgd_nesterov": (
        "SGD",
        {"learning_rate": 0.1, "momentum": 0.9, "nesterov": True},
        [0.83895, 2.4156997, -4.13385],
        [[0.36891997, -1.30264], [2.41966, -0.10539]],
    ),
    "sgd_weight_decay": (
        "SGD",
        {"learning_rate": 0.1, "weight_decay": 0.5},
        [0.8227499, 1.8284999, -2.9374998],
        [[0.39213747, -1.2089624], [2.1317873, -0.013287495]],
    ),
    "sgd_clipnorm": (
        "SGD",
        {"learning_rate": 0.1, "clipnorm": 1.0},
        [0.9883352, 2.0632682, -3.2189512],
        [[0.459196, -1.424824], [2.485402, 0.007235913]],
    ),
    "sgd_clipvalue": (
        "SGD",
        {"learning_rate": 0.1, "clipvalue": 0.5},
        [0.96, 2.0749998, -3.1399999],
        [[0.45999998, -1.4300001], [2.495, 0.040000003]],
    ),
    "sgd_global_clipnorm": (
        "SGD",
        {"learning_rate": 0.1, "global_clipnorm": 1.0},
        [0.9874857, 2.0594933, -3.202832],
        [[0.4844099, -1.4386388], [2.4896333, 0.018568514]],
    ),
    "adam": (
        "Adam",
        {"learning_rate": 0.01},
        [0.97852635, 2.024858, -3.0285952],
        [[0.4744207, -1.4809836], [2.4889162, 0.07637957]],
    ),
    "adam_defaults": (
        "Adam",
        {},
        [0.9978526, 2.0024858, -3.0028594],
        [[0.49744207, -1.4980985], [2.4988916, 0.09763795]],
    ),
    "adam_amsgrad": (
        "Adam",
        {"learning_rate": 0.01, "amsgrad": True},
        [0.97852635, 2.024858, -3.0285952],
        [[0.4744207, -1.4809836], [2.4889162, 0.07638291]],
    ),
    "adam_weight_decay": (
        "Adam",
        {"learning_rate": 0.01, "weight_decay": 0.1},
        [0.97555745, 2.0188353, -3.0195744],
        [[0.4729521, -1.4765109], [2.4814441, 0.076106556]],
    ),
    "adam_global_clipnorm": (
        "Adam",
        {"learning_rate": 0.01, "global_clipnorm": 0.5},
        [0.98048365, 2.024503, -3.0291615],
        [[0.47598743, -1.4804177], [2.4882002, 0.0765923]],
    ),
    "rmsprop": (
        "RMSprop",
        {"learning_rate": 0.01},
        [0.97446537, 2.0394845, -3.062743],
        [[0.45065364, -1.4569503], [2.4870522, 0.036912985]],
    ),
    "rmsprop_momentum": (
        "RMSprop",
        {"learning_rate": 0.01, "momentum": 0.5},
        [0.94748664, 2.067969, -3.0993428],
        [[0.41357383, -1.4406054], [2.4737701, 0.0131970905]],
    ),
    "rmsprop_centered": (
        "RMSprop",
        {"learning_rate": 0.01, "centered": True},
        [0.97251356, 2.0418656, -3.067916],
        [[0.4465348, -1.453846], [2.4853432, 0.03317086]],
    ),
    "rmsprop_centered_momentum": (
        "RMSprop",
        {"learning_rate": 0.01, "centered": True, "momentum": 0.5},
        [0.9440193, 2.0720227, -3.1071975],
        [[0.4067524, -1.43627], [2.4707794, 0.008172248]],
    ),
    "adagrad": (
        "Adagrad",
        {"learning_rate": 0.1},
        [0.9304407, 2.1182685, -3.192894],
        [[0.40440586, -1.3842136], [2.4649503, -0.0239826]],
    ),
    "adagrad_init": (
        "Adagrad",
        {"learning_rate": 0.1, "initial_accumulator_value": 0.5, "epsilon": 0.001},
        [0.9531869, 2.1014457, -3.182627],
        [[0.44753236, -1.4164385], [2.4780362, 0.0077056214]],
    ),
    "adadelta": (
        "Adadelta",
        {"learning_rate": 1.0},
        [0.9989522, 2.0018992, -3.0034459],
        [[0.497623, -1.4977263], [2.499728, 0.096622095]],
    ),
    "adadelta_rho": (
        "Adadelta",
        {"learning_rate": 0.5, "rho": 0.5, "epsilon": 0.001, "clipvalue": 0.5},
        [0.98651654, 2.0375059, -3.0733652],
        [[0.46524498, -1.4665103], [2.4991457, 0.053209398]],
    ),
}


def _variable(value, name):
    return ops.Variable(ops.convert_to_tensor(np.array(value, "float32")).data, name=name)


def run_three_steps(cls_name, kwargs):
    optimizer = getattr(optimizers, cls_name)(**kwargs)
    v1, v2 = _variable(V1, "v1"), _variable(V2, "v2")
    for step in range(3):
        grads = [
            ops.convert_to_tensor(np.array(G1[step], "float32")),
            ops.convert_to_tensor(np.array(G2[step], "float32")),
        ]
        optimizer.apply(grads, [v1, v2])
    return optimizer, v1, v2


@pytest.mark.parametrize("case", sorted(GOLDEN))
def test_three_steps_match_keras(case):
    cls_name, kwargs, want1, want2 = GOLDEN[case]
    optimizer, v1, v2 = run_three_steps(cls_name, kwargs)
    np.testing.assert_allclose(v1.numpy(), want1, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(v2.numpy(), want2, rtol=1e-6, atol=1e-7)
    assert v1.dtype == "float32" and v2.dtype == "float32"
    assert int(optimizer.iterations.numpy()) == 3


def test_golden_cases_are_distinct():
    # Each option must change the result, or its golden row would not test it.
    finals = {case: tuple(np.round(row[2] + sum(row[3], []), 7)) for case, row in GOLDEN.items()}
    assert len(set(finals.values())) == len(finals)
