"""Gradients of shape and indexing kernels, written with public ops."""

from __future__ import annotations

import math

import numpy as np

from ..engine.registry import register_gradient
from ..ops.creation import fill, from_values, range_, zeros, zerosLike
from ..ops.elementwise import add, cast, equal, mul
from ..ops.indexing import gatherND, scatterND, tensorScatterUpdate
from ..ops.reduce import sum_, unsortedSegmentSum
from ..ops.shape import (
    batchToSpaceND,
    concat,
    pad,
    reshape,
    reverse,
    slice_,
    spaceToBatchND,
    split,
    stack,
    transpose,
    unstack,
)
from ..slice_util import strided_slice_info


def _once(fn):
    """A thunk computing fn() at most once, for gradients that share one result."""
    cache: list = []

    def get():
        if not cache:
            cache.append(fn())
        return cache[0]

    return get


def _zeros_for(t):
    return lambda: zerosLike(t)


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
    slices = _once(lambda: unstack(dy, attrs['axis']))
    return tuple((lambda i=i: slices()[i]) for i in range(len(inputs)))


@register_gradient('Unpack')
def unpack_grad(dys, inputs, outputs, attrs):
    parts = dys if isinstance(dys, list) else [dys]
    return (lambda: stack(parts, attrs['axis']),)


@register_gradient('Concat')
def concat_grad(dy, inputs, outputs, attrs):
    axis = attrs['axis']
    parts = _once(lambda: split(dy, [t._shape[axis] for t in inputs], axis))
    return tuple((lambda i=i: parts()[i]) for i in range(len(inputs)))


@register_gradient('SplitV')
def split_v_grad(dys, inputs, outputs, attrs):
    parts = dys if isinstance(dys, list) else [dys]
    return (lambda: concat(parts, attrs['axis']),)


@register_gradient('Slice')
def slice_grad(dy, inputs, outputs, attrs):
    (x,) = inputs
    paddings = [[b, d - b - s] for b, s, d in zip(attrs['begin'], attrs['size'], x._shape,
                                                  strict=True)]
    return (lambda: pad(dy, paddings),)


@register_gradient('StridedSlice')
def strided_slice_grad(dy, inputs, outputs, attrs):
    (x,) = inputs

    def grad():
        # Each selected element is taken once: scatter dy back to its flat position.
        info = strided_slice_info(x._shape, attrs['begin'], attrs['end'], attrs['strides'],
                                  attrs['beginMask'], attrs['endMask'], attrs['ellipsisMask'],
                                  attrs['newAxisMask'], attrs['shrinkAxisMask'])
        size = math.prod(x._shape)
        flat = np.arange(size, dtype=np.int32).reshape(x._shape)[info.slices()]
        positions = from_values(flat.reshape(-1, 1), None, 'int32')
        return reshape(scatterND(positions, reshape(dy, [-1]), [size]), x._shape)

    return (grad,)


@register_gradient('GatherV2')
def gather_v2_grad(dy, inputs, outputs, attrs):
    x, indices = inputs
    axis, batch_dims = attrs['axis'], attrs['batchDims']

    def grad():
        # Fold the batch axes into the segment ids: batch b, index i -> b * N + i.
        shape = x._shape
        n = shape[axis]
        batch = math.prod(shape[:batch_dims])
        outer = math.prod(shape[batch_dims:axis])
        count = math.prod(indices._shape[batch_dims:])
        inner = math.prod(shape[axis + 1:])
        values = reshape(transpose(reshape(dy, [batch, outer, count, inner]), [0, 2, 1, 3]),
                         [batch * count, outer, inner])
        ids = reshape(indices, [batch, count])
        if batch > 1:
            ids = add(ids, from_values(np.arange(batch, dtype=np.int32)[:, None] * n, None,
                                       'int32'))
        summed = unsortedSegmentSum(values, reshape(ids, [batch * count]), batch * n)
        return reshape(transpose(reshape(summed, [batch, n, outer, inner]), [0, 2, 1, 3]),
                       shape)

    return (grad, _zeros_for(indices))


@register_gradient('GatherNd')
def gather_nd_grad(dy, inputs, outputs, attrs):
    params, indices = inputs
    return (lambda: scatterND(indices, dy, params.shape), _zeros_for(indices))


@register_gradient('ScatterNd')
def scatter_nd_grad(dy, inputs, outputs, attrs):
    indices, updates = inputs
    return (_zeros_for(indices), lambda: gatherND(dy, indices))


@register_gradient('TensorScatterUpdate')
def tensor_scatter_update_grad(dy, inputs, outputs, attrs):
    tensor, indices, updates = inputs

    def updates_grad():
        # Of updates to one index only the last is kept: the others get no gradient.
        rows = indices.shape[:-1]
        count = math.prod(rows)
        k = indices.shape[-1]
        ids = reshape(range_(0, count, 1, 'int32'), rows)
        owner = tensorScatterUpdate(fill(tensor.shape[:k], -1, 'int32'), indices, ids)
        kept = equal(gatherND(owner, indices), ids)
        mask = reshape(cast(kept, dy.dtype), rows + [1] * (tensor.rank - k))
        return mul(gatherND(dy, indices), mask)

    return (lambda: tensorScatterUpdate(dy, indices, zeros(updates.shape, dy.dtype)),
            _zeros_for(indices),
            updates_grad)


@register_gradient('Reverse')
def reverse_grad(dy, inputs, outputs, attrs):
    return (lambda: reverse(dy, list(attrs['dims'])),)


@register_gradient('Tile')
def tile_grad(dy, inputs, outputs, attrs):
    (x,) = inputs

    def grad():
        # Tile lays copies out as [reps[i], x.shape[i]] on each axis: sum the copies.
        split_shape = [d for r, n in zip(attrs['reps'], x._shape, strict=True) for d in (r, n)]
        return reshape(sum_(reshape(dy, split_shape), list(range(0, len(split_shape), 2))),
                       x._shape)

    return (grad,)


@register_gradient('PadV2')
def pad_v2_grad(dy, inputs, outputs, attrs):
    (x,) = inputs
    return (lambda: slice_(dy, [p[0] for p in attrs['paddings']], x.shape),)


def _on_axis(rank: int, axis: int, value: list[int], fill: int) -> list:
    return [value if a == axis else fill for a in range(rank)]


@register_gradient('MirrorPad')
def mirror_pad_grad(dy, inputs, outputs, attrs):
    """Each padded entry is a copy of an input entry: fold the mirrored borders
    back onto the entries they copy, one axis at a time. (tfjs 4.22 only slices
    out the centre, dropping the borders' share of the gradient.)"""
    (x,) = inputs
    offset = 1 if attrs['mode'] == 'reflect' else 0

    def grad():
        g = dy
        rank = x.rank
        for axis, (lo, hi) in enumerate(attrs['paddings']):
            n = x._shape[axis]
            if lo == 0 and hi == 0:
                continue
            cur = g._shape[axis]
            begin = _on_axis(rank, axis, 0, 0)
            size = _on_axis(rank, axis, 0, -1)
            begin[axis], size[axis] = lo, n
            folded = slice_(g, begin, size)
            if lo:
                begin[axis], size[axis] = 0, lo
                left = reverse(slice_(g, begin, size), axis)
                folded = add(folded, pad(left, _on_axis(rank, axis, [offset, n - lo - offset],
                                                        [0, 0])))
            if hi:
                begin[axis], size[axis] = cur - hi, hi
                right = reverse(slice_(g, begin, size), axis)
                folded = add(folded, pad(right, _on_axis(rank, axis,
                                                         [n - offset - hi, offset], [0, 0])))
            g = folded
        return g

    return (grad,)


@register_gradient('BroadcastTo')
def broadcast_to_grad(dy, inputs, outputs, attrs):
    (x,) = inputs
    out_shape, in_shape = attrs['shape'], attrs['inputShape']
    lead = len(out_shape) - len(in_shape)
    axes = list(range(lead)) + [lead + i for i, d in enumerate(in_shape)
                                if d == 1 and out_shape[lead + i] != 1]
    return (lambda: reshape(sum_(dy, axes, True), in_shape),)


@register_gradient('SpaceToBatchND')
def space_to_batch_nd_grad(dy, inputs, outputs, attrs):
    return (lambda: batchToSpaceND(dy, list(attrs['blockShape']),
                                   [list(p) for p in attrs['paddings']]),)


@register_gradient('BatchToSpaceND')
def batch_to_space_nd_grad(dy, inputs, outputs, attrs):
    return (lambda: spaceToBatchND(dy, list(attrs['blockShape']),
                                   [list(p) for p in attrs['crops']]),)


@register_gradient('DepthToSpace')
def depth_to_space_grad(dy, inputs, outputs, attrs):
    (x,) = inputs
    bs = attrs['blockSize']

    def grad():
        # depthToSpace is a reshape, a transpose and a reshape: undo them in reverse.
        if attrs['dataFormat'] == 'NHWC':
            b, h, w, c = x._shape
            blocks = reshape(dy, [b, h, bs, w, bs, c // (bs * bs)])
            return reshape(transpose(blocks, [0, 1, 3, 2, 4, 5]), x._shape)
        b, c, h, w = x._shape
        blocks = reshape(dy, [b, c // (bs * bs), h, bs, w, bs])
        return reshape(transpose(blocks, [0, 3, 5, 1, 2, 4]), x._shape)

    return (grad,)


@register_gradient('OneHot')
def one_hot_grad(dy, inputs, outputs, attrs):
    (indices,) = inputs
    return (lambda: zeros(indices.shape, 'float32'),)
