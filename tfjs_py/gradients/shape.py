"""Gradients of shape kernels."""

from __future__ import annotations

from ..engine.registry import register_gradient
from ..ops.shape import reshape, stack, transpose, unstack


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


@register_gradient('Pack')
def pack_grad(dy, inputs, outputs, attrs):
    def slices():
        return unstack(dy, attrs['axis'])

    return tuple((lambda i=i: slices()[i]) for i in range(len(inputs)))


@register_gradient('Unpack')
def unpack_grad(dys, inputs, outputs, attrs):
    parts = dys if isinstance(dys, list) else [dys]
    return (lambda: stack(parts, attrs['axis']),)
