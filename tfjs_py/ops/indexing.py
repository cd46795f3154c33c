"""Indexing ops: gather, gatherND, scatterND, tensorScatterUpdate, topk,
unique, and the data-dependent async ops whereAsync, booleanMaskAsync and
setdiff1dAsync (their result shape depends on the values, so they read the
data, as tfjs does)."""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np

from ..engine.tensor import Tensor
from .axes import parse_axis
from .creation import from_values
from .op import convert, op, run_kernel
from .shape import reshape


class ValuesAndIndices(NamedTuple):
    """The {values, indices} result of topk and unique: `r.values`,
    `r['values']` and `values, indices = r` all work."""

    values: Tensor
    indices: Tensor

    def __getitem__(self, key: Any) -> Any:  # type: ignore[override]
        if isinstance(key, str):
            if key not in self._fields:
                raise KeyError(key)
            return getattr(self, key)
        return tuple.__getitem__(self, key)


def _int32(x: Any, arg: str, fn: str) -> Tensor:
    t = convert(x, arg, fn, 'int32')
    if t.dtype != 'int32':
        raise TypeError(f"{fn}: argument {arg!r} must be an int32 tensor, but got a {t.dtype} "
                        'tensor')
    return t


def _bool(x: Any, arg: str, fn: str) -> Tensor:
    t = convert(x, arg, fn, 'bool')
    if t.dtype != 'bool':
        raise TypeError(f"{fn}: argument {arg!r} must be a bool tensor, but got a {t.dtype} "
                        'tensor')
    return t


@op
def gather(x: Any, indices: Any, axis: int = 0, batchDims: int = 0) -> Tensor:
    """Slices of x at `indices` along `axis`; the first batchDims axes of x and
    indices are batch axes gathered pairwise. An index out of range raises, as
    on tfjs' CPU backend. String tensors are accepted (tfjs refuses them)."""
    x = convert(x, 'x', 'gather')
    indices = _int32(indices, 'indices', 'gather')
    if x.rank == 0:
        raise ValueError('gather: x must have rank >= 1, got a scalar')
    axis = parse_axis(axis, x.rank, 'gather')
    batch_dims = batchDims + indices.rank if batchDims < 0 else batchDims
    if not 0 <= batch_dims <= indices.rank:
        raise ValueError(f'gather: batchDims ({batchDims}) must be in [-{indices.rank}, '
                         f'{indices.rank}] for indices of rank {indices.rank}')
    if batch_dims > axis:
        raise ValueError(f'gather: batchDims ({batch_dims}) must be less than or equal to '
                         f'axis ({axis})')
    for i in range(batch_dims):
        if x._shape[i] != indices._shape[i]:
            raise ValueError(f'gather: x.shape[{i}]: {x._shape[i]} should be equal to '
                             f'indices.shape[{i}]: {indices._shape[i]}')
    return run_kernel('GatherV2', (x, indices), {'axis': axis, 'batchDims': batch_dims})


def _check_nd_indices(indices: Tensor, rank: int, fn: str) -> int:
    if indices.rank == 0:
        raise ValueError(f'{fn}: indices must have rank >= 1, but got a scalar')
    k = indices._shape[-1]
    if k > rank:
        raise ValueError(f'{fn}: the innermost dimension of indices ({k}, shape '
                         f'{indices.shape}) must be <= the rank of the indexed tensor ({rank})')
    return k


@op(chain=False)
def gatherND(x: Any, indices: Any) -> Tensor:
    """Slices of x at the index tuples in the last axis of `indices`."""
    x = convert(x, 'x', 'gatherND')
    indices = _int32(indices, 'indices', 'gatherND')
    _check_nd_indices(indices, x.rank, 'gatherND')
    return run_kernel('GatherNd', (x, indices), {})


def _check_updates(indices: Tensor, updates: Tensor, shape: list[int], fn: str) -> None:
    k = _check_nd_indices(indices, len(shape), fn)
    expected = indices.shape[:-1] + shape[k:]
    if updates.shape != expected:
        raise ValueError(f'{fn}: updates must have shape indices.shape[:-1] + shape[{k}:] = '
                         f'{expected}, got {updates.shape} (indices {indices.shape}, shape '
                         f'{shape})')


@op(chain=False)
def scatterND(indices: Any, updates: Any, shape: Any) -> Tensor:
    """A zero tensor of `shape` with `updates` added at `indices` (repeated
    indices add up)."""
    indices = _int32(indices, 'indices', 'scatterND')
    updates = convert(updates, 'updates', 'scatterND')
    if updates.dtype == 'string':
        raise TypeError("scatterND: argument 'updates' must be a numeric tensor, but got a "
                        'string tensor')
    dims = [int(d) for d in ([shape] if isinstance(shape, int) else shape)]
    if not dims or any(d < 0 for d in dims):
        raise ValueError(f'scatterND: shape {dims} must have rank >= 1 and no negative '
                         'dimension')
    _check_updates(indices, updates, dims, 'scatterND')
    return run_kernel('ScatterNd', (indices, updates), {'shape': tuple(dims)})


@op(chain=False)
def tensorScatterUpdate(tensor: Any, indices: Any, updates: Any) -> Tensor:
    """A copy of `tensor` with the slices at `indices` replaced by `updates`
    (for a repeated index the last update wins)."""
    tensor = convert(tensor, 'tensor', 'tensorScatterUpdate')
    indices = _int32(indices, 'indices', 'tensorScatterUpdate')
    updates = convert(updates, 'updates', 'tensorScatterUpdate')
    if tensor.dtype == 'string':
        raise TypeError("tensorScatterUpdate: argument 'tensor' must be a numeric tensor, but "
                        'got a string tensor')
    if tensor.dtype != updates.dtype:
        raise TypeError(f'tensorScatterUpdate: tensor and updates must have the same dtype, '
                        f'instead they are {tensor.dtype} and {updates.dtype}')
    if tensor.rank == 0:
        raise ValueError('tensorScatterUpdate: tensor must have rank >= 1, got a scalar')
    _check_updates(indices, updates, tensor.shape, 'tensorScatterUpdate')
    return run_kernel('TensorScatterUpdate', (tensor, indices, updates), {})


@op
def topk(x: Any, k: int = 1, sorted: bool = True) -> ValuesAndIndices:
    """The k largest entries of the last axis and their indices. Sorted: largest
    first, NaN above everything, ties by lower index (as tfjs). Unsorted: the
    same entries in their input order (tfjs' order there is unspecified)."""
    x = convert(x, 'x', 'topk')
    if x.dtype == 'string':
        raise TypeError("topk: argument 'x' must be a numeric tensor, but got a string tensor")
    if x.rank == 0:
        raise ValueError('topk: expects the input to be of rank 1 or higher')
    last = x._shape[-1]
    if k < 0:
        raise ValueError(f"topk: 'k' must be >= 0 but got {k}")
    if k > last:
        raise ValueError(f"topk: 'k' must be <= the last dimension ({last}) but got {k}")
    values, indices = run_kernel('TopK', (x,), {'k': int(k), 'sorted': bool(sorted)})
    return ValuesAndIndices(values, indices)


@op
def unique(x: Any, axis: int = 0) -> ValuesAndIndices:
    """The distinct slices of x along `axis` in order of first appearance, and
    for each input slice the index of its value (NaN equals NaN, -0 equals 0)."""
    x = convert(x, 'x', 'unique')
    if x.rank == 0:
        raise ValueError('unique: the input tensor must be at least 1D')
    axis = parse_axis(axis, x.rank, 'unique')
    values, indices = run_kernel('Unique', (x,), {'axis': axis})
    return ValuesAndIndices(values, indices)


@op(chain=False)
async def whereAsync(condition: Any) -> Tensor:
    """The coordinates of the true entries of a bool tensor, as an int32 tensor
    of shape [count, rank], in row-major order."""
    condition = _bool(condition, 'condition', 'whereAsync')
    values = await condition.data()
    coords = np.argwhere(values.reshape(condition._shape)).astype(np.int32)
    return from_values(coords, None, 'int32')


@op(chain=False)
async def booleanMaskAsync(tensor: Any, mask: Any, axis: int = 0) -> Tensor:
    """The slices of `tensor` where the bool `mask` (matching tensor.shape
    from `axis` on) is true."""
    tensor = convert(tensor, 'tensor', 'booleanMaskAsync')
    mask = _bool(mask, 'mask', 'booleanMaskAsync')
    if mask.rank == 0:
        raise ValueError('booleanMaskAsync: mask cannot be scalar')
    axis = parse_axis(axis, max(tensor.rank, 1), 'booleanMaskAsync')
    if tensor.shape[axis:axis + mask.rank] != mask.shape:
        raise ValueError(f"booleanMaskAsync: mask's shape {mask.shape} must match "
                         f"tensor's shape {tensor.shape} from axis {axis} on")
    lead = tensor.shape[:axis]
    flat_tensor = reshape(tensor, lead + [mask.size] + tensor.shape[axis + mask.rank:])
    flat_mask = reshape(mask, [mask.size])
    coords = await whereAsync(flat_mask)
    positions = reshape(coords, [coords._shape[0]])
    try:
        return gather(flat_tensor, positions, axis)
    finally:
        for t in (flat_tensor, flat_mask, coords, positions):
            t.dispose()


@op(chain=False)
async def setdiff1dAsync(x: Any, y: Any) -> list[Tensor]:
    """[out, indices]: the values of 1-D x that are not in 1-D y, in x's order,
    and their positions in x (NaN in y removes NaN from x, as in tfjs)."""
    x = convert(x, 'x', 'setdiff1dAsync')
    y = convert(y, 'y', 'setdiff1dAsync')
    if x.dtype != y.dtype:
        raise TypeError(f'setdiff1dAsync: x and y should have the same dtype, but got x '
                        f'({x.dtype}) and y ({y.dtype})')
    for name, t in (('x', x), ('y', y)):
        if t.rank != 1:
            raise ValueError(f'setdiff1dAsync: {name} should be a 1D tensor, but got {name} '
                             f'of shape {t.shape}')
    xs, ys = await x.data(), await y.data()
    if x.dtype == 'string':
        removed = set(ys.tolist())
        keep = np.array([v not in removed for v in xs.tolist()], dtype=bool)
    else:
        keep = ~np.isin(xs, ys)
        if x.dtype == 'float32' and np.isnan(ys).any():
            keep &= ~np.isnan(xs)
    positions = np.nonzero(keep)[0].astype(np.int32)
    kept = xs[positions]
    return [from_values(kept, [math.prod(kept.shape)], x.dtype), from_values(positions, None,
                                                                             'int32')]
