"""Shape and indexing NumPy kernels. The ops have validated shapes, axes and
dtypes; kernels check only what needs the data (index ranges), as tfjs' CPU
backend does. Slices are copied, so a small result never keeps a large input's
buffer alive."""

from __future__ import annotations

import math

import numpy as np

from ....dtypes import NUMPY_DTYPE
from ....engine.registry import register_kernel
from ....slice_util import strided_slice_info
from .util import arr


@register_kernel('Transpose', 'cpu')
def transpose(backend, inputs, attrs):
    return np.ascontiguousarray(np.transpose(arr(inputs[0]), attrs['perm']))


@register_kernel('OneHot', 'cpu')
def one_hot(backend, inputs, attrs):
    indices = arr(inputs[0])
    depth = attrs['depth']
    dtype = NUMPY_DTYPE[attrs['dtype']]
    out = np.full(indices.shape + (depth,), attrs['offValue'], dtype=dtype)
    valid = (indices >= 0) & (indices < depth)
    rows = np.nonzero(valid.reshape(-1))[0]
    out.reshape(-1, depth)[rows, indices.reshape(-1)[rows]] = attrs['onValue']
    return out


@register_kernel('Pack', 'cpu')
def pack(backend, inputs, attrs):
    return np.stack([arr(t) for t in inputs], axis=attrs['axis'])


@register_kernel('Unpack', 'cpu')
def unpack(backend, inputs, attrs):
    x = arr(inputs[0])
    return [np.ascontiguousarray(np.take(x, i, axis=attrs['axis']))
            for i in range(x.shape[attrs['axis']])]


@register_kernel('Concat', 'cpu')
def concat(backend, inputs, attrs):
    return np.concatenate([arr(t) for t in inputs], axis=attrs['axis'])


@register_kernel('SplitV', 'cpu')
def split_v(backend, inputs, attrs):
    x = arr(inputs[0])
    cuts = np.cumsum(attrs['numOrSizeSplits'])[:-1]
    return [p.copy() for p in np.split(x, cuts, axis=attrs['axis'])]


@register_kernel('Slice', 'cpu')
def slice_(backend, inputs, attrs):
    x = arr(inputs[0])
    index = tuple(slice(b, b + s) for b, s in zip(attrs['begin'], attrs['size'], strict=True))
    return x[index].copy()


@register_kernel('StridedSlice', 'cpu')
def strided_slice(backend, inputs, attrs):
    x = arr(inputs[0])
    info = strided_slice_info(x.shape, attrs['begin'], attrs['end'], attrs['strides'],
                              attrs['beginMask'], attrs['endMask'], attrs['ellipsisMask'],
                              attrs['newAxisMask'], attrs['shrinkAxisMask'])
    return x[info.slices()].reshape(info.final_shape).copy()


# The ufunc method ndarray.max calls, minus its Python wrapper (which costs
# more than the scan of a batch's indices in a fit).
_largest = np.maximum.reduce


def _check_range(indices: np.ndarray, size: int, kernel: str) -> None:
    if indices.size:
        if indices.dtype == np.int32:
            # One pass: seen as uint32, a negative index is larger than any size.
            if _largest(indices.view(np.uint32), axis=None) < size:
                return
        bad = (indices < 0) | (indices >= size)
        if bad.any():
            value = int(indices.reshape(-1)[np.argmax(bad.reshape(-1))])
            raise ValueError(f'{kernel}: the index value {value} is not in [0, {size - 1}]')


@register_kernel('GatherV2', 'cpu')
def gather_v2(backend, inputs, attrs):
    x, indices = arr(inputs[0]), arr(inputs[1])
    axis, batch_dims = attrs['axis'], attrs['batchDims']
    _check_range(indices, x.shape[axis], 'GatherV2')
    if batch_dims == 0:
        # the method, not np.take's Python wrapper: ~8 us less per batch of a fit
        return x.take(indices, axis)
    batch = math.prod(x.shape[:batch_dims])
    outer = math.prod(x.shape[batch_dims:axis])
    inner = math.prod(x.shape[axis + 1:])
    x4 = x.reshape(batch, outer, x.shape[axis], inner)
    ind = indices.reshape(batch, math.prod(indices.shape[batch_dims:]))
    picked = x4[np.arange(batch)[:, None, None], np.arange(outer)[None, :, None],
                ind[:, None, :]]
    out_shape = x.shape[:axis] + indices.shape[batch_dims:] + x.shape[axis + 1:]
    return np.ascontiguousarray(picked).reshape(out_shape)


def _index_rows(indices: np.ndarray, shape: tuple[int, ...], kernel: str) -> np.ndarray:
    """indices [..., K] as rows [M, K], each checked to index into shape[:K]."""
    k = indices.shape[-1]
    rows = indices.reshape(math.prod(indices.shape[:-1]), k)
    if rows.size:
        bad = ((rows < 0) | (rows >= np.asarray(shape[:k]))).any(axis=1)
        if bad.any():
            row = rows[np.argmax(bad)].tolist()
            raise ValueError(f'{kernel}: invalid indices: {row} does not index into '
                             f'{list(shape)}')
    return rows


@register_kernel('GatherNd', 'cpu')
def gather_nd(backend, inputs, attrs):
    params, indices = arr(inputs[0]), arr(inputs[1])
    rows = _index_rows(indices, params.shape, 'GatherNd')
    k = rows.shape[1]
    picked = params[tuple(rows.T)] if k else np.broadcast_to(params, (len(rows),) + params.shape)
    return np.ascontiguousarray(picked).reshape(indices.shape[:-1] + params.shape[k:])


@register_kernel('ScatterNd', 'cpu')
def scatter_nd(backend, inputs, attrs):
    indices, updates = arr(inputs[0]), arr(inputs[1])
    shape = tuple(attrs['shape'])
    rows = _index_rows(indices, shape, 'ScatterNd')
    k = rows.shape[1]
    out = np.zeros(shape, updates.dtype)
    values = updates.reshape((len(rows),) + shape[k:])
    if updates.dtype == np.bool_:
        np.logical_or.at(out, tuple(rows.T), values)
    else:
        np.add.at(out, tuple(rows.T), values)
    return out


@register_kernel('TensorScatterUpdate', 'cpu')
def tensor_scatter_update(backend, inputs, attrs):
    tensor, indices, updates = (arr(t) for t in inputs)
    rows = _index_rows(indices, tensor.shape, 'TensorScatterUpdate')
    k = rows.shape[1]
    out = tensor.copy()
    values = updates.reshape((len(rows),) + tensor.shape[k:])
    if len(rows):
        # The last update of a repeated index wins, as in tfjs; NumPy does not promise it.
        flat = np.ravel_multi_index(tuple(rows.T), tensor.shape[:k])
        _, last = np.unique(flat[::-1], return_index=True)
        keep = len(rows) - 1 - last
        out[tuple(rows[keep].T)] = values[keep]
    return out


@register_kernel('Reverse', 'cpu')
def reverse(backend, inputs, attrs):
    x = arr(inputs[0])
    dims = [d for d in set(attrs['dims']) if list(attrs['dims']).count(d) % 2]
    return np.flip(x, axis=tuple(dims)).copy() if dims else x.copy()


@register_kernel('Tile', 'cpu')
def tile(backend, inputs, attrs):
    return np.tile(arr(inputs[0]), attrs['reps'])


@register_kernel('PadV2', 'cpu')
def pad_v2(backend, inputs, attrs):
    x = arr(inputs[0])
    value = np.array(attrs['constantValue']).astype(x.dtype)
    return np.pad(x, attrs['paddings'], mode='constant', constant_values=value)


@register_kernel('MirrorPad', 'cpu')
def mirror_pad(backend, inputs, attrs):
    return np.pad(arr(inputs[0]), attrs['paddings'], mode=attrs['mode'])


@register_kernel('BroadcastTo', 'cpu')
def broadcast_to(backend, inputs, attrs):
    x = arr(inputs[0])
    shape = tuple(attrs['shape'])
    return np.broadcast_to(x.reshape((1,) * (len(shape) - x.ndim) + x.shape), shape).copy()


def _top_k_indices(x: np.ndarray, k: int, sort: bool) -> np.ndarray:
    """Per row of the last axis, the indices of the k largest values: NaN above
    everything, ties to the lower index, -0 equal to 0. In index order unless
    `sort`, then largest first (a stable sort keeps tied indices ascending)."""
    keys = x.astype(np.float64)
    # float64 has room above every float32 and int32: +Infinity sorts just below NaN.
    keys[keys == np.inf] = 1e300
    keys[np.isnan(keys)] = np.inf
    neg = -keys
    n = x.shape[-1]
    if k == 0 or k == n:
        order = np.argsort(neg, axis=-1, kind='stable')[..., :k]
        return order if sort else np.sort(order, axis=-1)
    # A partition finds the k-th value in linear time; of the entries equal to
    # it, the ones with the lowest indices fill the k places.
    kth = np.partition(neg, k - 1, axis=-1)[..., k - 1:k]
    below = neg < kth
    tied = neg == kth
    room = k - below.sum(axis=-1, keepdims=True)
    chosen = below | (tied & (np.cumsum(tied, axis=-1) <= room))
    order = np.nonzero(chosen.reshape(-1, n))[1].reshape(x.shape[:-1] + (k,))
    if sort:
        order = np.take_along_axis(order, np.argsort(np.take_along_axis(neg, order, -1),
                                                     axis=-1, kind='stable'), -1)
    return order


@register_kernel('TopK', 'cpu')
def top_k(backend, inputs, attrs):
    x = arr(inputs[0])
    # Unsorted results keep their input order; tfjs' order comes from its
    # selection algorithm and is unspecified (TensorFlow says the same).
    order = _top_k_indices(x, attrs['k'], attrs['sorted'])
    values = np.take_along_axis(x, order, axis=-1)
    return [np.ascontiguousarray(values), order.astype(np.int32)]


def _row_keys(rows: np.ndarray) -> np.ndarray:
    """One hashable-by-bytes key per row, with NaN == NaN and -0 == 0 (as tfjs,
    which compares the printed values)."""
    if rows.dtype.kind == 'f':
        rows = np.where(np.isnan(rows), np.nan, rows) + rows.dtype.type(0)
    rows = np.ascontiguousarray(rows)
    return rows.view(np.dtype((np.void, rows.dtype.itemsize * rows.shape[1]))).reshape(-1)


@register_kernel('Unique', 'cpu')
def unique(backend, inputs, attrs):
    x = arr(inputs[0])
    axis = attrs['axis']
    moved = np.moveaxis(x, axis, 0)
    n = moved.shape[0]
    rows = moved.reshape(n, math.prod(moved.shape[1:]))
    if n == 0 or rows.shape[1] == 0:
        first = np.zeros(min(n, 1), np.int64)
        inverse = np.zeros(n, np.int64)
    elif x.dtype == object:
        seen: dict[tuple, int] = {}
        firsts: list[int] = []
        ids = []
        for i, r in enumerate(rows.tolist()):
            key = tuple(r)
            if key not in seen:
                seen[key] = len(firsts)
                firsts.append(i)
            ids.append(seen[key])
        first, inverse = np.array(firsts, np.int64), np.array(ids, np.int64)
    else:
        _, first_sorted, inv = np.unique(_row_keys(rows), return_index=True, return_inverse=True)
        # np.unique sorts; tfjs keeps the order of first appearance.
        order = np.argsort(first_sorted, kind='stable')
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        first = first_sorted[order]
        inverse = rank[inv.reshape(-1)]
    values = np.moveaxis(moved[first], 0, axis)
    return [np.ascontiguousarray(values), inverse.astype(np.int32)]


@register_kernel('SpaceToBatchND', 'cpu')
def space_to_batch_nd(backend, inputs, attrs):
    x = arr(inputs[0])
    block = list(attrs['blockShape'])
    m = len(block)
    padded = np.pad(x, [(0, 0), *attrs['paddings']] + [(0, 0)] * (x.ndim - 1 - m))
    b, spatial, rest = padded.shape[0], padded.shape[1:1 + m], padded.shape[1 + m:]
    split = [b]
    for s, bs in zip(spatial, block, strict=True):
        split += [s // bs, bs]
    y = padded.reshape(split + list(rest))
    perm = ([2 + 2 * i for i in range(m)] + [0] + [1 + 2 * i for i in range(m)]
            + list(range(1 + 2 * m, y.ndim)))
    out_shape = [b * math.prod(block)] + [s // bs for s, bs in zip(spatial, block, strict=True)]
    return np.ascontiguousarray(np.transpose(y, perm)).reshape(out_shape + list(rest))


@register_kernel('BatchToSpaceND', 'cpu')
def batch_to_space_nd(backend, inputs, attrs):
    x = arr(inputs[0])
    block = list(attrs['blockShape'])
    m = len(block)
    b = x.shape[0] // math.prod(block)
    spatial, rest = x.shape[1:1 + m], x.shape[1 + m:]
    y = x.reshape(block + [b] + list(spatial) + list(rest))
    perm = [m]
    for i in range(m):
        perm += [m + 1 + i, i]
    perm += list(range(1 + 2 * m, y.ndim))
    full = [b] + [s * bs for s, bs in zip(spatial, block, strict=True)] + list(rest)
    y = np.transpose(y, perm).reshape(full)
    crop = tuple(slice(lo, full[1 + i] - hi) for i, (lo, hi) in enumerate(attrs['crops']))
    return np.ascontiguousarray(y[(slice(None),) + crop])


@register_kernel('DepthToSpace', 'cpu')
def depth_to_space(backend, inputs, attrs):
    x = arr(inputs[0])
    bs = attrs['blockSize']
    if attrs['dataFormat'] == 'NHWC':
        b, h, w, c = x.shape
        y = x.reshape(b, h, w, bs, bs, c // (bs * bs)).transpose(0, 1, 3, 2, 4, 5)
        return np.ascontiguousarray(y).reshape(b, h * bs, w * bs, c // (bs * bs))
    b, c, h, w = x.shape
    y = x.reshape(b, bs, bs, c // (bs * bs), h, w).transpose(0, 3, 4, 1, 5, 2)
    return np.ascontiguousarray(y).reshape(b, c // (bs * bs), h * bs, w * bs)
