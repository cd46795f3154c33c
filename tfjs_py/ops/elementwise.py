"""Elementwise ops: one input, or two with broadcasting."""

from __future__ import annotations

from typing import Any

from ..dtypes import check_dtype
from ..engine.engine import ENGINE
from ..engine.tensor import Tensor
from .op import binary_inputs, convert, op, run_kernel

_NO_ATTRS: dict = {}


@op
def add(a: Any, b: Any) -> Tensor:
    a, b = binary_inputs(a, b, 'add')
    return run_kernel('Add', (a, b), _NO_ATTRS)


@op
def sub(a: Any, b: Any) -> Tensor:
    a, b = binary_inputs(a, b, 'sub')
    return run_kernel('Sub', (a, b), _NO_ATTRS)


@op
def mul(a: Any, b: Any) -> Tensor:
    a, b = binary_inputs(a, b, 'mul')
    return run_kernel('Multiply', (a, b), _NO_ATTRS)


@op
def div(a: Any, b: Any) -> Tensor:
    """a / b; int32 by int32 is floor division, as in tfjs."""
    a, b = binary_inputs(a, b, 'div')
    if a.dtype == 'int32':
        return run_kernel('FloorDiv', (a, b), _NO_ATTRS)
    return run_kernel('RealDiv', (a, b), _NO_ATTRS)


@op
def neg(x: Any) -> Tensor:
    return run_kernel('Neg', (convert(x, 'x', 'neg'),), _NO_ATTRS)


@op
def square(x: Any) -> Tensor:
    return run_kernel('Square', (convert(x, 'x', 'square'),), _NO_ATTRS)


@op
def exp(x: Any) -> Tensor:
    return run_kernel('Exp', (convert(x, 'x', 'exp'),), _NO_ATTRS)


@op
def log(x: Any) -> Tensor:
    return run_kernel('Log', (convert(x, 'x', 'log'),), _NO_ATTRS)


@op
def sqrt(x: Any) -> Tensor:
    return run_kernel('Sqrt', (convert(x, 'x', 'sqrt'),), _NO_ATTRS)


@op
def tanh(x: Any) -> Tensor:
    return run_kernel('Tanh', (convert(x, 'x', 'tanh'),), _NO_ATTRS)


@op
def sigmoid(x: Any) -> Tensor:
    return run_kernel('Sigmoid', (convert(x, 'x', 'sigmoid'),), _NO_ATTRS)


@op
def relu(x: Any) -> Tensor:
    return run_kernel('Relu', (convert(x, 'x', 'relu'),), _NO_ATTRS)


@op
def cast(x: Any, dtype: str) -> Tensor:
    x = convert(x, 'x', 'cast')
    check_dtype(dtype)
    if x.dtype == dtype:
        return ENGINE.run_shared('Identity', x, x._shape, dtype, _NO_ATTRS)
    if dtype == 'string' or x.dtype == 'string':
        raise TypeError(f'cast: cannot cast {x.dtype} to {dtype}')
    return run_kernel('Cast', (x,), {'dtype': dtype})


@op
def greater(a: Any, b: Any) -> Tensor:
    a, b = binary_inputs(a, b, 'greater')
    return run_kernel('Greater', (a, b), _NO_ATTRS)
