"""Nested-structure utilities, as ``keras.tree``: flatten, map and repack nests of lists, tuples and dicts.

A *structure* is a leaf or a container of structures. The containers are ``list``, ``tuple``,
namedtuples, ``collections.deque`` and dicts (``dict``, ``OrderedDict``, ``defaultdict``); everything
else, ``None``, strings, numpy arrays and tensors included, is a leaf. Dict values are visited in
sorted key order (an ``OrderedDict`` in its own order), so ``flatten`` and ``pack_sequence_as``
undo each other, as in Keras 3.

>>> from kerasette import tree
>>> tree.flatten({"b": [1, 2], "a": (3, None)})
[3, None, 1, 2]
>>> tree.map_structure(lambda x: x * 10, {"b": [1, 2], "a": 3})
{'b': [10, 20], 'a': 30}
>>> tree.pack_sequence_as(((0, 0), 0), [1, 2, 3])
((1, 2), 3)
"""

from __future__ import annotations

import collections
import warnings
from typing import Any, Callable

__all__ = ["MAP_TO_NONE", "assert_same_paths", "assert_same_structure", "flatten", "flatten_with_path", "is_nested",
           "lists_to_tuples", "map_shape_structure", "map_structure", "map_structure_up_to", "pack_sequence_as",
           "traverse"]


class MAP_TO_NONE:  # noqa: N801 - Keras's name
    """Special value for ``traverse``: a ``func`` that returns it replaces the sub-tree with None."""


def _is_namedtuple(value):
    return isinstance(value, tuple) and hasattr(type(value), "_fields")


def _is_node(value, none_is_leaf=True):
    if value is None:
        return not none_is_leaf
    return isinstance(value, (list, tuple, dict, collections.deque))


def _keys(mapping):
    """The keys of a dict in visiting order: sorted, except for an OrderedDict."""
    if isinstance(mapping, collections.OrderedDict):
        return list(mapping)
    try:
        return sorted(mapping)
    except TypeError:
        raise TypeError(f"keras.tree cannot order the keys of a dict whose keys do not sort: {list(mapping)!r}") \
            from None


def _children(node):
    """``(keys, children)`` of a container: indices or dict keys, and the values in visiting order."""
    if node is None:
        return [], []
    if isinstance(node, dict):
        keys = _keys(node)
        return keys, [node[k] for k in keys]
    return list(range(len(node))), list(node)


def _rebuild(node, children):
    """A container like ``node`` holding ``children`` (in visiting order)."""
    if node is None:
        return None
    if isinstance(node, dict):
        by_key = dict(zip(_keys(node), children))
        items = [(k, by_key[k]) for k in node]  # the original key order
        if isinstance(node, collections.defaultdict):
            return collections.defaultdict(node.default_factory, items)
        return type(node)(items)
    if _is_namedtuple(node):
        return type(node)(*children)
    if isinstance(node, collections.deque):
        return collections.deque(children, maxlen=node.maxlen)
    return type(node)(children)


def _same_kind(a, b):
    """Whether two containers are the same kind of node (all dict types match each other)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return True
    return type(a) is type(b)


def is_nested(structure: Any) -> bool:
    """Whether ``structure`` is a container (list, tuple, namedtuple, deque or dict) rather than a leaf.

    Args:
        structure: any value.

    Returns:
        True for a container, False for a leaf (``None`` included).

    Example:
        >>> is_nested(42), is_nested({"foo": 42}), is_nested(None)
        (False, True, False)
    """
    return _is_node(structure)


def flatten(structure: Any) -> list:
    """The leaves of ``structure`` as a list, depth first (dict values in sorted key order).

    Args:
        structure: a nested structure.

    Returns:
        A list of leaves; ``[structure]`` for a leaf.

    Example:
        >>> flatten([[1, 2, 3], [4, [5], [[6]]]])
        [1, 2, 3, 4, 5, 6]
        >>> flatten({100: "world!", 6: "Hello"})
        ['Hello', 'world!']
        >>> flatten(None)
        [None]
    """
    return [leaf for _, leaf in flatten_with_path(structure)]


def flatten_with_path(structure: Any) -> list:
    """The leaves of ``structure`` with their paths, as ``(path, leaf)`` pairs.

    A path is the tuple of indices and dict keys that leads from ``structure`` to the leaf.

    Args:
        structure: a nested structure.

    Returns:
        A list of ``(path, leaf)`` pairs, in ``flatten`` order.

    Example:
        >>> flatten_with_path([{"foo": 42}, 7])
        [((0, 'foo'), 42), ((1,), 7)]
    """
    pairs = []

    def visit(value, path):
        if not _is_node(value):
            pairs.append((path, value))
            return
        for key, child in zip(*_children(value)):
            visit(child, path + (key,))

    visit(structure, ())
    return pairs


def _structure_mismatch(a, b, where):
    raise ValueError(f"The two structures don't have the same nested structure (at path {where}). "
                     f"First structure: {a!r}; second structure: {b!r}.")


def _check_same_structure(a, b, none_is_leaf=True, path=()):
    a_node, b_node = _is_node(a, none_is_leaf), _is_node(b, none_is_leaf)
    if a_node != b_node or (a_node and not _same_kind(a, b)):
        _structure_mismatch(a, b, path)
    if not a_node:
        return
    a_keys, a_children = _children(a)
    b_keys, b_children = _children(b)
    if a_keys != b_keys:
        _structure_mismatch(a, b, path)
    for key, x, y in zip(a_keys, a_children, b_children):
        _check_same_structure(x, y, none_is_leaf, path + (key,))


def assert_same_structure(a: Any, b: Any, check_types: Any = None) -> None:
    """Raise a ValueError unless ``a`` and ``b`` are nested the same way.

    At each level the containers must be of the same type (any two dict types match when their keys do;
    a list and a tuple, or two different namedtuple classes, do not) with the same length or keys.

    Args:
        a: a nested structure.
        b: a nested structure.
        check_types: deprecated in Keras 3 and without effect (a DeprecationWarning says so).

    Raises:
        ValueError: the structures differ.

    Example:
        >>> assert_same_structure([(0, 1)], [(2, 3)])
        >>> assert_same_structure([0, 1], (2, 3))
        Traceback (most recent call last):
            ...
        ValueError: The two structures don't have the same nested structure (at path ()). ...
    """
    if check_types is not None:
        warnings.warn("The `check_types` argument is deprecated and no longer has any effect, please remove. "
                      "For a looser check use `keras.tree.assert_same_paths()`.", DeprecationWarning, stacklevel=2)
    _check_same_structure(a, b)


def assert_same_paths(a: Any, b: Any) -> None:
    """Raise a ValueError unless ``a`` and ``b`` have the same leaf paths (container types are ignored).

    Args:
        a: a nested structure.
        b: a nested structure.

    Raises:
        ValueError: the sets of paths differ; the message lists the paths each lacks.

    Example:
        >>> assert_same_paths([0, 1], (2, 3))
    """
    a_paths = {path for path, _ in flatten_with_path(a)}
    b_paths = {path for path, _ in flatten_with_path(b)}
    if a_paths != b_paths:
        message = "`a` and `b` don't have the same paths."
        if a_paths - b_paths:
            message += f"\nPaths in `a` missing in `b`:\n{sorted(a_paths - b_paths, key=repr)}"
        if b_paths - a_paths:
            message += f"\nPaths in `b` missing in `a`:\n{sorted(b_paths - a_paths, key=repr)}"
        raise ValueError(message)


def _check_callable(func):
    if not callable(func):
        raise TypeError(f"`func` must be callable. Received: func={func!r} (of type {type(func)})")


def map_structure(func: Callable, *structures: Any, none_is_leaf: bool = True) -> Any:
    """``func`` applied to the leaves of ``structures`` (one leaf of each), in a structure of the same layout.

    Args:
        func: a callable taking as many arguments as there are structures.
        *structures: one or more structures of the same layout (``assert_same_structure``).
        none_is_leaf: if True (the default), ``func`` is called on None leaves too; if False, None values
            are returned as None without calling ``func``.

    Returns:
        A new structure with ``func``'s results as leaves.

    Raises:
        ValueError: no structure is given, or the structures differ.
        TypeError: ``func`` is not callable.

    Example:
        >>> map_structure(lambda x, y: x * y, [[1], [2]], [[3], [4]])
        [[3], [8]]
        >>> map_structure(lambda x: x + 1, [1, None], none_is_leaf=False)
        [2, None]
    """
    _check_callable(func)
    if not structures:
        raise ValueError("Must provide at least one structure")
    for other in structures[1:]:
        _check_same_structure(structures[0], other, none_is_leaf)

    def apply(values):
        first = values[0]
        if not _is_node(first, none_is_leaf):
            return func(*values)
        columns = zip(*(_children(v)[1] for v in values))
        return _rebuild(first, [apply(column) for column in columns])

    return apply(structures)


def map_structure_up_to(shallow_structure: Any, func: Callable, *structures: Any) -> Any:
    """``map_structure`` down to the leaves of ``shallow_structure`` only; deeper parts reach ``func`` whole.

    Args:
        shallow_structure: a structure whose layout the others share down to its leaves.
        func: a callable taking as many arguments as there are ``structures``.
        *structures: structures at least as deep as ``shallow_structure``.

    Returns:
        A structure of ``shallow_structure``'s layout holding ``func``'s results.

    Raises:
        ValueError: no structure is given, or one is shallower than ``shallow_structure`` or differs from it.

    Example:
        >>> map_structure_up_to([None, None], len, [[1, 1], [2, 2]])
        [2, 2]
        >>> map_structure_up_to([None, [None, None]], str, [[1, 1], [2, 2]])
        ['[1, 1]', ['2', '2']]
    """
    _check_callable(func)
    if not structures:
        raise ValueError("Must provide at least one structure")

    def apply(shallow, values, path):
        if not _is_node(shallow):
            return func(*values)
        keys, shallow_children = _children(shallow)
        columns = []
        for value in values:
            if not _is_node(value) or not _same_kind(shallow, value) or _children(value)[0] != keys:
                _structure_mismatch(shallow, value, path)
            columns.append(_children(value)[1])
        return _rebuild(shallow, [apply(child, [column[i] for column in columns], path + (key,))
                                  for i, (key, child) in enumerate(zip(keys, shallow_children))])

    return apply(shallow_structure, structures, ())


def pack_sequence_as(structure: Any, flat_sequence: Any) -> Any:
    """The leaves of ``flat_sequence`` packed into the layout of ``structure`` (the inverse of ``flatten``).

    Args:
        structure: a nested structure giving the layout.
        flat_sequence: a sequence with one item per leaf of ``structure``, in ``flatten`` order.

    Returns:
        A structure like ``structure`` whose leaves are the items of ``flat_sequence``.

    Raises:
        TypeError: ``flat_sequence`` is not a sequence.
        ValueError: it does not hold exactly one item per leaf.

    Example:
        >>> pack_sequence_as({"key3": "", "key1": "", "key2": ""}, ["value1", "value2", "value3"])
        {'key3': 'value3', 'key1': 'value1', 'key2': 'value2'}
    """
    if isinstance(flat_sequence, (str, bytes)) or not hasattr(flat_sequence, "__len__"):
        raise TypeError(f"`flat_sequence` must be a sequence. Received: {type(flat_sequence)}")
    expected = len(flatten(structure))
    if len(flat_sequence) != expected:
        raise ValueError(f"`flat_sequence` has {len(flat_sequence)} items, but `structure` has {expected} leaves. "
                         f"Structure: {structure!r}")
    items = iter(flat_sequence)

    def pack(node):
        if not _is_node(node):
            return next(items)
        return _rebuild(node, [pack(child) for child in _children(node)[1]])

    return pack(structure)


def traverse(func: Callable, structure: Any, top_down: bool = True) -> Any:
    """Visit every sub-structure of ``structure`` depth first, letting ``func`` replace any of them.

    Top-down (the default), ``func`` sees a container before its children: returning None continues into
    it; returning anything else replaces it without visiting its children. Bottom-up, ``func`` sees each
    container after its children were traversed: None keeps it, anything else replaces it. Return
    ``MAP_TO_NONE`` to replace a sub-structure with None.

    Args:
        func: a callable taking one sub-structure.
        structure: the structure to traverse.
        top_down: whether parents are visited before their children.

    Returns:
        The traversed structure, with ``func``'s replacements.

    Raises:
        TypeError: ``func`` is not callable.

    Example:
        >>> seen = []
        >>> traverse(seen.append, [(1, 2), [3], {"a": 4}])
        [(1, 2), [3], {'a': 4}]
        >>> seen
        [[(1, 2), [3], {'a': 4}], (1, 2), 1, 2, [3], 3, {'a': 4}, 4]
    """
    _check_callable(func)

    def children_traversed(node):
        if not _is_node(node):
            return node
        return _rebuild(node, [visit(child) for child in _children(node)[1]])

    def visit(node):
        if top_down:
            result = func(node)
            if result is None:
                return children_traversed(node)
        else:
            node = children_traversed(node)
            result = func(node)
            if result is None:
                return node
        return None if result is MAP_TO_NONE else result

    return visit(structure)


def lists_to_tuples(structure: Any) -> Any:
    """``structure`` with every list turned into a tuple.

    Args:
        structure: a nested structure.

    Returns:
        The same structure, with tuples in place of lists.

    Example:
        >>> lists_to_tuples([1, [2, {"a": [3]}]])
        (1, (2, {'a': (3,)}))
    """
    return traverse(lambda node: tuple(node) if isinstance(node, list) else None, structure, top_down=False)


def map_shape_structure(func: Callable, structure: Any) -> Any:
    """``map_structure`` that treats shapes (lists or tuples of ints and Nones) as leaves.

    Args:
        func: a callable taking one shape (or other leaf).
        structure: a nested structure of shapes.

    Returns:
        The structure with ``func`` applied to each shape.

    Example:
        >>> map_shape_structure(lambda shape: shape[1:], {"x": (None, 3), "y": [(None, 4, 5)]})
        {'x': (3,), 'y': [(4, 5)]}
    """
    _check_callable(func)

    def is_shape(value):
        return isinstance(value, (list, tuple)) and all(isinstance(d, int) or d is None for d in value)

    def apply(node):
        if is_shape(node) or not _is_node(node):
            return func(node)
        return _rebuild(node, [apply(child) for child in _children(node)[1]])

    return apply(structure)
