"""keras.ops names take Keras 3's argument names, so calls with keywords (``ops.add(x1=a, x2=b)``) run unchanged."""

import inspect

import numpy as np
import pytest
from keras_reference import keras

from kerasette import ops


def _parameters(fn):
    try:
        return [p.name for p in inspect.signature(fn).parameters.values()]
    except (TypeError, ValueError):
        return None


def test_every_shared_op_takes_keras_argument_names():
    differing = {}
    for name in dir(keras.ops):
        theirs, ours = getattr(keras.ops, name), getattr(ops, name, None)
        if name.startswith("_") or ours is None or inspect.isclass(theirs) or inspect.ismodule(theirs):
            continue
        keras_names, our_names = _parameters(theirs), _parameters(ours)
        if keras_names is not None and our_names is not None and keras_names != our_names:
            differing[name] = (keras_names, our_names)
    assert differing == {}


def test_keyword_calls_and_the_one_argument_where():
    a, b = ops.convert_to_tensor([1.0, -2.0]), ops.convert_to_tensor([3.0, 4.0])
    assert ops.add(x1=a, x2=b).numpy().tolist() == [4.0, 2.0]
    assert ops.matmul(x1=a, x2=b).numpy().tolist() == -5.0
    assert ops.greater(x1=a, x2=0.0).numpy().tolist() == [True, False]
    rows, cols = ops.where(ops.convert_to_tensor(np.array([[True, False], [True, True]])))
    assert rows.numpy().tolist() == [0, 1, 1] and cols.numpy().tolist() == [0, 0, 1]
    with pytest.raises(ValueError, match="takes both `x1` and `x2`, or neither"):
        ops.where(a > 0, a)


def test_tape_gradients_come_back_in_the_structure_of_the_sources():
    w, b = ops.Variable(np.array([1.0, 2.0], "float32")), ops.Variable(np.array(3.0, "float32"))
    with ops.GradientTape() as tape:
        loss = ops.add(ops.sum(ops.square(w)), b)
    assert tape.gradient(loss, w).numpy().tolist() == [2.0, 4.0]  # one tensor in, one gradient out (as TF)
    grads = tape.gradient(loss, {"w": w, "pair": (b, w)})
    assert grads["w"].numpy().tolist() == [2.0, 4.0] and float(grads["pair"][0]) == 1.0
    assert isinstance(grads["pair"], tuple)
