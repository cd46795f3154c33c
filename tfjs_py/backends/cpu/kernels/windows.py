"""Sliding windows over channels-last arrays, shared by the conv and pool kernels.

Every conv/pool kernel gets the geometry in `attrs['convInfo']` (a ConvInfo
made by ops/conv_util.py); these helpers only read its fields. Arrays are
[batch, *spatial, channels]; kernels move a channels-first input there first.

Two vectorised strategies, both with Python loops only over filter taps:
- `windows`: a strided view [batch, *out, *filter, channels] of the padded
  input (im2col without a copy until a chunk is reshaped for a matmul);
- `taps`: for each filter tap, the slices of the padded input that it meets
  at every output position (for max/avg accumulation and scatter-adds).
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
from numpy.lib.stride_tricks import as_strided

# Most elements of one chunk of output positions (float32: 4 MiB), counted as
# (im2col row or output channels, the larger) per position: big enough for
# BLAS to run at full speed, small enough to stay in cache (measured: 1 MiB
# chunks are 5% slower, 16 MiB ones 8%).
CHUNK_ELEMENTS = 1 << 20


def to_channels_last(x: np.ndarray, info) -> np.ndarray:
    return x if info.channels_last else np.moveaxis(x, 1, -1)


def from_channels_last(y: np.ndarray, info) -> np.ndarray:
    return y if info.channels_last else np.ascontiguousarray(np.moveaxis(y, -1, 1))


def pad(x: np.ndarray, info, value: float = 0.0) -> np.ndarray:
    """x padded so that every window of the pass lies inside it."""
    extent = info.pad_extent
    if not any(b or a for b, a in extent):
        return x
    return np.pad(x, ((0, 0), *extent, (0, 0)), constant_values=value)


def padded_zeros(info, channels: int, dtype=np.float32) -> np.ndarray:
    """A zero array shaped like the padded input, for scatter-adds."""
    sizes = tuple(n + b + a for n, (b, a) in zip(info.in_size, info.pad_extent, strict=True))
    return np.zeros((info.batch, *sizes, channels), dtype)


def crop(xp: np.ndarray, info) -> np.ndarray:
    """The input region of a padded array (the inverse of `pad`), contiguous
    so the result does not keep the padded buffer alive."""
    if xp.shape[1:-1] == tuple(info.in_size):
        return xp
    index = tuple(slice(b, b + n) for n, (b, _) in zip(info.in_size, info.pad_extent,
                                                        strict=True))
    return np.ascontiguousarray(xp[(slice(None), *index, slice(None))])


def taps(info) -> Iterator[tuple[int, tuple[slice, ...]]]:
    """(tap number, slices): xp[slices] is [batch, *out, channels], the cells
    that filter tap meets, over all output positions, in row-major tap order."""
    for t, k in enumerate(np.ndindex(*info.filter_size)):
        index = tuple(slice(ki * d, ki * d + (o - 1) * s + 1, s)
                      for ki, d, o, s in zip(k, info.dilations, info.out_size, info.strides,
                                             strict=True))
        yield t, (slice(None), *index, slice(None))


def windows(xp: np.ndarray, info) -> np.ndarray:
    """A read-only view [batch, *out, *filter, channels] of the padded input."""
    st = xp.strides
    n = len(info.in_size)
    shape = (xp.shape[0], *info.out_size, *info.filter_size, xp.shape[-1])
    strides = (st[0], *(st[1 + i] * s for i, s in enumerate(info.strides)),
               *(st[1 + i] * d for i, d in enumerate(info.dilations)), st[n + 1])
    return as_strided(xp, shape, strides, writeable=False)


def patches(xp: np.ndarray, info, bs: slice, rs: slice, ones: bool = False) -> np.ndarray:
    """The im2col matrix [pixels, filter taps * channels] of one chunk of
    output positions; `ones` appends a column of ones (a bias row in the filter matrix
    then adds the bias inside the matmul). With one or two channels a
    channels-last copy moves a few numbers per inner loop; a tap-major copy
    (returned transposed, so BLAS reads it as it is) moves whole output rows
    and is 2x faster."""
    win = windows(xp, info)[bs, rs]
    n = len(info.out_size)
    row = math.prod(info.filter_size) * xp.shape[-1]
    width = row + ones
    pixels = win.size // row
    buf = np.empty(pixels * width, np.float32)
    if xp.shape[-1] > 2:
        matrix = buf.reshape(pixels, width)
        # Splitting both axes of a row-strided matrix: reshape gives a view.
        np.copyto(matrix[:, :row].reshape(win.shape), win)
        if ones:
            matrix[:, row] = 1
        return matrix
    tap_major = win.transpose((*range(n + 1, 2 * n + 2), *range(n + 1)))
    matrix = buf.reshape(width, pixels)
    np.copyto(matrix[:row].reshape(tap_major.shape), tap_major)
    if ones:
        matrix[row] = 1
    return matrix.T


def chunks(info, row_length: int) -> Iterator[tuple[slice, slice]]:
    """(batch slice, first-output-dimension slice) pairs covering the output,
    each holding at most CHUNK_ELEMENTS elements of `row_length` per output
    position (or one output row, if that is more). Each chunk's output
    positions are contiguous in a [batch, *out] array."""
    per_sample = math.prod(info.out_size) * row_length
    if per_sample <= CHUNK_ELEMENTS:
        for start, stop in _even_parts(info.batch, per_sample):
            yield slice(start, stop), slice(None)
        return
    rows = info.out_size[0]
    for b in range(info.batch):
        for start, stop in _even_parts(rows, per_sample // rows):
            yield slice(b, b + 1), slice(start, stop)


def _even_parts(n: int, size: int) -> Iterator[tuple[int, int]]:
    """range(n) in the fewest runs of at most CHUNK_ELEMENTS // size items
    (at least one), all of about the same length."""
    if n == 0:
        return
    runs = -(-n // max(1, CHUNK_ELEMENTS // max(size, 1)))
    step = -(-n // runs)
    for start in range(0, n, step):
        yield start, min(start + step, n)
