"""Mixed precision, named as in ``keras.mixed_precision``: float16 computations with float32 weights.

``set_global_policy("mixed_float16")`` makes layers created afterwards compute in float16 while they
keep their weights in float32: float inputs are cast to float16, and inside ``call`` each float
weight reads as a float16 copy; gradients reach the weights in float32. ``compile`` then wraps the
optimizer in a ``LossScaleOptimizer`` (dynamic loss scaling: the loss is multiplied by a scale, 2**15
at first, so small float16 gradients do not underflow; a step whose gradients overflow is skipped and
the scale halved; after 2000 good steps the scale doubles). Losses and metrics are computed in float32,
``BatchNormalization`` keeps its statistics in float32, and, as Keras advises, a model's final softmax
should run in float32: ``layers.Activation("softmax", dtype="float32")``.

On the numpy backend float16 is computed honestly and is slower than float32 (a warning says so
once: GEMMs run on float32 copies rounded back to float16, elementwise math in numpy's float16). The
OpenCL backend refuses float16 with an error naming the device and whether it has ``cl_khr_fp16``: its
kernels have no half versions yet. ``"mixed_bfloat16"`` raises: no kerasette backend has bfloat16.

>>> import kerasette as keras
>>> layer = keras.layers.Dense(2, dtype=keras.mixed_precision.Policy("mixed_float16"))
>>> layer.dtype_policy, layer.compute_dtype, layer.variable_dtype
(<DTypePolicy "mixed_float16">, 'float16', 'float32')
"""

from kerasette.dtype_policies import DTypePolicy, dtype_policy, set_dtype_policy
from kerasette.optimizers.loss_scale_optimizer import LossScaleOptimizer

Policy = DTypePolicy  # Keras's legacy name
global_policy = dtype_policy  # Keras's legacy name
set_global_policy = set_dtype_policy  # Keras's legacy name

__all__ = ["DTypePolicy", "LossScaleOptimizer", "Policy", "dtype_policy", "global_policy", "set_dtype_policy",
           "set_global_policy"]
