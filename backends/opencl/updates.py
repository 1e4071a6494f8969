"""PLACEHOLDER: to be replaced by the real implementation."""

__all__ = ['adam_update', 'rmsprop_update']

def adam_update(*args, **kwargs):
    raise NotImplementedError('opencl adam_update is not implemented yet')


def rmsprop_update(*args, **kwargs):
    raise NotImplementedError('opencl rmsprop_update is not implemented yet')

