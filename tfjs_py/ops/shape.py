"""Shape ops: reshape, transpose and the rest of the shape/indexing family."""

from __future__ import annotations

import math
from typing import Any

from ..engine.engine import ENGINE
from ..engine.tensor import Tensor
from .op import convert, op, run_kernel


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
    from .op import convert_list, match_types
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
