"""Reductions over axes (with keepDims), arg-extremes, cumulative sums and
products, segment sums, and the composed logSumExp, moments and norm."""

from __future__ import annotations

import math
from typing import Any

from .._naming import AttrDict
from ..engine.engine import ENGINE
from ..engine.tensor import Tensor
from .axes import parse_axes, parse_axis
from .elementwise import abs_, add, cast, exp, log, sqrt, square, sub
from .op import convert, op, run_kernel
from .shape import reshape


def numeric(t: Tensor, arg: str, fn: str) -> Tensor:
    """t itself, refusing a string tensor with tfjs' message."""
    if t.dtype == 'string':
        raise TypeError(f"Argument '{arg}' passed to '{fn}' must be numeric tensor, but got "
                        f"string tensor")
    return t


def _reduce(kernel: str, fn: str, x: Any, axis: Any, keepDims: bool,
            dtype: str | None = None) -> Tensor:
    x = numeric(convert(x, 'x', fn, dtype), 'x', fn)
    return run_kernel(kernel, (x,), {'axis': parse_axes(axis, x.rank, fn),
                                     'keepDims': bool(keepDims)})


@op(name='sum')
def sum_(x: Any, axis: Any = None, keepDims: bool = False) -> Tensor:
    """Sum over axes; bool sums to int32, as in tfjs."""
    return _reduce('Sum', 'sum', x, axis, keepDims)


@op
def mean(x: Any, axis: Any = None, keepDims: bool = False) -> Tensor:
    """Mean over axes, always float32; the mean of nothing is 0, as in tfjs."""
    return _reduce('Mean', 'mean', x, axis, keepDims)


@op
def prod(x: Any, axis: Any = None, keepDims: bool = False) -> Tensor:
    """Product over axes; bool multiplies as int32, as in tfjs."""
    return _reduce('Prod', 'prod', x, axis, keepDims)


@op(name='max')
def max_(x: Any, axis: Any = None, keepDims: bool = False) -> Tensor:
    """Maximum over axes; NaN wins, and an empty axis gives NaN, as in tfjs."""
    return _reduce('Max', 'max', x, axis, keepDims)


@op(name='min')
def min_(x: Any, axis: Any = None, keepDims: bool = False) -> Tensor:
    """Minimum over axes; NaN wins, and an empty axis gives NaN, as in tfjs."""
    return _reduce('Min', 'min', x, axis, keepDims)


def _logical(kernel: str, fn: str, x: Any, axis: Any, keepDims: bool) -> Tensor:
    t = convert(x, 'x', fn, 'bool')
    if t.dtype != 'bool':
        raise TypeError(f"argument 'x' passed to {fn!r} must be a bool tensor, but got a "
                        f"{t.dtype} tensor")
    return _reduce(kernel, fn, t, axis, keepDims)


@op(name='all')
def all_(x: Any, axis: Any = None, keepDims: bool = False) -> Tensor:
    """Logical AND over axes of a bool tensor. Over an empty axis it is true
    (tfjs 4.22 answers false there, which is wrong)."""
    return _logical('All', 'all', x, axis, keepDims)


@op(name='any')
def any_(x: Any, axis: Any = None, keepDims: bool = False) -> Tensor:
    """Logical OR over axes of a bool tensor."""
    return _logical('Any', 'any', x, axis, keepDims)


def _arg(kernel: str, fn: str, x: Any, axis: Any) -> Tensor:
    x = numeric(convert(x, 'x', fn), 'x', fn)
    if x.rank == 0:
        raise ValueError(f'{fn}: x must have rank at least 1, but got a scalar')
    if isinstance(axis, list | tuple):
        if len(axis) != 1:
            raise ValueError(f'{fn} reduces over one axis, but got axes {list(axis)} for '
                             f'x of shape {x.shape}')
        axis = axis[0]
    return run_kernel(kernel, (x,), {'axis': parse_axis(int(axis), x.rank, fn)})


@op
def argMax(x: Any, axis: int = 0) -> Tensor:
    """Index (int32) of the largest value along an axis: the first on ties;
    NaN is skipped unless it comes first, as in tfjs."""
    return _arg('ArgMax', 'argMax', x, axis)


@op
def argMin(x: Any, axis: int = 0) -> Tensor:
    """Index (int32) of the smallest value along an axis: the first on ties;
    NaN is skipped unless it comes first, as in tfjs."""
    return _arg('ArgMin', 'argMin', x, axis)


def _cumulative(kernel: str, fn: str, x: Any, axis: int, exclusive: bool,
                reverse: bool) -> Tensor:
    x = numeric(convert(x, 'x', fn), 'x', fn)
    # tfjs gets a negative axis wrong; here it counts from the end
    ax = parse_axis(int(axis), x.rank, fn) if x.rank else 0
    return run_kernel(kernel, (x,), {'axis': ax, 'exclusive': bool(exclusive),
                                     'reverse': bool(reverse)})


@op
def cumsum(x: Any, axis: int = 0, exclusive: bool = False, reverse: bool = False) -> Tensor:
    """Running sum along an axis; exclusive leaves each element out, reverse
    runs from the end. bool sums as int32."""
    return _cumulative('Cumsum', 'cumsum', x, axis, exclusive, reverse)


@op
def cumprod(x: Any, axis: int = 0, exclusive: bool = False, reverse: bool = False) -> Tensor:
    """Running product along an axis; exclusive leaves each element out,
    reverse runs from the end."""
    return _cumulative('Cumprod', 'cumprod', x, axis, exclusive, reverse)


@op
def unsortedSegmentSum(x: Any, segmentIds: Any, numSegments: int) -> Tensor:
    """Sum the slices of x into numSegments rows by segmentIds; ids outside
    [0, numSegments) are dropped."""
    fn = 'unsortedSegmentSum'
    x = numeric(convert(x, 'x', fn), 'x', fn)
    ids = convert(segmentIds, 'segmentIds', fn, 'int32')
    if ids.dtype != 'int32':
        raise TypeError(f"argument 'segmentIds' passed to {fn!r} must be an int32 tensor, "
                        f"but got a {ids.dtype} tensor")
    if isinstance(numSegments, bool) or int(numSegments) != numSegments or numSegments < 0:
        raise ValueError(f'{fn}: numSegments must be a non-negative integer, got '
                         f'{numSegments!r}')
    if x._shape[:ids.rank] != ids._shape or ids.rank == 0:
        raise ValueError(f'{fn}: the shape of segmentIds {ids.shape} must be a non-empty '
                         f'prefix of the shape of x {x.shape}')
    return run_kernel('UnsortedSegmentSum', (x, ids), {'numSegments': int(numSegments)})


def _kept_shape(shape: tuple[int, ...], axes: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(1 if i in axes else d for i, d in enumerate(shape))


@op
def logSumExp(x: Any, axis: Any = None, keepDims: bool = False) -> Tensor:
    """log(sum(exp(x))) computed as max + log(sum(exp(x - max))), as tfjs
    composes it (so an all -Infinity slice gives NaN, as in tfjs)."""
    t = numeric(convert(x, 'x', 'logSumExp'), 'x', 'logSumExp')
    axes = parse_axes(axis, t.rank, 'logSumExp')

    def run() -> Tensor:
        xf = cast(t, 'float32')
        top = max_(xf, axes, True)
        summed = log(sum_(exp(sub(xf, top)), axes))
        out = add(reshape(top, summed._shape), summed)
        return reshape(out, _kept_shape(t._shape, axes)) if keepDims else out

    return ENGINE.tidy(run)


@op
def moments(x: Any, axis: Any = None, keepDims: bool = False) -> AttrDict:
    """{'mean', 'variance'} of x over axes (float32); both read as keys or
    attributes (`m['mean']`, `m.variance`)."""
    t = numeric(convert(x, 'x', 'moments'), 'x', 'moments')
    axes = parse_axes(axis, t.rank, 'moments')

    def run() -> tuple[Tensor, Tensor]:
        xf = cast(t, 'float32')
        mu = mean(xf, axes, keepDims)
        dev = square(sub(xf, reshape(mu, _kept_shape(t._shape, axes))))
        return mu, mean(dev, axes, keepDims)

    mu, variance = ENGINE.tidy(run)
    return AttrDict(mean=mu, variance=variance)


def _norm_error(p: Any) -> ValueError:
    return ValueError(f'Error in norm: invalid ord value: {p}')


def _vector_norm(x: Tensor, p: Any, axes: tuple[int, ...]) -> Tensor:
    if p == 1 and p is not True:
        return sum_(abs_(x), axes, True)
    if p == math.inf:
        return max_(abs_(x), axes, True)
    if p == -math.inf:
        return min_(abs_(x), axes, True)
    if p == 'euclidean' or (p == 2 and p is not True):
        return sqrt(sum_(square(cast(x, 'float32')), axes, True))
    raise _norm_error(p)


def _matrix_norm(x: Tensor, p: Any, axes: tuple[int, int]) -> Tensor:
    a0, a1 = axes
    if p == 1 and p is not True:
        return max_(sum_(abs_(x), a0, True), a1, True)
    if p == math.inf:
        return max_(sum_(abs_(x), a1, True), a0, True)
    if p == -math.inf:
        return min_(sum_(abs_(x), a1, True), a0, True)
    if p in ('fro', 'euclidean'):
        return sqrt(sum_(square(cast(x, 'float32')), axes, True))
    raise _norm_error(p)


@op
def norm(x: Any, ord: Any = 'euclidean', axis: Any = None, keepDims: bool = False) -> Tensor:
    """Vector norm (ord 'euclidean', 2, 1, Infinity, -Infinity) over one axis or
    the whole tensor, or matrix norm ('fro', 'euclidean', 1, Infinity,
    -Infinity) over two axes. int32 input is cast to float32 where a square
    root is taken (tfjs refuses it there)."""
    t = numeric(convert(x, 'x', 'norm'), 'x', 'norm')
    p = ord
    if isinstance(p, str) and p not in ('euclidean', 'fro'):
        raise _norm_error(p)
    if axis is not None and not isinstance(axis, int) and len(axis) not in (1, 2):
        raise ValueError(f'Error in norm: invalid axis: {list(axis)}')
    axes = parse_axes(axis, t.rank, 'norm')
    if isinstance(axis, list | tuple) and len(axis) == 2 and len(set(axes)) < 2:
        raise ValueError(f'Error in norm: invalid axis: {list(axis)}')

    def run() -> Tensor:
        if t.rank == 0:
            out = abs_(t)
        elif isinstance(axis, list | tuple) and len(axis) == 2:
            a0, a1 = (int(a) % t.rank for a in axis)
            out = _matrix_norm(t, p, (a0, a1))
        else:
            out = _vector_norm(t, p, axes)
        if keepDims:
            return reshape(out, _kept_shape(t._shape, axes))
        return reshape(out, tuple(d for i, d in enumerate(t._shape) if i not in axes))

    return ENGINE.tidy(run)


@op
def euclideanNorm(x: Any, axis: Any = None, keepDims: bool = False) -> Tensor:
    """The euclidean norm over axes: norm(x, 'euclidean', axis, keepDims)."""
    return norm(x, 'euclidean', axis, keepDims)
