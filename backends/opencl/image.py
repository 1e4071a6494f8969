"""Image resampling: the affine (or projective) transform of NHWC images as one gather kernel.

The forward pass runs on the device, one work-item per output pixel (``kernels/image.cl``). Its gradient
scatters each output's gradient into the pixels it read; without float atomics a device scatter would
not be deterministic, so the backward runs the numpy backend's function on the host (two downloads,
one upload, counted as transfers). Augmentation layers run it only when gradients flow through a random
transform, which training does not ask for.
"""

import numpy as np
from kerasette.backends.numpy import image_ops as _numpy
from kerasette.backends.opencl import creation, launch, memory
from kerasette.backends.opencl.indexing import index_type
from kerasette.backends.opencl.memory import DeviceArray, cl_type

__all__ = ["affine_transform", "affine_transform_backward"]

_FILE = "image.cl"
_LOCAL = 32


def affine_transform(images, transforms, interpolation, fill_mode, fill_value):
    images = creation.asarray(images)
    _numpy._check(images.shape, _shape(transforms), interpolation, fill_mode)
    if images.dtype.kind != "f":
        raise TypeError(f"affine_transform expects float images. Received dtype {images.dtype.name}.")
    transforms = creation.cast(creation.asarray(transforms), images.dtype)
    out = memory.empty(images.shape, images.dtype)
    n, h, w, c = images.shape
    if out.size == 0:
        return out
    if max(h, w) >= 2**24:  # the kernel's coordinates are clamped to +-2^24 and its indices along an axis are ints
        raise ValueError(f"affine_transform supports images up to 2^24 pixels high and wide. Received {images.shape}.")
    kernel = launch.kernel(_FILE, "affine_transform", T=cl_type(images.dtype), IDX=index_type(images.size)[0],
                           INTERP=_numpy.INTERPOLATIONS.index(interpolation),
                           FILL=_numpy.FILL_MODES.index(fill_mode))
    launch.run(kernel, (w, h, n), (_LOCAL, 1, 1) if w >= _LOCAL else None, images, transforms, out, launch.i32(h),
               launch.i32(w), launch.i32(c), launch.scalar(fill_value, images.dtype))
    return out


def affine_transform_backward(grad, transforms, interpolation, fill_mode):
    host_grad = memory.download(grad) if isinstance(grad, DeviceArray) else np.asarray(grad)
    host_transforms = memory.download(transforms) if isinstance(transforms, DeviceArray) else np.asarray(transforms)
    return creation.asarray(_numpy.affine_transform_backward(host_grad, host_transforms, interpolation, fill_mode))


def _shape(array):
    return array.shape if isinstance(array, DeviceArray) else np.shape(array)
