"""ONNX export of compressed models: quantized and mixed-precision layers are refused, pruned ones once stripped."""

import pytest

import kerasette as ks

pytest.importorskip("onnx")


def test_a_quantized_model_is_refused_naming_the_layer(tmp_path):
    model = ks.Sequential([ks.Input((4,)), ks.layers.Dense(3, name="head")])
    model.quantize("int8")
    with pytest.raises(ValueError, match=r"Cannot export layer `head` \(Dense\) to ONNX: it is quantized \('int8'\)"):
        model.export(str(tmp_path / "q.onnx"), format="onnx")
    assert not (tmp_path / "q.onnx").exists()


def test_a_mixed_precision_layer_is_refused(tmp_path):
    model = ks.Sequential([ks.Input((4,)), ks.layers.Dense(3, dtype="mixed_float16", name="half")])
    with pytest.raises(ValueError, match=r"layer `half` \(Dense\).*computes in float16"):
        model.export(str(tmp_path / "m.onnx"), format="onnx")


def test_a_pruned_model_is_refused_until_stripped(tmp_path):
    from kerasette import pruning

    model = ks.Sequential([ks.Input((4,)), ks.layers.Dense(3)])
    pruned = pruning.prune_low_magnitude(model)
    with pytest.raises(ValueError, match=r"\(PruneLowMagnitude\).*strip_pruning"):
        pruned.export(str(tmp_path / "p.onnx"), format="onnx")
    pruning.strip_pruning(pruned).export(str(tmp_path / "p.onnx"), format="onnx")
    assert (tmp_path / "p.onnx").exists()
