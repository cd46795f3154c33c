"""Linear-algebra GL kernels: a register-blocked matrix product
(gl/linalg/matmul.comp); transposes and batch broadcasting are strides."""

from __future__ import annotations

import numpy as np

from ....engine.registry import register_kernel
from ..program import ProgramSpec
from .elementwise import binary, unary
from .shape import gather
from .util import groups, rec, release, run_elementwise, shape_of, size_of, strides

_BLOCK = 4  # output rows and columns per invocation (gl/linalg/matmul.comp)
_LOCAL = 64


def _batch_view(backend, x, batch: tuple[int, ...]):
    """x itself when its batch axes are the full batch or a single one, else a
    copy broadcast to the full batch; and whether it advances per batch."""
    shape = shape_of(x)
    own = tuple(shape[:-2])
    if size_of(own) == 1:
        return x, False
    aligned = (1,) * (len(batch) - len(own)) + own
    if aligned == batch:
        return x, True
    target = list(batch) + list(shape[-2:])
    full = [1] * (len(target) - len(shape)) + list(shape)
    own_strides = strides(full)
    return gather(backend, x, target, [0] * len(target), [1] * len(target),
                  [0 if d == 1 else s for d, s in zip(full, own_strides, strict=True)]), True


def matmul(backend, a, b, transpose_a: bool, transpose_b: bool):
    sa, sb = shape_of(a), shape_of(b)
    m, k = (sa[-1], sa[-2]) if transpose_a else (sa[-2], sa[-1])
    n = sb[-2] if transpose_b else sb[-1]
    batch = tuple(np.broadcast_shapes(tuple(sa[:-2]), tuple(sb[:-2])))
    dtype = a.dtype if hasattr(a, 'dtype') else rec(a).dtype
    out = backend.new_output(batch + (m, n), dtype)
    va, step_a = _batch_view(backend, a, batch)
    vb, step_b = _batch_view(backend, b, batch)
    blocks_m, blocks_n = -(-m // _BLOCK), -(-n // _BLOCK)
    count = size_of(batch) * blocks_m * blocks_n if out.rec.size else 0
    uniforms = {
        'u_size': count, 'u_m': m, 'u_n': n, 'u_k': k, 'u_blocks_m': blocks_m,
        'u_blocks_n': blocks_n,
        'u_a_batch': m * k if step_a else 0,
        'u_a_row': 1 if transpose_a else k, 'u_a_col': m if transpose_a else 1,
        'u_b_batch': k * n if step_b else 0,
        'u_b_row': 1 if transpose_b else n, 'u_b_col': k if transpose_b else 1,
    }
    backend.run(ProgramSpec('linalg/matmul.comp', [rec(va), rec(vb)], [out.rec],
                            groups(count, _LOCAL), {}, uniforms, local_size=_LOCAL))
    for view, x in ((va, a), (vb, b)):
        if view is not x:
            release(backend, view)
    return out


@register_kernel('BatchMatMul', 'gl')
def batch_mat_mul(backend, inputs, attrs):
    return matmul(backend, inputs[0], inputs[1], attrs['transposeA'], attrs['transposeB'])


_ACTIVATIONS = {'relu': 'Relu', 'relu6': 'Relu6', 'elu': 'Elu', 'sigmoid': 'Sigmoid'}


@register_kernel('_FusedMatMul', 'gl')
def fused_mat_mul(backend, inputs, attrs):
    a, b, bias, alpha = inputs
    z = matmul(backend, a, b, attrs['transposeA'], attrs['transposeB'])
    steps = []
    if bias is not None:
        steps.append(lambda t: binary(backend, 'Add', t, bias))
    activation = attrs['activation']
    if activation in _ACTIVATIONS:
        steps.append(lambda t: unary(backend, _ACTIVATIONS[activation], t))
    elif activation == 'leakyrelu':
        steps.append(lambda t: unary(backend, 'LeakyRelu', t,
                                     u_alpha=float(attrs['leakyreluAlpha'])))
    elif activation == 'prelu':
        steps.append(lambda t: binary(backend, 'Prelu', t, alpha))
    elif activation != 'linear':
        raise ValueError(f'unknown fused activation {activation!r}')
    for step in steps:
        previous = z
        z = step(previous)
        release(backend, previous)
    return z


@register_kernel('MatrixBandPart', 'gl')
def matrix_band_part(backend, inputs, attrs):
    x = inputs[0]
    m, n = x._shape[-2:]
    return run_elementwise(backend, 'linalg/band_part.comp', [x], x._shape, x.dtype, {},
                           {'u_m': m, 'u_n': n, 'u_lower': attrs['numLower'],
                            'u_upper': attrs['numUpper']})
