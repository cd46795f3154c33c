"""Linear-algebra NumPy kernels, on BLAS through np.matmul and np.einsum."""

from __future__ import annotations

import numpy as np

from ....engine.registry import register_kernel
from .elementwise import fused_activation
from .util import arr, quiet


def _operand(x: np.ndarray, transpose: bool) -> np.ndarray:
    if transpose:
        x = np.swapaxes(x, -1, -2)
    if x.ndim > 2 and not x.flags.c_contiguous:
        # A stack of transposed views makes np.matmul loop without BLAS: 100x slower
        # (8 x [32, 256] @ [256, 64]: 140 ms against 1 ms after the copy).
        x = np.ascontiguousarray(x)
    return x


def _matmul(inputs, attrs) -> np.ndarray:
    a, b = arr(inputs[0]), arr(inputs[1])
    if a.ndim == 2 and b.ndim == 2:
        # The common case (Dense) straight to np.matmul, which hands a transposed
        # 2-D view to BLAS as a transposed operand: ~1 us less per call than the
        # general path (a tenth of a small product such as [128, 10] x [10, 128]).
        return np.matmul(a.T if attrs['transposeA'] else a, b.T if attrs['transposeB'] else b)
    return np.matmul(_operand(a, attrs['transposeA']), _operand(b, attrs['transposeB']))


@register_kernel('BatchMatMul', 'cpu')
def batch_mat_mul(backend, inputs, attrs):
    # tfjs gives inf * 0 = NaN and overflow to Infinity without a word
    with quiet():
        return _matmul(inputs, attrs)


@register_kernel('_FusedMatMul', 'cpu')
def fused_mat_mul(backend, inputs, attrs):
    alpha = arr(inputs[3]) if inputs[3] is not None else None
    with quiet():
        z = _matmul(inputs, attrs)  # a fresh array: bias and relu update it in place
        if inputs[2] is not None:
            z += arr(inputs[2])
        out = fused_activation(z, attrs['activation'], alpha, attrs['leakyreluAlpha'])
    return out.astype(z.dtype, copy=False)


@register_kernel('Einsum', 'cpu')
def einsum(backend, inputs, attrs):
    with quiet():
        out = np.einsum(attrs['equation'], *(arr(t) for t in inputs))
    return np.asarray(out, dtype=arr(inputs[0]).dtype)


@register_kernel('MatrixBandPart', 'cpu')
def matrix_band_part(backend, inputs, attrs):
    x = arr(inputs[0])
    m, n = x.shape[-2:]
    lower = m if attrs['numLower'] < 0 else attrs['numLower']
    upper = n if attrs['numUpper'] < 0 else attrs['numUpper']
    diff = np.arange(m)[:, None] - np.arange(n)[None, :]
    band = (diff <= lower) & (-diff <= upper)
    return np.where(band, x, np.zeros((), x.dtype))
