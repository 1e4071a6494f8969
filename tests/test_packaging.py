"""The wheel must contain every sub-package (pyproject lists them by hand for the package-dir mapping)."""

import os

import pytest

tomllib = pytest.importorskip("tomllib")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCES = {"kerasette": "kerasette", "kerasette.backends": "backends", "kerasette.applications": "applications"}


def packages_on_disk():
    found = set()
    for package, folder in SOURCES.items():
        for dirpath, _, files in os.walk(os.path.join(ROOT, folder)):
            if "__init__.py" in files:
                relative = os.path.relpath(dirpath, os.path.join(ROOT, folder))
                name = package if relative == "." else package + "." + relative.replace(os.sep, ".")
                found.add(name)
    return found


def test_pyproject_lists_every_package():
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
        listed = set(tomllib.load(f)["tool"]["setuptools"]["packages"])
    assert packages_on_disk() - listed == set(), "add these to [tool.setuptools] packages"
