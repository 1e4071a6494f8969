"""Every public name of ``kerasette.ops`` carries type hints that resolve (``typing.get_type_hints``)."""

import inspect
import typing

import pytest

from kerasette import ops


def _functions():
    """(qualified name, function) for each function in ``ops.__all__`` and each public method of its classes."""
    found = []
    for name in ops.__all__:
        obj = getattr(ops, name)
        if inspect.isclass(obj):
            for attr, member in vars(obj).items():
                if attr != "__init__" and attr.startswith("_"):
                    continue
                if isinstance(member, property):
                    member = member.fget
                if inspect.isfunction(member):
                    found.append((f"{name}.{attr}", member))
        else:
            assert callable(obj), name
            found.append((name, obj))
    return found


FUNCTIONS = _functions()


def test_every_public_name_is_covered():
    covered = {qualname.split(".")[0] for qualname, _ in FUNCTIONS}
    assert covered == set(ops.__all__)


@pytest.mark.parametrize("qualname, fn", FUNCTIONS, ids=[qualname for qualname, _ in FUNCTIONS])
def test_parameters_and_return_are_annotated(qualname, fn):
    signature = inspect.signature(fn)
    hints = typing.get_type_hints(fn)  # raises if an annotation does not resolve
    missing = [p.name for p in signature.parameters.values() if p.name != "self" and p.name not in hints]
    assert not missing, f"{qualname}: parameters without a type hint: {missing}"
    assert "return" in hints, f"{qualname}: no return annotation"
