"""Strided-slice arithmetic shared by the stridedSlice op, its kernels and its
gradient (tfjs keeps the same helpers in tf.slice_util).

TensorFlow's rules: a spec of len(begin) entries, each a range, a new axis, a
shrunk axis (one index, dropped from the result) or the ellipsis (every axis
no other entry names); without an ellipsis one is implied at the end.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class StridedSliceInfo:
    """One (start, stop, step) per input axis, in Python's `range` meaning (a
    negative step may stop at -1), and the shape of the result."""

    starts: tuple[int, ...]
    stops: tuple[int, ...]
    steps: tuple[int, ...]
    final_shape: tuple[int, ...]

    @property
    def sizes(self) -> tuple[int, ...]:
        return tuple(len(range(a, b, s))
                     for a, b, s in zip(self.starts, self.stops, self.steps, strict=True))

    def slices(self) -> tuple[slice, ...]:
        """The same selection as Python slices (a stop of -1 becomes None; an empty
        range becomes 0:0, since a negative start would wrap around)."""
        return tuple(slice(a, b if b >= 0 else None, s) if len(range(a, b, s)) else slice(0, 0)
                     for a, b, s in zip(self.starts, self.stops, self.steps, strict=True))


def strided_slice_info(shape: tuple[int, ...] | list[int], begin: list[int], end: list[int],
                       strides: list[int] | None, begin_mask: int = 0, end_mask: int = 0,
                       ellipsis_mask: int = 0, new_axis_mask: int = 0,
                       shrink_axis_mask: int = 0) -> StridedSliceInfo:
    """Resolve a strided slice of a tensor of `shape`; ValueError names the bad argument."""
    shape = tuple(int(d) for d in shape)
    rank = len(shape)
    n = len(begin)
    if len(end) != n:
        raise ValueError(f'stridedSlice: begin {list(begin)} and end {list(end)} must have the '
                         'same length')
    strides = [1] * n if strides is None else list(strides)
    if len(strides) != n:
        raise ValueError(f'stridedSlice: strides {strides} must have the length of begin '
                         f'{list(begin)}')
    ellipses = [i for i in range(n) if ellipsis_mask >> i & 1]
    if len(ellipses) > 1:
        raise ValueError('stridedSlice: multiple ellipses in slice is not allowed '
                         f'(ellipsisMask {ellipsis_mask})')
    kinds = []
    for i in range(n):
        if ellipsis_mask >> i & 1:
            kinds.append('ellipsis')
        elif new_axis_mask >> i & 1:
            kinds.append('new')
        elif shrink_axis_mask >> i & 1:
            kinds.append('shrink')
        else:
            kinds.append('range')
    if not ellipses:
        kinds.append('ellipsis')
    consumed = sum(k in ('range', 'shrink') for k in kinds)
    if consumed > rank:
        raise ValueError(f'stridedSlice: the slice names {consumed} axes but the input of '
                         f'shape {list(shape)} has only {rank}')
    starts: list[int] = []
    stops: list[int] = []
    steps: list[int] = []
    final: list[int] = []
    axis = 0
    for i, kind in enumerate(kinds):
        if kind == 'ellipsis':
            for _ in range(rank - consumed):
                starts.append(0)
                stops.append(shape[axis])
                steps.append(1)
                final.append(shape[axis])
                axis += 1
            continue
        if kind == 'new':
            final.append(1)
            continue
        stride = int(strides[i])
        if stride == 0:
            raise ValueError(f'stridedSlice: strides[{i}] must be non-zero')
        dim = shape[axis]
        if kind == 'shrink':
            if stride < 0:
                raise ValueError(f'stridedSlice: shrinkAxisMask selects one index of axis '
                                 f'{axis}, which needs a positive stride, got strides[{i}] = '
                                 f'{stride}')
            index = int(begin[i])
            index = index + dim if index < 0 else index
            if not 0 <= index < dim:
                raise ValueError(f'stridedSlice: slice index {int(begin[i])} of dimension '
                                 f'{axis} is out of bounds for shape {list(shape)}')
            starts.append(index)
            stops.append(index + 1)
            steps.append(1)
        else:
            lo = None if begin_mask >> i & 1 else int(begin[i])
            hi = None if end_mask >> i & 1 else int(end[i])
            start, stop, step = slice(lo, hi, stride).indices(dim)
            starts.append(start)
            stops.append(stop)
            steps.append(step)
            final.append(len(range(start, stop, step)))
        axis += 1
    return StridedSliceInfo(tuple(starts), tuple(stops), tuple(steps), tuple(final))
