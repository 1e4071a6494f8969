"""Issue 12 item 7: a save killed mid-write leaves a temp file that the next save to the same path removes."""

import os
import subprocess
import sys

import numpy as np

import kerasette as ks
from kerasette.saving import atomic

KILLED_SAVE = r'''
import importlib.util, os, sys
spec = importlib.util.spec_from_file_location("atomic", sys.argv[2])  # stdlib only: no kerasette import needed
atomic = importlib.util.module_from_spec(spec)
spec.loader.exec_module(atomic)
with atomic.atomic_path(sys.argv[1]) as tmp:
    with open(tmp, "wb") as handle:
        handle.write(b"half a model" * 1000)
        handle.flush()
    os._exit(9)  # killed mid-write: no cleanup runs
'''


def killed_save(path):
    completed = subprocess.run([sys.executable, "-c", KILLED_SAVE, str(path), atomic.__file__], capture_output=True)
    assert completed.returncode == 9, completed.stderr


def small_model():
    return ks.Sequential([ks.Input((3,)), ks.layers.Dense(2)], name="m")


def temp_files(folder):
    return sorted(name for name in os.listdir(folder) if atomic.TEMP_MARKER in name)


def test_temp_files_are_named_after_their_destination_host_and_process(tmp_path):
    with atomic.atomic_path(tmp_path / "m.keras") as tmp:
        name = os.path.basename(tmp)
        assert name.startswith(atomic.temp_prefix(tmp_path / "m.keras"))
        assert name.startswith(".m.keras.kerasette-tmp-") and f"-{os.getpid()}-" in name
        with open(tmp, "w") as handle:
            handle.write("x")
    assert temp_files(tmp_path) == []


def test_killed_saves_do_not_pile_up(tmp_path):
    path = tmp_path / "m.keras"
    model = small_model()
    for _ in range(5):
        killed_save(path)
        assert len(temp_files(tmp_path)) == 1
        model.save(path)  # removes the dead process's temp file first
        assert temp_files(tmp_path) == []
    assert ks.models.load_model(path).count_params() == model.count_params()
    for _ in range(3):
        killed_save(path)  # each save, even one that is killed later, first removes the earlier leftovers
    assert len(temp_files(tmp_path)) == 1
    model.save_weights(tmp_path / "w.weights.h5")  # another destination leaves it alone
    assert len(temp_files(tmp_path)) == 1
    model.save(path)
    assert temp_files(tmp_path) == []


def test_temp_files_of_running_processes_and_other_hosts_are_kept(tmp_path):
    path = tmp_path / "m.h5"
    prefix = atomic.temp_prefix(path)
    live = tmp_path / f"{prefix}{os.getpid()}-abc"  # a save in progress (this process)
    other_host = tmp_path / ".m.h5.kerasette-tmp-otherhost-999999999-abc"
    unrelated = tmp_path / ".m.h5.123456789abc.tmp"
    for file in (live, other_host, unrelated):
        file.write_bytes(b"x")
    small_model().save(path)
    assert live.exists() and other_host.exists() and unrelated.exists()


def test_a_failed_save_removes_its_temp_file_and_keeps_the_old_file(tmp_path):
    path = tmp_path / "m.keras"
    model = small_model()
    model.save(path)
    before = path.read_bytes()
    model.layers[0].set_weights([np.ones((3, 2), "float32"), np.ones(2, "float32")])
    try:
        with atomic.atomic_path(path) as tmp:
            with open(tmp, "wb") as handle:
                handle.write(b"partial")
            raise RuntimeError("disk full")
    except RuntimeError:
        pass
    assert path.read_bytes() == before and temp_files(tmp_path) == []
