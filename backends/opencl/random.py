"""PLACEHOLDER: to be replaced by the real implementation."""

__all__ = ['random_uniform', 'random_normal', 'random_permutation', 'dropout_mask']

def random_uniform(*args, **kwargs):
    raise NotImplementedError('opencl random_uniform is not implemented yet')


def random_normal(*args, **kwargs):
    raise NotImplementedError('opencl random_normal is not implemented yet')


def random_permutation(*args, **kwargs):
    raise NotImplementedError('opencl random_permutation is not implemented yet')


def dropout_mask(*args, **kwargs):
    raise NotImplementedError('opencl dropout_mask is not implemented yet')

