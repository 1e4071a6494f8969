"""Every backend provides every primitive; selection by call, environment and config file."""

import importlib
import json
import sys
import types

import pytest

from kerasette import backends

PRIMITIVES = backends.interface.PRIMITIVES


@pytest.fixture
def fresh_selection(monkeypatch, tmp_path):
    """No backend chosen yet, an empty home directory and no KERASETTE_BACKEND."""
    monkeypatch.setattr(backends, "_active", None)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("KERASETTE_BACKEND", raising=False)
    return tmp_path


def write_config(home, content):
    folder = home / ".kerasette"
    folder.mkdir(exist_ok=True)
    (folder / "kerasette.json").write_text(content, encoding="utf-8")


@pytest.mark.parametrize("name", backends.available_backends())
def test_backend_defines_every_primitive(name):
    try:
        module = backends.load_backend(name)
    except ImportError as error:
        pytest.skip(f"backend {name!r} is not available here: {error}")
    missing = [p for p in PRIMITIVES if not callable(getattr(module, p, None))]
    assert missing == []


def test_primitive_names_are_documented():
    assert len(PRIMITIVES) > 50
    for name, signature in PRIMITIVES.items():
        assert signature.startswith(name + "("), name


def test_numpy_is_the_default(fresh_selection):
    assert backends.current() is importlib.import_module("kerasette.backends.numpy")
    assert backends.backend() == "numpy"


def test_unknown_backend_is_a_clear_value_error(fresh_selection):
    with pytest.raises(ValueError, match=r"Unknown backend 'nope' \(from set_backend\)\. Expected one of"):
        backends.set_backend("nope")
    assert backends._active is None  # a failed selection changes nothing


def test_environment_variable_is_honoured(fresh_selection, monkeypatch):
    monkeypatch.setenv("KERASETTE_BACKEND", "numpy")
    assert backends.backend() == "numpy"
    monkeypatch.setattr(backends, "_active", None)
    monkeypatch.setenv("KERASETTE_BACKEND", "nope")
    with pytest.raises(ValueError, match="KERASETTE_BACKEND"):
        backends.current()


def test_config_file_is_honoured(fresh_selection):
    write_config(fresh_selection, json.dumps({"backend": "nope"}))
    with pytest.raises(ValueError, match="kerasette.json"):
        backends.current()
    write_config(fresh_selection, json.dumps({"backend": "numpy"}))
    assert backends.backend() == "numpy"


def test_environment_variable_wins_over_config_file(fresh_selection, monkeypatch):
    write_config(fresh_selection, json.dumps({"backend": "nope"}))
    monkeypatch.setenv("KERASETTE_BACKEND", "numpy")
    assert backends.backend() == "numpy"


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", json.dumps({"other": 1})])
def test_unreadable_config_falls_back_to_numpy(fresh_selection, content):
    write_config(fresh_selection, content)
    assert backends.backend() == "numpy"


def test_selection_writes_no_files(fresh_selection):
    backends.current()
    assert list(fresh_selection.iterdir()) == []


def test_opencl_without_its_packages_names_the_extra(fresh_selection):
    try:
        backends.load_backend("opencl")
    except ImportError as error:
        assert 'pip install "kerasette[opencl]"' in str(error)
        assert "opencl" in str(error)
    else:
        pytest.skip("the opencl backend imports here")


def test_missing_driver_package_names_the_extra(fresh_selection, monkeypatch):
    real_import = importlib.import_module

    def import_module(name, *args):
        if name == "kerasette.backends.opencl":
            raise ModuleNotFoundError("No module named 'pyopencl'", name="pyopencl")
        return real_import(name, *args)

    monkeypatch.setattr(importlib, "import_module", import_module)
    with pytest.raises(ImportError) as info:
        backends.set_backend("opencl")
    message = str(info.value)
    assert "pyopencl" in message and 'pip install "kerasette[opencl]"' in message
    assert backends._active is None


def test_a_backend_missing_primitives_is_refused(fresh_selection, monkeypatch):
    partial = types.ModuleType("kerasette_partial_backend")
    partial.asarray = lambda value, dtype=None: value
    monkeypatch.setitem(sys.modules, "kerasette_partial_backend", partial)
    monkeypatch.setitem(backends._MODULES, "partial", "kerasette_partial_backend")
    with pytest.raises(ImportError, match="does not define the primitives") as info:
        backends.load_backend("partial")
    assert "'to_numpy'" in str(info.value) and "'asarray'" not in str(info.value)
