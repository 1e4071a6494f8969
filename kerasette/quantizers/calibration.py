"""Post-training calibration: one static input scale per quantized layer, measured on sample data.

``calibrate(model, sample_data)`` runs a quantized model over sample inputs, records the largest absolute
value reaching each quantized layer's input quantizer, and gives each such layer a
``StaticAbsMaxQuantizer`` with that maximum (written into its ``quantization_config``). Inference then skips
the per-call reduction of Keras's dynamic scheme, and a sample's result no longer depends on the other
values of its row. A kerasette extension: Keras 3 has no static int8 calibration.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from kerasette import ops
from kerasette.quantizers.quantization_config import Int8QuantizationConfig
from kerasette.quantizers.static_quantizer import StaticAbsMaxQuantizer


class _Recorder:
    """Wraps a layer's input quantizer: records ``max |x|`` of each call, then quantizes as before."""

    def __init__(self, quantizer: Any) -> None:
        self.quantizer = quantizer
        self.amax = 0.0

    def __call__(self, x: Any, axis: Any = None, to_numpy: bool = False) -> tuple:
        values = np.asarray(ops.convert_to_numpy(x))
        if values.size:
            self.amax = max(self.amax, float(np.max(np.abs(values))))
        return self.quantizer(x, axis=axis, to_numpy=to_numpy)


def _calibratable(model: Any) -> list:
    return [layer for layer in model._flatten_layers(include_self=False)
            if getattr(layer, "quantization_mode", None) == "int8" and getattr(layer, "inputs_quantizer", None)]


def calibrate(model: Any, sample_data: Any, batch_size: int = 32) -> dict:
    """Give each int8 layer of ``model`` a static input scale measured on ``sample_data``.

    Every quantized layer whose inputs are quantized (``Dense``, ``EinsumDense``, ``Conv2D``,
    ``DepthwiseConv2D`` after ``model.quantize("int8")``) gets ``StaticAbsMaxQuantizer(amax)``, where ``amax``
    is the largest absolute input value the layer saw over the sample. Values beyond it are clipped at
    inference. The layers' ``quantization_config`` records it, so it is saved with the model (as a kerasette
    class, which Keras cannot load; an uncalibrated model keeps Keras's layout).

    Args:
        model: a model quantized with ``model.quantize("int8")``.
        sample_data: model inputs (an array, or a list of arrays for several inputs), a few hundred samples
            representative of the data the model will see.
        batch_size: the batch size of the calibration pass. Defaults to 32.

    Returns:
        A dict ``{layer name: amax}``.

    Raises:
        ValueError: the model has no int8 layer with quantized inputs, ``batch_size`` is not a positive int,
            or the sample is empty.

    Example:
        >>> import numpy as np
        >>> import kerasette as keras
        >>> model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
        >>> model.quantize("int8")
        >>> calibrate(model, np.array([[0.5, -2.0, 1.0, 0.0]], dtype="float32"))
        {'dense': 2.0}
    """
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"Invalid value for argument `batch_size` of `calibrate`. Expected a positive int. "
                         f"Received: batch_size={batch_size!r}")
    layers = _calibratable(model)
    if not layers:
        raise ValueError(f"Model '{model.name}' has no int8 layer with quantized inputs to calibrate. Call "
                         "`model.quantize('int8')` first.")
    inputs = [np.asarray(x) for x in sample_data] if isinstance(sample_data, (list, tuple)) else [
        np.asarray(sample_data)]
    count = len(inputs[0])
    if count == 0:
        raise ValueError("Invalid value for argument `sample_data` of `calibrate`. Expected at least one sample. "
                         "Received: 0 samples.")
    recorders = {id(layer): _Recorder(layer.inputs_quantizer) for layer in layers}
    for layer in layers:
        layer.inputs_quantizer = recorders[id(layer)]
    try:
        with ops.stop_recording():
            for start in range(0, count, batch_size):
                batch = [x[start:start + batch_size] for x in inputs]
                model(batch[0] if len(batch) == 1 else batch, training=False)
    finally:
        for layer in layers:
            layer.inputs_quantizer = recorders[id(layer)].quantizer
    found = {}
    for layer in layers:
        amax = recorders[id(layer)].amax
        if amax <= 0:  # the layer saw only zeros: keep its dynamic quantizer
            continue
        quantizer = StaticAbsMaxQuantizer(amax)
        old = layer.quantization_config
        layer.quantization_config = Int8QuantizationConfig(
            weight_quantizer=None if old is None else old.weight_quantizer, activation_quantizer=quantizer)
        layer.inputs_quantizer = quantizer
        found[layer.name] = amax
    return found
