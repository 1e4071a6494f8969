"""Export models to ONNX: ``kerasette.export.to_onnx(model, "model.onnx")`` or ``model.export(path, format="onnx")``.

Each layer class has a converter (``registry``); converters are grouped by family of layer
(``core_converters``, ``convolution_converters``, ``pooling_converters``...) and write nodes through a
``GraphBuilder``. The ``onnx`` package is imported only when an export runs (``pip install "kerasette[onnx]"``).
"""

from kerasette.export.onnx_export import to_onnx
from kerasette.export.registry import LayerCall, exportable_classes, not_exportable_classes, register_converter

__all__ = ["LayerCall", "exportable_classes", "not_exportable_classes", "register_converter", "to_onnx"]
