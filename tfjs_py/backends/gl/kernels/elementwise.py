"""Elementwise GL kernels: one generic shader per arity (gl/elementwise/unary.comp,
binary.comp), the operation chosen by an OP_<Kernel> define."""

from __future__ import annotations

import numpy as np

from ....engine.registry import register_kernel
from .util import gl_type, padded, rec, release, run_elementwise, shape_of, size_of, strides

# Kernels that keep an int32 input int32 (the rest compute in float32).
_KEEP_INT = {'Abs', 'Neg', 'Square', 'Sign', 'Relu', 'Relu6', 'ClipByValue', 'Ceil', 'Floor',
             'Step', 'Round', 'ZerosLike', 'OnesLike'}
_BOOL_RESULT = {'IsFinite', 'IsInf', 'IsNan', 'LogicalNot'}
_UNARY = ('Abs Acos Acosh Asin Asinh Atan Atanh Cos Cosh Elu Erf Exp Expm1 Log Log1p Neg '
          'Reciprocal Relu Relu6 Rsqrt Selu Sigmoid Sin Sinh Softplus Sqrt Square Tan Tanh Ceil '
          'Floor Round Sign IsFinite IsInf IsNan LogicalNot Step LeakyRelu ClipByValue ZerosLike '
          'OnesLike').split()


def unary(backend, name: str, x, out_dtype: str | None = None, **uniforms):
    """Run OP_<name> of unary.comp on a tensor or an intermediate output."""
    dtype = x.dtype if hasattr(x, 'dtype') else rec(x).dtype
    if name in _BOOL_RESULT:
        x_type, out = gl_type(dtype), 'bool'
    elif name in ('ZerosLike', 'OnesLike'):
        x_type, out = gl_type(dtype), dtype
    elif dtype != 'float32' and name in _KEEP_INT:
        x_type, out = 'int', 'int32'
    else:
        x_type, out = 'float', 'float32'
    return run_elementwise(backend, 'elementwise/unary.comp', [x], shape_of(x), out_dtype or out,
                           {f'OP_{name}': 1, 'X_T': x_type}, uniforms)


def _register_unary(name: str) -> None:
    @register_kernel(name, 'gl')
    def kernel(backend, inputs, attrs):
        uniforms = {}
        if name in ('Step', 'LeakyRelu'):
            uniforms['u_alpha'] = float(attrs['alpha'])
        elif name == 'ClipByValue':
            uniforms['u_alpha'] = float(attrs['clipValueMin'])
            uniforms['u_beta'] = float(attrs['clipValueMax'])
        return unary(backend, name, inputs[0], **uniforms)


for _name in _UNARY:
    _register_unary(_name)


@register_kernel('Cast', 'gl')
def cast(backend, inputs, attrs):
    x = inputs[0]
    return run_elementwise(backend, 'elementwise/unary.comp', [x], x._shape, attrs['dtype'],
                           {'OP_Cast': 1, 'X_T': gl_type(x.dtype)}, {})


def copy(backend, x):
    """A new texture with x's values."""
    dtype = x.dtype if hasattr(x, 'dtype') else rec(x).dtype
    return run_elementwise(backend, 'elementwise/unary.comp', [x], shape_of(x), dtype,
                           {'OP_Cast': 1, 'X_T': gl_type(dtype)}, {})


# -- two inputs ---------------------------------------------------------------------------------
_COMPARE = {'Equal', 'NotEqual', 'Greater', 'GreaterEqual', 'Less', 'LessEqual', 'LogicalAnd',
            'LogicalOr', 'LogicalXor'}
_BINARY = ('Add Sub Multiply RealDiv FloorDiv Mod Pow Maximum Minimum SquaredDifference Atan2 '
           'Prelu EluGrad _ReluGrad').split() + sorted(_COMPARE)
_FLOAT_ONLY = {'RealDiv', 'Atan2'}


def _mode(shape: tuple[int, ...], out: tuple[int, ...],
          repeats: bool = True) -> tuple[int, list[int]]:
    """binary.comp's A_MODE/B_MODE and its per-axis strides (mode 2) or its
    u_repeat (modes 3 and 4, as a one-item list; only when `repeats`)."""
    size = size_of(shape)
    if shape == out or size == 0:  # an empty input: an empty output, no dispatch
        return 0, []
    if size == 1:
        return 1, []
    aligned = (1,) * (len(out) - len(shape)) + tuple(shape)
    if not repeats:
        return 2, [0 if d == 1 else s for d, s in zip(aligned, strides(aligned), strict=True)]
    # Leading 1s, then the output's own axes: the output's trailing axes.
    lead = 0
    while aligned[lead] == 1:
        lead += 1
    if aligned[lead:] == out[lead:]:
        return 3, [size]
    kept = len(aligned)
    while aligned[kept - 1] == 1:
        kept -= 1
    if aligned[:kept] == out[:kept]:
        return 4, [size_of(out) // size]
    own = strides(aligned)
    return 2, [0 if d == 1 else s for d, s in zip(aligned, own, strict=True)]


def binary(backend, name: str, a, b, out_dtype: str | None = None):
    """Run OP_<name> of binary.comp, broadcasting a and b."""
    sa, sb = shape_of(a), shape_of(b)
    shape = tuple(sa) if sa == sb else tuple(np.broadcast_shapes(sa, sb))
    dtype = a.dtype if hasattr(a, 'dtype') else rec(a).dtype
    x_type = 'float' if dtype == 'float32' or name in _FLOAT_ONLY else 'int'
    if name in _COMPARE:
        out = 'bool'
    elif name == 'FloorDiv':
        out = 'int32'
    elif x_type == 'float':
        out = 'float32'
    else:
        out = dtype
    mode_a, stride_a = _mode(sa, shape)
    mode_b, stride_b = _mode(sb, shape)
    defines = {f'OP_{name}': 1, 'X_T': x_type, 'A_MODE': mode_a, 'B_MODE': mode_b}
    if x_type == 'int':
        defines['X_INT'] = 1
    uniforms = {}
    if mode_a == 2 or mode_b == 2:
        uniforms = {'u_rank': len(shape), 'u_shape': padded(list(shape), 1),
                    'u_stride_a': padded(stride_a if mode_a == 2 else []),
                    'u_stride_b': padded(stride_b if mode_b == 2 else [])}
    if mode_a > 2:
        uniforms['u_repeat_a'] = stride_a[0]
    if mode_b > 2:
        uniforms['u_repeat_b'] = stride_b[0]
    return run_elementwise(backend, 'elementwise/binary.comp', [a, b], shape,
                           out_dtype or out, defines, uniforms)


def _register_binary(name: str) -> None:
    @register_kernel(name, 'gl')
    def kernel(backend, inputs, attrs):
        return binary(backend, name, inputs[0], inputs[1])


for _name in _BINARY:
    _register_binary(_name)


@register_kernel('Select', 'gl')
def select(backend, inputs, attrs):
    return where(backend, *inputs)


def where(backend, c, a, b):
    """a where c is true, else b (broadcast): on tensors or a kernel's outputs."""
    sc, sa, sb = shape_of(c), shape_of(a), shape_of(b)
    shape = tuple(np.broadcast_shapes(sc, sa, sb))
    defines, uniforms = {}, {'u_rank': len(shape), 'u_shape': padded(list(shape), 1)}
    for key, s in (('c', sc), ('a', sa), ('b', sb)):
        mode, stride = _mode(s, shape, repeats=False)
        defines[f'{key.upper()}_MODE'] = mode
        uniforms[f'u_stride_{key}'] = padded(stride)
    dtype = a.dtype if hasattr(a, 'dtype') else rec(a).dtype
    return run_elementwise(backend, 'elementwise/select.comp', [c, a, b], shape, dtype,
                           defines, uniforms)


@register_kernel('AddN', 'gl')
def add_n(backend, inputs, attrs):
    if len(inputs) == 1:
        return copy(backend, inputs[0])
    total = binary(backend, 'Add', inputs[0], inputs[1])
    for t in inputs[2:]:
        previous = total
        total = binary(backend, 'Add', previous, t)
        release(backend, previous)
    return total


__all__ = ['binary', 'copy', 'unary']
