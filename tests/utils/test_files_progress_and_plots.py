"""get_file (cache, hashes, offline error, safe extraction), Progbar, interactive logging, plot_model, Config."""

import hashlib
import io
import logging
import os
import pathlib
import tarfile
import zipfile

import numpy as np
import pytest

import kerasette as ks
from kerasette import utils
from kerasette.utils import file_utils, io_utils, model_visualization

os.environ.setdefault("KERAS_BACKEND", "torch")


def serve(tmp_path, name="data.bin", content=b"kerasette bytes"):
    source = tmp_path / "server" / name
    source.parent.mkdir(exist_ok=True)
    source.write_bytes(content)
    return source.as_uri(), hashlib.sha256(content).hexdigest(), hashlib.md5(content).hexdigest()


def test_download_once_into_the_cache_with_hash_checks(tmp_path, capsys):
    url, sha256, md5 = serve(tmp_path)
    cache = tmp_path / "cache"
    path = utils.get_file(origin=url, file_hash=sha256, cache_dir=str(cache))
    assert path == str(cache / "datasets" / "data.bin") and pathlib.Path(path).read_bytes() == b"kerasette bytes"
    assert "Downloading data from" in capsys.readouterr().out
    os.remove(tmp_path / "server" / "data.bin")  # the cached copy is used from now on
    assert utils.get_file("data.bin", url, md5_hash=md5, cache_dir=str(cache)) == path
    assert utils.get_file("data.bin", url, cache_subdir="datasets", cache_dir=str(cache)) == path
    assert os.listdir(cache / "datasets") == ["data.bin"]  # no partial files left


def test_hash_mismatch_keeps_nothing(tmp_path):
    url, _, _ = serve(tmp_path)
    with pytest.raises(ValueError, match="hash does not match"):
        utils.get_file(origin=url, file_hash="0" * 64, cache_dir=str(tmp_path / "cache"))
    assert os.listdir(tmp_path / "cache" / "datasets") == []


def test_a_stale_cached_copy_is_downloaded_again(tmp_path, capsys):
    url, sha256, _ = serve(tmp_path)
    target = tmp_path / "cache" / "datasets" / "data.bin"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"old")
    utils.get_file(origin=url, file_hash=sha256, cache_dir=str(tmp_path / "cache"))
    assert target.read_bytes() == b"kerasette bytes" and "does not match" in capsys.readouterr().out


def test_offline_error_names_the_url_and_where_to_put_the_file(tmp_path):
    url = "http://127.0.0.1:9/weights.h5"  # the discard port: the connection is refused at once
    with pytest.raises(OSError) as error:
        utils.get_file(origin=url, file_hash="a" * 64, cache_dir=str(tmp_path))
    message = str(error.value)
    assert url in message and str(tmp_path / "datasets" / "weights.h5") in message and "sha256" in message
    assert os.listdir(tmp_path / "datasets") == []


def test_argument_errors():
    with pytest.raises(ValueError, match="origin"):
        utils.get_file("x")
    with pytest.raises(ValueError, match="Paths are not accepted"):
        utils.get_file(os.path.join("a", "b"), origin="file:///x")
    with pytest.raises(ValueError, match="`hash_algorithm`"):
        file_utils.validate_file(__file__, "abc", algorithm="sha1")


def make_tar(path, members):
    with tarfile.open(path, "w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))


def test_extract_tar_and_zip(tmp_path):
    make_tar(tmp_path / "server.tar.gz", {"pack/a.txt": b"A"})
    url = (tmp_path / "server.tar.gz").as_uri()
    folder = utils.get_file("pack.tar.gz", url, extract=True, cache_dir=str(tmp_path / "cache"))
    assert folder.endswith("pack_extracted") and pathlib.Path(folder, "pack", "a.txt").read_text() == "A"
    with zipfile.ZipFile(tmp_path / "z.zip", "w") as archive:
        archive.writestr("inner/b.txt", "B")
    folder = utils.get_file("z.zip", (tmp_path / "z.zip").as_uri(), extract=True, cache_dir=str(tmp_path / "cache"))
    assert pathlib.Path(folder, "inner", "b.txt").read_text() == "B"


def test_extraction_refuses_escaping_members_and_links(tmp_path):
    make_tar(tmp_path / "evil.tar.gz", {"../outside.txt": b"x"})
    with pytest.raises(ValueError, match="outside"):
        file_utils.extract_archive(str(tmp_path / "evil.tar.gz"), str(tmp_path / "out"))
    with tarfile.open(tmp_path / "link.tar", "w") as archive:
        info = tarfile.TarInfo("link")
        info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
        archive.addfile(info)
    with pytest.raises(ValueError, match="link"):
        file_utils.extract_archive(str(tmp_path / "link.tar"), str(tmp_path / "out"))
    assert not (tmp_path / "outside.txt").exists() and not (tmp_path / "out").exists()


def test_progbar_averages_like_keras(capsys):
    keras = pytest.importorskip("keras")
    lines = []
    for library in (utils, keras.utils):
        bar = library.Progbar(4, verbose=2, stateful_metrics=["acc"])
        for step in range(1, 4):
            bar.update(step, values=[("loss", float(step)), ("acc", 0.25 * step)])
        bar.add(1, values=[("loss", 8.0), ("acc", 1.0)])
        lines.append(capsys.readouterr().out.strip().split(" - ")[-2:])
    assert lines[0] == lines[1] == ["loss: 8.0000", "acc: 1.0000"]
    bar = utils.Progbar(10, verbose=0)
    bar.update(2, values=[("loss", 1.0)])
    bar.update(4, values=[("loss", 4.0)])
    assert bar.average("loss") == 2.5  # weighted by the steps each value covers
    with pytest.raises(ValueError, match="Only one"):
        utils.Progbar(3, stateful_metrics=["a"], stateless_metrics=["b"])


def test_progbar_verbose_1_redraws_and_unknown_target(capsys):
    bar = utils.Progbar(None, width=10)
    bar.update(3, values=[("loss", 0.5)])
    bar.update(5, values=[("loss", 0.5)], finalize=True)
    out = capsys.readouterr().out
    assert "5/Unknown" in out and "loss: 0.5000" in out and out.endswith("\n")
    bar = utils.Progbar(4, width=8, interval=0)
    bar.update(2)
    assert "2/4 [====....]" in capsys.readouterr().out


def test_interactive_logging_switches_to_the_logger(capsys, caplog):
    assert utils.is_interactive_logging_enabled() and ks.config.is_interactive_logging_enabled()
    ks.config.disable_interactive_logging()
    try:
        with caplog.at_level(logging.INFO, logger="kerasette"):
            bar = utils.Progbar(2, verbose=2)
            bar.update(2, values=[("loss", 1.0)])
            io_utils.print_msg("hello")
        assert capsys.readouterr().out == ""
        assert any("loss: 1.0000" in r.message for r in caplog.records) and "hello" in caplog.messages
    finally:
        utils.enable_interactive_logging()
    io_utils.print_msg("back")
    assert capsys.readouterr().out == "back\n"


def small_model():
    inputs = ks.Input((3,), name="x")
    return ks.Model(inputs, ks.layers.Dense(2, name="out")(inputs))


def test_plot_model_without_graphviz_writes_the_dot_file_and_says_how_to_render(tmp_path, monkeypatch):
    monkeypatch.setattr(model_visualization.shutil, "which", lambda name: None)
    with pytest.warns(UserWarning, match="dot -Tpng") as record:
        written = utils.plot_model(small_model(), to_file=str(tmp_path / "model.png"), show_shapes=True)
    assert written == str(tmp_path / "model.dot") and not (tmp_path / "model.png").exists()
    assert str(tmp_path / "model.dot") in str(record[0].message)
    source = pathlib.Path(written).read_text()
    assert source.startswith('digraph "') and "(None, 2)" in source and "->" in source


def test_plot_model_arguments():
    model = small_model()
    source = utils.model_to_dot(model, rankdir="LR", splines="line", subgraph=True)
    assert source.startswith('subgraph "cluster_') and "rankdir=LR" in source and 'splines="line"' in source
    with pytest.raises(ValueError, match="layer_range"):
        utils.model_to_dot(model, layer_range=["x", "out"])
    with pytest.raises(ValueError, match="Unrecognized"):
        utils.plot_model(model, to_file="x.dot", colour="red")
    outer_in = ks.Input((3,))
    outer = ks.Model(outer_in, model(outer_in))
    with pytest.warns(UserWarning, match="expand_nested"):
        utils.model_to_dot(outer, expand_nested=True)


def test_config_container_equals_keras_behaviour():
    keras = pytest.importorskip("keras")
    for library in (utils, keras.utils):
        config = library.Config(learning_rate=0.1)
        config.momentum = 0.9
        config["seed"] = 3
        assert (config.seed, config["momentum"], len(config), "seed" in config) == (3, 0.9, 3, True)
        assert list(config) == ["learning_rate", "momentum", "seed"] and config.as_dict()["seed"] == 3
        assert config.to_json() == '{"learning_rate": 0.1, "momentum": 0.9, "seed": 3}'
        with pytest.raises(AttributeError, match="Did you mean 'seed'"):
            config.sed  # noqa: B018
        config.freeze()
        with pytest.raises(ValueError, match="frozen"):
            config.seed = 4
        with pytest.raises(ValueError, match="frozen"):
            del config["seed"]
        config.unfreeze()
        assert config.pop("seed") == 3 and config.get("seed", "none") == "none"
    assert np.isclose(utils.Config(a=1.0).a, 1.0)
