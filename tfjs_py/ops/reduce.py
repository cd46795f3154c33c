"""Reductions over axes, with keepDims."""

from __future__ import annotations

from typing import Any

from ..engine.tensor import Tensor
from .axes import parse_axes
from .op import convert, op, run_kernel


@op(name='sum')
def sum_(x: Any, axis: Any = None, keepDims: bool = False) -> Tensor:
    x = convert(x, 'x', 'sum')
    return run_kernel('Sum', (x,), {'axis': parse_axes(axis, x.rank, 'sum'),
                                    'keepDims': bool(keepDims)})


@op
def mean(x: Any, axis: Any = None, keepDims: bool = False) -> Tensor:
    x = convert(x, 'x', 'mean')
    return run_kernel('Mean', (x,), {'axis': parse_axes(axis, x.rank, 'mean'),
                                     'keepDims': bool(keepDims)})
