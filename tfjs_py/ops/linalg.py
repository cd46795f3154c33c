"""Linear algebra: matMul and friends."""

from __future__ import annotations

from typing import Any

from ..engine.tensor import Tensor
from .broadcast import broadcast_shape
from .op import convert, match_types, op, run_kernel


@op
def matMul(a: Any, b: Any, transposeA: bool = False, transposeB: bool = False) -> Tensor:
    """a @ b over the last two axes; leading (batch) axes broadcast."""
    a, b = match_types(convert(a, 'a', 'matMul'), convert(b, 'b', 'matMul'))
    if a.rank < 2 or b.rank < 2:
        raise ValueError(f'matMul: inputs must have rank at least 2, got shapes '
                         f'{a.shape} and {b.shape}')
    inner_a = a._shape[-2] if transposeA else a._shape[-1]
    inner_b = b._shape[-1] if transposeB else b._shape[-2]
    if inner_a != inner_b:
        raise ValueError(f'matMul: inner dimensions {inner_a} and {inner_b} of shapes '
                         f'{a.shape} and {b.shape} (transposeA={transposeA}, '
                         f'transposeB={transposeB}) must match')
    broadcast_shape(a._shape[:-2], b._shape[:-2])
    return run_kernel('BatchMatMul', (a, b), {'transposeA': bool(transposeA),
                                              'transposeB': bool(transposeB)})
