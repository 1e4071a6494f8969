"""The layering DESIGN.md draws: building blocks register through ``kerasette.registry``, never by
importing saving or models at module level (a function may import them lazily)."""

import ast
import pathlib

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parents[1] / "kerasette"
BUILDING_BLOCKS = ["layers", "optimizers", "losses", "metrics", "initializers", "activations.py",
                   "regularizers.py", "registry.py"]
FORBIDDEN = ("kerasette.saving", "kerasette.models")


def _modules(entry):
    path = PACKAGE / entry
    return sorted(path.rglob("*.py")) if path.is_dir() else [path]


def _module_level_imports(path):
    """Names imported by statements that run at import time (not inside a function or class body)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = []
    stack = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
            names += [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, (ast.If, ast.Try, ast.With)):
            for field in ("body", "orelse", "finalbody", "handlers"):
                stack += getattr(node, field, [])
        elif isinstance(node, ast.ExceptHandler):
            stack += node.body
    return names


@pytest.mark.parametrize("entry", BUILDING_BLOCKS)
def test_building_blocks_do_not_import_saving_or_models_at_module_level(entry):
    offenders = []
    for path in _modules(entry):
        for name in _module_level_imports(path):
            if name.startswith(FORBIDDEN) or name in ("kerasette.saving", "kerasette.models"):
                offenders.append(f"{path.relative_to(PACKAGE.parent)} imports {name}")
    assert offenders == []


def test_the_checker_sees_a_module_level_import(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("import os\ntry:\n    from kerasette.saving import saving_api\nexcept ImportError:\n    pass\n"
                      "def f():\n    from kerasette.models import Model\n")
    names = _module_level_imports(module)
    assert "kerasette.saving.saving_api" in names
    assert not any(name.startswith("kerasette.models") for name in names)
