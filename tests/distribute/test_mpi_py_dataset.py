"""Data-parallel fit on a PyDataset under real ``mpiexec`` jobs (2, 3 and 4 ranks, loopback only).

The dataset has 15 batches of 8, 7 or 6 samples: uneven on 2 ranks (the last step holds one batch) and on 4
(three), even on 3. Rank ``r`` reads batches ``r``, ``n + r``, ... of each epoch, every rank runs
``ceil(15 / n)`` steps (those left without a batch in the last step train on a zero-weighted placeholder), and
the final weights equal one process trained on the same global batches (the ``n`` batches of a step laid end
to end): the ranks' gradients are weighted by their batches' sample counts.
"""

import json

import mpi_launch
import numpy as np
import pytest
from backend_loading import load_or_skip

BATCHES, EPOCHS = 15, 3


def _run(tmp_path, ranks, mode, *extra, env=None):
    out = tmp_path / "result.npz"
    proc, _ = mpi_launch.run(ranks, "train_py_dataset.py", out, mode, *extra, timeout=120, env=env)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    archive = np.load(out)
    return archive, json.loads(str(archive["info"]))


def _weights(archive, who):
    count = len([k for k in archive.files if k.startswith("ref/")])
    return [archive[f"{who}/{i}"] for i in range(count)]


def _check_equivalence(archive, info, ranks):
    steps = -(-BATCHES // ranks)
    for rank, record in enumerate(info):
        assert record["steps"] == [steps] * EPOCHS  # the same number of steps on every rank
        assert record["epoch_ends"] == EPOCHS  # on_epoch_end ran on every rank
        assert record["not_sharded"] == []  # no "read whole by every rank" warning for a PyDataset
        for keys in record["fetched"]:  # rank r reads batches r, n + r, ...; a placeholder past the end
            assert keys == [k if k < BATCHES else ranks * (steps - 1) for k in range(rank, ranks * steps, ranks)]
    reference = _weights(archive, "ref")
    for got, want in zip(_weights(archive, "rank0"), reference):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    # the check can fail: one process on the batches one by one ends elsewhere
    assert max(float(np.max(np.abs(p - w))) for p, w in zip(_weights(archive, "plain"), reference)) > 1e-3
    for rank in range(1, ranks):  # every rank applies the same averaged gradients
        for got, want in zip(_weights(archive, f"rank{rank}"), _weights(archive, "rank0")):
            np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("ranks", [2, 3, 4])
def test_fit_on_a_py_dataset_matches_one_process_on_the_same_global_batches(tmp_path, ranks):
    archive, info = _run(tmp_path, ranks, "equivalence")
    assert str(archive["backend"]) == "numpy"
    _check_equivalence(archive, info, ranks)


def test_fit_on_a_py_dataset_on_the_opencl_backend(tmp_path):
    load_or_skip("opencl")
    archive, info = _run(tmp_path, 3, "equivalence", env=mpi_launch.environment(KERASETTE_BACKEND="opencl"))
    assert str(archive["backend"]) == "opencl"
    _check_equivalence(archive, info, 3)


@pytest.mark.parametrize("ranks, extra", [(2, ()), (3, ("workers",))])
def test_shuffled_epochs_deal_every_batch_once_over_the_ranks(tmp_path, ranks, extra):
    _, info = _run(tmp_path, ranks, "coverage", *extra)
    steps = -(-BATCHES // ranks)
    for epoch in range(2):
        fetched = [sorted(record["fetched"][epoch]) for record in info]
        assert all(len(keys) == steps for keys in fetched)
        every = sorted(k for keys in fetched for k in keys)
        # each batch once, plus one repeat per placeholder (the last step's first batch, weighted 0)
        assert sorted(set(every)) == list(range(BATCHES))
        assert len(every) - BATCHES == ranks * steps - BATCHES
    assert all(record["steps"] == [steps, steps] and record["epoch_ends"] == 2 for record in info)
    # shuffled: rank 0 does not read batches 0, n, 2n, ... in every epoch, nor the same ones in both
    firsts = [set(keys) for keys in info[0]["fetched"]]
    assert firsts[0] != firsts[1] or firsts[0] != set(range(0, BATCHES, ranks))


def test_ranks_holding_different_datasets_all_raise_instead_of_hanging(tmp_path):
    _, info = _run(tmp_path, 2, "mismatch")
    for record in info:
        assert "must be the same on every rank" in record["error"]
        assert "[15, 16]" in record["error"]
        assert record["steps"] == []


@pytest.mark.parametrize("mode", ["files-same", "files-mismatch"])
def test_an_image_folder_is_dealt_out_when_every_rank_lists_it_in_the_same_order(tmp_path, mode):
    pil = pytest.importorskip("PIL.Image")
    rng = np.random.default_rng(0)
    for label in ("a", "b"):
        (tmp_path / "images" / label).mkdir(parents=True)
        for i in range(11):  # 22 files in batches of 4: 6 batches, 2 steps on 4 ranks (the last: 2 placeholders)
            pil.fromarray(rng.integers(0, 256, (8, 8), dtype=np.uint8)).save(tmp_path / "images" / label / f"{i}.png")
    _, info = _run(tmp_path, 4, mode, tmp_path / "images")
    for record in info:
        if mode == "files-same":
            assert "error" not in record and record["steps"] == [2, 2] and record["not_sharded"] == []
        else:  # a seed per rank: the same files in another order on each rank, refused everywhere
            assert "pass the same `seed`" in record["error"] and record["steps"] == []
