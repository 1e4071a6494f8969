"""Real Keras 3 (torch backend) as the reference the loss, metric and layer tests compare against.

Importing this module skips the importing test module when Keras cannot be imported.
Keras's values are computed once per case and cached, so the numpy and OpenCL runs of a
test compare against the very same numbers.
"""

import os
import warnings

import numpy as np
import pytest

import kerasette as ks

os.environ.setdefault("KERAS_BACKEND", "torch")
keras = pytest.importorskip("keras")

_CACHE = {}


def numpy_of(value):
    """A Keras tensor (or variable, or array) as a numpy array."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch's __array__ without `copy` warns under numpy 2
        return np.asarray(keras.ops.convert_to_numpy(value))


def keras_value(key, compute):
    """``compute()`` run once per ``key`` with Keras's warnings silenced, as numpy."""
    if key not in _CACHE:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _CACHE[key] = numpy_of(compute())
    return _CACHE[key]


def quiet(compute):
    """``compute()`` with Keras's warnings silenced (Keras warns where kerasette raises or stays silent)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return compute()


def assert_keras_file_loads_in_kerasette(keras_model, x, path, rtol, atol):
    """Saves ``keras_model`` with Keras to ``path`` and loads it in kerasette, which must predict the same on ``x``.

    Returns the kerasette model.
    """
    quiet(lambda: keras_model.save(path))
    model = ks.models.load_model(path)
    expected = quiet(lambda: numpy_of(keras_model(x)))
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, rtol=rtol, atol=atol)
    return model


def assert_kerasette_file_loads_in_keras(model, x, path, rtol, atol):
    """Saves the kerasette ``model`` to ``path`` and loads it with Keras, which must predict the same on ``x``."""
    model.save(path)
    loaded = quiet(lambda: keras.models.load_model(path))
    np.testing.assert_allclose(quiet(lambda: numpy_of(loaded(x))), model.predict(x, verbose=0), rtol=rtol, atol=atol)
