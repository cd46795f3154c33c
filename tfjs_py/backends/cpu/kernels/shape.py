"""Shape and indexing NumPy kernels."""

from __future__ import annotations

import numpy as np

from ....dtypes import NUMPY_DTYPE
from ....engine.registry import register_kernel
from .util import arr


@register_kernel('Transpose', 'cpu')
def transpose(backend, inputs, attrs):
    return np.ascontiguousarray(np.transpose(arr(inputs[0]), attrs['perm']))


@register_kernel('OneHot', 'cpu')
def one_hot(backend, inputs, attrs):
    indices = arr(inputs[0])
    depth = attrs['depth']
    dtype = NUMPY_DTYPE[attrs['dtype']]
    out = np.full(indices.shape + (depth,), attrs['offValue'], dtype=dtype)
    valid = (indices >= 0) & (indices < depth)
    rows = np.nonzero(valid.reshape(-1))[0]
    out.reshape(-1, depth)[rows, indices.reshape(-1)[rows]] = attrs['onValue']
    return out


@register_kernel('Pack', 'cpu')
def pack(backend, inputs, attrs):
    return np.stack([arr(t) for t in inputs], axis=attrs['axis'])


@register_kernel('Unpack', 'cpu')
def unpack(backend, inputs, attrs):
    x = arr(inputs[0])
    return [np.ascontiguousarray(np.take(x, i, axis=attrs['axis']))
            for i in range(x.shape[attrs['axis']])]
