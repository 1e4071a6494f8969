"""Layers, one per module, re-exported here: ``from kerasette import layers``."""

from kerasette.layers import op_layer as _op_layer
from kerasette.layers.activation import Activation
from kerasette.layers.activity_regularization import ActivityRegularization
from kerasette.layers.adaptive_pooling1d import AdaptiveAveragePooling1D, AdaptiveMaxPooling1D
from kerasette.layers.adaptive_pooling2d import AdaptiveAveragePooling2D, AdaptiveMaxPooling2D
from kerasette.layers.adaptive_pooling3d import AdaptiveAveragePooling3D, AdaptiveMaxPooling3D
from kerasette.layers.additive_attention import AdditiveAttention
from kerasette.layers.alpha_dropout import AlphaDropout
from kerasette.layers.attention import Attention
from kerasette.layers.batch_normalization import BatchNormalization
from kerasette.layers.conv1d import Conv1D
from kerasette.layers.conv1d_transpose import Conv1DTranspose
from kerasette.layers.conv2d import Conv2D
from kerasette.layers.conv2d_transpose import Conv2DTranspose
from kerasette.layers.conv3d import Conv3D
from kerasette.layers.conv3d_transpose import Conv3DTranspose
from kerasette.layers.cropping import Cropping1D, Cropping3D
from kerasette.layers.cropping2d import Cropping2D
from kerasette.layers.dense import Dense
from kerasette.layers.depthwise_conv1d import DepthwiseConv1D
from kerasette.layers.depthwise_conv2d import DepthwiseConv2D
from kerasette.layers.dropout import Dropout
from kerasette.layers.einsum_dense import EinsumDense
from kerasette.layers.elu import ELU
from kerasette.layers.embedding import Embedding
from kerasette.layers.flatten import Flatten
from kerasette.layers.gaussian_dropout import GaussianDropout
from kerasette.layers.gaussian_noise import GaussianNoise
from kerasette.layers.global_pooling1d import GlobalAveragePooling1D, GlobalMaxPooling1D
from kerasette.layers.global_pooling2d import GlobalAveragePooling2D, GlobalMaxPooling2D
from kerasette.layers.global_pooling3d import GlobalAveragePooling3D, GlobalMaxPooling3D
from kerasette.layers.group_normalization import GroupNormalization
from kerasette.layers.grouped_query_attention import GroupedQueryAttention
from kerasette.layers.hashed_crossing import HashedCrossing
from kerasette.layers.hashing import Hashing
from kerasette.layers.identity import Identity
from kerasette.layers.input_layer import Input, InputLayer
from kerasette.layers.input_spec import InputSpec
from kerasette.layers.integer_lookup import IntegerLookup
from kerasette.layers.lambda_layer import Lambda
from kerasette.layers.layer import Layer
from kerasette.layers.layer_normalization import LayerNormalization
from kerasette.layers.leaky_relu import LeakyReLU
from kerasette.layers.masking import Masking
from kerasette.layers.merging import (
    Add,
    Average,
    Concatenate,
    Dot,
    Maximum,
    Minimum,
    Multiply,
    Subtract,
    add,
    average,
    concatenate,
    dot,
    maximum,
    minimum,
    multiply,
    subtract,
)
from kerasette.layers.multi_head_attention import MultiHeadAttention
from kerasette.layers.permute import Permute
from kerasette.layers.pooling1d import AveragePooling1D, MaxPooling1D
from kerasette.layers.pooling2d import AveragePooling2D, MaxPooling2D
from kerasette.layers.pooling3d import AveragePooling3D, MaxPooling3D
from kerasette.layers.prelu import PReLU
from kerasette.layers.preprocessing import *  # noqa: F401,F403 - the classes in its __all__
from kerasette.layers.preprocessing import LAYERS as PREPROCESSING_LAYERS
from kerasette.layers.relu import ReLU
from kerasette.layers.repeat_vector import RepeatVector
from kerasette.layers.reshape import Reshape
from kerasette.layers.reversible_embedding import ReversibleEmbedding
from kerasette.layers.rms_normalization import RMSNormalization
from kerasette.layers.rnn import (
    GRU,
    LSTM,
    RNN,
    Bidirectional,
    ConvLSTM1D,
    ConvLSTM2D,
    ConvLSTM3D,
    GRUCell,
    LSTMCell,
    SimpleRNN,
    SimpleRNNCell,
    StackedRNNCells,
    TimeDistributed,
)
from kerasette.layers.separable_conv1d import SeparableConv1D
from kerasette.layers.separable_conv2d import SeparableConv2D
from kerasette.layers.softmax import Softmax
from kerasette.layers.spatial_dropout import SpatialDropout1D, SpatialDropout2D, SpatialDropout3D
from kerasette.layers.spectral_normalization import SpectralNormalization
from kerasette.layers.string_lookup import StringLookup
from kerasette.layers.text_vectorization import TextVectorization
from kerasette.layers.unit_normalization import UnitNormalization
from kerasette.layers.up_sampling import UpSampling1D, UpSampling3D
from kerasette.layers.up_sampling2d import UpSampling2D
from kerasette.layers.wrapper import Wrapper
from kerasette.layers.zero_padding import ZeroPadding1D, ZeroPadding3D
from kerasette.layers.zero_padding2d import ZeroPadding2D
from kerasette.registry import Registry

Convolution2D = Conv2D
SeparableConvolution2D = SeparableConv2D
MaxPool2D = MaxPooling2D
AvgPool2D = AveragePooling2D
GlobalAvgPool2D = GlobalAveragePooling2D
GlobalMaxPool2D = GlobalMaxPooling2D
Convolution1D, Convolution3D = Conv1D, Conv3D
Convolution1DTranspose, Convolution2DTranspose = Conv1DTranspose, Conv2DTranspose
Convolution3DTranspose = Conv3DTranspose
SeparableConvolution1D = SeparableConv1D
MaxPool1D, MaxPool3D, AvgPool1D, AvgPool3D = MaxPooling1D, MaxPooling3D, AveragePooling1D, AveragePooling3D
GlobalAvgPool1D, GlobalAvgPool3D = GlobalAveragePooling1D, GlobalAveragePooling3D
GlobalMaxPool1D, GlobalMaxPool3D = GlobalMaxPooling1D, GlobalMaxPooling3D
GroupQueryAttention = GroupedQueryAttention

registry = Registry("layer")
# Not a Keras name: the node of an op called on symbolic tensors (kerasette.layers.op_layer), loadable from configs.
registry.register()(_op_layer.OpLayer)
for _cls in (Activation, AveragePooling2D, BatchNormalization, Conv2D, Dense, Dropout, Flatten,
             GlobalAveragePooling2D, GlobalMaxPooling2D, InputLayer, MaxPooling2D, ReLU, Reshape, Softmax,
             Add, Average, Concatenate, Cropping2D, LayerNormalization, Masking, Maximum, Minimum, Multiply, Permute,
             RepeatVector, Subtract, UpSampling2D, ZeroPadding2D,
             DepthwiseConv2D, Embedding, SeparableConv2D,
             ActivityRegularization, AdaptiveAveragePooling1D, AdaptiveAveragePooling2D, AdaptiveAveragePooling3D,
             AdaptiveMaxPooling1D, AdaptiveMaxPooling2D, AdaptiveMaxPooling3D, AdditiveAttention, AlphaDropout,
             Attention, AveragePooling1D,
             AveragePooling3D, Conv1D, Conv1DTranspose,
             Conv2DTranspose, Conv3D,
             Conv3DTranspose, Cropping1D, Cropping3D, DepthwiseConv1D, Dot, ELU, EinsumDense, GaussianDropout,
             GaussianNoise,
             GlobalAveragePooling1D, GlobalAveragePooling3D, GlobalMaxPooling1D, GlobalMaxPooling3D,
             SpectralNormalization, ReversibleEmbedding,
             GroupNormalization, Identity, Lambda, LeakyReLU, MaxPooling1D, MaxPooling3D, PReLU, RMSNormalization,
             SeparableConv1D,
             SpatialDropout1D, SpatialDropout2D, SpatialDropout3D, UnitNormalization, UpSampling1D, UpSampling3D,
             ZeroPadding1D, ZeroPadding3D,
             Hashing, HashedCrossing, IntegerLookup, StringLookup, TextVectorization,
             Bidirectional, ConvLSTM1D, ConvLSTM2D, ConvLSTM3D,
             GRU, GRUCell, LSTM, LSTMCell, RNN, SimpleRNN, SimpleRNNCell, StackedRNNCells,
             TimeDistributed, MultiHeadAttention):
    registry.register()(_cls)
registry.register("GroupQueryAttention")(GroupedQueryAttention)  # Keras's public name, and its class name
for _cls in PREPROCESSING_LAYERS:  # Rescaling, Normalization, RandomFlip... (kerasette.layers.preprocessing)
    registry.register()(_cls)


def serialize(layer):
    """Return a layer's class name and config, as Keras saves them.

    Args:
        layer: a layer whose class is registered (every built-in layer, and custom ones registered
            with ``@kerasette.saving.register_keras_serializable()``).

    Returns:
        ``{"class_name": ..., "config": layer.get_config()}``.

    Example:
        >>> from kerasette import layers
        >>> config = layers.serialize(layers.Dense(3, name="out"))
        >>> config["class_name"], config["config"]["units"], config["config"]["name"]
        ('Dense', 3, 'out')
    """
    return registry.serialize(layer)


def deserialize(config, custom_objects=None):
    """Create a new layer from the output of ``serialize``.

    Class names resolve only through kerasette's registry (and ``custom_objects``), never by
    importing code named in the config.

    Args:
        config: a dict with ``class_name`` and ``config``.
        custom_objects: optional dict mapping class names to custom layer classes.

    Returns:
        A new, unbuilt layer.

    Raises:
        ValueError: if ``config`` is not such a dict, or the class name is unknown.

    Example:
        >>> from kerasette import layers
        >>> layer = layers.deserialize({"class_name": "Dropout", "config": {"rate": 0.25}})
        >>> type(layer).__name__, layer.rate
        ('Dropout', 0.25)
    """
    if isinstance(config, dict) and "class_name" in config:
        return registry.deserialize(config, custom_objects)
    raise ValueError(f"Invalid layer config: {config!r}. Expected a dict with `class_name` and `config`.")


__all__ = [
    "Activation", "AveragePooling2D", "AvgPool2D", "BatchNormalization", "Conv2D", "Convolution2D", "Dense",
    "Dropout", "Flatten", "GlobalAveragePooling2D", "GlobalAvgPool2D", "GlobalMaxPool2D",
    "GlobalMaxPooling2D", "Input", "InputLayer", "InputSpec", "Layer", "MaxPool2D", "MaxPooling2D", "ReLU", "Reshape",
    "Softmax", "deserialize", "registry", "serialize",
    "Add", "Average", "Concatenate", "Cropping2D", "LayerNormalization", "Masking", "Maximum", "Minimum", "Multiply",
    "Permute", "RepeatVector", "Subtract", "UpSampling2D", "ZeroPadding2D",
    "add", "average", "concatenate", "maximum", "minimum", "multiply", "subtract",
    "DepthwiseConv2D", "Embedding", "SeparableConv2D", "SeparableConvolution2D",
    "ActivityRegularization", "AdaptiveAveragePooling1D", "AdaptiveAveragePooling2D", "AdaptiveAveragePooling3D",
    "AdaptiveMaxPooling1D", "AdaptiveMaxPooling2D", "AdaptiveMaxPooling3D", "AdditiveAttention", "AlphaDropout",
    "Attention", "AveragePooling1D",
    "AveragePooling3D", "AvgPool1D", "AvgPool3D",
    "Conv1D", "Conv1DTranspose",
    "Conv2DTranspose", "Conv3D", "Conv3DTranspose", "Convolution1D", "Convolution1DTranspose",
    "Convolution2DTranspose", "Convolution3D", "Convolution3DTranspose", "Cropping1D", "Cropping3D",
    "DepthwiseConv1D", "Dot", "ELU", "EinsumDense", "GaussianDropout", "GaussianNoise", "GlobalAveragePooling1D",
    "GlobalAveragePooling3D", "GlobalAvgPool1D", "GlobalAvgPool3D", "GlobalMaxPool1D", "GlobalMaxPool3D",
    "GlobalMaxPooling1D", "GlobalMaxPooling3D", "GroupNormalization", "Identity", "Lambda", "LeakyReLU", "Wrapper",
    "SpectralNormalization", "ReversibleEmbedding",
    "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D",
    "MaxPool1D", "MaxPool3D", "MaxPooling1D", "MaxPooling3D", "PReLU", "RMSNormalization",
    "SeparableConv1D", "SeparableConvolution1D",
    "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "UnitNormalization", "UpSampling1D", "UpSampling3D",
    "ZeroPadding1D", "ZeroPadding3D", "dot",
    "Hashing", "HashedCrossing", "IntegerLookup", "StringLookup", "TextVectorization",
    "Bidirectional", "GRU", "GRUCell", "LSTM", "LSTMCell", "RNN", "SimpleRNN", "SimpleRNNCell", "StackedRNNCells",
    "TimeDistributed",
    "GroupQueryAttention", "MultiHeadAttention",
]
__all__ += [cls.__name__ for cls in PREPROCESSING_LAYERS]
