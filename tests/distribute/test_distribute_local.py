"""kerasette.distribute in one process, without mpiexec: sharding, the optimizer wrapper, collectives, errors.

MPI is never started here (the pytest process forks data workers elsewhere); what needs ranks runs in
test_mpi_training.py. Before ``init()`` every collective returns its input and the wrapper trains exactly
as the wrapped optimizer.
"""

import builtins
import os
import sys

import numpy as np
import pytest

import kerasette as keras
from kerasette import distribute as hvd
from kerasette import ops
from kerasette.distribute import replica
from kerasette.distribute.sharding import Sharding, split_sizes
from kerasette.models import data_adapter as da
from kerasette.models import training_hooks
from kerasette.models.data_adapters import ArrayAdapter

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from finite_differences import central_difference  # noqa: E402


# ----- sharding ----------------------------------------------------------------------------------
@pytest.mark.parametrize("count, parts, expected", [(8, 2, [4, 4]), (5, 4, [2, 1, 1, 1]), (1, 3, [1, 0, 0])])
def test_split_sizes_are_contiguous_parts_differing_by_at_most_one(count, parts, expected):
    assert split_sizes(count, parts) == expected


@pytest.mark.parametrize("size, count, batch", [(2, 29, 4), (3, 29, 4), (4, 10, 2), (3, 7, 5)])
def test_the_ranks_parts_rebuild_each_global_batch_of_the_single_process_order(size, count, batch):
    x = np.arange(count, dtype="float32").reshape(count, 1)
    adapters = []
    for rank in range(size):
        adapter = ArrayAdapter([x], [x], None, batch_size=batch, shuffle=True, seed=11)
        adapter.sharding = Sharding(rank, size)
        adapters.append(adapter)
    expected = da.batch_indices(count, batch * size, True, seed=11, epoch=3)
    assert adapters[0].num_batches == len(expected) == -(-count // (batch * size))
    parts = [adapter.epoch_indices(3) for adapter in adapters]
    for step, whole in enumerate(expected):
        shares = [adapter.sharding.share(step) for adapter in adapters]
        real = [p[step] for p, s in zip(parts, shares) if s.local_count]
        np.testing.assert_array_equal(np.concatenate(real), whole)  # disjoint, in order, nothing lost
        assert [s.local_count for s in shares] == split_sizes(len(whole), size)
        assert all(s.global_count == len(whole) for s in shares)
        for p, s in zip(parts, shares):  # a rank without samples trains on one placeholder sample
            assert len(p[step]) == max(s.local_count, 1)
        assert all(s.uniform == (len(whole) % size == 0) for s in shares)


def test_an_unsharded_adapter_is_unchanged():
    adapter = ArrayAdapter([np.zeros((10, 1))], batch_size=4)
    assert adapter.num_batches == 3 and [len(i) for i in adapter.epoch_indices(0)] == [4, 4, 2]


# ----- the optimizer wrapper ------------------------------------------------------------------------
def _fit(wrap):
    keras.utils.set_random_seed(3)
    x = np.random.default_rng(0).normal(size=(40, 5)).astype("float32")
    y = (x[:, 0] > 0).astype("int64")
    model = keras.Sequential([keras.Input(shape=(5,)), keras.layers.Dense(4, activation="relu"),
                              keras.layers.Dense(2, activation="softmax")])
    optimizer = keras.optimizers.Adam(learning_rate=0.01)
    model.compile(optimizer=wrap(optimizer), loss="sparse_categorical_crossentropy")
    model.fit(x, y, batch_size=8, epochs=2, verbose=0)
    return model


def test_without_init_the_wrapper_trains_bit_identically_to_the_wrapped_optimizer():
    plain = _fit(lambda opt: opt)
    wrapped = _fit(hvd.DistributedOptimizer)
    for a, b in zip(plain.get_weights(), wrapped.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert int(wrapped.optimizer.iterations.numpy()) == 10


def test_the_wrapper_is_the_optimizers_own_class_and_saves_as_it(tmp_path):
    model = _fit(hvd.DistributedOptimizer)
    assert isinstance(model.optimizer, keras.optimizers.Adam) and type(model.optimizer).__name__ == "Adam"
    assert keras.optimizers.serialize(model.optimizer)["class_name"] == "Adam"
    path = str(tmp_path / "m.keras")
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert type(loaded.optimizer) is keras.optimizers.Adam  # loads without kerasette.distribute
    resumed = hvd.load_model(path)  # Horovod's helper: distributed again, with the saved state
    assert getattr(resumed.optimizer, "_distributed", False)
    assert int(resumed.optimizer.iterations.numpy()) == 10


def test_backward_passes_per_step_applies_the_aggregate_once():
    w = ops.Variable([1.0, 1.0], name="w")
    opt = hvd.DistributedOptimizer(keras.optimizers.SGD(learning_rate=1.0), backward_passes_per_step=2,
                                   average_aggregated_gradients=True)
    opt.apply([ops.convert_to_tensor([1.0, 2.0])], [w])
    assert w.numpy().tolist() == [1.0, 1.0]  # only aggregated
    opt.apply([ops.convert_to_tensor([3.0, 0.0])], [w])
    assert w.numpy().tolist() == [-1.0, 0.0]  # w - mean([1, 2], [3, 0])
    assert int(opt.iterations.numpy()) == 1


@pytest.mark.parametrize("kwargs, error, words", [
    ({"optimizer": "adam"}, TypeError, "Expected a kerasette optimizer"),
    ({"op": hvd.Max}, ValueError, "Average or Sum"),
    ({"op": "mean"}, ValueError, "Received: op='mean'"),
    ({"compression": "fp16"}, ValueError, "Compression.none or .fp16"),
    ({"device_dense": "/gpu:0"}, ValueError, "device_dense"),
    ({"num_groups": 2}, ValueError, "num_groups"),
    ({"process_set": 1}, TypeError, "process_set"),
    ({"backward_passes_per_step": 0}, ValueError, "backward_passes_per_step"),
    ({"gradient_predivide_factor": 0.0}, ValueError, "gradient_predivide_factor"),
    ({"op": hvd.Sum, "gradient_predivide_factor": 2.0}, ValueError, "needs op=Average"),
    ({"deterministic": 1}, TypeError, "deterministic"),
])
def test_distributed_optimizer_rejects_bad_arguments_by_name(kwargs, error, words):
    kwargs = dict({"optimizer": keras.optimizers.SGD()}, **kwargs)
    with pytest.raises(error, match=words.replace(".", r"\.").replace("(", r"\(")):
        hvd.DistributedOptimizer(**kwargs)


def test_wrapping_twice_is_refused():
    once = hvd.DistributedOptimizer(keras.optimizers.SGD())
    with pytest.raises(ValueError, match="already a DistributedOptimizer"):
        hvd.DistributedOptimizer(once)


# ----- collectives and compression ---------------------------------------------------------------
def test_collectives_of_one_process_return_the_value_in_its_kind():
    tensor = ops.convert_to_tensor([[1.0, 2.0]])
    for result in (hvd.allreduce(tensor), hvd.allgather(tensor), hvd.broadcast(tensor, 0)):
        assert ops.is_tensor(result) and result.numpy().tolist() == [[1.0, 2.0]]
    assert hvd.allreduce(np.array([3, 4]), op=hvd.Max).tolist() == [3, 4]
    assert hvd.allreduce(np.array([2.0]), prescale_factor=3.0, postscale_factor=0.5).tolist() == [3.0]
    assert hvd.allgather(np.float32(5.0)).shape == (1,)


def test_collectives_reject_bad_input():
    with pytest.raises(ValueError, match="Expected one of kerasette.distribute.Average"):
        hvd.allreduce(np.ones(2), op="max")
    with pytest.raises(TypeError, match="cast the boolean"):
        hvd.allreduce(np.array([True]))
    with pytest.raises(TypeError, match="Expected numeric data"):
        hvd.allreduce(np.array(["a"]))


def test_fp16_compression_halves_the_bytes_and_keeps_three_digits():
    values = np.array([0.1234567, -3.5, 1000.25], dtype=np.float32)
    wire = hvd.Compression.fp16.compress(values)
    assert wire.dtype == np.float16 and wire.nbytes == values.nbytes // 2
    back = hvd.Compression.fp16.decompress(wire, np.float32)
    assert back.dtype == np.float32
    np.testing.assert_allclose(back, values, rtol=1e-3)
    assert hvd.Compression.fp16.compress(np.array([1, 2])).dtype.kind == "i"  # integers are never compressed


# ----- runtime ------------------------------------------------------------------------------------
def test_rank_questions_before_init_name_init():
    assert not hvd.is_initialized()
    for question in (hvd.size, hvd.rank, hvd.local_rank, hvd.local_size):
        with pytest.raises(ValueError, match=r"needs `kerasette.distribute.init\(\)` first"):
            question()


def test_a_missing_mpi4py_names_the_extra(monkeypatch):
    real_import = builtins.__import__

    def no_mpi(name, *args, **kwargs):
        if name.startswith("mpi4py"):
            raise ImportError("No module named 'mpi4py'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_mpi)
    with pytest.raises(ImportError, match=r'pip install "kerasette\[mpi\]"'):
        hvd.init()
    assert not hvd.is_initialized()


def test_init_checks_deterministic():
    with pytest.raises(TypeError, match="deterministic"):
        hvd.init(deterministic="yes")


# ----- fit's hooks and the replica sums ----------------------------------------------------------
def test_fit_hands_its_adapter_and_callbacks_to_registered_hooks():
    seen = {}

    class Hook:
        def prepare_data(self, model, adapter):
            seen["num_batches"] = adapter.num_batches

        def prepare_callbacks(self, model, callbacks):
            seen["callbacks"] = [type(cb).__name__ for cb in callbacks]

    hook = Hook()
    training_hooks.register(hook)
    try:
        model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])
        model.compile(optimizer="sgd", loss="mse")
        model.fit(np.zeros((10, 2)), np.zeros((10, 1)), batch_size=4, verbose=0)
    finally:
        training_hooks.unregister(hook)
    assert seen == {"num_batches": 3, "callbacks": ["History"]}


def test_replica_moments_of_one_process_are_the_batch_moments_and_differentiate_like_them():
    x = np.random.default_rng(1).normal(size=(3, 2, 4)).astype("float64")
    mean, variance = replica.moments(ops.convert_to_tensor(x), (0, 1))
    np.testing.assert_allclose(mean.numpy(), x.mean(axis=(0, 1), keepdims=True), rtol=1e-12)
    np.testing.assert_allclose(variance.numpy(), x.var(axis=(0, 1), keepdims=True), rtol=1e-12)
    weights = np.arange(1.0, 5.0)

    def loss(value):
        m, v = replica.moments(value if ops.is_tensor(value) else ops.convert_to_tensor(value), (0, 1))
        return ops.sum(ops.multiply(ops.add(m, ops.sqrt(v)), weights))

    source = ops.convert_to_tensor(x)
    with ops.GradientTape() as tape:
        tape.watch(source)
        value = loss(source)
    grad = tape.gradient(value, [source])[0].numpy()
    np.testing.assert_allclose(grad, central_difference(lambda a: float(loss(a).numpy()), x.copy()), rtol=1e-6,
                               atol=1e-8)


def test_a_placeholder_share_adds_nothing_to_the_statistics():
    replica.set_share(replica.Share(0, 1, uniform=False))
    try:
        x = ops.convert_to_tensor(np.ones((1, 2), "float32"))
        with pytest.raises(ValueError, match="holds no sample"):  # one process: the placeholder is all there is
            replica.moments(x, (0,))
    finally:
        replica.set_share(None)
