"""Int8 ``Embedding``, as Keras 3: an int8 table with one scale per row (per index), dequantized on lookup.

``embeddings`` (input_dim, output_dim) int8 and ``embeddings_scale`` (input_dim,) float: row ``i`` reads as
``embeddings[i] / embeddings_scale[i]``. The table is frozen, so the lookup needs no gradient rule.
"""

from __future__ import annotations

from kerasette import ops
from kerasette.quantizers.quantizable import Int8Quantizable
from kerasette.quantizers.quantization_config import QuantizationConfig
from kerasette.quantizers.quantizers import AbsMaxQuantizer


class Int8Embedding(Int8Quantizable):
    """The int8 hooks of ``Embedding`` (see ``Int8Quantizable``)."""

    _QUANTIZED_VARIABLES = ("embeddings", "embeddings_scale")  # Keras's save order in int8 mode

    def _int8_build(self, shape, old=None):
        self.inputs_quantizer = None  # indices are not quantized
        self.embeddings = self._replace_weight(old, shape, "int8", "embeddings")
        self.embeddings_scale = self._replace_weight(None, (self.input_dim,), self.dtype, "embeddings_scale", "ones")

    def _int8_quantize(self, config):
        quantizer = QuantizationConfig.weight_quantizer_or_default(config, AbsMaxQuantizer(axis=-1))
        values, scale = quantizer(self.embeddings, to_numpy=True)
        self._int8_build((self.input_dim, self.output_dim), old=self.embeddings)
        self.embeddings.assign(values)
        self.embeddings_scale.assign(ops.reshape(scale, (self.input_dim,)))

    def _int8_call(self, inputs):
        scale = ops.take(self.embeddings_scale, inputs, axis=0)
        rows = ops.cast(ops.take(self.embeddings, inputs, axis=0), self.compute_dtype)
        return ops.divide(rows, ops.expand_dims(scale, -1))
