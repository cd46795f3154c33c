"""Shape ops: reshape, transpose, stack, expandDims, squeeze, concat, split,
slice, stridedSlice, reverse, tile, pad, mirrorPad, broadcastTo, the
space/batch/depth moves, and the Tensor-only reshapes (t.as2D(), t.flatten()).
Indexing ops (gather, scatter, topk, unique, ...) are in indexing.py."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..dtypes import upcast
from ..engine.engine import ENGINE
from ..engine.tensor import Tensor, attach_op
from ..slice_util import strided_slice_info
from .axes import parse_axes, parse_axis
from .op import cast_to, convert, convert_list, match_types, op, run_kernel


def infer_shape(shape: Any, size: int, fn: str) -> tuple[int, ...]:
    """A target shape with at most one -1 resolved against `size`."""
    dims = [int(d) for d in ([shape] if isinstance(shape, int) else shape)]
    unknown = [i for i, d in enumerate(dims) if d == -1]
    if len(unknown) > 1:
        raise ValueError(f'{fn}: shape {dims} can have at most one -1 dimension')
    if any(d < -1 for d in dims):
        raise ValueError(f'{fn}: shape {dims} has a negative dimension')
    known = math.prod(d for d in dims if d != -1)
    if unknown:
        if known == 0 or size % known:
            raise ValueError(f'{fn}: cannot reshape a tensor of {size} elements into shape '
                             f'{dims}')
        dims[unknown[0]] = size // known
    elif known != size:
        raise ValueError(f'{fn}: cannot reshape a tensor of {size} elements into shape '
                         f'{dims}: the sizes differ')
    return tuple(dims)


@op
def reshape(x: Any, shape: Any) -> Tensor:
    """The same data in another shape (shares the data, no copy)."""
    x = convert(x, 'x', 'reshape')
    dims = infer_shape(shape, x.size, 'reshape')
    return ENGINE.run_shared('Reshape', x, dims, x.dtype, {'shape': dims})


@op
def transpose(x: Any, perm: Any = None) -> Tensor:
    x = convert(x, 'x', 'transpose')
    rank = x.rank
    perm = tuple(range(rank - 1, -1, -1)) if perm is None else tuple(
        p + rank if p < 0 else p for p in perm)
    if sorted(perm) != list(range(rank)):
        raise ValueError(f'transpose: perm {list(perm)} is not a permutation of the '
                         f'{rank} axes of shape {x.shape}')
    if perm == tuple(range(rank)):
        return x.clone()
    return run_kernel('Transpose', (x,), {'perm': perm})


@op(chain=False)
def stack(tensors: Any, axis: int = 0) -> Tensor:
    """Join tensors of one shape along a new axis."""
    ts = convert_list(tensors, 'tensors', 'stack')
    if not ts:
        raise ValueError('stack: at least one tensor is needed')
    for i, t in enumerate(ts[1:], 1):
        if t._shape != ts[0]._shape:
            raise ValueError(f'stack: tensor {i} has shape {t.shape}, tensor 0 has shape '
                             f'{ts[0].shape}; all shapes must match')
        if t.dtype != ts[0].dtype:
            ts[0], ts[i] = match_types(ts[0], t)
    dtype = ts[0].dtype
    ts = [t if t.dtype == dtype else run_kernel('Cast', (t,), {'dtype': dtype}) for t in ts]
    rank = ts[0].rank + 1
    if not -rank <= axis < rank:
        raise ValueError(f'stack: axis {axis} is out of range for rank {rank}')
    return run_kernel('Pack', tuple(ts), {'axis': axis % rank})


@op
def unstack(x: Any, axis: int = 0) -> list[Tensor]:
    """Split a tensor into the list of its slices along an axis."""
    x = convert(x, 'x', 'unstack')
    if not -x.rank <= axis < max(x.rank, 1) or x.rank == 0:
        raise ValueError(f'unstack: axis {axis} is out of range for shape {x.shape}')
    return run_kernel('Unpack', (x,), {'axis': axis % x.rank})


# -- the rest of the shape family: tfjs 4.22 signatures, defaults and checks ----

def _ints(values: Any, arg: str, fn: str) -> list[int]:
    """A list of Python ints from an int, a list or tuple, or a 1-D tensor."""
    if isinstance(values, Tensor):
        values = values.arraySync()
    if isinstance(values, int | np.integer):
        return [int(values)]
    try:
        return [int(v) for v in values]
    except TypeError:
        raise TypeError(f'{fn}: {arg} must be a list of integers, got {values!r}') from None


def _check_rank(x: Tensor, rank: int, fn: str) -> None:
    if x.rank != rank:
        raise ValueError(f'{fn}: x must be rank {rank}, but got rank {x.rank} (shape {x.shape})')


def _no_strings(x: Tensor, arg: str, fn: str) -> None:
    if x.dtype == 'string':
        raise TypeError(f"{fn}: argument {arg!r} must be a numeric tensor, but got a string "
                        'tensor')


def _pairs(paddings: Any, rank: int, arg: str, fn: str) -> list[tuple[int, int]]:
    pairs = [_ints(p, arg, fn) for p in paddings]
    if len(pairs) != rank:
        raise ValueError(f'{fn}: {arg} has {len(pairs)} entries, but x has rank {rank}; give '
                         'one [before, after] pair per axis')
    for i, p in enumerate(pairs):
        if len(p) != 2:
            raise ValueError(f'{fn}: {arg}[{i}] must be a [before, after] pair, got {p}')
        if p[0] < 0 or p[1] < 0:
            raise ValueError(f'{fn}: {arg}[{i}] = {p} must not be negative')
    return [(p[0], p[1]) for p in pairs]


@op
def expandDims(x: Any, axis: int = 0) -> Tensor:
    """x with a new axis of size 1 inserted at `axis` (shares the data)."""
    x = convert(x, 'x', 'expandDims')
    rank = x.rank
    if not -(rank + 1) <= axis <= rank:
        raise ValueError(f'expandDims: axis {axis} must be in the interval [{-(rank + 1)}, '
                         f'{rank}] for a tensor of rank {rank}')
    shape = x.shape
    shape.insert(axis + rank + 1 if axis < 0 else axis, 1)
    return reshape(x, shape)


@op
def squeeze(x: Any, axis: Any = None) -> Tensor:
    """x without its axes of size 1 (only those in `axis` when given; an empty
    list means all of them, as in tfjs)."""
    x = convert(x, 'x', 'squeeze')
    shape = x.shape
    if axis is None or (isinstance(axis, list | tuple) and not axis):
        drop = [i for i, d in enumerate(shape) if d == 1]
    else:
        drop = list(parse_axes(axis, x.rank, 'squeeze'))
        for a in drop:
            if shape[a] != 1:
                raise ValueError(f"squeeze: can't squeeze axis {a} since its dim {shape[a]} "
                                 f'is not 1 (shape {shape})')
    return reshape(x, [d for i, d in enumerate(shape) if i not in drop])


@op(chain=False)
def concat(tensors: Any, axis: int = 0) -> Tensor:
    """Join tensors along an existing axis. Mixed numeric dtypes are upcast
    (tfjs 4.22 silently keeps the first tensor's dtype, truncating floats)."""
    ts = convert_list(tensors, 'tensors', 'concat')
    if not ts:
        raise ValueError('concat: pass at least one tensor to concat')
    dtype = ts[0].dtype
    for t in ts[1:]:
        try:
            dtype = upcast(dtype, t.dtype)
        except TypeError:
            raise TypeError(f'concat: cannot concatenate {ts[0].dtype} and {t.dtype} '
                            'tensors') from None
    if len(ts) == 1:
        return ts[0].clone()
    rank = ts[0].rank
    if rank == 0:
        raise ValueError('concat: scalars cannot be concatenated (they have no axis); use '
                         'tf.stack, or give rank-1 tensors')
    axis = parse_axis(axis, rank, 'concat')
    for i, t in enumerate(ts[1:], 1):
        if t.rank != rank:
            raise ValueError(f'concat: rank of tensors[{i}] ({t.rank}, shape {t.shape}) must '
                             f'be the same as the rank of the rest ({rank})')
        for a in range(rank):
            if a != axis and t._shape[a] != ts[0]._shape[a]:
                raise ValueError(f'concat: shape of tensors[{i}] {t.shape} does not match '
                                 f'the shape of the rest {ts[0].shape} along the '
                                 f'non-concatenated axis {a}')
    ts = [cast_to(t, dtype) for t in ts]
    return run_kernel('Concat', tuple(ts), {'axis': axis})


def _concat_method(self: Tensor, x: Any, axis: int = 0) -> Tensor:
    """t.concat(x, axis): t followed by x (a tensor or a list of tensors)."""
    others = list(x) if isinstance(x, list | tuple) else [x]
    return concat([self, *others], axis)


def _concat_nd(rank: int):
    def concat_nd(tensors: Any, axis: int = 0) -> Tensor:
        ts = convert_list(tensors, 'tensors', f'concat{rank}d')
        for i, t in enumerate(ts):
            if t.rank != rank:
                raise ValueError(f'concat{rank}d: tensors[{i}] must be rank {rank}, but got '
                                 f'rank {t.rank}')
        return concat(ts, axis)

    concat_nd.__name__ = f'concat{rank}d'
    concat_nd.__doc__ = f'concat of rank-{rank} tensors.'
    return op(concat_nd, chain=False)


concat1d = _concat_nd(1)
concat2d = _concat_nd(2)
concat3d = _concat_nd(3)
concat4d = _concat_nd(4)


@op
def split(x: Any, numOrSizeSplits: Any, axis: int = 0) -> list[Tensor]:
    """Split along `axis` into a number of equal parts, or into parts of the
    given sizes (one size may be -1: the rest)."""
    x = convert(x, 'x', 'split')
    if x.rank == 0:
        raise ValueError('split: x must have rank >= 1, got a scalar')
    axis = parse_axis(axis, x.rank, 'split')
    n = x._shape[axis]
    if isinstance(numOrSizeSplits, int | np.integer):
        num = int(numOrSizeSplits)
        if num <= 0 or n % num:
            raise ValueError(f'split: the number of splits ({num}) must evenly divide axis '
                             f'{axis} of size {n}')
        sizes = [n // num] * num
    else:
        sizes = _ints(numOrSizeSplits, 'numOrSizeSplits', 'split')
        negative = [i for i, s in enumerate(sizes) if s < 0]
        if len(negative) > 1 or any(sizes[i] != -1 for i in negative):
            raise ValueError(f'split: sizes {sizes} may hold one -1 and no other negative value')
        if negative:
            rest = n - sum(s for s in sizes if s >= 0)
            if rest < 0:
                raise ValueError(f'split: sizes {sizes} exceed axis {axis} of size {n}')
            sizes[negative[0]] = rest
        if sum(sizes) != n:
            raise ValueError(f'split: the sum of sizes {sizes} must match the size of axis '
                             f'{axis} ({n})')
    return run_kernel('SplitV', (x,), {'numOrSizeSplits': tuple(sizes), 'axis': axis})


@op(name='slice')
def slice_(x: Any, begin: Any, size: Any = None) -> Tensor:
    """The sub-tensor of `size` starting at `begin`; a size of -1 (or a missing
    entry) takes the rest of that axis."""
    x = convert(x, 'x', 'slice')
    rank = x.rank
    if rank == 0:
        raise ValueError('slice: slicing a scalar is not possible')
    starts = _ints(begin, 'begin', 'slice')
    if len(starts) > rank:
        raise ValueError(f'slice: begin {starts} has more entries than x has axes (shape '
                         f'{x.shape})')
    starts += [0] * (rank - len(starts))
    sizes = [-1] * rank if size is None else _ints(size, 'size', 'slice')
    if len(sizes) > rank:
        raise ValueError(f'slice: size {sizes} has more entries than x has axes (shape '
                         f'{x.shape})')
    sizes += [-1] * (rank - len(sizes))
    for i in range(rank):
        if starts[i] < 0:
            raise ValueError(f'slice: begin {starts} has a negative entry; slice() does not '
                             'support negative begin indexing')
        if sizes[i] < -1:
            raise ValueError(f'slice: negative size values should be exactly -1 but got '
                             f'{sizes[i]} at index {i}')
        if sizes[i] == -1:
            sizes[i] = x._shape[i] - starts[i]
        if starts[i] + sizes[i] > x._shape[i] or sizes[i] < 0:
            raise ValueError(f'slice: begin[{i}] + size[{i}] ({starts[i] + sizes[i]}) would '
                             f'overflow input.shape[{i}] ({x._shape[i]})')
    if sizes == x.shape:
        return x.clone()
    return run_kernel('Slice', (x,), {'begin': tuple(starts), 'size': tuple(sizes)})


def _slice_nd(rank: int):
    def slice_nd(x: Any, begin: Any, size: Any) -> Tensor:
        x = convert(x, 'x', f'slice{rank}d')
        _check_rank(x, rank, f'slice{rank}d')
        return slice_(x, begin, size)

    slice_nd.__name__ = f'slice{rank}d'
    slice_nd.__doc__ = f'slice of a rank-{rank} tensor.'
    return op(slice_nd, chain=False)


slice1d = _slice_nd(1)
slice2d = _slice_nd(2)
slice3d = _slice_nd(3)
slice4d = _slice_nd(4)


@op
def stridedSlice(x: Any, begin: Any, end: Any, strides: Any = None, beginMask: int = 0,
                 endMask: int = 0, ellipsisMask: int = 0, newAxisMask: int = 0,
                 shrinkAxisMask: int = 0) -> Tensor:
    """x[begin:end:strides] with TensorFlow's masks: beginMask/endMask ignore
    begin/end on their axes, ellipsisMask marks the ellipsis, newAxisMask adds
    axes of size 1, shrinkAxisMask takes one index and drops the axis."""
    x = convert(x, 'x', 'stridedSlice')
    starts = _ints(begin, 'begin', 'stridedSlice')
    stops = _ints(end, 'end', 'stridedSlice')
    steps = [1] * len(starts) if strides is None else _ints(strides, 'strides', 'stridedSlice')
    masks = [int(m) for m in (beginMask, endMask, ellipsisMask, newAxisMask, shrinkAxisMask)]
    strided_slice_info(x._shape, starts, stops, steps, *masks)
    return run_kernel('StridedSlice', (x,), {
        'begin': tuple(starts), 'end': tuple(stops), 'strides': tuple(steps),
        'beginMask': masks[0], 'endMask': masks[1], 'ellipsisMask': masks[2],
        'newAxisMask': masks[3], 'shrinkAxisMask': masks[4]})


@op
def reverse(x: Any, axis: Any = None) -> Tensor:
    """x reversed along `axis` (all axes by default). A repeated axis is
    reversed twice, as tfjs does."""
    x = convert(x, 'x', 'reverse')
    rank = x.rank
    if axis is None:
        dims = list(range(rank))
    else:
        dims = []
        for a in _ints(axis, 'axis', 'reverse'):
            if not -rank <= a < rank:
                raise ValueError(f'reverse: axis {a} is out of range for a tensor of rank '
                                 f'{rank}')
            dims.append(a + rank if a < 0 else a)
    if not dims:
        return x.clone()
    return run_kernel('Reverse', (x,), {'dims': tuple(dims)})


def _reverse_nd(rank: int):
    if rank == 1:
        def reverse_nd(x: Any) -> Tensor:
            x = convert(x, 'x', 'reverse1d')
            _check_rank(x, 1, 'reverse1d')
            return reverse(x, 0)
    else:
        def reverse_nd(x: Any, axis: Any = None) -> Tensor:
            x = convert(x, 'x', f'reverse{rank}d')
            _check_rank(x, rank, f'reverse{rank}d')
            return reverse(x, axis)

    reverse_nd.__name__ = f'reverse{rank}d'
    reverse_nd.__doc__ = f'reverse of a rank-{rank} tensor.'
    return op(reverse_nd, chain=False)


reverse1d = _reverse_nd(1)
reverse2d = _reverse_nd(2)
reverse3d = _reverse_nd(3)
reverse4d = _reverse_nd(4)


@op
def tile(x: Any, reps: Any) -> Tensor:
    """x repeated reps[i] times along each axis i."""
    x = convert(x, 'x', 'tile')
    reps = _ints(reps, 'reps', 'tile')
    if len(reps) != x.rank:
        raise ValueError(f'tile: reps {reps} must have one entry per axis of x (rank '
                         f'{x.rank})')
    if any(r < 0 for r in reps):
        raise ValueError(f'tile: reps {reps} must not be negative')
    return run_kernel('Tile', (x,), {'reps': tuple(reps)})


@op
def pad(x: Any, paddings: Any, constantValue: float = 0) -> Tensor:
    """x padded with constantValue: paddings[i] = [before, after] for axis i."""
    x = convert(x, 'x', 'pad')
    _no_strings(x, 'x', 'pad')
    if x.rank == 0:
        raise ValueError('pad: pad(scalar) is not defined; pass a non-scalar to pad')
    pairs = _pairs(paddings, x.rank, 'paddings', 'pad')
    return run_kernel('PadV2', (x,), {'paddings': tuple(pairs),
                                      'constantValue': constantValue})


def _pad_nd(rank: int):
    def pad_nd(x: Any, paddings: Any, constantValue: float = 0) -> Tensor:
        x = convert(x, 'x', f'pad{rank}d')
        _check_rank(x, rank, f'pad{rank}d')
        return pad(x, [paddings] if rank == 1 else paddings, constantValue)

    pad_nd.__name__ = f'pad{rank}d'
    pad_nd.__doc__ = (f'pad of a rank-{rank} tensor' +
                      (' (paddings is one [before, after] pair).' if rank == 1 else '.'))
    return op(pad_nd, chain=False)


pad1d = _pad_nd(1)
pad2d = _pad_nd(2)
pad3d = _pad_nd(3)
pad4d = _pad_nd(4)


@op
def mirrorPad(x: Any, paddings: Any, mode: str) -> Tensor:
    """x padded with its own mirror image: 'reflect' leaves the edge out,
    'symmetric' repeats it."""
    x = convert(x, 'x', 'mirrorPad')
    _no_strings(x, 'x', 'mirrorPad')
    if mode not in ('reflect', 'symmetric'):
        raise ValueError(f"mirrorPad: mode must be either 'reflect' or 'symmetric', got "
                         f'{mode!r}')
    if x.rank == 0:
        raise ValueError('mirrorPad: mirrorPad(scalar) is not defined; pass a non-scalar')
    pairs = _pairs(paddings, x.rank, 'paddings', 'mirrorPad')
    shift = 1 if mode == 'reflect' else 0
    for i, (before, after) in enumerate(pairs):
        limit = x._shape[i] - shift
        if before > limit or after > limit:
            raise ValueError(f'mirrorPad: padding {[before, after]} in dimension {i} must be '
                             f'at most {max(limit, 0)} for mode {mode!r} and input of shape '
                             f'{x.shape}')
    return run_kernel('MirrorPad', (x,), {'paddings': tuple(pairs), 'mode': mode})


@op
def broadcastTo(x: Any, shape: Any) -> Tensor:
    """x repeated to `shape` by NumPy broadcasting rules."""
    x = convert(x, 'x', 'broadcastTo')
    target = _ints(shape, 'shape', 'broadcastTo')
    if len(target) < x.rank:
        raise ValueError(f'broadcastTo: shape {target} has fewer axes than the input of shape '
                         f'{x.shape}')
    padded = [1] * (len(target) - x.rank) + x.shape
    for d, t in zip(padded, target, strict=True):
        if t < 0 or (d != t and d != 1):
            raise ValueError(f'broadcastTo: {x.shape} cannot be broadcast to {target}')
    if padded == target:
        return reshape(x, target)
    return run_kernel('BroadcastTo', (x,), {'shape': tuple(target),
                                            'inputShape': tuple(x._shape)})


@op
def spaceToBatchND(x: Any, blockShape: Any, paddings: Any) -> Tensor:
    """Zero-pad the spatial axes x.shape[1:M+1] and move blocks of blockShape
    from them into the batch axis."""
    x = convert(x, 'x', 'spaceToBatchND')
    block = _ints(blockShape, 'blockShape', 'spaceToBatchND')
    m = len(block)
    if x.rank < m + 1:
        raise ValueError(f'spaceToBatchND: input rank {x.rank} should be > than the length of '
                         f'blockShape {block}')
    if any(b < 1 for b in block):
        raise ValueError(f'spaceToBatchND: blockShape {block} must be positive')
    pairs = _pairs(paddings, m, 'paddings', 'spaceToBatchND')
    for i, (b, (lo, hi)) in enumerate(zip(block, pairs, strict=True)):
        if (x._shape[i + 1] + lo + hi) % b:
            raise ValueError(f'spaceToBatchND: input spatial dimension {i + 1} of size '
                             f'{x._shape[i + 1]} with paddings {[lo, hi]} must be divisible '
                             f'by blockShape[{i}] = {b}')
    return run_kernel('SpaceToBatchND', (x,), {'blockShape': tuple(block),
                                               'paddings': tuple(pairs)})


@op
def batchToSpaceND(x: Any, blockShape: Any, crops: Any) -> Tensor:
    """Move blocks of blockShape from the batch axis into the spatial axes
    x.shape[1:M+1], then crop them (the inverse of spaceToBatchND)."""
    x = convert(x, 'x', 'batchToSpaceND')
    block = _ints(blockShape, 'blockShape', 'batchToSpaceND')
    m = len(block)
    if x.rank < m + 1:
        raise ValueError(f'batchToSpaceND: input rank {x.rank} should be > than the length of '
                         f'blockShape {block}')
    if any(b < 1 for b in block):
        raise ValueError(f'batchToSpaceND: blockShape {block} must be positive')
    pairs = _pairs(crops, m, 'crops', 'batchToSpaceND')
    prod = math.prod(block)
    if x._shape[0] % prod:
        raise ValueError(f'batchToSpaceND: input batch {x._shape[0]} is not divisible by the '
                         f'product of the elements of blockShape {block} ({prod})')
    for i, (b, (lo, hi)) in enumerate(zip(block, pairs, strict=True)):
        if lo + hi > x._shape[i + 1] * b:
            raise ValueError(f'batchToSpaceND: crops {[lo, hi]} for spatial dimension {i + 1} '
                             f'exceed its size {x._shape[i + 1] * b}')
    return run_kernel('BatchToSpaceND', (x,), {'blockShape': tuple(block),
                                               'crops': tuple(pairs)})


@op
def depthToSpace(x: Any, blockSize: int, dataFormat: str = 'NHWC') -> Tensor:
    """Move blocks of blockSize x blockSize from the channels into height and
    width (rank 4, 'NHWC' or 'NCHW')."""
    x = convert(x, 'x', 'depthToSpace')
    if dataFormat not in ('NHWC', 'NCHW'):
        raise ValueError(f"depthToSpace: dataFormat must be 'NHWC' or 'NCHW', got "
                         f'{dataFormat!r}')
    _check_rank(x, 4, 'depthToSpace')
    if int(blockSize) < 2:
        raise ValueError(f'depthToSpace: blockSize should be > 1, but was {blockSize}')
    depth = x._shape[3] if dataFormat == 'NHWC' else x._shape[1]
    if depth % (blockSize * blockSize):
        raise ValueError(f'depthToSpace: the channel dimension {depth} must be evenly '
                         f'divisible by blockSize * blockSize = {blockSize * blockSize} '
                         f'(input shape {x.shape})')
    return run_kernel('DepthToSpace', (x,), {'blockSize': int(blockSize),
                                             'dataFormat': dataFormat})


# -- Tensor-only methods of tfjs (t.as2D(...), t.flatten()) ------------------

def _as_rank(name: str, rank: int):
    def method(self: Tensor, *dims: int) -> Tensor:
        if len(dims) != rank:
            raise TypeError(f'{name} takes {rank} dimension(s), got {len(dims)}')
        return reshape(self, list(dims))

    method.__name__ = name
    method.__doc__ = f'The tensor reshaped to rank {rank}.'
    return method


def _as_1d(self: Tensor) -> Tensor:
    """The tensor reshaped to rank 1."""
    return reshape(self, [self.size])


def _as_scalar(self: Tensor) -> Tensor:
    """A one-element tensor as a scalar."""
    if self.size != 1:
        raise ValueError(f'asScalar: the tensor must have only 1 element, got shape '
                         f'{self.shape}')
    return reshape(self, [])


def _reshape_as(self: Tensor, x: Tensor) -> Tensor:
    """The tensor reshaped to x's shape."""
    return reshape(self, x.shape)


for _name, _method in (('as1D', _as_1d), ('flatten', _as_1d), ('asScalar', _as_scalar),
                       ('reshapeAs', _reshape_as), ('concat', _concat_method),
                       ('as2D', _as_rank('as2D', 2)), ('as3D', _as_rank('as3D', 3)),
                       ('as4D', _as_rank('as4D', 4)), ('as5D', _as_rank('as5D', 5))):
    attach_op(_name, _method)
del _name, _method
