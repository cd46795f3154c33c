"""Gradients of reductions: the upstream gradient spread back over the
reduced axes; cumulative ops run their scan the other way."""

from __future__ import annotations

import math

import numpy as np

from ..engine.registry import register_gradient
from ..ops.creation import oneHot, ones, tensor, zeros, zerosLike
from ..ops.elementwise import add, cast, div, equal, mul, sub
from ..ops.linalg import matMul
from ..ops.reduce import cumprod, cumsum, sum_
from ..ops.shape import reshape, stack, transpose


def _kept_shape(shape: tuple[int, ...], axes: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(1 if i in axes else d for i, d in enumerate(shape))


def _float(x):
    return x if x.dtype == 'float32' else cast(x, 'float32')


@register_gradient('Sum')
def sum_grad(dy, inputs, outputs, attrs):
    (x,) = inputs
    # float32 ones, as tfjs: the gradient of a sum of int32 or bool is float32
    return (lambda: mul(reshape(dy, _kept_shape(x._shape, attrs['axis'])),
                        ones(x._shape)),)


@register_gradient('Mean')
def mean_grad(dy, inputs, outputs, attrs):
    (x,) = inputs
    count = math.prod(x._shape[a] for a in attrs['axis'])
    return (lambda: div(mul(reshape(dy, _kept_shape(x._shape, attrs['axis'])),
                            ones(x._shape)), float(max(count, 1))),)


def _extreme_grad(dy, inputs, outputs, attrs):
    """dy goes to every element equal to the extreme (all tied ones, and none
    where the extreme is NaN), as in tfjs."""
    (x,) = inputs
    kept = _kept_shape(x._shape, attrs['axis'])

    def dx():
        hit = cast(equal(x, reshape(outputs[0], kept)), 'float32')
        return mul(reshape(_float(dy), kept), hit)

    return (dx,)


@register_gradient('Max')
def max_grad(dy, inputs, outputs, attrs):
    return _extreme_grad(dy, inputs, outputs, attrs)


@register_gradient('Min')
def min_grad(dy, inputs, outputs, attrs):
    return _extreme_grad(dy, inputs, outputs, attrs)


@register_gradient('ArgMax')
def arg_max_grad(dy, inputs, outputs, attrs):
    return (lambda: zerosLike(inputs[0]),)


@register_gradient('ArgMin')
def arg_min_grad(dy, inputs, outputs, attrs):
    return (lambda: zerosLike(inputs[0]),)


def _axes_last(x, axes: tuple[int, ...]):
    """x with the axes moved to the end and merged into one, and the inverse."""
    rank = x.rank
    perm = tuple(i for i in range(rank) if i not in axes) + tuple(axes)
    moved = transpose(x, perm) if perm != tuple(range(rank)) else x
    lead = moved._shape[:rank - len(axes)]
    flat = reshape(moved, (*lead, math.prod(moved._shape[rank - len(axes):])))

    def back(t):
        t = reshape(t, moved._shape)
        return transpose(t, tuple(int(i) for i in np.argsort(perm))) if moved is not x else t

    return flat, back


@register_gradient('Prod')
def prod_grad(dy, inputs, outputs, attrs):
    """The product of every other element, as the product of the exclusive
    running products from both sides: right where x holds zeros."""
    (x,) = inputs
    axes = attrs['axis']

    def dx():
        if not axes:
            return mul(_float(dy), ones(x._shape))
        flat, back = _axes_last(_float(x), axes)
        last = flat.rank - 1
        others = mul(cumprod(flat, last, True, False), cumprod(flat, last, True, True))
        return mul(reshape(_float(dy), _kept_shape(x._shape, axes)), back(others))

    return (dx,)


@register_gradient('Cumsum')
def cumsum_grad(dy, inputs, outputs, attrs):
    return (lambda: cumsum(dy, attrs['axis'], attrs['exclusive'], not attrs['reverse']),)


@register_gradient('Cumprod')
def cumprod_grad(dy, inputs, outputs, attrs):
    """dx[k] = sum over the outputs i whose product holds x[k] of dy[i] times
    the product of the other factors, split into the factors scanned before k
    (an exclusive cumprod) and those after k (a cumprod over a [k, i] grid in
    which the factors up to k are replaced by 1). No division, so zeros in x
    are handled exactly. Costs n^2 per scanned row of length n."""
    (x,) = inputs
    axis, exclusive, reverse = attrs['axis'], attrs['exclusive'], attrs['reverse']

    def dx():
        if x.rank == 0:
            return _float(dy)
        xf, back = _axes_last(_float(x), (axis,))
        g, _ = _axes_last(_float(dy), (axis,))
        n = xf._shape[-1]
        k = np.arange(n)[:, None]
        j = np.arange(n)[None, :]
        after = (j < k) if reverse else (j > k)
        if reverse:
            holds = (k > j) if exclusive else (k >= j)
        else:
            holds = (k < j) if exclusive else (k <= j)
        after_t = tensor(after.astype(np.float32))
        # grid[..., k, j]: x[j] where j is scanned after k, else 1
        x3 = reshape(xf, (*xf._shape[:-1], 1, n))
        grid = add(mul(x3, after_t), sub(1.0, after_t))
        later = cumprod(grid, xf.rank, exclusive, reverse)
        g3 = reshape(g, (*g._shape[:-1], 1, n))
        total = sum_(mul(mul(later, g3), tensor(holds.astype(np.float32))), xf.rank)
        return back(mul(cumprod(xf, xf.rank - 1, True, reverse), total))

    return (dx,)


@register_gradient('UnsortedSegmentSum')
def unsorted_segment_sum_grad(dy, inputs, outputs, attrs):
    """Each slice of x gets the gradient of its segment; dropped ids get 0."""
    x, ids = inputs
    n = attrs['numSegments']

    def dx():
        if n == 0 or x.size == 0:
            return zerosLike(_float(x))
        inner = math.prod(x._shape[ids.rank:])
        rows = reshape(_float(dy), (n, inner))
        if n == 1:
            rows = stack([reshape(rows, (inner,)), zeros((inner,))])
        picks = oneHot(reshape(ids, (-1,)), max(n, 2), 1, 0, 'float32')
        return reshape(matMul(picks, rows), x._shape)

    return (dx, None)
