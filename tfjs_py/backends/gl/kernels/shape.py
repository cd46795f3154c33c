"""Shape and indexing GL kernels. Most are one affine gather (gl/shape/gather.comp):
each output axis reads input axis positions begin + c * step, which covers
transpose, slice, reverse, broadcast, tile (TILE), constant padding (PAD)
and mirror padding (MIRROR). String tensors, whose values live on the host,
go through the cpu kernels (on_host), as tfjs' WebGL backend does."""

from __future__ import annotations

import math
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import numpy as np

from ....engine.registry import KERNEL_IMPLS, register_kernel
from ....environment import ENV
from ....slice_util import strided_slice_info
from ...cpu.kernels.shape import _check_range as check_range
from ...cpu.kernels.shape import _index_rows as index_rows
from ..backend import GlBackend, GlOutput
from ..program import ProgramSpec
from .util import (
    groups,
    padded,
    rec,
    release,
    run_elementwise,
    shape_of,
    size_of,
    strides,
)


def on_host(backend: GlBackend, name: str, inputs: tuple, attrs: dict) -> Any:
    """The cpu kernel on the inputs' host values, its results written back."""
    # a cpu kernel reads a tensor as t.dataId.rec (its ndarray) and t._shape
    hosts = tuple(SimpleNamespace(dataId=SimpleNamespace(rec=backend.read_sync(
        t.dataId.rec, t._shape, t.dtype)), _shape=t._shape) for t in inputs)
    results = KERNEL_IMPLS[(name, 'cpu')](backend, hosts, attrs)
    outs = []
    for values in results if isinstance(results, list) else [results]:
        data, _ = backend.write(np.ascontiguousarray(values))
        outs.append(GlOutput(data, values.shape))
    return outs if isinstance(results, list) else outs[0]


def _kernel(name: str) -> Callable:
    """Register a gl kernel that also takes tensors no texture holds (string,
    complex64): their values live on the host, and there, as in tfjs' WebGL
    backend, the cpu kernel serves."""
    def register(fn: Callable) -> Callable:
        def kernel(backend, inputs, attrs):
            for t in inputs:
                if t.dataId.rec.host is not None:
                    return on_host(backend, name, inputs, attrs)
            return fn(backend, inputs, attrs)
        kernel.__name__ = kernel.__qualname__ = fn.__name__
        return register_kernel(name, 'gl')(kernel)
    return register


def gather(backend, x, shape: list[int], begin: list[int], step: list[int],
           in_stride: list[int], out_shape: tuple[int, ...] | None = None,
           in_dim: list[int] | None = None, mode: str | None = None, fill: float = 0.0,
           mirror: int = 0):
    """Run gather.comp; `shape` indexes the output axis by axis (`out_shape`,
    of the same size, is the result's shape when it differs)."""
    dtype = x.dtype if hasattr(x, 'dtype') else rec(x).dtype
    defines = {mode: 1} if mode else {}
    uniforms = {'u_rank': len(shape), 'u_shape': padded(shape, 1), 'u_begin': padded(begin),
                'u_step': padded(step), 'u_in_stride': padded(in_stride),
                'u_in_dim': padded(in_dim or [], 1), 'u_fill': float(fill), 'u_mirror': mirror}
    return run_elementwise(backend, 'shape/gather.comp', [x],
                           tuple(shape) if out_shape is None else out_shape, dtype, defines,
                           uniforms)


def transpose(backend, x, perm: list[int]):
    shape = shape_of(x)
    own = strides(shape)
    return gather(backend, x, [shape[p] for p in perm], [0] * len(perm), [1] * len(perm),
                  [own[p] for p in perm])


def slice_(backend, x, begin: list[int], size: list[int],
           out_shape: tuple[int, ...] | None = None):
    rank = len(size)
    return gather(backend, x, list(size), list(begin), [1] * rank, strides(shape_of(x)),
                  out_shape)


@_kernel('Transpose')
def transpose_kernel(backend, inputs, attrs):
    return transpose(backend, inputs[0], list(attrs['perm']))


@_kernel('Slice')
def slice_kernel(backend, inputs, attrs):
    return slice_(backend, inputs[0], list(attrs['begin']), list(attrs['size']))


@_kernel('Reverse')
def reverse(backend, inputs, attrs):
    x = inputs[0]
    shape = list(x._shape)
    begin, step = [0] * len(shape), [1] * len(shape)
    for d in attrs['dims']:
        # reversing an axis twice leaves it as it was (tfjs)
        begin[d] = shape[d] - 1 - begin[d]
        step[d] = -step[d]
    return gather(backend, x, shape, begin, step, strides(shape))


@_kernel('Tile')
def tile(backend, inputs, attrs):
    x = inputs[0]
    shape = list(x._shape)
    out = [n * r for n, r in zip(shape, attrs['reps'], strict=True)]
    return gather(backend, x, out, [0] * len(shape), [1] * len(shape), strides(shape),
                  in_dim=shape, mode='TILE')


@register_kernel('PadV2', 'gl')
def pad(backend, inputs, attrs):
    x = inputs[0]
    shape = list(x._shape)
    pairs = attrs['paddings']
    out = [n + before + after for n, (before, after) in zip(shape, pairs, strict=True)]
    return gather(backend, x, out, [-before for before, _ in pairs], [1] * len(shape),
                  strides(shape), in_dim=shape, mode='PAD', fill=float(attrs['constantValue']))


@_kernel('BroadcastTo')
def broadcast_to(backend, inputs, attrs):
    x = inputs[0]
    target = list(attrs['shape'])
    aligned = [1] * (len(target) - x.rank) + list(x._shape)
    own = strides(aligned)
    return gather(backend, x, target, [0] * len(target), [1] * len(target),
                  [0 if d == 1 else s for d, s in zip(aligned, own, strict=True)])


def _split(backend, x, axis: int, sizes: list[int], squeeze: bool) -> list:
    shape = list(x._shape)
    outs, start = [], 0
    for size in sizes:
        begin = [0] * len(shape)
        begin[axis] = start
        piece = shape[:axis] + [size] + shape[axis + 1:]
        out_shape = tuple(piece[:axis] + piece[axis + 1:]) if squeeze else tuple(piece)
        outs.append(slice_(backend, x, begin, piece, out_shape))
        start += size
    return outs


@_kernel('Unpack')
def unpack(backend, inputs, attrs):
    x = inputs[0]
    axis = attrs['axis']
    return _split(backend, x, axis, [1] * x._shape[axis], squeeze=True)


@_kernel('SplitV')
def split_v(backend, inputs, attrs):
    x = inputs[0]
    sizes = attrs['numOrSizeSplits']
    if isinstance(sizes, int):
        sizes = [x._shape[attrs['axis']] // sizes] * sizes
    return _split(backend, x, attrs['axis'], list(sizes), squeeze=False)


def _concat(backend, tensors: list, shapes: list[tuple[int, ...]], axis: int,
            out_shape: tuple[int, ...], dtype: str):
    """Each input, seen as rows of prod(shape[axis:]) values, fills its columns
    of the output's rows."""
    out = backend.new_output(out_shape, dtype)
    out_inner = size_of(out_shape[axis:])
    offset = 0
    for t, shape in zip(tensors, shapes, strict=True):
        inner = size_of(shape[axis:])
        n = size_of(shape)
        if n:
            backend.run(ProgramSpec('shape/concat.comp', [rec(t)], [out.rec], groups(n), {},
                                    {'u_size': n, 'u_inner': inner, 'u_out_inner': out_inner,
                                     'u_offset': offset}))
        offset += inner
    return out


@_kernel('Concat')
def concat(backend, inputs, attrs):
    axis = attrs['axis']
    shapes = [t._shape for t in inputs]
    first = shapes[0]
    out_shape = first[:axis] + (sum(s[axis] for s in shapes),) + first[axis + 1:]
    return _concat(backend, list(inputs), shapes, axis, out_shape, inputs[0].dtype)


@_kernel('Pack')
def pack(backend, inputs, attrs):
    axis = attrs['axis']
    first = inputs[0]._shape
    shapes = [s[:axis] + (1,) + s[axis:] for s in (t._shape for t in inputs)]
    out_shape = first[:axis] + (len(inputs),) + first[axis:]
    return _concat(backend, list(inputs), shapes, axis, out_shape, inputs[0].dtype)


@register_kernel('OneHot', 'gl')
def one_hot(backend, inputs, attrs):
    indices = inputs[0]
    depth = attrs['depth']
    return run_elementwise(backend, 'shape/one_hot.comp', [indices],
                           indices._shape + (depth,), attrs['dtype'], {},
                           {'u_depth': depth, 'u_on': float(attrs['onValue']),
                            'u_off': float(attrs['offValue'])})


def gather_batched(backend, x, indices, axis: int, batch_dims: int) -> GlOutput:
    """GatherV2: along `axis`, each of the batch_dims leading batches of x with
    its own row of indices."""
    shape, index_shape = shape_of(x), shape_of(indices)
    out_shape = shape[:axis] + index_shape[batch_dims:] + shape[axis + 1:]
    return run_elementwise(backend, 'shape/gather_axis.comp', [x, indices], out_shape,
                           rec(x).dtype, {},
                           {'u_outer': max(size_of(shape[batch_dims:axis]), 1),
                            'u_dim': shape[axis], 'u_inner': max(size_of(shape[axis + 1:]), 1),
                            'u_count': max(size_of(index_shape[batch_dims:]), 1)})


@_kernel('GatherV2')
def gather_v2(backend, inputs, attrs):
    x, indices = inputs
    if ENV.getBool('DEBUG'):
        # as tfjs' WebGL backend: indices are read back and checked in debug
        # mode only; otherwise an index out of range gathers zeros
        check_range(backend.read_sync(rec(indices), indices._shape, indices.dtype),
                    x._shape[attrs['axis']], 'GatherV2')
    return gather_batched(backend, x, indices, attrs['axis'], attrs['batchDims'])


@register_kernel('MirrorPad', 'gl')
def mirror_pad(backend, inputs, attrs):
    x = inputs[0]
    shape = list(x._shape)
    pairs = attrs['paddings']
    out = [n + before + after for n, (before, after) in zip(shape, pairs, strict=True)]
    return gather(backend, x, out, [-before for before, _ in pairs], [1] * len(shape),
                  strides(shape), in_dim=shape, mode='MIRROR',
                  mirror=1 if attrs['mode'] == 'symmetric' else 0)


@register_kernel('FlipLeftRight', 'gl')
def flip_left_right(backend, inputs, attrs):
    x = inputs[0]
    shape = list(x._shape)
    return gather(backend, x, shape, [0, 0, shape[2] - 1, 0], [1, 1, -1, 1], strides(shape))


@_kernel('StridedSlice')
def strided_slice(backend, inputs, attrs):
    x = inputs[0]
    info = strided_slice_info(x._shape, attrs['begin'], attrs['end'], attrs['strides'],
                              attrs['beginMask'], attrs['endMask'], attrs['ellipsisMask'],
                              attrs['newAxisMask'], attrs['shrinkAxisMask'])
    return gather(backend, x, list(info.sizes), list(info.starts), list(info.steps),
                  strides(x._shape), tuple(info.final_shape))


@_kernel('GatherNd')
def gather_nd(backend, inputs, attrs):
    params, indices = inputs
    # tfjs rejects an index outside params (its WebGL backend runs small
    # gathers on the CPU); so do we, reading the indices back as _scatter does.
    index_rows(backend.read_sync(rec(indices), indices._shape, indices.dtype), params._shape,
               'GatherNd')
    depth = indices._shape[-1]
    slice_shape = params._shape[depth:]
    slice_size = size_of(slice_shape)
    own = strides(params._shape)
    return run_elementwise(backend, 'shape/gather_nd.comp', [params, indices],
                           indices._shape[:-1] + slice_shape, params.dtype, {},
                           {'u_depth': depth, 'u_slice': max(slice_size, 1),
                            'u_strides': padded(own[:depth]),
                            'u_dims': padded(list(params._shape[:depth]))})


def _view(x, shape) -> GlOutput:
    """x's values under another shape of the same size (no copy)."""
    return GlOutput(rec(x), tuple(shape))


def _padded(backend, x, pairs: list[tuple[int, int]]):
    shape = list(shape_of(x))
    out = [n + before + after for n, (before, after) in zip(shape, pairs, strict=True)]
    return gather(backend, x, out, [-before for before, _ in pairs], [1] * len(shape),
                  strides(shape), in_dim=shape, mode='PAD')


def _transposed(backend, x, shape: list[int], perm: list[int], out_shape: list[int]):
    """x seen as `shape`, transposed by perm, seen as `out_shape`."""
    return _view(transpose(backend, _view(x, shape), perm), out_shape)


@register_kernel('SpaceToBatchND', 'gl')
def space_to_batch_nd(backend, inputs, attrs):
    x = inputs[0]
    block = list(attrs['blockShape'])
    m = len(block)
    padded = _padded(backend, x, [(0, 0), *attrs['paddings']] + [(0, 0)] * (x.rank - 1 - m))
    shape = padded.shape
    b, spatial, rest = shape[0], shape[1:1 + m], list(shape[1 + m:])
    split = [b]
    for s, bs in zip(spatial, block, strict=True):
        split += [s // bs, bs]
    perm = ([2 + 2 * i for i in range(m)] + [0] + [1 + 2 * i for i in range(m)]
            + list(range(1 + 2 * m, len(split) + len(rest))))
    out_shape = ([b * math.prod(block)] + [s // bs for s, bs in zip(spatial, block, strict=True)]
                 + rest)
    out = _transposed(backend, padded, split + rest, perm, out_shape)
    release(backend, padded)
    return out


@register_kernel('BatchToSpaceND', 'gl')
def batch_to_space_nd(backend, inputs, attrs):
    x = inputs[0]
    block = list(attrs['blockShape'])
    m = len(block)
    b = x._shape[0] // math.prod(block)
    spatial, rest = list(x._shape[1:1 + m]), list(x._shape[1 + m:])
    perm = [m]
    for i in range(m):
        perm += [m + 1 + i, i]
    perm += list(range(1 + 2 * m, 1 + 2 * m + len(rest)))
    full = [b] + [s * bs for s, bs in zip(spatial, block, strict=True)] + rest
    y = _transposed(backend, x, block + [b] + spatial + rest, perm, full)
    begin = [0] + [lo for lo, _ in attrs['crops']] + [0] * len(rest)
    size = ([b] + [full[1 + i] - lo - hi for i, (lo, hi) in enumerate(attrs['crops'])]
            + rest)
    out = slice_(backend, y, begin, size)
    release(backend, y)
    return out


@register_kernel('DepthToSpace', 'gl')
def depth_to_space(backend, inputs, attrs):
    x = inputs[0]
    bs = attrs['blockSize']
    if attrs['dataFormat'] == 'NHWC':
        b, h, w, c = x._shape
        return _transposed(backend, x, [b, h, w, bs, bs, c // (bs * bs)], [0, 1, 3, 2, 4, 5],
                           [b, h * bs, w * bs, c // (bs * bs)])
    b, c, h, w = x._shape
    return _transposed(backend, x, [b, bs, bs, c // (bs * bs), h, w], [0, 3, 4, 1, 5, 2],
                       [b, c // (bs * bs), h * bs, w * bs])


def _scatter(backend, name: str, updates, indices, shape: tuple[int, ...], base=None):
    # tfjs' cpu rejects an index outside the shape; so do we, reading the
    # (small) indices back once, with the cpu backend's own check.
    index_rows(backend.read_sync(rec(indices), indices._shape, indices.dtype), shape, name)
    depth = indices._shape[-1] if indices._shape else 1
    rows = size_of(indices._shape[:-1]) if indices._shape else 1
    slice_size = size_of(shape[depth:])
    slice_strides = [s // max(slice_size, 1) for s in strides(shape)[:depth]]
    inputs = [updates, indices] + ([base] if base is not None else [])
    return run_elementwise(backend, 'shape/scatter_nd.comp', inputs, shape, updates.dtype,
                           {'UPDATE': 1} if base is not None else {},
                           {'u_rows': rows, 'u_depth': depth, 'u_slice': max(slice_size, 1),
                            'u_strides': padded(slice_strides)})


@register_kernel('ScatterNd', 'gl')
def scatter_nd(backend, inputs, attrs):
    indices, updates = inputs
    return _scatter(backend, 'ScatterNd', updates, indices, tuple(attrs['shape']))


@register_kernel('TensorScatterUpdate', 'gl')
def tensor_scatter_update(backend, inputs, attrs):
    tensor, indices, updates = inputs
    return _scatter(backend, 'TensorScatterUpdate', updates, indices, tensor._shape, base=tensor)
