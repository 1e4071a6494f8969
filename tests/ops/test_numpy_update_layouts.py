"""The numpy backend's fused optimizer updates change every variable in place, whatever its memory layout.

Large C-contiguous variables are updated in flat blocks over the thread pool; any other layout (here a
transposed array, as ``Variable(w.T)`` keeps it) must be updated whole, with the same numbers."""

import numpy as np
import pytest

from kerasette import backends, ops, optimizers


@pytest.mark.parametrize("optimizer_class", [optimizers.Adam, optimizers.RMSprop])
def test_a_large_transposed_variable_is_updated_like_a_contiguous_one(optimizer_class, monkeypatch):
    monkeypatch.setattr(backends, "_active", backends.load_backend("numpy"))
    rng = np.random.default_rng(0)
    value = rng.standard_normal((300, 400)).astype(np.float32)  # 120,000 elements: more than one block
    grads = [rng.standard_normal((400, 300)).astype(np.float32) for _ in range(2)]
    start, results = value.T.copy(), []
    for c_contiguous, initial in ((True, np.ascontiguousarray(value.T)), (False, value.T)):
        variable = ops.Variable(initial, name="w")
        assert variable.data.flags.c_contiguous == c_contiguous
        optimizer = optimizer_class(learning_rate=0.01)
        for grad in grads:
            optimizer.apply([ops.convert_to_tensor(grad)], [variable])
        results.append(variable.numpy())
    assert not np.array_equal(results[0], start)  # the updates did something
    np.testing.assert_array_equal(results[1], results[0])
