"""PLACEHOLDER: to be replaced by the real implementation."""

__all__ = ['sum', 'mean', 'max', 'min', 'argmax', 'all', 'softmax', 'log_softmax']

def sum(*args, **kwargs):
    raise NotImplementedError('opencl sum is not implemented yet')


def mean(*args, **kwargs):
    raise NotImplementedError('opencl mean is not implemented yet')


def max(*args, **kwargs):
    raise NotImplementedError('opencl max is not implemented yet')


def min(*args, **kwargs):
    raise NotImplementedError('opencl min is not implemented yet')


def argmax(*args, **kwargs):
    raise NotImplementedError('opencl argmax is not implemented yet')


def all(*args, **kwargs):
    raise NotImplementedError('opencl all is not implemented yet')


def softmax(*args, **kwargs):
    raise NotImplementedError('opencl softmax is not implemented yet')


def log_softmax(*args, **kwargs):
    raise NotImplementedError('opencl log_softmax is not implemented yet')

