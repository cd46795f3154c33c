"""The tfjs dtypes, their NumPy storage and tfjs' inference and upcasting rules."""

from __future__ import annotations

from typing import Any

import numpy as np

DTYPES = ('float32', 'int32', 'bool', 'complex64', 'string')

NUMPY_DTYPE = {
    'float32': np.dtype(np.float32),
    'int32': np.dtype(np.int32),
    'bool': np.dtype(np.bool_),
    'complex64': np.dtype(np.complex64),
    'string': np.dtype(object),
}

# Any NumPy dtype a kernel or a user may hand us, to the tfjs dtype it becomes.
_FROM_NUMPY = {np.dtype(k): v for k, v in [
    (np.float32, 'float32'), (np.float64, 'float32'), (np.float16, 'float32'),
    (np.int32, 'int32'), (np.int64, 'int32'), (np.int16, 'int32'), (np.int8, 'int32'),
    (np.uint8, 'int32'), (np.uint16, 'int32'), (np.uint32, 'int32'), (np.uint64, 'int32'),
    (np.bool_, 'bool'), (np.complex64, 'complex64'), (np.complex128, 'complex64'),
    (object, 'string'),
]}

_UPCAST_ORDER = {'bool': 0, 'int32': 1, 'float32': 2, 'complex64': 3}


def check_dtype(dtype: str) -> str:
    if dtype not in NUMPY_DTYPE:
        raise ValueError(f"unknown dtype {dtype!r}; tfjs dtypes are {', '.join(DTYPES)}")
    return dtype


def from_numpy(dtype: np.dtype) -> str:
    """The tfjs dtype for a NumPy dtype (float64 -> float32, int64 -> int32)."""
    out = _FROM_NUMPY.get(dtype)
    if out is None:
        if dtype.kind in 'US':
            return 'string'
        raise TypeError(f'NumPy dtype {dtype} has no tfjs dtype')
    return out


def upcast(a: str, b: str) -> str:
    """tfjs' upcastType: bool < int32 < float32 < complex64; string only with string."""
    if a == b:
        return a
    if a == 'string' or b == 'string':
        raise TypeError(f'cannot mix dtypes {a} and {b}')
    return a if _UPCAST_ORDER[a] > _UPCAST_ORDER[b] else b


def infer(values: Any) -> str:
    """tfjs' inferDtype, with Python ints giving int32 (API.md): the dtype of a
    scalar, nested list or array, before any explicit dtype is applied."""
    if isinstance(values, np.ndarray):
        return from_numpy(values.dtype)
    if isinstance(values, bool | np.bool_):
        return 'bool'
    if isinstance(values, int | np.integer):
        return 'int32'
    if isinstance(values, float | np.floating):
        return 'float32'
    if isinstance(values, complex | np.complexfloating):
        return 'complex64'
    if isinstance(values, str | bytes):
        return 'string'
    if isinstance(values, list | tuple):
        seen = 'bool'
        for v in values:
            d = infer(v)
            if d == 'string':
                return 'string'
            seen = upcast(seen, d)
        return seen if values else 'float32'
    raise TypeError(f'cannot make a tensor from {type(values).__name__}')


def is_float(dtype: str) -> bool:
    return dtype == 'float32' or dtype == 'complex64'
