"""Layers, one per module, re-exported here: ``from kerasette import layers``."""

from kerasette.layers.activation import Activation
from kerasette.layers.batch_normalization import BatchNormalization
from kerasette.layers.conv2d import Conv2D
from kerasette.layers.cropping2d import Cropping2D
from kerasette.layers.dense import Dense
from kerasette.layers.depthwise_conv2d import DepthwiseConv2D
from kerasette.layers.dropout import Dropout
from kerasette.layers.embedding import Embedding
from kerasette.layers.flatten import Flatten
from kerasette.layers.global_pooling2d import GlobalAveragePooling2D, GlobalMaxPooling2D
from kerasette.layers.input_layer import Input, InputLayer
from kerasette.layers.layer import Layer
from kerasette.layers.layer_normalization import LayerNormalization
from kerasette.layers.merging import (
    Add,
    Average,
    Concatenate,
    Maximum,
    Minimum,
    Multiply,
    Subtract,
    add,
    average,
    concatenate,
    maximum,
    minimum,
    multiply,
    subtract,
)
from kerasette.layers.permute import Permute
from kerasette.layers.pooling2d import AveragePooling2D, MaxPooling2D
from kerasette.layers.relu import ReLU
from kerasette.layers.repeat_vector import RepeatVector
from kerasette.layers.reshape import Reshape
from kerasette.layers.separable_conv2d import SeparableConv2D
from kerasette.layers.softmax import Softmax
from kerasette.layers.up_sampling2d import UpSampling2D
from kerasette.layers.zero_padding2d import ZeroPadding2D
from kerasette.registry import Registry

Convolution2D = Conv2D
SeparableConvolution2D = SeparableConv2D
MaxPool2D = MaxPooling2D
AvgPool2D = AveragePooling2D
GlobalAvgPool2D = GlobalAveragePooling2D
GlobalMaxPool2D = GlobalMaxPooling2D

registry = Registry("layer")
for _cls in (Activation, AveragePooling2D, BatchNormalization, Conv2D, Dense, Dropout, Flatten,
             GlobalAveragePooling2D, GlobalMaxPooling2D, InputLayer, MaxPooling2D, ReLU, Reshape, Softmax,
             Add, Average, Concatenate, Cropping2D, LayerNormalization, Maximum, Minimum, Multiply, Permute,
             RepeatVector, Subtract, UpSampling2D, ZeroPadding2D,
             DepthwiseConv2D, Embedding, SeparableConv2D):
    registry.register()(_cls)


def serialize(layer):
    """``{"class_name": ..., "config": ...}`` for a layer."""
    return registry.serialize(layer)


def deserialize(config, custom_objects=None):
    """A new layer from ``serialize``'s output; class names resolve only through the registry."""
    if isinstance(config, dict) and "class_name" in config:
        return registry.deserialize(config, custom_objects)
    raise ValueError(f"Invalid layer config: {config!r}. Expected a dict with `class_name` and `config`.")


__all__ = [
    "Activation", "AveragePooling2D", "AvgPool2D", "BatchNormalization", "Conv2D", "Convolution2D", "Dense",
    "Dropout", "Flatten", "GlobalAveragePooling2D", "GlobalAvgPool2D", "GlobalMaxPool2D",
    "GlobalMaxPooling2D", "Input", "InputLayer", "Layer", "MaxPool2D", "MaxPooling2D", "ReLU", "Reshape",
    "Softmax", "deserialize", "registry", "serialize",
    "Add", "Average", "Concatenate", "Cropping2D", "LayerNormalization", "Maximum", "Minimum", "Multiply",
    "Permute", "RepeatVector", "Subtract", "UpSampling2D", "ZeroPadding2D",
    "add", "average", "concatenate", "maximum", "minimum", "multiply", "subtract",
    "DepthwiseConv2D", "Embedding", "SeparableConv2D", "SeparableConvolution2D",
]
