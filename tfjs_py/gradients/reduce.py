"""Gradients of reductions: the upstream gradient spread back over the
reduced axes."""

from __future__ import annotations

import math

from ..engine.registry import register_gradient
from ..ops.creation import onesLike
from ..ops.elementwise import div, mul
from ..ops.shape import reshape


def _kept_shape(shape: tuple[int, ...], axes: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(1 if i in axes else d for i, d in enumerate(shape))


@register_gradient('Sum')
def sum_grad(dy, inputs, outputs, attrs):
    (x,) = inputs
    return (lambda: mul(reshape(dy, _kept_shape(x._shape, attrs['axis'])),
                        onesLike(x)),)


@register_gradient('Mean')
def mean_grad(dy, inputs, outputs, attrs):
    (x,) = inputs
    count = math.prod(x._shape[a] for a in attrs['axis'])
    return (lambda: div(mul(reshape(dy, _kept_shape(x._shape, attrs['axis'])),
                            onesLike(x)), float(max(count, 1))),)
