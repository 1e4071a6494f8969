"""One model per exportable layer configuration, for the onnxruntime-vs-predict comparison.

Each case: ``(id, make_layer, input shapes without batch, call kwargs, input kind)``; the input kind is
``"float"`` (normal values), ``"int"`` (indices for an Embedding) or ``"float-int"`` (indices as floats).
"""

import numpy as np

import kerasette as ks
from kerasette import activations, layers
from kerasette.export.activation_converters import exportable_activations
from kerasette.layers.op_layer import OpLayer


def case(case_id, make, shapes, kwargs=None, kind="float"):
    shapes = shapes if isinstance(shapes, list) else [shapes]
    return (case_id, make, shapes, kwargs or {}, kind)


L = layers
CASES = [
    # core
    case("dense", lambda: L.Dense(5), (7,)),
    case("dense-rank3-tanh", lambda: L.Dense(4, activation="tanh"), (3, 6)),
    case("dense-no-bias", lambda: L.Dense(3, use_bias=False, activation="relu"), (4,)),
    case("einsum-dense", lambda: L.EinsumDense("ab,bc->ac", 4, bias_axes="c"), (5,)),
    case("einsum-dense-rank3", lambda: L.EinsumDense("abc,cde->abde", (3, 2, 4), bias_axes="de",
                                                     activation="sigmoid"), (3, 5)),
    case("einsum-dense-ellipsis", lambda: L.EinsumDense("...b,bc->...c", 3), (2, 4)),
    case("embedding", lambda: L.Embedding(10, 4), (5,), kind="int"),
    case("embedding-float-indices", lambda: L.Embedding(10, 3), (6,), kind="float-int"),
    case("masking", lambda: L.Masking(0.0), (5, 3), kind="masked"),
    case("dropout", lambda: L.Dropout(0.5), (6,)),
    case("alpha-dropout", lambda: L.AlphaDropout(0.3), (6,)),
    case("gaussian-dropout", lambda: L.GaussianDropout(0.3), (6,)),
    case("gaussian-noise", lambda: L.GaussianNoise(0.3), (6,)),
    case("spatial-dropout1d", lambda: L.SpatialDropout1D(0.3), (4, 3)),
    case("spatial-dropout2d", lambda: L.SpatialDropout2D(0.3), (4, 3, 2)),
    case("spatial-dropout3d", lambda: L.SpatialDropout3D(0.3), (2, 3, 2, 2)),
    case("activity-regularization", lambda: L.ActivityRegularization(l1=0.1), (5,)),
    case("identity", lambda: L.Identity(), (5,)),
    # activation layers
    case("relu", lambda: L.ReLU(), (6,)),
    case("relu6", lambda: L.ReLU(6.0), (6,)),
    case("relu-leak", lambda: L.ReLU(negative_slope=0.1), (6,)),
    case("relu-threshold", lambda: L.ReLU(max_value=1.5, negative_slope=0.2, threshold=0.3), (6,)),
    case("relu-threshold-no-leak", lambda: L.ReLU(threshold=0.5), (6,)),
    case("leaky-relu", lambda: L.LeakyReLU(0.3), (6,)),
    case("elu", lambda: L.ELU(0.7), (6,)),
    case("prelu", lambda: L.PReLU(), (4, 3)),
    case("prelu-shared", lambda: L.PReLU(shared_axes=[1, 2]), (4, 5, 3)),
    case("softmax", lambda: L.Softmax(), (6,)),
    case("softmax-axis1", lambda: L.Softmax(axis=1), (4, 3)),
    case("softmax-two-axes", lambda: L.Softmax(axis=(1, 2)), (2, 3)),
    # convolutions
    case("conv1d", lambda: L.Conv1D(4, 3), (9, 2)),
    case("conv1d-causal", lambda: L.Conv1D(3, 3, padding="causal", dilation_rate=2, activation="relu"), (9, 2)),
    case("conv1d-same-strided", lambda: L.Conv1D(4, 3, strides=2, padding="same"), (9, 3)),
    case("conv2d", lambda: L.Conv2D(4, 3, activation="relu"), (7, 6, 2)),
    case("conv2d-same-strided", lambda: L.Conv2D(5, (3, 2), strides=(2, 1), padding="same"), (7, 8, 3)),
    case("conv2d-dilated", lambda: L.Conv2D(3, 3, dilation_rate=2, padding="same", use_bias=False), (9, 8, 2)),
    case("conv3d", lambda: L.Conv3D(3, 2, padding="same", strides=2), (5, 4, 6, 2)),
    case("depthwise-conv1d", lambda: L.DepthwiseConv1D(3, depth_multiplier=2), (8, 3)),
    case("depthwise-conv2d", lambda: L.DepthwiseConv2D(3, strides=2, padding="same", depth_multiplier=2,
                                                       activation="relu6"), (7, 8, 3)),
    case("depthwise-conv2d-dilated", lambda: L.DepthwiseConv2D(3, dilation_rate=2, use_bias=False), (9, 8, 2)),
    case("separable-conv1d", lambda: L.SeparableConv1D(4, 3, padding="same"), (8, 3)),
    case("separable-conv2d", lambda: L.SeparableConv2D(4, 3, depth_multiplier=2, strides=2, padding="same"),
         (7, 8, 3)),
    case("separable-conv2d-no-bias", lambda: L.SeparableConv2D(2, 2, use_bias=False, activation="tanh"), (5, 6, 2)),
    case("conv1d-transpose", lambda: L.Conv1DTranspose(3, 3, strides=2), (5, 2)),
    case("conv1d-transpose-same", lambda: L.Conv1DTranspose(2, 4, strides=3, padding="same"), (5, 2)),
    case("conv2d-transpose", lambda: L.Conv2DTranspose(3, 3, strides=2, padding="same"), (4, 5, 2)),
    case("conv2d-transpose-valid", lambda: L.Conv2DTranspose(2, (3, 2), strides=(2, 3)), (4, 3, 3)),
    case("conv2d-transpose-output-padding", lambda: L.Conv2DTranspose(2, 3, strides=2, padding="same",
                                                                      output_padding=0), (3, 4, 2)),
    case("conv2d-transpose-small-kernel", lambda: L.Conv2DTranspose(2, 1, strides=2), (3, 3, 2)),
    case("conv2d-transpose-valid-padding", lambda: L.Conv2DTranspose(2, 3, strides=2, output_padding=1), (3, 3, 2)),
    case("conv2d-transpose-dilated", lambda: L.Conv2DTranspose(2, 3, dilation_rate=2, activation="relu"),
         (4, 4, 2)),
    case("conv3d-transpose", lambda: L.Conv3DTranspose(2, 2, strides=2), (2, 3, 2, 2)),
    # pooling
    case("max-pooling1d", lambda: L.MaxPooling1D(2), (7, 3)),
    case("max-pooling2d", lambda: L.MaxPooling2D(2), (7, 6, 3)),
    case("max-pooling2d-same", lambda: L.MaxPooling2D(3, strides=2, padding="same"), (7, 6, 2)),
    case("max-pooling3d", lambda: L.MaxPooling3D(2, padding="same"), (3, 5, 4, 2)),
    case("average-pooling1d", lambda: L.AveragePooling1D(3, strides=2, padding="same"), (8, 2)),
    case("average-pooling2d", lambda: L.AveragePooling2D(2), (6, 6, 2)),
    case("average-pooling2d-same", lambda: L.AveragePooling2D(3, strides=1, padding="same"), (5, 4, 2)),
    case("average-pooling3d", lambda: L.AveragePooling3D(2), (4, 4, 4, 2)),
    case("global-average-pooling1d", lambda: L.GlobalAveragePooling1D(), (5, 3)),
    case("global-average-pooling2d", lambda: L.GlobalAveragePooling2D(), (4, 5, 3)),
    case("global-average-pooling3d", lambda: L.GlobalAveragePooling3D(keepdims=True), (3, 4, 2, 3)),
    case("global-max-pooling1d", lambda: L.GlobalMaxPooling1D(keepdims=True), (5, 3)),
    case("global-max-pooling2d", lambda: L.GlobalMaxPooling2D(keepdims=True), (4, 5, 3)),
    case("global-max-pooling3d", lambda: L.GlobalMaxPooling3D(), (3, 4, 2, 3)),
    case("adaptive-average-pooling1d", lambda: L.AdaptiveAveragePooling1D(3), (7, 2)),
    case("adaptive-average-pooling2d", lambda: L.AdaptiveAveragePooling2D((2, 3)), (5, 7, 2)),
    case("adaptive-average-pooling3d", lambda: L.AdaptiveAveragePooling3D(2), (3, 4, 5, 2)),
    case("adaptive-max-pooling1d", lambda: L.AdaptiveMaxPooling1D(4), (6, 2)),
    case("adaptive-max-pooling2d", lambda: L.AdaptiveMaxPooling2D(3, data_format="channels_first"), (2, 7, 5)),
    case("adaptive-max-pooling3d", lambda: L.AdaptiveMaxPooling3D((1, 2, 3)), (3, 4, 5, 2)),
    # normalization
    case("batch-normalization", lambda: L.BatchNormalization(), (5,)),
    case("batch-normalization-image", lambda: L.BatchNormalization(epsilon=0.01), (4, 3, 2)),
    case("batch-normalization-axis1", lambda: L.BatchNormalization(axis=1, center=False), (3, 4, 2)),
    case("batch-normalization-no-scale", lambda: L.BatchNormalization(scale=False), (2, 3)),
    case("layer-normalization", lambda: L.LayerNormalization(), (5,)),
    case("layer-normalization-two-axes", lambda: L.LayerNormalization(axis=[1, 2], center=False), (3, 4, 2)),
    case("layer-normalization-reversed-axes", lambda: L.LayerNormalization(axis=[-1, -2]), (3, 4)),
    case("layer-normalization-middle-axis", lambda: L.LayerNormalization(axis=1, scale=False), (3, 4)),
    case("layer-normalization-rms", lambda: L.LayerNormalization(rms_scaling=True), (3, 5)),
    case("group-normalization", lambda: L.GroupNormalization(groups=2), (4, 5, 6)),
    case("group-normalization-sequence", lambda: L.GroupNormalization(groups=3, axis=1), (6, 4)),
    case("instance-normalization", lambda: L.GroupNormalization(groups=-1, center=False), (5, 4)),
    case("rms-normalization", lambda: L.RMSNormalization(), (3, 5)),
    case("rms-normalization-two-axes", lambda: L.RMSNormalization(axis=[1, 2]), (3, 4)),
    case("unit-normalization", lambda: L.UnitNormalization(), (5,)),
    case("unit-normalization-two-axes", lambda: L.UnitNormalization(axis=[1, 2]), (3, 4)),
    # merging
    case("add", lambda: L.Add(), [(4, 3), (4, 3)]),
    case("add-three-broadcast", lambda: L.Add(), [(4, 3), (3,), (1, 3)]),
    case("subtract", lambda: L.Subtract(), [(5,), (5,)]),
    case("multiply", lambda: L.Multiply(), [(2, 3), (2, 3)]),
    case("average", lambda: L.Average(), [(5,), (5,), (5,)]),
    case("maximum", lambda: L.Maximum(), [(3, 2), (3, 2)]),
    case("minimum", lambda: L.Minimum(), [(3, 2), (3, 2)]),
    case("concatenate", lambda: L.Concatenate(), [(3, 2), (3, 4)]),
    case("concatenate-axis1", lambda: L.Concatenate(axis=1), [(2, 3), (4, 3)]),
    case("dot", lambda: L.Dot(axes=-1), [(5,), (5,)]),
    case("dot-sequences", lambda: L.Dot(axes=(2, 2)), [(3, 4), (5, 4)]),
    case("dot-mixed-axes", lambda: L.Dot(axes=(1, 2), normalize=True), [(4, 3), (2, 4)]),
    # reshaping
    case("flatten", lambda: L.Flatten(), (3, 4, 2)),
    case("flatten-channels-first", lambda: L.Flatten(data_format="channels_first"), (3, 4, 2)),
    case("reshape", lambda: L.Reshape((4, -1)), (2, 6)),
    case("permute", lambda: L.Permute((3, 1, 2)), (2, 3, 4)),
    case("repeat-vector", lambda: L.RepeatVector(3), (4,)),
    case("cropping1d", lambda: L.Cropping1D((1, 2)), (6, 2)),
    case("cropping2d", lambda: L.Cropping2D(((1, 0), (2, 1))), (4, 5, 2)),
    case("cropping3d", lambda: L.Cropping3D(1), (4, 3, 5, 2)),
    case("zero-padding1d", lambda: L.ZeroPadding1D((2, 1)), (4, 2)),
    case("zero-padding2d", lambda: L.ZeroPadding2D(((1, 0), (2, 3))), (3, 2, 2)),
    case("zero-padding3d", lambda: L.ZeroPadding3D(1), (2, 3, 2, 2)),
    case("up-sampling1d", lambda: L.UpSampling1D(3), (4, 2)),
    case("up-sampling2d", lambda: L.UpSampling2D((3, 2)), (2, 3, 2)),
    case("up-sampling3d", lambda: L.UpSampling3D((2, 1, 2)), (2, 3, 2, 2)),
    # attention
    case("attention", lambda: L.Attention(), [(4, 3), (5, 3)]),
    case("attention-scaled-key", lambda: L.Attention(use_scale=True), [(4, 3), (5, 2), (5, 3)]),
    case("attention-concat", lambda: L.Attention(score_mode="concat", use_scale=True), [(4, 3), (5, 3)]),
    case("attention-causal-scores", lambda: L.Attention(), [(4, 3), (4, 3)],
         {"use_causal_mask": True, "return_attention_scores": True}),
    case("additive-attention", lambda: L.AdditiveAttention(), [(4, 3), (5, 3)]),
    case("additive-attention-unscaled", lambda: L.AdditiveAttention(use_scale=False), [(4, 3), (5, 3), (5, 3)]),
    # projected attention, called as layer(query, value[, key]); one shape: self-attention layer(x, x)
    case("multi-head-attention-self", lambda: L.MultiHeadAttention(2, 3), (4, 6), kind="projected"),
    case("multi-head-attention-cross", lambda: L.MultiHeadAttention(3, 2, value_dim=4), [(4, 6), (7, 5), (7, 3)],
         kind="projected"),
    case("multi-head-attention-causal-scores", lambda: L.MultiHeadAttention(2, 4), (5, 6),
         {"use_causal_mask": True, "return_attention_scores": True}, kind="projected"),
    case("multi-head-attention-mask", lambda: L.MultiHeadAttention(2, 3), [(4, 6), (5, 3), (4, 5)],
         {"return_attention_scores": True}, kind="projected-mask"),
    case("multi-head-attention-causal-and-mask", lambda: L.MultiHeadAttention(2, 3, use_bias=False), [(4, 6), (4, 4)],
         {"use_causal_mask": True}, kind="projected-mask"),
    case("multi-head-attention-2d-axes", lambda: L.MultiHeadAttention(2, 3, attention_axes=(1, 2),
                                                                      output_shape=(2, 3)), (3, 4, 5),
         {"return_attention_scores": True}, kind="projected"),
    case("multi-head-attention-gate-window", lambda: L.MultiHeadAttention(2, 3, use_gate=True, sliding_window=2),
         (6, 4), {"use_causal_mask": True}, kind="projected"),
    case("multi-head-attention-dropout", lambda: L.MultiHeadAttention(2, 3, dropout=0.5), [(4, 6), (5, 6)],
         kind="projected"),
    case("grouped-query-attention", lambda: L.GroupQueryAttention(3, 4, 2), [(4, 6), (5, 6)],
         {"return_attention_scores": True}, kind="projected"),
    case("grouped-query-attention-multi-query-causal", lambda: L.GroupQueryAttention(2, 3, 1, use_gate=True), (5, 4),
         {"use_causal_mask": True}, kind="projected"),
    case("grouped-query-attention-mask-key", lambda: L.GroupQueryAttention(3, 2, 2, use_bias=False),
         [(4, 6), (5, 6), (5, 3), (4, 5)], kind="projected-mask"),
]

CASES += [
    # recurrent
    case("simple-rnn", lambda: L.SimpleRNN(4), (6, 3)),
    case("simple-rnn-backwards-sequences", lambda: L.SimpleRNN(4, return_sequences=True, go_backwards=True,
                                                               activation="relu"), (6, 3)),
    case("lstm", lambda: L.LSTM(5), (6, 3)),
    case("lstm-sequences-states", lambda: L.LSTM(3, return_sequences=True, return_state=True), (6, 3)),
    case("lstm-backwards-hard-sigmoid", lambda: L.LSTM(3, go_backwards=True, recurrent_activation="hard_sigmoid"),
         (6, 3)),
    case("lstm-no-bias-relu", lambda: L.LSTM(3, use_bias=False, activation="relu"), (5, 2)),
    case("lstm-softsign-elu", lambda: L.LSTM(3, activation="softsign", recurrent_activation="elu"), (5, 2)),
    case("gru-mixed-activations", lambda: L.GRU(3, activation="leaky_relu", recurrent_activation="hard_sigmoid"),
         (5, 2)),
    case("simple-rnn-linear-softplus", lambda: L.RNN([L.SimpleRNNCell(3, activation="linear"),
                                                      L.SimpleRNNCell(2, activation="softplus")]), (5, 2)),
    case("gru", lambda: L.GRU(4), (6, 3)),
    case("gru-reset-before", lambda: L.GRU(4, reset_after=False, return_sequences=True), (6, 3)),
    case("gru-no-bias-states", lambda: L.GRU(3, use_bias=False, return_state=True), (6, 3)),
    case("rnn-stacked-cells", lambda: L.RNN([L.LSTMCell(3), L.GRUCell(2), L.SimpleRNNCell(2)],
                                            return_sequences=True), (5, 3)),
    case("rnn-cell-states", lambda: L.RNN(L.SimpleRNNCell(3), return_state=True), (5, 3)),
    case("bidirectional-lstm", lambda: L.Bidirectional(L.LSTM(3, return_sequences=True)), (6, 3)),
    case("bidirectional-gru-sum", lambda: L.Bidirectional(L.GRU(3), merge_mode="sum"), (6, 3)),
    case("bidirectional-states", lambda: L.Bidirectional(L.LSTM(3, return_state=True), merge_mode=None), (6, 3)),
    case("time-distributed-dense", lambda: L.TimeDistributed(L.Dense(3, activation="relu")), (4, 5)),
    case("time-distributed-conv2d", lambda: L.TimeDistributed(L.Conv2D(2, 2)), (3, 5, 4, 2)),
    # preprocessing (inference)
    case("rescaling", lambda: L.Rescaling(1.0 / 255, offset=-0.5), (4, 4, 3), kind="pixels"),
    case("rescaling-per-channel", lambda: L.Rescaling([0.5, 2.0, 1.0]), (4, 4, 3)),
    case("normalization-given", lambda: L.Normalization(mean=[1.0, 2.0, 3.0], variance=[4.0, 0.25, 1.0]), (5, 3)),
    case("normalization-invert-axes", lambda: L.Normalization(axis=(1, 2), mean=np.arange(6.0).reshape(2, 3),
                                                               variance=np.ones((2, 3)), invert=True), (2, 3)),
    case("normalization-adapted", lambda: _adapted_normalization(), (4,)),
    case("resizing-bilinear", lambda: L.Resizing(5, 3), (7, 6, 2)),
    case("resizing-nearest-up", lambda: L.Resizing(9, 8, interpolation="nearest"), (4, 3, 2)),
    case("resizing-bicubic-antialias", lambda: L.Resizing(3, 4, interpolation="bicubic", antialias=True), (8, 7, 1)),
    case("resizing-area-crop", lambda: L.Resizing(4, 4, interpolation="area", crop_to_aspect_ratio=True), (8, 6, 2)),
    case("resizing-lanczos-pad", lambda: L.Resizing(4, 6, interpolation="lanczos3", pad_to_aspect_ratio=True,
                                                    fill_value=0.5), (6, 6, 2)),
    case("center-crop", lambda: L.CenterCrop(3, 4), (6, 7, 2)),
    case("center-crop-upscale", lambda: L.CenterCrop(8, 5), (6, 7, 2)),
    case("random-crop-inference", lambda: L.RandomCrop(4, 3), (7, 6, 2)),
    case("auto-contrast", lambda: L.AutoContrast(value_range=(0, 1)), (5, 4, 3), kind="unit"),
    case("random-flip-inference", lambda: L.RandomFlip(), (5, 4, 3)),
    case("random-rotation-inference", lambda: L.RandomRotation(0.2), (5, 4, 3), kind="pixels"),
    case("random-zoom-uint8-inference", lambda: L.RandomZoom(0.2), (5, 4, 3), kind="uint8"),
    case("max-num-bounding-boxes", lambda: L.MaxNumBoundingBoxes(3), (5, 4, 3)),
    case("category-encoding-multi-hot", lambda: L.CategoryEncoding(6), (3,), kind="small-int"),
    case("category-encoding-one-hot", lambda: L.CategoryEncoding(6, output_mode="one_hot"), (1,), kind="small-int"),
    case("category-encoding-count", lambda: L.CategoryEncoding(6, output_mode="count"), (4,), kind="small-int"),
    case("category-encoding-weighted-count", lambda: L.CategoryEncoding(6, output_mode="count"), [(4,), (4,)],
         kind="small-int-weights"),
    case("discretization", lambda: L.Discretization(bin_boundaries=[-1.0, 0.0, 1.5]), (5,)),
    case("discretization-one-bin-count", lambda: L.Discretization(bin_boundaries=[], output_mode="count"), (3,)),
    case("discretization-one-hot", lambda: L.Discretization(bin_boundaries=[0.0, 1.0], output_mode="one_hot"),
         (4,)),
    case("pipeline", lambda: L.Pipeline([L.Rescaling(0.5), L.RandomFlip(), L.CenterCrop(3, 3)]), (5, 4, 2)),
]


# keras.ops calls on symbolic tensors (OpLayer nodes); test_onnx_ops.py writes them as users do, with ops
CASES += [
    case("op-layer-add", lambda: OpLayer("add", {"args": [{"__slot__": 0}, {"__slot__": 1}], "kwargs": {}}),
         [(3, 4), (3, 4)]),
    case("op-layer-mean", lambda: OpLayer("mean", op_kwargs={"axis": 1, "keepdims": True}), (3, 4)),
    case("op-layer-softmax", lambda: OpLayer("softmax", op_kwargs={"axis": -1}), (3, 4)),
]


def _adapted_normalization():
    layer = L.Normalization()
    layer.adapt(np.random.default_rng(1).normal(3.0, 2.0, (20, 4)).astype("float32"))
    return layer


# Every activation function kerasette can export, through an Activation layer.
for _function in exportable_activations():
    _name = activations.serialize(_function)
    CASES.append(case(f"activation-{_name}", lambda name=_name: L.Activation(name), (3, 4)))


def random_weights(model, rng):
    """Give every weight random values (variances positive), so a converter that drops one is caught."""
    for layer in model.layers:
        values = []
        for weight in layer.weights:
            if "variance" in weight.name:
                values.append(rng.uniform(0.5, 1.5, weight.shape))
            else:
                values.append(rng.normal(0.0, 0.5, weight.shape))
        layer.set_weights([v.astype(weight.dtype) for v, weight in zip(values, layer.weights)])


def input_data(shape, kind, rng, batch=3):
    """A batch for one input of ``shape`` (without batch) of ``kind``."""
    full = (batch, *shape)
    if kind == "int":
        return rng.integers(0, 10, full).astype("int32")
    if kind == "small-int":
        return rng.integers(0, 6, full).astype("int32")
    if kind == "uint8":
        return rng.integers(0, 256, full).astype("uint8")
    if kind == "pixels":
        return rng.integers(0, 256, full).astype("float32")
    if kind == "unit":
        return rng.uniform(0.2, 0.7, full).astype("float32")
    if kind == "float-int":
        return rng.integers(0, 10, full).astype("float32")
    data = rng.normal(0.0, 1.5, full).astype("float32")
    if kind == "masked":
        data[:, 1] = 0.0  # a padding timestep in every sample
    return data


def build_case(make, shapes, kwargs, kind):
    """``(model, inputs)`` for one case: Input(s) -> layer -> output, with random weights and data."""
    rng = np.random.default_rng(7)
    layer = make()
    if kind == "small-int-weights":  # CategoryEncoding(indices, count_weights=weights)
        indices, weights = ks.Input(shapes[0], dtype="int32", name="input_0"), ks.Input(shapes[1], name="input_1")
        model = ks.Model([indices, weights], layer(indices, count_weights=weights))
        return model, [input_data(shapes[0], "small-int", rng), input_data(shapes[1], "float", rng)]
    if kind.startswith("projected"):
        return _projected_attention_case(layer, shapes, kwargs, kind, rng)
    dtype = {"int": "int32", "small-int": "int32", "uint8": "uint8"}.get(kind, "float32")
    tensors = [ks.Input(shape, dtype=dtype, name=f"input_{i}") for i, shape in enumerate(shapes)]
    outputs = layer(tensors if len(tensors) > 1 else tensors[0], **kwargs)
    model = ks.Model(tensors if len(tensors) > 1 else tensors[0], outputs)
    random_weights(model, rng)
    data = [input_data(shape, kind, rng) for shape in shapes]
    return model, data


def _projected_attention_case(layer, shapes, kwargs, kind, rng):
    """MultiHeadAttention / GroupQueryAttention: ``layer(query, value[, key], attention_mask=...)``.

    With kind ``"projected-mask"`` the last shape is a 0/1 ``attention_mask`` input, whose first query row of the
    first sample masks every key (the layers give such a row zero attention).
    """
    tensors = [ks.Input(shape, name=f"input_{i}") for i, shape in enumerate(shapes)]
    data = [input_data(shape, "float", rng) for shape in shapes]
    arguments = tensors if len(tensors) > 1 else tensors * 2  # one input: self-attention
    if kind == "projected-mask":
        arguments, kwargs = arguments[:-1], {**kwargs, "attention_mask": tensors[-1]}
        data[-1] = (rng.uniform(size=data[-1].shape) > 0.4).astype("float32")
        data[-1][0, 0] = 0.0
        if len(arguments) == 1:  # self-attention with a mask
            arguments = arguments * 2
    model = ks.Model(tensors if len(tensors) > 1 else tensors[0], layer(*arguments, **kwargs))
    random_weights(model, rng)
    return model, data
