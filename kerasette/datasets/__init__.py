"""Datasets in Keras's layout: ``(x_train, y_train), (x_test, y_test)`` numpy arrays."""

from kerasette.datasets import fashion_mnist, mnist  # noqa: F401
