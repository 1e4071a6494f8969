"""kerasette: a small Keras-compatible deep-learning library."""

__version__ = "0.1.0"
