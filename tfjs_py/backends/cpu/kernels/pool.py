"""Pooling NumPy kernels, vectorised over the output with a loop over window
taps. Semantics of tfjs' cpu backend:
- max pooling skips NaN and out-of-input cells; a window with nothing else
  gives -Infinity; on ties the first cell in row-major window order wins
  (the last one in 3-D pooling, as tfjs' maxPool3dPositions compares with
  >=), and that cell alone receives the gradient;
- average pooling divides by the number of cells inside the input (padding
  is not counted); a window entirely in padding gives NaN.
The gradient of average pooling uses that same count. (tfjs' AvgPoolGrad
divides by the full window size, which is not the gradient of its forward
pass next to padding; we give the true gradient.)
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from ....engine.registry import register_kernel
from .util import arr, quiet
from .windows import crop, from_channels_last, pad, padded_zeros, taps, to_channels_last


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
    per element on data-dependent masks is several times slower."""
    # Windows already served (and, first-wins, those with no number).
    taken = best == -np.inf if not last_wins else np.zeros(best.shape, bool)
    order = list(taps(info))
    for t, index in reversed(order) if last_wins else order:
        mask = np.greater(xp[index] == best, taken)
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


def _tiling(info) -> bool:
    """The windows cover the input exactly once (a 2x2 pool of an even-sized
    input): every cell is some window's tap."""
    return (info.strides == info.filter_size and all(d == 1 for d in info.dilations)
            and not any(b or a for b, a in info.pad_extent)
            and all(o * k == n for o, k, n in zip(info.out_size, info.filter_size,
                                                   info.in_size, strict=True)))


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


def max_pool(x: np.ndarray, info) -> np.ndarray:
    if 0 in x.shape or 0 in info.out_size:
        return np.zeros((info.batch, *info.out_size, x.shape[-1]), x.dtype)
    return _as_dtype(_max(x, info)[1], x.dtype)


def avg_pool(x: np.ndarray, info) -> np.ndarray:
    x = x.astype(np.float32, copy=False)
    total = np.zeros((info.batch, *info.out_size, x.shape[-1]), np.float32)
    if total.size == 0:
        return total
    xp = pad(x, info)
    for _, index in taps(info):
        total += xp[index]
    with quiet():
        return total / _valid_counts(info)


def max_pool_grad(dy: np.ndarray, x: np.ndarray, info, last_wins: bool = False,
                  y: np.ndarray | None = None) -> np.ndarray:
    """Each output's gradient goes to the cell its max came from. `y`, the
    forward result, saves recomputing the maxima (float32 only: an int32
    result has lost its -Infinity windows)."""
    if not (dy.size and x.size):
        return np.zeros(x.shape, np.float32)
    if y is not None and x.dtype == np.float32 and y.dtype == np.float32:
        xp, best = pad(x, info, np.nan), y
    else:
        xp, best = _max(x, info)
    dy = dy.astype(np.float32, copy=False)
    # dy * mask is exact unless dy holds Infinity or NaN (times 0 is NaN).
    finite = bool(np.isfinite(dy).all())
    disjoint = finite and _disjoint(info)
    # Windows that tile the input write every cell once below: no zeroing.
    dxp = (np.empty(x.shape, np.float32) if disjoint and _tiling(info)
           else padded_zeros(info, x.shape[-1]))
    for _, index, mask in _max_masks(xp, best, info, last_wins):
        if not finite:
            dxp[index] += np.where(mask, dy, np.float32(0))
        elif disjoint:
            np.multiply(dy, mask, out=dxp[index])
        else:
            dxp[index] += dy * mask
    return crop(dxp, info)


def avg_pool_grad(dy: np.ndarray, info) -> np.ndarray:
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


@register_kernel('MaxPool', 'cpu')
def max_pool_kernel(backend, inputs, attrs):
    info = attrs['convInfo']
    return from_channels_last(max_pool(_x(inputs, 0, info), info), info)


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
                                            y=_output(inputs, info)), info)


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
