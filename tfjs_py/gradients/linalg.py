"""Gradients of linear-algebra kernels."""

from __future__ import annotations

from ..engine.registry import register_gradient
from ..ops.linalg import matMul
from .broadcast import unbroadcast


@register_gradient('BatchMatMul')
def batch_mat_mul_grad(dy, inputs, outputs, attrs):
    a, b = inputs
    ta, tb = attrs['transposeA'], attrs['transposeB']
    if not ta and not tb:
        da, db = (lambda: matMul(dy, b, False, True)), (lambda: matMul(a, dy, True, False))
    elif not ta and tb:
        da, db = (lambda: matMul(dy, b)), (lambda: matMul(dy, a, True, False))
    elif ta and not tb:
        da, db = (lambda: matMul(b, dy, False, True)), (lambda: matMul(a, dy))
    else:
        da, db = (lambda: matMul(b, dy, True, True)), (lambda: matMul(dy, a, True, True))
    return (lambda: unbroadcast(da(), a._shape), lambda: unbroadcast(db(), b._shape))
