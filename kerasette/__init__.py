"""kerasette: a small Keras-compatible deep-learning library.

``import kerasette as keras`` gives the names a Keras script uses:
``keras.Sequential``, ``keras.Input``, ``keras.layers``, ``keras.datasets``...
"""

__version__ = "0.1.0"

from kerasette import (  # noqa: E402
    activations,
    applications,
    backends,
    callbacks,
    datasets,
    initializers,
    layers,
    losses,
    metrics,
    models,
    ops,
    optimizers,
    regularizers,
    utils,
)
from kerasette.layers import Input, InputLayer, Layer  # noqa: E402
from kerasette.models import Model, Sequential  # noqa: E402
from kerasette.ops import Variable  # noqa: E402

__all__ = [
    "Input", "InputLayer", "Layer", "Model", "Sequential", "Variable", "activations", "applications", "backends",
    "callbacks",
    "datasets", "initializers", "layers", "losses", "metrics", "models", "ops", "optimizers", "regularizers",
    "utils",
]
