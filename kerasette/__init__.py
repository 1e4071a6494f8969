"""kerasette: a small Keras-compatible deep-learning library.

``import kerasette as keras`` gives the names a Keras script uses:
``keras.Sequential``, ``keras.Input``, ``keras.layers``, ``keras.datasets``...
"""

__version__ = "0.1.0"

from kerasette import (  # noqa: E402
    activations,
    applications,
    backend,
    backends,
    callbacks,
    config,
    constraints,
    datasets,
    dtype_policies,
    export,
    initializers,
    layers,
    losses,
    metrics,
    mixed_precision,
    models,
    ops,
    optimizers,
    pruning,
    random,
    regularizers,
    saving,
    tree,
    utils,
)
from kerasette.dtype_policies import DTypePolicy, FloatDTypePolicy  # noqa: E402
from kerasette.function import Function  # noqa: E402
from kerasette.initializers import Initializer  # noqa: E402
from kerasette.layers import Input, InputLayer, Layer  # noqa: E402
from kerasette.layers.input_spec import InputSpec  # noqa: E402
from kerasette.layers.node import KerasTensor  # noqa: E402
from kerasette.losses import Loss  # noqa: E402
from kerasette.metrics import Metric  # noqa: E402
from kerasette.models import Model, Sequential  # noqa: E402
from kerasette.operation import Operation  # noqa: E402
from kerasette.ops import GradientTape, Variable  # noqa: E402  (GradientTape: kerasette's tape, for train_step)
from kerasette.ops.stateless import StatelessScope  # noqa: E402
from kerasette.ops.symbolic_scope import SymbolicScope  # noqa: E402
from kerasette.optimizers import Optimizer  # noqa: E402
from kerasette.quantizers import Quantizer  # noqa: E402
from kerasette.regularizers import Regularizer  # noqa: E402
from kerasette.scopes import RematScope, device, name_scope, remat  # noqa: E402


def version():
    """The installed kerasette version, as ``keras.version()`` gives Keras's.

    Returns:
        The version string, e.g. ``"0.1.0"``.
    """
    return __version__


__all__ = [
    "GradientTape", "Input", "InputLayer", "Layer", "Model", "Sequential", "Variable", "activations", "applications",
    "backends",
    "callbacks", "constraints",
    "datasets", "export", "initializers", "layers", "losses", "metrics", "models", "ops", "optimizers", "regularizers",
    "utils",
    "backend", "config", "random", "saving", "Initializer", "InputSpec", "KerasTensor", "Loss", "Metric", "Optimizer",
    "Regularizer", "RematScope", "device", "name_scope", "remat", "version",
    "DTypePolicy", "FloatDTypePolicy", "Function", "Operation", "dtype_policies",
    "mixed_precision", "tree", "Quantizer", "StatelessScope", "SymbolicScope",
    "pruning",
]
