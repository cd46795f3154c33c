"""Gradients of linear-algebra kernels."""

from __future__ import annotations

from ..engine.registry import register_gradient
from ..ops.creation import onesLike
from ..ops.elementwise import add, cast, greater, mul, sub
from ..ops.linalg import bandPart, einsum, matMul
from ..ops.op import run_kernel
from ..ops.shape import reshape
from .broadcast import unbroadcast
from .relu_mask import relu_backprop


def _matmul_grads(dz, a, b, ta: bool, tb: bool):
    """Thunks for d(a @ b) given d(output), for every transpose combination;
    batch axes that were broadcast are summed back."""
    if not ta and not tb:
        da, db = (lambda: matMul(dz(), b, False, True)), (lambda: matMul(a, dz(), True, False))
    elif not ta and tb:
        da, db = (lambda: matMul(dz(), b)), (lambda: matMul(dz(), a, True, False))
    elif ta and not tb:
        da, db = (lambda: matMul(b, dz(), False, True)), (lambda: matMul(a, dz()))
    else:
        da, db = (lambda: matMul(b, dz(), True, True)), (lambda: matMul(dz(), a, True, True))
    return lambda: unbroadcast(da(), a._shape), lambda: unbroadcast(db(), b._shape)


@register_gradient('BatchMatMul')
def batch_mat_mul_grad(dy, inputs, outputs, attrs):
    a, b = inputs
    return _matmul_grads(lambda: dy, a, b, attrs['transposeA'], attrs['transposeB'])


def _mask(t):
    return cast(t, 'float32')


@register_gradient('_FusedMatMul')
def fused_mat_mul_grad(dy, inputs, outputs, attrs):
    """Every activation is differentiable here (tfjs unfuses all but linear and
    relu while it records gradients). Where the output alone does not tell the
    side of zero the input was on (leakyrelu, prelu), a @ b + bias is
    recomputed."""
    a, b, bias, alpha = inputs
    y = outputs[0]
    act = attrs['activation']
    ta, tb = attrs['transposeA'], attrs['transposeB']
    cache: dict = {}

    def pre_activation():
        if 'z' not in cache:
            cache['z'] = run_kernel('_FusedMatMul', (a, b, bias, None),
                                    {**attrs, 'activation': 'linear'})
        return cache['z']

    def dz():
        if 'dz' in cache:
            return cache['dz']
        if act == 'linear':
            out = dy
        elif act == 'relu':
            out = relu_backprop(dy, y)  # tfjs' fused relu gradient, dy * step(y)
        elif act == 'relu6':
            out = mul(dy, mul(_mask(greater(y, 0)), _mask(greater(6.0, y))))
        elif act == 'elu':
            positive = _mask(greater(y, 0))
            out = mul(dy, add(positive, mul(sub(1.0, positive), add(y, 1.0))))
        elif act == 'sigmoid':
            out = mul(dy, mul(y, sub(1.0, y)))
        else:
            z = pre_activation()
            positive = _mask(greater(z, 0))
            slope = attrs['leakyreluAlpha'] if act == 'leakyrelu' else alpha
            out = mul(dy, add(positive, mul(sub(1.0, positive), slope)))
        cache['dz'] = out
        return out

    da, db = _matmul_grads(dz, a, b, ta, tb)
    dbias = None if bias is None else (lambda: unbroadcast(dz(), bias._shape))
    def dalpha():
        z = pre_activation()
        below = sub(1.0, _mask(greater(z, 0)))
        return unbroadcast(mul(mul(dy, below), z), alpha._shape)

    return da, db, dbias, None if alpha is None or act != 'prelu' else dalpha


@register_gradient('Einsum')
def einsum_grad(dy, inputs, outputs, attrs):
    """Each input's gradient is an einsum of dy with the other input; labels
    summed over in that input alone come back by broadcasting."""
    lhs, out = attrs['equation'].split('->')
    terms = lhs.split(',')

    def grad_of(i):
        def thunk():
            x = inputs[i]
            others = [(terms[j], inputs[j]) for j in range(len(terms)) if j != i]
            known = set(out).union(*(t for t, _ in others))
            kept = ''.join(c for c in terms[i] if c in known)
            eq = ','.join([out, *(t for t, _ in others)]) + '->' + kept
            g = einsum(eq, dy, *(t for _, t in others))
            if kept == terms[i]:
                return g
            shape = tuple(d if c in known else 1 for c, d in zip(terms[i], x._shape,
                                                                   strict=True))
            return mul(reshape(g, shape), onesLike(x))
        return thunk

    return tuple(grad_of(i) for i in range(len(terms)))


@register_gradient('MatrixBandPart')
def matrix_band_part_grad(dy, inputs, outputs, attrs):
    return (lambda: bandPart(dy, attrs['numLower'], attrs['numUpper']),)
