"""Reduction NumPy kernels. `axis` arrives as a tuple of non-negative axes
(one int for ArgMax, ArgMin, Cumsum and Cumprod)."""

from __future__ import annotations

import numpy as np

from ....engine.registry import register_kernel
from .util import arr, quiet

# tfjs gives NaN and Infinity silently (inf - inf, overflow in a product)

# The ufunc method np.sum and np.mean call, minus their Python wrappers.
_add = np.add.reduce

# Float32 sums over a leading or trailing run of axes go through BLAS: a
# product with a ones vector. NumPy adds a [43264, 32] array over axis 0 one
# row at a time (0.7 ms; the bias gradient of a conv layer), or a [100000, 4]
# one over axis 1 one short row at a time (1.5 ms); sgemv takes 0.1-0.16. Each
# product sums at most _BLOCK numbers in float32, and block sums add in
# float64: a relative error under 1e-6 even for a constant column of 300000
# (1024-number blocks: 4e-6; NumPy's running float32 sum: 2e-5 on random data).
_BLOCK = 128
_ONES = np.ones(_BLOCK, np.float32)
_ONES.flags.writeable = False
# Below this many elements NumPy's own reduction costs less than the set-up.
_FAST_MIN_SIZE = 4096
# NumPy's max (min) over axes that leave short rows works row by row: 2.5 ms
# for [43264, 32] over axis 1, 11 ms for [200000, 2]; 1.4 ms for [43264, 32]
# over axis 0. Column by column (up to this many reduced numbers per row) or
# halving the rows (up to this many kept numbers) takes 0.02-0.2 ms; longer
# rows are NumPy's fast case.
_EXTREME_MAX_RUN = 32
_EXTREME_MAX_KEPT = 128


def _counting(x: np.ndarray) -> np.ndarray:
    """tfjs sums and multiplies bool values as int32."""
    return x.astype(np.int32) if x.dtype == np.bool_ else x


def _reduced_shape(shape: tuple[int, ...], axes: tuple[int, ...], keep: bool) -> tuple:
    if keep:
        return tuple(1 if i in axes else d for i, d in enumerate(shape))
    return tuple(d for i, d in enumerate(shape) if i not in axes)


def _ones_product(m: np.ndarray, leading: bool) -> np.ndarray:
    """The sums of m [rows, columns] over its first axis (ones @ m, in blocks
    of _BLOCK rows whose float32 sums add in float64) or, for at most _BLOCK
    columns, over its last (m @ ones)."""
    if not leading:
        return m @ _ONES[:m.shape[1]]
    n = m.shape[0]
    if n <= _BLOCK:
        return _ONES[:n] @ m
    q, tail = divmod(n, _BLOCK)
    total = _add(np.matmul(_ONES, m[:q * _BLOCK].reshape(q, _BLOCK, m.shape[1])), axis=0,
                 dtype=np.float64)
    if tail:
        total += _ONES[:tail] @ m[q * _BLOCK:]
    return total.astype(np.float32)


def _matrix(x: np.ndarray, axes: tuple[int, ...]) -> tuple[np.ndarray, bool] | None:
    """x as a matrix [rows, columns] whose first axis (leading=True) or last
    holds the reduced axes, when x is big and contiguous, `axes` is a leading
    or trailing run of its axes, and both sides hold more than one number;
    else None (NumPy's own reduction is then the right one)."""
    if x.size < _FAST_MIN_SIZE or not x.flags.c_contiguous:
        return None
    k, nd = len(axes), x.ndim
    if k == 0 or k == nd:
        return None
    ordered = tuple(sorted(axes))
    if ordered == tuple(range(k)):
        leading = True
    elif ordered == tuple(range(nd - k, nd)):
        leading = False
    else:
        return None
    rows = 1
    for d in x.shape[:k if leading else nd - k]:
        rows *= d
    cols = x.size // rows
    if rows <= 1 or cols <= 1:
        return None
    return x.reshape(rows, cols), leading


def _one_product(x: np.ndarray, axes: tuple[int, ...], keep: bool) -> np.ndarray | None:
    """The float32 sum of a matrix over one axis of at most _BLOCK numbers as
    a single ones-vector product, with as little Python around it as can be
    (in a real fit the general path costs 2-3x the sum itself on a Dense
    layer's bias gradient: [128, 128] over axis 0, 11 us against 4); else None."""
    if x.ndim != 2 or len(axes) != 1 or x.dtype != np.float32:
        return None
    rows, cols = x.shape
    if axes[0] == 0:
        if rows > _BLOCK:
            return None
        out = _ONES[:rows] @ x
        return out.reshape(1, cols) if keep else out
    if cols > _BLOCK:
        return None
    out = x @ _ONES[:cols]
    return out.reshape(rows, 1) if keep else out


def _blas_sum(x: np.ndarray, axes: tuple[int, ...], keep: bool) -> np.ndarray | None:
    """The float32 sum of x over `axes` by ones-vector products, for a leading
    run of axes or a trailing run of at most _BLOCK numbers (NumPy's pairwise
    sum of longer rows is both fast and accurate); else None."""
    split = _matrix(x, axes) if x.dtype == np.float32 else None
    if split is None or not split[1] and split[0].shape[1] > _BLOCK:
        return None
    return _ones_product(*split).reshape(_reduced_shape(x.shape, axes, keep))


def sum_values(x: np.ndarray, axes: tuple[int, ...], keep: bool) -> np.ndarray:
    """The Sum kernel's sum of x (bool counted as int32) over `axes`, also for
    fused kernels that sum as it does."""
    x = _counting(x)
    with quiet():
        fast = _one_product(x, axes, keep)
        if fast is None:
            fast = _blas_sum(x, axes, keep)
        if fast is not None:
            return fast
        return _add(x, axis=axes, keepdims=keep, dtype=x.dtype)


@register_kernel('Sum', 'cpu')
def sum_(backend, inputs, attrs):
    return sum_values(arr(inputs[0]), attrs['axis'], attrs['keepDims'])


@register_kernel('Mean', 'cpu')
def mean(backend, inputs, attrs):
    x = arr(inputs[0])
    axis = attrs['axis']
    if x.size == 0:
        # tfjs: the mean of nothing is 0, not NaN
        return np.zeros(_reduced_shape(x.shape, axis, attrs['keepDims']), np.float32)
    count = 1
    for a in axis:
        count *= x.shape[a]
    # np.mean's own steps (a float32 sum, then one division) without its
    # Python-level wrapper, which costs more than the sum on small tensors;
    # the division by the operator (float32 by float32) costs ~1.5 us less in
    # a fit than np.divide with dtype= (the loss's mean over a batch).
    keep = attrs['keepDims']
    with quiet():
        total = _one_product(x, axis, keep)
        if total is None and x.size >= _FAST_MIN_SIZE:
            total = _blas_sum(x, axis, keep)
        if total is None:
            total = _add(x, axis=axis, dtype=np.float32, keepdims=keep)
        return total / np.float32(count)


@register_kernel('Prod', 'cpu')
def prod(backend, inputs, attrs):
    x = _counting(arr(inputs[0]))
    with quiet():
        return np.prod(x, axis=attrs['axis'], keepdims=attrs['keepDims'], dtype=x.dtype)


def _short_extreme(pick, x: np.ndarray, axes: tuple[int, ...], keep: bool) -> np.ndarray | None:
    """pick (np.maximum or np.minimum) over `axes` without NumPy's row-by-row
    reduction of short rows; None where that reduction is fine. The order of
    comparisons does not matter: any NaN gives NaN, as in tfjs."""
    split = _matrix(x, axes)
    if split is None:
        return None
    m, leading = split
    rows, cols = m.shape
    if not leading:
        if cols > _EXTREME_MAX_RUN:
            return None
        out = pick(m[:, 0], m[:, 1])
        for j in range(2, cols):
            pick(out, m[:, j], out=out)
    else:
        if cols > _EXTREME_MAX_KEPT:
            return None
        # Fold the second half of the rows onto the first until one row is left.
        half = rows // 2
        work = pick(m[:half], m[half:2 * half])
        if rows % 2:
            pick(work[0], m[rows - 1], out=work[0])
        while half > 1:
            n, half = half, half // 2
            pick(work[:half], work[half:2 * half], out=work[:half])
            if n % 2:
                pick(work[0], work[n - 1], out=work[0])
        out = work[0].copy()
    return out.reshape(_reduced_shape(x.shape, axes, keep))


def _extreme(fn, pick, backend, inputs, attrs):
    x = arr(inputs[0])
    axes = attrs['axis']
    if x.size == 0:
        # tfjs: the max (min) over an empty axis is NaN (0 for int32, false for bool)
        shape = _reduced_shape(x.shape, axes, attrs['keepDims'])
        return np.full(shape, np.nan if x.dtype.kind == 'f' else 0, x.dtype)
    fast = _short_extreme(pick, x, axes, attrs['keepDims'])
    return fast if fast is not None else fn(x, axis=axes, keepdims=attrs['keepDims'])


@register_kernel('Max', 'cpu')
def max_(backend, inputs, attrs):
    return _extreme(np.max, np.maximum, backend, inputs, attrs)


@register_kernel('Min', 'cpu')
def min_(backend, inputs, attrs):
    return _extreme(np.min, np.minimum, backend, inputs, attrs)


@register_kernel('All', 'cpu')
def all_(backend, inputs, attrs):
    return np.all(arr(inputs[0]), axis=attrs['axis'], keepdims=attrs['keepDims'])


@register_kernel('Any', 'cpu')
def any_(backend, inputs, attrs):
    return np.any(arr(inputs[0]), axis=attrs['axis'], keepdims=attrs['keepDims'])


def _arg(fn, fill, x: np.ndarray, axis: int) -> np.ndarray:
    if x.shape[axis] == 0:
        return np.zeros(x.shape[:axis] + x.shape[axis + 1:], np.int32)
    if x.dtype.kind != 'f':
        return fn(x, axis=axis).astype(np.int32)
    # tfjs scans with `>` (`<`) from the first element: a NaN later on is never
    # chosen, while a NaN first wins because nothing compares greater with it.
    nan = np.isnan(x)
    out = fn(np.where(nan, fill, x), axis=axis).astype(np.int32)
    first_nan = np.take(nan, 0, axis=axis)
    return np.where(first_nan, 0, out).astype(np.int32)


@register_kernel('ArgMax', 'cpu')
def arg_max(backend, inputs, attrs):
    return _arg(np.argmax, -np.inf, arr(inputs[0]), attrs['axis'])


@register_kernel('ArgMin', 'cpu')
def arg_min(backend, inputs, attrs):
    return _arg(np.argmin, np.inf, arr(inputs[0]), attrs['axis'])


def _cumulative(fn, identity: int, inputs, attrs) -> np.ndarray:
    x = _counting(arr(inputs[0]))
    axis = attrs['axis']
    if x.ndim == 0 or x.shape[axis] == 0:
        return x.copy()
    if attrs['reverse']:
        x = np.flip(x, axis)
    with quiet():
        out = fn(x, axis=axis, dtype=x.dtype)
    if attrs['exclusive']:
        # shifted by one along the axis, the identity coming first
        first = np.full(x.shape[:axis] + (1,) + x.shape[axis + 1:], identity, x.dtype)
        out = np.concatenate([first, np.delete(out, -1, axis)], axis)
    if attrs['reverse']:
        out = np.flip(out, axis)
    return np.ascontiguousarray(out)


@register_kernel('Cumsum', 'cpu')
def cumsum(backend, inputs, attrs):
    return _cumulative(np.cumsum, 0, inputs, attrs)


@register_kernel('Cumprod', 'cpu')
def cumprod(backend, inputs, attrs):
    return _cumulative(np.cumprod, 1, inputs, attrs)


@register_kernel('UnsortedSegmentSum', 'cpu')
def unsorted_segment_sum(backend, inputs, attrs):
    x = arr(inputs[0])
    ids = arr(inputs[1])
    n = attrs['numSegments']
    inner = x.shape[ids.ndim:]
    rows = x.reshape(ids.size, int(np.prod(inner, dtype=np.int64)))
    ids = ids.reshape(-1)
    out = np.zeros((n, rows.shape[1]), _counting(x).dtype)
    # ids outside [0, numSegments) are dropped, as in tfjs
    keep = (ids >= 0) & (ids < n)
    ids, rows = ids[keep], rows[keep]
    if ids.size:
        # Sorted runs summed by reduceat: np.add.at is an order of magnitude slower
        # on embedding gradients (thousands of ids, rows of hundreds).
        order = np.argsort(ids, kind='stable')
        ids = ids[order]
        starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
        with quiet():
            out[ids[starts]] = np.add.reduceat(rows[order].astype(out.dtype, copy=False),
                                               starts, axis=0)
    return out.reshape((n, *inner))
