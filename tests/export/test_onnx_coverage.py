"""Every layer kerasette registers is exportable (with a case in onnx_cases.py) or refused with a stated
reason; every built-in activation but ``threshold`` has an ONNX form."""

from onnx_cases import CASES

from kerasette import activations, layers, models
from kerasette.export import exportable_classes, not_exportable_classes
from kerasette.export.activation_converters import exportable_activations
from kerasette.export.registry import is_exportable


def registered_layer_classes():
    classes = {layers.registry.lookup(name) for name in layers.registry.names()}
    return {cls for cls in classes if not issubclass(cls, models.Model)}  # nested models are inlined


def test_every_registered_layer_is_exportable_or_refused_with_a_reason():
    undecided = {cls for cls in registered_layer_classes() if not is_exportable(cls)} - set(not_exportable_classes())
    assert sorted(cls.__name__ for cls in undecided) == []


def test_every_layer_class_with_its_own_converter_has_a_case():
    tested = {type(make()) for _, make, _, _, _ in CASES}
    builtin = {cls for cls in exportable_classes() if cls.__module__.startswith("kerasette.")}
    assert sorted(cls.__name__ for cls in builtin - tested) == []


def test_refused_classes_are_not_also_exportable():
    assert [cls.__name__ for cls in not_exportable_classes() if is_exportable(cls)] == []


def test_every_builtin_activation_but_threshold_is_exportable():
    names = {activations.serialize(f) for f in exportable_activations()}
    every = {activations.serialize(activations.get(name)) for name in activations._registry.names()}
    assert every - names == {"threshold"}
