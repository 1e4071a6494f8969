"""PLACEHOLDER: to be replaced by the real implementation."""

__all__ = ['transpose', 'broadcast_to', 'concatenate', 'slice', 'pad', 'one_hot', 'take', 'scatter_add']

def transpose(*args, **kwargs):
    raise NotImplementedError('opencl transpose is not implemented yet')


def broadcast_to(*args, **kwargs):
    raise NotImplementedError('opencl broadcast_to is not implemented yet')


def concatenate(*args, **kwargs):
    raise NotImplementedError('opencl concatenate is not implemented yet')


def slice(*args, **kwargs):
    raise NotImplementedError('opencl slice is not implemented yet')


def pad(*args, **kwargs):
    raise NotImplementedError('opencl pad is not implemented yet')


def one_hot(*args, **kwargs):
    raise NotImplementedError('opencl one_hot is not implemented yet')


def take(*args, **kwargs):
    raise NotImplementedError('opencl take is not implemented yet')


def scatter_add(*args, **kwargs):
    raise NotImplementedError('opencl scatter_add is not implemented yet')

