"""PLACEHOLDER: to be replaced by the real implementation."""

__all__ = ['conv2d', 'conv2d_backward_input', 'conv2d_backward_kernel', 'conv2d_bias_relu', 'conv2d_bias_relu_backward', 'depthwise_conv2d', 'depthwise_conv2d_backward_input', 'depthwise_conv2d_backward_kernel']

def conv2d(*args, **kwargs):
    raise NotImplementedError('opencl conv2d is not implemented yet')


def conv2d_backward_input(*args, **kwargs):
    raise NotImplementedError('opencl conv2d_backward_input is not implemented yet')


def conv2d_backward_kernel(*args, **kwargs):
    raise NotImplementedError('opencl conv2d_backward_kernel is not implemented yet')


def conv2d_bias_relu(*args, **kwargs):
    raise NotImplementedError('opencl conv2d_bias_relu is not implemented yet')


def conv2d_bias_relu_backward(*args, **kwargs):
    raise NotImplementedError('opencl conv2d_bias_relu_backward is not implemented yet')


def depthwise_conv2d(*args, **kwargs):
    raise NotImplementedError('opencl depthwise_conv2d is not implemented yet')


def depthwise_conv2d_backward_input(*args, **kwargs):
    raise NotImplementedError('opencl depthwise_conv2d_backward_input is not implemented yet')


def depthwise_conv2d_backward_kernel(*args, **kwargs):
    raise NotImplementedError('opencl depthwise_conv2d_backward_kernel is not implemented yet')

