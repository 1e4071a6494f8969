"""PLACEHOLDER: to be replaced by the real implementation."""

__all__ = ['max_pool2d', 'max_pool2d_backward', 'avg_pool2d', 'avg_pool2d_backward']

def max_pool2d(*args, **kwargs):
    raise NotImplementedError('opencl max_pool2d is not implemented yet')


def max_pool2d_backward(*args, **kwargs):
    raise NotImplementedError('opencl max_pool2d_backward is not implemented yet')


def avg_pool2d(*args, **kwargs):
    raise NotImplementedError('opencl avg_pool2d is not implemented yet')


def avg_pool2d_backward(*args, **kwargs):
    raise NotImplementedError('opencl avg_pool2d_backward is not implemented yet')

