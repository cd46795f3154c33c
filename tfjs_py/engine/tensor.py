"""Tensor, Variable and TensorBuffer.

A Tensor is (id, shape, dtype, dataId): the data belongs to the backend and is
shared, with a reference count, by every tensor that views it. Op methods
(`t.add(b)`, `t.square().sum()`) are attached by `ops.op` from the op
definitions; Python operators forward to the same ops.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from .._naming import SnakeAliases
from ..backends.backend import DataId
from .scope import RECORDER

_ids = itertools.count()
_engine: Any = None  # the Engine, bound by engine.py when it is created


def _disposed_error(t: Tensor) -> RuntimeError:
    return RuntimeError(f'Tensor is disposed (id {t.id}, shape {list(t._shape)}, {t.dtype}): '
                        'it was disposed by dispose() or by the tidy() that made it')


class Tensor(SnakeAliases):
    __slots__ = ('id', '_shape', 'dtype', 'dataId', 'kept', '__weakref__')

    # Made by the engine only (object.__new__ + slot writes keep op overhead low).
    def __new__(cls, *args: Any, **kwargs: Any) -> Tensor:
        raise TypeError('tensors are made with tf.tensor(...) and the other tf.* functions')

    def __del__(self) -> None:
        if self.dataId is not None and _engine is not None:
            _engine.release(self)

    # -- identity and shape ------------------------------------------------------
    @property
    def shape(self) -> list[int]:
        return list(self._shape)

    @property
    def rank(self) -> int:
        return len(self._shape)

    @property
    def size(self) -> int:
        n = 1
        for d in self._shape:
            n *= d
        return n

    @property
    def isDisposed(self) -> bool:
        return self.dataId is None

    @property
    def strides(self) -> list[int]:
        out, acc = [], 1
        for d in reversed(self._shape[1:]):
            acc *= d
            out.append(acc)
        return out[::-1]

    def _data_id(self) -> DataId:
        d = self.dataId
        if d is None:
            raise _disposed_error(self)
        return d

    # -- reading values ----------------------------------------------------------
    def _values(self) -> np.ndarray:
        d = self._data_id()
        recorder = RECORDER.get()
        if recorder is not None:
            recorder.fail('a tensor value read to the host')
        return d.backend.read_sync(d.rec, self._shape, self.dtype)

    def dataSync(self) -> np.ndarray:
        """The values, flat, as a NumPy array of the dtype (a copy)."""
        return np.array(self._values(), copy=True).reshape(-1)

    async def data(self) -> np.ndarray:
        """The values, flat; waits for the backend without blocking the event loop."""
        d = self._data_id()
        values = await d.backend.read(d.rec, self._shape, self.dtype)
        return np.array(values, copy=True).reshape(-1)

    def arraySync(self) -> Any:
        """The values as nested lists (a Python scalar for rank 0)."""
        return self._values().tolist()

    async def array(self) -> Any:
        d = self._data_id()
        values = await d.backend.read(d.rec, self._shape, self.dtype)
        return values.tolist()

    def bufferSync(self) -> TensorBuffer:
        return TensorBuffer(self.shape, self.dtype, self.dataSync())

    async def buffer(self) -> TensorBuffer:
        return TensorBuffer(self.shape, self.dtype, await self.data())

    def numpy(self) -> np.ndarray:
        return np.array(self._values(), copy=True)

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        values = np.array(self._values(), copy=True)
        return values if dtype is None else values.astype(dtype)

    def toString(self, verbose: bool = False) -> str:
        from .tensor_format import format_tensor
        return format_tensor(self._values(), self.dtype, verbose)

    def print(self, verbose: bool = False) -> None:
        print(self.toString(verbose))

    def __str__(self) -> str:
        if self.dataId is None:
            return f'Tensor (disposed) shape={list(self._shape)} dtype={self.dtype}'
        return self.toString()

    def __repr__(self) -> str:
        if self.dataId is None:
            return f'<Tensor id={self.id} disposed shape={list(self._shape)} dtype={self.dtype}>'
        return f'<{self.toString(True)}>'

    def __bool__(self) -> bool:
        if self.size != 1:
            raise ValueError(f'the truth value of a tensor of shape {self.shape} is ambiguous')
        return bool(self._values().reshape(()))

    def __float__(self) -> float:
        return float(self._scalar_value())

    def __int__(self) -> int:
        return int(self._scalar_value())

    def __index__(self) -> int:
        if self.dtype not in ('int32', 'bool'):
            raise TypeError(f'only an int32 scalar tensor can be an index, not {self.dtype}')
        return int(self._scalar_value())

    def _scalar_value(self) -> Any:
        if self._shape and self.size != 1:
            raise ValueError(f'only a tensor with one element converts to a Python number, '
                             f'not shape {self.shape}')
        return self._values().item()

    def __len__(self) -> int:
        if not self._shape:
            raise TypeError('len() of a scalar tensor')
        return self._shape[0]

    # -- memory ------------------------------------------------------------------
    def dispose(self) -> None:
        _engine.dispose_by_user(self)

    def clone(self) -> Tensor:
        return _engine.run_shared('Identity', self, self._shape, self.dtype, {})

    # -- Python operators forward to the tf ops attached by ops.op ----------------
    def __add__(self, other: Any) -> Tensor:
        return self.add(other)

    def __radd__(self, other: Any) -> Tensor:
        return _ops['add'](other, self)

    def __sub__(self, other: Any) -> Tensor:
        return self.sub(other)

    def __rsub__(self, other: Any) -> Tensor:
        return _ops['sub'](other, self)

    def __mul__(self, other: Any) -> Tensor:
        return self.mul(other)

    def __rmul__(self, other: Any) -> Tensor:
        return _ops['mul'](other, self)

    def __truediv__(self, other: Any) -> Tensor:
        return self.div(other)

    def __rtruediv__(self, other: Any) -> Tensor:
        return _ops['div'](other, self)

    def __floordiv__(self, other: Any) -> Tensor:
        return self.floorDiv(other)

    def __rfloordiv__(self, other: Any) -> Tensor:
        return _ops['floorDiv'](other, self)

    def __mod__(self, other: Any) -> Tensor:
        return self.mod(other)

    def __rmod__(self, other: Any) -> Tensor:
        return _ops['mod'](other, self)

    def __pow__(self, other: Any) -> Tensor:
        return self.pow(other)

    def __rpow__(self, other: Any) -> Tensor:
        return _ops['pow'](other, self)

    def __matmul__(self, other: Any) -> Tensor:
        return self.matMul(other)

    def __rmatmul__(self, other: Any) -> Tensor:
        return _ops['matMul'](other, self)

    def __neg__(self) -> Tensor:
        return self.neg()

    def __pos__(self) -> Tensor:
        return self

    def __abs__(self) -> Tensor:
        return self.abs()


# Ops attached to Tensor by name, for the reflected operators.
_ops: dict[str, Any] = {}


def attach_op(name: str, fn: Any) -> None:
    """Make `fn(t, ...)` callable as `t.name(...)` and register it for operators."""
    _ops[name] = fn
    setattr(Tensor, name, fn)


class Variable(Tensor):
    """A mutable tensor: `assign` swaps its data; the id stays, so gradients
    taken with respect to it follow every value it holds."""

    __slots__ = ('name', 'trainable')

    def assign(self, newValue: Tensor) -> None:
        if not isinstance(newValue, Tensor):
            raise TypeError(f'Variable {self.name!r}: assign takes a Tensor, '
                            f'not {type(newValue).__name__}')
        if newValue.dtype != self.dtype:
            raise ValueError(f'Variable {self.name!r}: dtype of the new value ({newValue.dtype}) '
                             f'differs from the variable ({self.dtype})')
        if newValue._shape != self._shape:
            raise ValueError(f'Variable {self.name!r}: shape of the new value '
                             f'{list(newValue._shape)} differs from the variable '
                             f'{list(self._shape)}')
        _engine.assign_variable(self, newValue)

    def dispose(self) -> None:
        _engine.dispose_variable(self)

    def __repr__(self) -> str:
        return f'<Variable {self.name!r} shape={list(self._shape)} dtype={self.dtype}>'


class TensorBuffer(SnakeAliases):
    """A mutable host buffer: `set`, `get`, then `toTensor()` (tf.buffer)."""

    def __init__(self, shape: list[int], dtype: str = 'float32', values: Any = None) -> None:
        from ..dtypes import NUMPY_DTYPE, check_dtype
        check_dtype(dtype)
        self.shape = [int(d) for d in shape]
        self.dtype = dtype
        size = int(np.prod(self.shape, dtype=np.int64))
        if values is None:
            self.values = np.zeros(size, dtype=NUMPY_DTYPE[dtype])
        else:
            self.values = np.array(values, dtype=NUMPY_DTYPE[dtype]).reshape(-1)
            if self.values.size != size:
                raise ValueError(f'buffer: {self.values.size} values do not fill shape '
                                 f'{self.shape}')

    @property
    def size(self) -> int:
        return self.values.size

    @property
    def rank(self) -> int:
        return len(self.shape)

    @property
    def strides(self) -> list[int]:
        return list(np.cumprod(self.shape[:0:-1])[::-1]) if self.shape else []

    def _flat(self, locs: tuple[int, ...]) -> int:
        if len(locs) != len(self.shape):
            raise ValueError(f'buffer: {len(locs)} indices given for rank {len(self.shape)}')
        for i, (loc, dim) in enumerate(zip(locs, self.shape, strict=True)):
            if not 0 <= loc < dim:
                raise IndexError(f'buffer: index {loc} out of range for axis {i} of size {dim}')
        return int(np.ravel_multi_index(locs, self.shape)) if self.shape else 0

    def set(self, value: Any, *locs: int) -> None:
        self.values[self._flat(locs)] = value

    def get(self, *locs: int) -> Any:
        return self.values[self._flat(locs)].item()

    def locToIndex(self, locs: list[int]) -> int:
        return self._flat(tuple(locs))

    def indexToLoc(self, index: int) -> list[int]:
        return [int(i) for i in np.unravel_index(index, self.shape)] if self.shape else []

    def toTensor(self) -> Tensor:
        return _engine.make_tensor(self.values.reshape(self.shape), self.dtype)
