"""Gradients of shape kernels."""

from __future__ import annotations

from ..engine.registry import register_gradient
from ..ops.shape import reshape, transpose


@register_gradient('Reshape')
def reshape_grad(dy, inputs, outputs, attrs):
    (x,) = inputs
    return (lambda: reshape(dy, x._shape),)


@register_gradient('Transpose')
def transpose_grad(dy, inputs, outputs, attrs):
    perm = attrs['perm']
    inverse = [0] * len(perm)
    for i, p in enumerate(perm):
        inverse[p] = i
    return (lambda: transpose(dy, inverse),)
