"""Reduction NumPy kernels. `axis` arrives as a tuple of non-negative axes."""

from __future__ import annotations

import numpy as np

from ....engine.registry import register_kernel
from .util import arr


@register_kernel('Sum', 'cpu')
def sum_(backend, inputs, attrs):
    x = arr(inputs[0])
    dtype = np.int32 if x.dtype == np.bool_ else x.dtype
    return np.sum(x, axis=attrs['axis'], keepdims=attrs['keepDims'], dtype=dtype)


@register_kernel('Mean', 'cpu')
def mean(backend, inputs, attrs):
    x = arr(inputs[0])
    axis = attrs['axis']
    if x.size == 0:
        shape = np.sum(np.zeros(x.shape, np.float32), axis=axis, keepdims=attrs['keepDims'])
        return np.zeros_like(shape, dtype=np.float32)
    return np.mean(x, axis=axis, keepdims=attrs['keepDims'], dtype=np.float32)
