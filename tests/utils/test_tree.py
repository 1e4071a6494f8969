"""keras.tree: every function against real Keras 3's own on the same structures."""

import collections

import numpy as np
import pytest

from kerasette import tree

Point = collections.namedtuple("Point", ["x", "y"])

STRUCTURES = [
    42,
    None,
    "text",
    [],
    [[1, 2, 3], [4, [5], [[6]]]],
    {"b": [1, 2], "a": (3, None)},
    {100: "world!", 6: "Hello"},
    collections.OrderedDict([("z", 1), ("a", [2, 3])]),
    Point(x=[1, 2], y={"q": 3, "p": (4,)}),
    collections.deque([1, (2, 3)]),
    [np.arange(3), {"k": None}],
]


@pytest.fixture(scope="module")
def keras_tree():
    from tests.keras_reference import keras

    return keras.tree


def _same(a, b):
    """Equal as nests, with numpy leaves compared by value and container types compared exactly."""
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and np.array_equal(a, b)
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        # key order is not compared: Keras's torch tree rebuilds dicts in sorted key order, its optree one
        # (and kerasette, as Keras documents) in the original order
        return set(a) == set(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple, collections.deque)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b


@pytest.mark.parametrize("structure", STRUCTURES, ids=repr)
def test_flatten_pack_and_paths_match_keras(keras_tree, structure):
    assert tree.is_nested(structure) == keras_tree.is_nested(structure)
    flat = tree.flatten(structure)
    assert _same(flat, keras_tree.flatten(structure))
    ours = tree.flatten_with_path(structure)
    theirs = keras_tree.flatten_with_path(structure)
    assert [p for p, _ in ours] == [tuple(p) for p, _ in theirs]
    markers = [f"leaf{i}" for i in range(len(flat))]
    assert _same(tree.pack_sequence_as(structure, markers), keras_tree.pack_sequence_as(structure, markers))
    assert _same(tree.pack_sequence_as(structure, flat), structure)


@pytest.mark.parametrize("structure", STRUCTURES, ids=repr)
def test_map_and_traverse_match_keras(keras_tree, structure):
    def describe(x):
        return f"<{x!r}>"

    assert _same(tree.map_structure(describe, structure), keras_tree.map_structure(describe, structure))
    assert _same(tree.map_structure(describe, structure, none_is_leaf=False),
                 keras_tree.map_structure(describe, structure, none_is_leaf=False))
    for top_down in (True, False):
        ours, theirs = [], []
        tree.traverse(ours.append, structure, top_down=top_down)
        keras_tree.traverse(theirs.append, structure, top_down=top_down)
        assert len(ours) == len(theirs) and all(_same(x, y) for x, y in zip(ours, theirs))
    assert _same(tree.lists_to_tuples(structure), keras_tree.lists_to_tuples(structure))


def test_traverse_replaces_subtrees_and_map_to_none(keras_tree):
    structure = [(1, 2), [3], {"a": 4}]

    def ours(s):
        return tree.MAP_TO_NONE if s == [3] else ("tuple" if isinstance(s, tuple) else None)

    def theirs(s):
        return keras_tree.MAP_TO_NONE if s == [3] else ("tuple" if isinstance(s, tuple) else None)

    assert tree.traverse(ours, structure) == keras_tree.traverse(theirs, structure) == ["tuple", None, {"a": 4}]


def test_map_over_several_structures_and_up_to(keras_tree):
    a, b = {"x": [1, 2], "y": 3}, {"x": [10, 20], "y": 30}
    assert tree.map_structure(lambda p, q: p + q, a, b) == keras_tree.map_structure(lambda p, q: p + q, a, b)
    shallow = [None, [None, None]]
    deep = [[1, 1], [2, [3]]]
    assert tree.map_structure_up_to(shallow, str, deep) == keras_tree.map_structure_up_to(shallow, str, deep)
    shapes = {"x": (None, 3), "y": [(None, 4, 5), ()]}
    assert tree.map_shape_structure(len, shapes) == keras_tree.map_shape_structure(len, shapes)


@pytest.mark.parametrize("a, b", [
    ([0, 1], (2, 3)),
    ([0, [1]], [0, 1]),
    ({"a": 1}, {"b": 1}),
    (Point(1, 2), collections.namedtuple("Point", ["x", "y"])(1, 2)),
    ([1, 2], [1, 2, 3]),
])
def test_mismatched_structures_raise_as_in_keras(keras_tree, a, b):
    with pytest.raises(ValueError):
        keras_tree.assert_same_structure(a, b)
    with pytest.raises(ValueError, match="same nested structure"):
        tree.assert_same_structure(a, b)
    with pytest.raises(ValueError, match="same nested structure"):
        tree.map_structure(lambda x, y: x, a, b)


def test_dict_kinds_match_and_paths_ignore_container_types(keras_tree):
    tree.assert_same_structure({"a": 1}, collections.OrderedDict(a=2))
    tree.assert_same_paths([0, 1], (2, 3))
    keras_tree.assert_same_paths([0, 1], (2, 3))
    with pytest.raises(ValueError, match=r"Paths in `a` missing in `b`:\n\[\(1,\)\]"):
        tree.assert_same_paths([0, 1], [2])


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match="2 items, but `structure` has 3 leaves"):
        tree.pack_sequence_as([1, [2, 3]], [1, 2])
    with pytest.raises(TypeError, match="`func` must be callable"):
        tree.map_structure(3, [1])
    with pytest.raises(ValueError, match="at least one structure"):
        tree.map_structure(print)
    with pytest.raises(ValueError, match="same nested structure"):
        tree.map_structure_up_to([None, [None]], str, [1, 2])
    with pytest.warns(DeprecationWarning, match="check_types"):
        tree.assert_same_structure([1], [2], check_types=True)
