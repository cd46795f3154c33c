"""Tensor creation: tf.tensor and friends, variables and buffers."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..dtypes import NUMPY_DTYPE, check_dtype, infer
from ..engine.engine import ENGINE
from ..engine.tensor import Tensor, TensorBuffer, Variable
from .op import convert, op, run_kernel

_make = ENGINE.make_tensor


def _check_shape(shape: Any, fn: str) -> tuple[int, ...]:
    if isinstance(shape, int):
        shape = [shape]
    try:
        dims = tuple(int(d) for d in shape)
    except TypeError:
        raise TypeError(f'{fn}: shape must be a list of integers, got {shape!r}') from None
    for d in dims:
        if d < 0:
            raise ValueError(f'{fn}: shape {list(dims)} has a negative dimension')
    return dims


def _host_array(values: Any, np_dtype: np.dtype) -> np.ndarray:
    if np_dtype.kind == 'O':
        out = np.array(values, dtype=object)
        if any(isinstance(v, list | tuple) for v in out.reshape(-1)):
            raise ValueError('string tensors need a regular (non-ragged) nesting of lists')
        return out
    try:
        return np.array(values, dtype=np_dtype)
    except ValueError as exc:
        if 'inhomogeneous' in str(exc) or 'sequence' in str(exc):
            raise ValueError('values must be a regular nesting of lists: every list at one '
                             'depth must have the same length') from None
        raise


def from_values(values: Any, shape: Any = None, dtype: str | None = None,
                fn: str = 'tensor') -> Tensor:
    """The tensor of a TensorLike: a Python scalar, nested lists, or an ndarray."""
    if isinstance(values, Tensor):
        raise TypeError(f'{fn}: values must be a TensorLike, not a Tensor (use tf.clone)')
    cls = values.__class__
    if dtype is None and shape is None and (cls is float or cls is int):
        # The fast path of Python numbers in ops like `t.mul(2)`.
        if cls is float:
            return _make(np.array(values, np.float32), 'float32')
        return _make(np.array(values, np.int32), 'int32')
    dtype = check_dtype(dtype) if dtype is not None else infer(values)
    host = _host_array(values, NUMPY_DTYPE[dtype])
    if shape is not None:
        dims = _check_shape(shape, fn)
        size = math.prod(dims)
        if host.size != size:
            raise ValueError(f'{fn}: based on the provided shape {list(dims)}, the tensor '
                             f'should have {size} values but has {host.size}')
        if host.ndim > 1:
            inferred = host.shape
            for i, d in enumerate(inferred):
                flat_tail = i == len(inferred) - 1 and d == math.prod(dims[i:])
                if i >= len(dims) or (d != dims[i] and not flat_tail):
                    raise ValueError(f'{fn}: inferred shape {list(inferred)} does not match '
                                     f'the provided shape {list(dims)}')
        host = host.reshape(dims)
    elif host.base is not None or not host.flags.owndata:
        host = host.copy()
    return _make(host, dtype)


@op(chain=False)
def tensor(values: Any, shape: Any = None, dtype: str | None = None) -> Tensor:
    """tf.tensor(values, shape?, dtype?): values are numbers, nested lists or ndarrays."""
    return from_values(values, shape, dtype)


@op(chain=False)
def scalar(value: Any, dtype: str | None = None) -> Tensor:
    if isinstance(value, list | tuple) or (isinstance(value, np.ndarray) and value.ndim):
        raise ValueError('scalar(): the value must be a number, bool or string')
    return from_values(value, None, dtype, 'scalar')


def _tensor_nd(rank: int, values: Any, shape: Any, dtype: str | None) -> Tensor:
    fn = f'tensor{rank}d'
    if shape is not None and len(_check_shape(shape, fn)) != rank:
        raise ValueError(f'{fn}() requires shape to have {rank} numbers, got {list(shape)}')
    depth = np.ndim(values) if not isinstance(values, str) else 0
    if depth != rank and not (depth == 1 and shape is not None):
        raise ValueError(f'{fn}() requires values of rank {rank}, or flat values with a '
                         f'shape; got values of rank {depth}')
    t = from_values(values, shape, dtype, fn)
    if t.rank != rank:
        t.dispose()
        raise ValueError(f'{fn}() made a tensor of rank {rank}; values have rank {depth}')
    return t


@op(chain=False)
def tensor1d(values: Any, dtype: str | None = None) -> Tensor:
    return _tensor_nd(1, values, None, dtype)


@op(chain=False)
def tensor2d(values: Any, shape: Any = None, dtype: str | None = None) -> Tensor:
    return _tensor_nd(2, values, shape, dtype)


@op(chain=False)
def tensor3d(values: Any, shape: Any = None, dtype: str | None = None) -> Tensor:
    return _tensor_nd(3, values, shape, dtype)


@op(chain=False)
def tensor4d(values: Any, shape: Any = None, dtype: str | None = None) -> Tensor:
    return _tensor_nd(4, values, shape, dtype)


@op(chain=False)
def tensor5d(values: Any, shape: Any = None, dtype: str | None = None) -> Tensor:
    return _tensor_nd(5, values, shape, dtype)


@op(chain=False)
def tensor6d(values: Any, shape: Any = None, dtype: str | None = None) -> Tensor:
    return _tensor_nd(6, values, shape, dtype)


@op(chain=False)
def zeros(shape: Any, dtype: str = 'float32') -> Tensor:
    return _make(np.zeros(_check_shape(shape, 'zeros'), NUMPY_DTYPE[check_dtype(dtype)]), dtype)


@op(chain=False)
def ones(shape: Any, dtype: str = 'float32') -> Tensor:
    return _make(np.ones(_check_shape(shape, 'ones'), NUMPY_DTYPE[check_dtype(dtype)]), dtype)


@op(chain=False)
def fill(shape: Any, value: Any, dtype: str | None = None) -> Tensor:
    dtype = check_dtype(dtype) if dtype is not None else infer(value)
    return _make(np.full(_check_shape(shape, 'fill'), value, NUMPY_DTYPE[dtype]), dtype)


@op
def zerosLike(x: Any) -> Tensor:
    return run_kernel('ZerosLike', (convert(x, 'x', 'zerosLike'),), {})


@op
def onesLike(x: Any) -> Tensor:
    return run_kernel('OnesLike', (convert(x, 'x', 'onesLike'),), {})


@op(chain=False)
def eye(numRows: int, numColumns: int | None = None, batchShape: Any = None,
        dtype: str = 'float32') -> Tensor:
    cols = numRows if numColumns is None else numColumns
    matrix = np.eye(numRows, cols, dtype=NUMPY_DTYPE[check_dtype(dtype)])
    if batchShape is not None:
        batch = _check_shape(batchShape, 'eye')
        matrix = np.broadcast_to(matrix, batch + matrix.shape).copy()
    return _make(matrix, dtype)


@op(name='range', chain=False)
def range_(start: float, stop: float | None = None, step: float = 1,
           dtype: str = 'float32') -> Tensor:
    if stop is None:
        start, stop = 0, start
    if step == 0:
        raise ValueError('range: step cannot be zero')
    if stop < start and step == 1:
        step = -1  # tfjs counts down when stop < start and step is left at 1
    if start == stop or (start < stop and step < 0) or (stop < start and step > 0):
        return zeros([0], dtype)
    count = math.ceil(abs((stop - start) / step))
    values = start + step * np.arange(count, dtype=np.float64)
    return _make(values.astype(NUMPY_DTYPE[check_dtype(dtype)]), dtype)


@op(chain=False)
def linspace(start: float, stop: float, num: int) -> Tensor:
    if num <= 0:
        raise ValueError(f'linspace: num must be positive, got {num}')
    return _make(np.linspace(start, stop, num, dtype=np.float64).astype(np.float32), 'float32')


@op
def oneHot(indices: Any, depth: int, onValue: float = 1, offValue: float = 0,
           dtype: str = 'int32') -> Tensor:
    indices = convert(indices, 'indices', 'oneHot', 'int32')
    if indices.dtype != 'int32':
        raise TypeError(f'oneHot: indices must be int32, got {indices.dtype}')
    if depth < 2:
        raise ValueError(f'oneHot: depth must be >= 2, got {depth}')
    return run_kernel('OneHot', (indices,), {'depth': int(depth), 'onValue': onValue,
                                             'offValue': offValue,
                                             'dtype': check_dtype(dtype)})


@op(chain=False)
def buffer(shape: Any, dtype: str = 'float32', values: Any = None) -> TensorBuffer:
    return TensorBuffer(list(_check_shape(shape, 'buffer')), dtype, values)


@op(chain=False)
def variable(initialValue: Any, trainable: bool = True, name: str | None = None,
             dtype: str | None = None) -> Variable:
    initial = convert(initialValue, 'initialValue', 'variable')
    return ENGINE.make_variable(initial, trainable, name, dtype)


@op(chain=False)
def clone(x: Any) -> Tensor:
    return convert(x, 'x', 'clone').clone()
