"""Linear-algebra NumPy kernels, on BLAS through np.matmul."""

from __future__ import annotations

import numpy as np

from ....engine.registry import register_kernel
from .util import arr


@register_kernel('BatchMatMul', 'cpu')
def batch_mat_mul(backend, inputs, attrs):
    a = arr(inputs[0])
    b = arr(inputs[1])
    if attrs['transposeA']:
        a = np.swapaxes(a, -1, -2)
    if attrs['transposeB']:
        b = np.swapaxes(b, -1, -2)
    return np.matmul(a, b)
