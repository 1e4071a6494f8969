"""The Horovod-style example on real Fashion-MNIST: 2 ranks over TCP on loopback reach the single-process accuracy."""

import json
import os
import subprocess
import sys

import mpi_launch
import pytest

pytestmark = pytest.mark.slow
EXAMPLE = os.path.join(mpi_launch.ROOT, "examples", "mpi_fashion_mnist.py")
ARGS = ["--epochs", "2", "--limit", "12000"]


def _result(stdout):
    return json.loads(next(line for line in stdout.splitlines() if line.startswith("RESULT "))[len("RESULT "):])


def test_two_ranks_over_tcp_reach_the_single_process_test_accuracy(tmp_path):
    single = subprocess.run([sys.executable, EXAMPLE, *ARGS], capture_output=True, text=True, timeout=300,
                            env=mpi_launch.environment(), stdin=subprocess.DEVNULL)
    assert single.returncode == 0, single.stderr[-3000:]
    proc, _ = mpi_launch.run(2, EXAMPLE, *ARGS, "--checkpoint-dir", tmp_path, mca=[("btl", "tcp,self")], timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    one, two = _result(single.stdout), _result(proc.stdout)
    assert two["size"] == 2 and one["size"] == 1
    assert one["accuracy"] > 0.78 and two["accuracy"] > 0.78
    assert abs(one["accuracy"] - two["accuracy"]) < 0.025  # seed to seed, runs differ by about 0.01
    assert proc.stdout.count("RESULT ") == 1  # rank 0 alone reports (and prints the progress)
    assert sorted(os.listdir(tmp_path)) == ["checkpoint-1.weights.h5", "checkpoint-2.weights.h5"]
