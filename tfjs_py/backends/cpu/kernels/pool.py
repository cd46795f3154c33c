"""Pooling NumPy kernels. Semantics of tfjs' cpu backend:
- max pooling skips NaN and out-of-input cells; a window with nothing else
  gives -Infinity; on ties the first cell in row-major window order wins
  (the last one in 3-D pooling, as tfjs' maxPool3dPositions compares with
  >=), and that cell alone receives the gradient; a 1x1 2-D max pool that
  keeps the shape is the identity (NaN stays NaN);
- average pooling divides by the number of cells inside the input (padding
  is not counted); a window entirely in padding gives NaN.
MaxPoolGrad with reluMasked is the gradient times step(x), as the gradient
of a relu feeding the pool would compute it (bit for bit; NaN where x is).
The gradient of average pooling uses that same count. (tfjs' AvgPoolGrad
divides by the full window size, which is not the gradient of its forward
pass next to padding; we give the true gradient.)

Two strategies, both vectorised with a Python loop over window taps:
- blocks: when the windows are disjoint blocks of the input (stride equal to
  the filter size, no dilation, no padding: the usual 2x2 pool), a reshaped
  view [batch, out1, k1, out2, k2, ..., channels] of the input; gradients are
  written straight into the cells of one output array;
- general: per filter tap, the strided slices of the padded input that it
  meets at every output position (windows.taps), accumulating into the output
  or scatter-adding into a padded gradient.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np

from ....engine.registry import register_kernel
from .util import arr, quiet
from .windows import crop, from_channels_last, pad, padded_zeros, taps, to_channels_last


def _flags(shape: tuple[int, ...], count: int) -> list[np.ndarray]:
    """`count` uninitialised boolean arrays of `shape`, from one allocation."""
    size = math.prod(shape)
    buf = np.empty(size * count, bool)
    return [buf[i * size:(i + 1) * size].reshape(shape) for i in range(count)]


def _squares(a: np.ndarray) -> float:
    """The sum of a's squares by one BLAS dot product (2.5x faster than a
    NumPy sum): NaN exactly when `a` holds a NaN, Infinity when it holds an
    Infinity (or the sum overflows)."""
    flat = a.reshape(-1)
    with quiet():
        return float(np.dot(flat, flat))


def _any_nan(a: np.ndarray) -> bool:
    return math.isnan(_squares(a))


# -- disjoint blocks -----------------------------------------------------------------------


def _blocks(info) -> bool:
    """The windows are disjoint blocks of adjacent input cells and need no
    padding: per dimension the stride is the filter size (or there is one
    window) and cells are adjacent (no dilation, or a one-cell filter)."""
    return (all((s == k or o == 1) and (d == 1 or k == 1)
                for o, k, s, d in zip(info.out_size, info.filter_size, info.strides,
                                      info.dilations, strict=True))
            and not any(b or a for b, a in info.pad_extent))


def _block_view(a: np.ndarray, info) -> np.ndarray:
    """The cells the windows cover, as [batch, out1, k1, out2, k2, ..., channels]:
    a view (splitting an axis never copies), writable when `a` is; cells
    past the last window in a dimension are left out."""
    sizes = tuple(zip(info.out_size, info.filter_size, strict=True))
    corner = a[(slice(None), *(slice(0, o * k) for o, k in sizes), slice(None))]
    return corner.reshape(a.shape[0], *(n for ok in sizes for n in ok), a.shape[-1])


def _block_taps(info) -> list[tuple]:
    """Per filter tap, in row-major window order, the index in a block view
    of the cells [batch, *out, channels] that tap meets."""
    return [(slice(None), *(i for ki in k for i in (slice(None), ki)), slice(None))
            for k in np.ndindex(*info.filter_size)]


def _block_output(info, channels: int) -> np.ndarray:
    """An input-shaped float32 gradient, uninitialised but for the cells past
    the last window (zero), which no window writes."""
    dx = np.empty((info.batch, *info.in_size, channels), np.float32)
    for axis, (o, k, n) in enumerate(zip(info.out_size, info.filter_size, info.in_size,
                                         strict=True), 1):
        if o * k < n:
            dx[(slice(None),) * axis + (slice(o * k, None),)] = 0
    return dx


def _block_max(x: np.ndarray, info, keep_nan: bool = False) -> np.ndarray:
    """The max of each block in x's dtype. fmax skips NaN; a block of NaN
    alone gives -Infinity (NaN itself with `keep_nan`, tfjs' identity)."""
    view = _block_view(x, info)
    cells = [view[t] for t in _block_taps(info)]
    floats = x.dtype.kind == 'f'
    fn = np.fmax if floats else np.maximum
    out = fn(cells[0], cells[1]) if len(cells) > 1 else np.array(cells[0])
    for c in cells[2:]:
        fn(out, c, out=out)
    if floats and not keep_nan and _any_nan(out):
        np.copyto(out, -np.inf, where=np.isnan(out))
    return out


def _block_max_grad(dy: np.ndarray, x: np.ndarray, best: np.ndarray, info,
                    last_wins: bool, relu_masked: bool = False) -> np.ndarray:
    """dy to the cell of each block equal to its max `best`: the first in
    window order (-Infinity never beats tfjs' starting -Infinity), or the
    last with `last_wins`. Written tap by tap straight into dx."""
    dx = _block_output(info, x.shape[-1])
    xv, dv = _block_view(x, info), _block_view(dx, info)
    order = _block_taps(info)
    if last_wins:
        order.reverse()
    taken, eq, mask = _flags(best.shape, 3)
    if best.dtype.kind == 'f' and not last_wins:
        np.equal(best, -np.inf, out=taken)
    else:
        taken.fill(False)
    # dy * mask is exact unless dy holds Infinity or NaN (times 0 is NaN); a
    # finite sum of squares proves it holds none (an overflowing one takes
    # the slow way).
    finite = math.isfinite(_squares(dy))
    if relu_masked:
        # step(x) at the pooled size: the cell a block's dy goes to holds its
        # max. (dy * step) * mask has the bits of (dy * mask) * step(x) in the
        # other cells too: a signed zero (step is +0 or +1), NaN only where x is.
        with quiet():
            dy = np.multiply(dy, np.greater(best, 0), dtype=np.float32)
    for i, t in enumerate(order):
        np.equal(xv[t], best, out=eq)
        np.greater(eq, taken, out=mask)
        if finite:
            np.multiply(dy, mask, out=dv[t])
        else:
            dv[t] = np.where(mask, dy, np.float32(0))
        if i < len(order) - 1:
            np.logical_or(taken, eq, out=taken)
    if relu_masked and x.dtype.kind == 'f' and _any_nan(x):
        # 0 * step(NaN): the NaN Step gives (the cells past the last block too)
        np.copyto(dx, np.float32(np.nan), where=np.isnan(x))
    return dx


def _step(x: np.ndarray) -> np.ndarray:
    """tfjs' step(x) (alpha 0) as the cpu Step kernel gives it, in float32:
    1 where x > 0, NaN where x is NaN, else 0."""
    out = np.greater(x, 0).astype(np.float32)
    if x.dtype.kind == 'f' and _any_nan(x):
        out[np.isnan(x)] = np.nan
    return out


def _block_avg(x: np.ndarray, info) -> np.ndarray:
    view = _block_view(x, info)
    cells = [view[t] for t in _block_taps(info)]
    out = np.add(cells[0], cells[1]) if len(cells) > 1 else np.array(cells[0])
    for c in cells[2:]:
        np.add(out, c, out=out)
    return np.divide(out, np.float32(len(cells)), out=out)


def _block_avg_grad(dy: np.ndarray, info) -> np.ndarray:
    """Each block's cells share its dy equally: one broadcast copy."""
    dx = _block_output(info, dy.shape[-1])
    share = np.divide(dy, np.float32(math.prod(info.filter_size)), dtype=np.float32)
    spread = (slice(None), *(i for _ in info.out_size for i in (slice(None), None)), slice(None))
    np.copyto(_block_view(dx, info), share[spread])
    return dx


# -- general windows -----------------------------------------------------------------------


def _max(x: np.ndarray, info) -> tuple[np.ndarray, np.ndarray]:
    """The padded input (float64 for integers; NaN padding) and the max of
    each window. fmax skips NaN, as tfjs' `pixel > max` test does; a window
    with no number keeps the -Infinity it starts from."""
    work = x if x.dtype == np.float32 else x.astype(np.float64)
    xp = pad(work, info, np.nan)
    best = np.full((info.batch, *info.out_size, x.shape[-1]), -np.inf, work.dtype)
    for _, index in taps(info):
        np.fmax(best, xp[index], out=best)
    return xp, best


def _max_masks(xp: np.ndarray, best: np.ndarray, info, last_wins: bool = False
               ) -> Iterator[tuple[int, tuple[slice, ...], np.ndarray]]:
    """(tap, slices, mask) per filter tap; the masks mark, per output cell,
    the one tap holding its max: the first in window order (tfjs' strict `>`
    from -Infinity, so an all -Infinity window has none), or the last with
    `last_wins` (tfjs' 3-D `>=`). Boolean arithmetic, no np.where: a branch
    per element on data-dependent masks is several times slower. The mask is
    one buffer, overwritten by the next tap."""
    # Windows already served (and, first-wins, those with no number).
    taken, eq, mask = _flags(best.shape, 3)
    if last_wins:
        taken.fill(False)
    else:
        np.equal(best, -np.inf, out=taken)
    order = list(taps(info))
    for t, index in reversed(order) if last_wins else order:
        np.equal(xp[index], best, out=eq)
        np.greater(eq, taken, out=mask)
        taken |= mask
        yield t, index, mask


def _max_positions(xp: np.ndarray, best: np.ndarray, info) -> np.ndarray:
    """Per output cell, the (first-wins) tap holding its max; -1 for none."""
    where = np.full(best.shape, -1, np.int32)
    for t, _, mask in _max_masks(xp, best, info):
        where += mask * np.int32(t + 1)
    return where


def _disjoint(info) -> bool:
    """No input cell lies in two windows: each tap's cells are its own."""
    return all(s >= (k - 1) * d + 1 for s, k, d in zip(info.strides, info.filter_size,
                                                        info.dilations, strict=True))


def _valid_counts(info) -> np.ndarray:
    """[1, *out, 1]: how many cells of each window lie inside the input."""
    mask = pad(np.ones((1, *info.in_size, 1), np.float32), info)
    counts = np.zeros((1, *info.out_size, 1), np.float32)
    for _, index in taps(info):
        counts += mask[index]
    return counts


def _as_dtype(values: np.ndarray, dtype) -> np.ndarray:
    if values.dtype == dtype:
        return values
    # An int32 window with no cell gives -Infinity, which an Int32Array stores as 0.
    return np.where(np.isfinite(values), values, 0).astype(dtype)


def max_pool(x: np.ndarray, info, keep_nan: bool = False) -> np.ndarray:
    if 0 in x.shape or 0 in info.out_size:
        return np.zeros((info.batch, *info.out_size, x.shape[-1]), x.dtype)
    if _blocks(info):
        return _block_max(x, info, keep_nan)
    return _as_dtype(_max(x, info)[1], x.dtype)


def avg_pool(x: np.ndarray, info) -> np.ndarray:
    x = x.astype(np.float32, copy=False)
    if 0 in x.shape or 0 in info.out_size:
        return np.zeros((info.batch, *info.out_size, x.shape[-1]), np.float32)
    if _blocks(info):
        return _block_avg(x, info)
    total = np.zeros((info.batch, *info.out_size, x.shape[-1]), np.float32)
    xp = pad(x, info)
    for _, index in taps(info):
        total += xp[index]
    with quiet():
        return np.divide(total, _valid_counts(info), out=total)


def max_pool_grad(dy: np.ndarray, x: np.ndarray, info, last_wins: bool = False,
                  y: np.ndarray | None = None, relu_masked: bool = False) -> np.ndarray:
    """Each output's gradient goes to the cell its max came from (times
    step(x) with `relu_masked`). `y`, the forward result, saves recomputing
    the maxima: always for blocks (every block has cells), else for float32
    only (an int32 result has lost its -Infinity windows)."""
    if dy.size and x.size and _blocks(info):
        dy = dy.astype(np.float32, copy=False)
        best = y if y is not None and y.dtype == x.dtype else _block_max(x, info)
        return _block_max_grad(dy, x, best, info, last_wins, relu_masked)
    dx = _max_pool_grad(dy, x, info, last_wins, y)
    # Elsewhere the mask is applied as the relu gradient would: a cell may
    # sum several windows' dy, and (a + b) * 0 keeps the sign of a + b.
    return np.multiply(dx, _step(x), out=dx) if relu_masked else dx


def _max_pool_grad(dy: np.ndarray, x: np.ndarray, info, last_wins: bool,
                   y: np.ndarray | None) -> np.ndarray:
    """max_pool_grad over general windows."""
    if not (dy.size and x.size):
        return np.zeros(x.shape, np.float32)
    dy = dy.astype(np.float32, copy=False)
    if y is not None and x.dtype == np.float32 and y.dtype == np.float32:
        xp, best = pad(x, info, np.nan), y
    else:
        xp, best = _max(x, info)
    # dy * mask is exact unless dy holds Infinity or NaN (times 0 is NaN).
    finite = bool(np.isfinite(dy).all())
    disjoint = finite and _disjoint(info)
    dxp = padded_zeros(info, x.shape[-1])
    share = np.empty(best.shape, np.float32)
    for _, index, mask in _max_masks(xp, best, info, last_wins):
        if not finite:
            dxp[index] += np.where(mask, dy, np.float32(0))
        elif disjoint:
            np.multiply(dy, mask, out=dxp[index])
        else:
            dxp[index] += np.multiply(dy, mask, out=share)
    return crop(dxp, info)


def avg_pool_grad(dy: np.ndarray, info) -> np.ndarray:
    dy = dy.astype(np.float32, copy=False)
    if dy.size and _blocks(info):
        return _block_avg_grad(dy, info)
    dxp = padded_zeros(info, dy.shape[-1])
    if dy.size and dxp.size:
        counts = _valid_counts(info)
        with quiet():
            share = np.where(counts > 0, dy / counts, 0)
        share = share.astype(np.float32, copy=False)
        for _, index in taps(info):
            dxp[index] += share
    return crop(dxp, info)


def _x(inputs, i, info) -> np.ndarray:
    return to_channels_last(arr(inputs[i]), info)


def _output(inputs, info) -> np.ndarray | None:
    """The forward result a max-pool gradient kernel may be given."""
    return None if len(inputs) < 3 or inputs[2] is None else _x(inputs, 2, info)


def _identity(info) -> bool:
    """tfjs' 2-D MaxPool returns its input for a 1x1 filter keeping the shape."""
    return all(k == 1 for k in info.filter_size) and tuple(info.in_size) == tuple(info.out_size)


@register_kernel('MaxPool', 'cpu')
def max_pool_kernel(backend, inputs, attrs):
    info = attrs['convInfo']
    return from_channels_last(max_pool(_x(inputs, 0, info), info, _identity(info)), info)


@register_kernel('MaxPool3D', 'cpu')
def max_pool3d_kernel(backend, inputs, attrs):
    info = attrs['convInfo']
    return from_channels_last(max_pool(_x(inputs, 0, info), info), info)


@register_kernel('AvgPool', 'cpu')
def avg_pool_kernel(backend, inputs, attrs):
    info = attrs['convInfo']
    return from_channels_last(avg_pool(_x(inputs, 0, info), info), info)


@register_kernel('AvgPool3D', 'cpu')
def avg_pool3d_kernel(backend, inputs, attrs):
    info = attrs['convInfo']
    return from_channels_last(avg_pool(_x(inputs, 0, info), info), info)


@register_kernel('MaxPoolGrad', 'cpu')
def max_pool_grad_kernel(backend, inputs, attrs):
    info = attrs['convInfo']
    return from_channels_last(max_pool_grad(_x(inputs, 0, info), _x(inputs, 1, info), info,
                                            y=_output(inputs, info),
                                            relu_masked=bool(attrs.get('reluMasked'))), info)


@register_kernel('MaxPool3DGrad', 'cpu')
def max_pool3d_grad_kernel(backend, inputs, attrs):
    info = attrs['convInfo']
    return from_channels_last(max_pool_grad(_x(inputs, 0, info), _x(inputs, 1, info), info,
                                            last_wins=True, y=_output(inputs, info)), info)


@register_kernel('AvgPoolGrad', 'cpu')
def avg_pool_grad_kernel(backend, inputs, attrs):
    info = attrs['convInfo']
    return from_channels_last(avg_pool_grad(_x(inputs, 0, info), info), info)


@register_kernel('AvgPool3DGrad', 'cpu')
def avg_pool3d_grad_kernel(backend, inputs, attrs):
    info = attrs['convInfo']
    return from_channels_last(avg_pool_grad(_x(inputs, 0, info), info), info)


@register_kernel('MaxPoolWithArgmax', 'cpu')
def max_pool_with_argmax(backend, inputs, attrs):
    """The max and the flat index of the cell it came from: (y * width + x) *
    channels + c, plus batch * height * width * channels when
    includeBatchInIndex; -1 for a window with no number."""
    info = attrs['convInfo']
    x = arr(inputs[0])
    (height, width), channels = info.in_size, x.shape[-1]
    if x.size == 0 or 0 in info.out_size:
        shape = (info.batch, *info.out_size, channels)
        return [np.zeros(shape, x.dtype), np.zeros(shape, np.int32)]
    xp, best = _max(x, info)
    where = _max_positions(xp, best, info)
    kh, kw = np.divmod(where, info.filter_size[1])
    rows = (np.arange(info.out_size[0]) * info.strides[0] - info.pad_before[0])[:, None, None]
    cols = (np.arange(info.out_size[1]) * info.strides[1] - info.pad_before[1])[:, None]
    index = ((rows + kh) * width + cols + kw) * channels + np.arange(channels)
    if attrs.get('includeBatchInIndex'):
        index = index + (np.arange(info.batch) * (height * width * channels))[:, None, None, None]
    index = np.where(where < 0, -1, index).astype(np.int32)
    return [_as_dtype(best, x.dtype), index]
