"""Issue 12 item 1: a load that fails anywhere (the optimizer section included) changes nothing."""

import zipfile

import h5py
import numpy as np
import pytest

import kerasette as ks
from kerasette.saving import InvalidFileError

FORMATS = ["w.weights.h5", "m.h5", "m.keras"]


def make_model(seed, steps):
    ks.utils.set_random_seed(seed)
    model = ks.Sequential([ks.Input((4,)), ks.layers.Dense(3, name="dense"), ks.layers.BatchNormalization(name="bn"),
                           ks.layers.Dense(2, name="out")], name="small")
    model.compile(optimizer=ks.optimizers.Adam(0.01), loss="mse")
    if steps:
        rng = np.random.default_rng(seed)
        model.fit(rng.normal(size=(4 * steps, 4)).astype("float32"), rng.normal(size=(4 * steps, 2)).astype("float32"),
                  batch_size=4, epochs=1, verbose=0)
    return model


def save(model, path):
    if path.name.endswith(".weights.h5"):
        model.save_weights(path)
    else:
        model.save(path)


def snapshot(model):
    optimizer = model.optimizer
    return ([w.numpy().copy() for w in model.weights], optimizer.built,
            [v.numpy().copy() for v in optimizer.variables])


def assert_same(model, before):
    weights, built, variables = before
    for a, b in zip(weights, model.weights):
        np.testing.assert_array_equal(a, b.numpy())
    assert model.optimizer.built == built
    assert len(model.optimizer.variables) == len(variables)
    for a, b in zip(variables, model.optimizer.variables):
        np.testing.assert_array_equal(a, b.numpy())


def edit_h5(path, edit):
    """Apply ``edit(h5file, optimizer_group, dataset_names)`` to a weights file, a .h5 model or a .keras member."""
    if path.name.endswith(".keras"):
        with zipfile.ZipFile(path) as archive:
            members = {name: archive.read(name) for name in archive.namelist()}
        inner = path.with_name("inner.h5")
        inner.write_bytes(members["model.weights.h5"])
        edit_h5(inner, edit)
        members["model.weights.h5"] = inner.read_bytes()
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in members.items():
                archive.writestr(name, data)
        return
    with h5py.File(path, "r+") as f:
        if "optimizer_weights" in f:
            group = f["optimizer_weights"]
            names = [n.decode() if isinstance(n, bytes) else n for n in group.attrs["weight_names"]]
        else:
            group = f["optimizer/vars"]
            names = sorted(group, key=int)
        edit(f, group, names)


def negative_iteration(f, group, names):
    del group[names[0]]
    group[names[0]] = np.int64(-5)


def fractional_iteration(f, group, names):
    del group[names[0]]
    group[names[0]] = np.float64(2.5)


def soft_link_slot(f, group, names):
    del group[names[-1]]
    group[names[-1]] = h5py.SoftLink(group[names[-2]].name)


def compressed_slot(f, group, names):
    """Rewrite the last slot as a gzip-compressed chunked dataset; returns the file offset of its chunk."""
    value = group[names[-1]][()]
    del group[names[-1]]
    dataset = group.create_dataset(names[-1], data=value, chunks=value.shape, compression="gzip")
    f.attrs["fuzz_chunk_offset"] = dataset.id.get_chunk_info(0).byte_offset


CORRUPTIONS = [negative_iteration, fractional_iteration, soft_link_slot]


@pytest.mark.parametrize("filename", FORMATS)
@pytest.mark.parametrize("corrupt", CORRUPTIONS, ids=lambda f: f.__name__)
def test_corrupt_optimizer_section_changes_nothing(tmp_path, filename, corrupt):
    path = tmp_path / filename
    save(make_model(1, steps=2), path)
    edit_h5(path, corrupt)
    target = make_model(2, steps=1)  # trained: its optimizer holds state of its own
    before = snapshot(target)
    with pytest.raises(InvalidFileError) as info:
        target.load_weights(path)
    assert filename in str(info.value)
    assert_same(target, before)
    if filename != "w.weights.h5":
        with pytest.raises(InvalidFileError, match=filename):
            ks.models.load_model(path)


@pytest.mark.parametrize("filename", ["w.weights.h5", "m.h5"])
def test_unreadable_optimizer_data_changes_nothing(tmp_path, filename):
    path = tmp_path / filename
    save(make_model(1, steps=2), path)
    edit_h5(path, compressed_slot)
    with h5py.File(path, "r") as f:
        offset = int(f.attrs["fuzz_chunk_offset"])
    data = bytearray(path.read_bytes())
    data[offset:offset + 8] = b"\xff" * 8  # damage the compressed chunk: HDF5 fails while inflating it
    path.write_bytes(bytes(data))
    target = make_model(2, steps=1)
    before = snapshot(target)
    with pytest.raises(InvalidFileError, match="cannot read its data"):
        target.load_weights(path)
    assert_same(target, before)


@pytest.mark.parametrize("filename", FORMATS)
def test_an_optimizer_not_built_yet_stays_unbuilt_on_failure_and_is_restored_on_success(tmp_path, filename):
    source = make_model(1, steps=2)
    good, bad = tmp_path / f"good-{filename}", tmp_path / f"bad-{filename}"
    save(source, good)
    save(source, bad)
    edit_h5(bad, negative_iteration)
    target = make_model(3, steps=0)  # compiled, never trained: no optimizer slots exist yet
    before = snapshot(target)
    assert not before[1]
    with pytest.raises(InvalidFileError):
        target.load_weights(bad)
    assert_same(target, before)
    target.load_weights(good)
    assert target.optimizer.built and int(target.optimizer.iterations.numpy()) == 2
    for a, b in zip(source.optimizer.variables, target.optimizer.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    for a, b in zip(source.weights, target.weights):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_a_layer_failing_after_others_were_read_changes_nothing(tmp_path):
    path = tmp_path / "w.weights.h5"
    make_model(1, steps=1).save_weights(path)
    with h5py.File(path, "r+") as f:  # the last layer's kernel has the wrong shape
        del f["layers/dense_1/vars/0"]
        f["layers/dense_1/vars/0"] = np.ones((3, 5), "float32")
    target = make_model(2, steps=1)
    before = snapshot(target)
    with pytest.raises(InvalidFileError, match=r"Shape mismatch.*\(3, 5\)"):
        target.load_weights(path)
    assert_same(target, before)
