"""Data-parallel fit under real ``mpiexec`` jobs on this machine (2 and 4 ranks, loopback only).

Equivalence: the MLP and a CNN with ``BatchNormalization(synchronized=True)``, three shuffled epochs on data
sets whose size is not a multiple of the global batch (the last batch leaves some ranks a placeholder), end
within rtol 1e-5 of one process at batch size ``n * B``; with ``deterministic=True`` the MLP is bit-identical to
one process accumulating the same parts' gradients. Failure and stopping: an exception on one rank ends the
job; a stop decided on one rank stops all at the same point.
"""

import json

import mpi_launch
import numpy as np
import pytest
from backend_loading import load_or_skip


def _weights(archive, kind, who):
    count = len([k for k in archive.files if k.startswith(f"{kind}/ref/")])
    return [archive[f"{kind}/{who}/{i}"] for i in range(count)]


def _train(tmp_path, ranks, *args, env=None):
    out = tmp_path / "weights.npz"
    proc, _ = mpi_launch.run(ranks, "train_equivalence.py", out, *args, env=env)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return np.load(out)


@pytest.mark.parametrize("ranks", [2, 4])
def test_data_parallel_fit_matches_one_process_at_the_global_batch(tmp_path, ranks):
    _check_equivalence(_train(tmp_path, ranks), ranks, "numpy")


def test_data_parallel_fit_on_the_opencl_backend(tmp_path):
    load_or_skip("opencl")
    # both ranks on the one OpenCL device of this machine (a machine with several pins one per local rank)
    _check_equivalence(_train(tmp_path, 2, env=mpi_launch.environment(KERASETTE_BACKEND="opencl")), 2, "opencl")


def _check_equivalence(archive, ranks, backend):
    assert str(archive["backend"]) == backend
    for kind in ("mlp", "cnn"):
        reference = _weights(archive, kind, "ref")
        first = _weights(archive, kind, "rank0")
        for got, want in zip(first, reference):
            # atol only for weights near 0 (a conv kernel entry of 1e-7, say); every weight moved in training
            np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6, err_msg=kind)
        assert max(float(np.max(np.abs(g - w))) for g, w in zip(first, reference)) > 0  # a real distributed run
        for rank in range(1, ranks):  # the same allreduce result on every rank: the replicas never drift apart
            for got, want in zip(_weights(archive, kind, f"rank{rank}"), first):
                np.testing.assert_array_equal(got, want, err_msg=f"{kind}, rank {rank}")
    # The MLP's epoch losses, averaged over ranks by MetricAverageCallback, follow the single-process ones (each
    # rank's running mean weighs equally: close, not exact; the CNN's ranks also count their placeholder samples).
    np.testing.assert_allclose(archive["mlp/loss"], archive["mlp/ref_loss"], rtol=0.01)


@pytest.mark.parametrize("ranks", [2, 4])
def test_deterministic_reduction_is_bit_identical_to_accumulating_the_parts_in_one_process(tmp_path, ranks):
    archive = _train(tmp_path, ranks, "mlp", "deterministic")
    reference = _weights(archive, "mlp", "ref")
    for rank in range(ranks):
        for got, want in zip(_weights(archive, "mlp", f"rank{rank}"), reference):
            np.testing.assert_array_equal(got, want, err_msg=f"rank {rank}")


def test_an_exception_on_one_rank_ends_the_whole_job_within_seconds():
    proc, seconds = mpi_launch.run(2, "fail_at_step.py", timeout=120)
    assert proc.returncode != 0
    assert "rank 1 gives up at step 3" in proc.stderr  # the original error, with its traceback
    assert "RuntimeError" in proc.stderr
    assert seconds < 30, seconds


def test_a_stop_decided_on_one_rank_stops_every_rank_at_the_same_point():
    proc, _ = mpi_launch.run(3, "stopping.py")
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = [json.loads(line.split("RESULT ", 1)[1]) for line in proc.stdout.splitlines() if "RESULT " in line]
    assert sorted(r["rank"] for r in results) == [0, 1, 2]
    # EarlyStopping on rank 0 stops after epoch 2 of 10; ranks 1 and 2 (without it) stop in the same epoch
    assert [r["early_epochs"] for r in results] == [2, 2, 2]
    # the last rank asks to stop after batch 2: every rank has run exactly 3 batches, in 1 epoch
    assert [(r["batches"], r["epochs"]) for r in results] == [(3, 1)] * 3
