"""PLACEHOLDER: to be replaced by the real implementation."""

__all__ = ['add', 'subtract', 'multiply', 'divide', 'power', 'maximum', 'minimum', 'equal', 'not_equal', 'greater', 'greater_equal', 'less', 'less_equal', 'logical_and', 'where', 'negative', 'abs', 'sign', 'square', 'sqrt', 'exp', 'log', 'log1p', 'tanh', 'sigmoid', 'erf', 'clip', 'isfinite', 'relu_backward', 'bias_add_relu']

def add(*args, **kwargs):
    raise NotImplementedError('opencl add is not implemented yet')


def subtract(*args, **kwargs):
    raise NotImplementedError('opencl subtract is not implemented yet')


def multiply(*args, **kwargs):
    raise NotImplementedError('opencl multiply is not implemented yet')


def divide(*args, **kwargs):
    raise NotImplementedError('opencl divide is not implemented yet')


def power(*args, **kwargs):
    raise NotImplementedError('opencl power is not implemented yet')


def maximum(*args, **kwargs):
    raise NotImplementedError('opencl maximum is not implemented yet')


def minimum(*args, **kwargs):
    raise NotImplementedError('opencl minimum is not implemented yet')


def equal(*args, **kwargs):
    raise NotImplementedError('opencl equal is not implemented yet')


def not_equal(*args, **kwargs):
    raise NotImplementedError('opencl not_equal is not implemented yet')


def greater(*args, **kwargs):
    raise NotImplementedError('opencl greater is not implemented yet')


def greater_equal(*args, **kwargs):
    raise NotImplementedError('opencl greater_equal is not implemented yet')


def less(*args, **kwargs):
    raise NotImplementedError('opencl less is not implemented yet')


def less_equal(*args, **kwargs):
    raise NotImplementedError('opencl less_equal is not implemented yet')


def logical_and(*args, **kwargs):
    raise NotImplementedError('opencl logical_and is not implemented yet')


def where(*args, **kwargs):
    raise NotImplementedError('opencl where is not implemented yet')


def negative(*args, **kwargs):
    raise NotImplementedError('opencl negative is not implemented yet')


def abs(*args, **kwargs):
    raise NotImplementedError('opencl abs is not implemented yet')


def sign(*args, **kwargs):
    raise NotImplementedError('opencl sign is not implemented yet')


def square(*args, **kwargs):
    raise NotImplementedError('opencl square is not implemented yet')


def sqrt(*args, **kwargs):
    raise NotImplementedError('opencl sqrt is not implemented yet')


def exp(*args, **kwargs):
    raise NotImplementedError('opencl exp is not implemented yet')


def log(*args, **kwargs):
    raise NotImplementedError('opencl log is not implemented yet')


def log1p(*args, **kwargs):
    raise NotImplementedError('opencl log1p is not implemented yet')


def tanh(*args, **kwargs):
    raise NotImplementedError('opencl tanh is not implemented yet')


def sigmoid(*args, **kwargs):
    raise NotImplementedError('opencl sigmoid is not implemented yet')


def erf(*args, **kwargs):
    raise NotImplementedError('opencl erf is not implemented yet')


def clip(*args, **kwargs):
    raise NotImplementedError('opencl clip is not implemented yet')


def isfinite(*args, **kwargs):
    raise NotImplementedError('opencl isfinite is not implemented yet')


def relu_backward(*args, **kwargs):
    raise NotImplementedError('opencl relu_backward is not implemented yet')


def bias_add_relu(*args, **kwargs):
    raise NotImplementedError('opencl bias_add_relu is not implemented yet')

