"""Bundled applications: small classic architectures with weights trained on Fashion-MNIST.

``kerasette.applications.VGGSmall()`` returns a trained model in one line, offline: the weights ship
inside the package (``applications/weights/``, each file checked against its sha256 when loaded).
Every builder takes Keras's application arguments (``include_top``, ``weights``, ``input_tensor``,
``input_shape``, ``pooling``, ``classes``, ``classifier_activation``); each module has
``preprocess_input`` and ``decode_predictions``.

>>> from kerasette.applications import vgg_small
>>> model = vgg_small.VGGSmall(weights=None)
>>> model.output_shape
(None, 10)
"""

from kerasette.applications import lenet5, mobilenet_small, resnet_small, vgg_small
from kerasette.applications.lenet5 import LeNet5
from kerasette.applications.mobilenet_small import MobileNetSmall
from kerasette.applications.resnet_small import ResNetSmall
from kerasette.applications.vgg_small import VGGSmall

__all__ = ["LeNet5", "MobileNetSmall", "ResNetSmall", "VGGSmall", "lenet5", "mobilenet_small", "resnet_small",
           "vgg_small"]
