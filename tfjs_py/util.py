"""tf.util: the tfjs utility functions that layers and user code call.

Arrays are Python lists, tuples or NumPy arrays (tfjs' TypedArrays)."""

from __future__ import annotations

import math
import random as _random
import time
from collections.abc import Callable, MutableSequence, Sequence
from typing import Any

import numpy as np

from ._naming import module_aliases


def sizeFromShape(shape: Sequence[int]) -> int:
    """The number of elements of a shape (1 for the scalar shape [])."""
    return math.prod(int(d) for d in shape)


def isScalarShape(shape: Sequence[int]) -> bool:
    return len(shape) == 0


def arraysEqual(n1: Sequence[Any] | None, n2: Sequence[Any] | None) -> bool:
    """True when both arrays have the same length and equal elements in order."""
    if n1 is n2:
        return True
    if n1 is None or n2 is None or len(n1) != len(n2):
        return False
    return all(a == b for a, b in zip(n1, n2, strict=True))


def shuffle(array: MutableSequence[Any] | np.ndarray) -> None:
    """Shuffle in place (Fisher-Yates with Python's `random`, as tfjs uses Math.random)."""
    for i in range(len(array) - 1, 0, -1):
        j = _random.randint(0, i)
        array[i], array[j] = _swap_pair(array, i, j)


def shuffleCombo(array: MutableSequence[Any] | np.ndarray,
                 array2: MutableSequence[Any] | np.ndarray) -> None:
    """Shuffle two arrays of one length in place with the same permutation."""
    if len(array) != len(array2):
        raise ValueError(f'shuffleCombo: array lengths must match ({len(array)} vs '
                         f'{len(array2)})')
    for i in range(len(array) - 1, 0, -1):
        j = _random.randint(0, i)
        array[i], array[j] = _swap_pair(array, i, j)
        array2[i], array2[j] = _swap_pair(array2, i, j)


def _swap_pair(array: Any, i: int, j: int) -> tuple[Any, Any]:
    # Copy rows of a NumPy array first: a[i], a[j] = a[j], a[i] on views would repeat one row.
    a, b = array[j], array[i]
    if isinstance(array, np.ndarray):
        a, b = np.copy(a), np.copy(b)
    return a, b


def createShuffledIndices(n: int) -> np.ndarray:
    """0..n-1 in random order, as uint32 (tfjs returns a Uint32Array)."""
    indices = np.arange(n, dtype=np.uint32)
    shuffle(indices)
    return indices


def flatten(arr: Any, result: list | None = None, skipTypedArray: bool = False) -> list:
    """The leaves of nested lists, tuples and arrays, depth first, as one flat
    list; NumPy arrays are flattened too unless skipTypedArray."""
    out = [] if result is None else result
    if isinstance(arr, np.ndarray) and not skipTypedArray:
        out.extend(arr.reshape(-1).tolist())
    elif isinstance(arr, list | tuple):
        for item in arr:
            flatten(item, out, skipTypedArray)
    else:
        out.append(arr)
    return out


def assert_(expr: bool, msg: str | Callable[[], str]) -> None:
    """Raise ValueError(msg) when expr is false; msg may be a function (called only then)."""
    if not expr:
        raise ValueError(msg() if callable(msg) else msg)


def assertShapesMatch(shapeA: Sequence[int], shapeB: Sequence[int],
                      errorMessagePrefix: str = '') -> None:
    assert_(arraysEqual(list(shapeA), list(shapeB)),
            lambda: f'{errorMessagePrefix}Shapes {list(shapeA)} and {list(shapeB)} must match')


def assertNonNull(a: Any) -> None:
    assert_(a is not None, 'The input to the tensor constructor must be a non-null value.')


def clamp(low: float, x: float, high: float) -> float:
    """x limited to [low, high] (tfjs' clamp(min, x, max))."""
    return max(low, min(x, high))


def inferFromImplicitShape(shape: Sequence[int], size: int) -> list[int]:
    """shape with its one -1 resolved so that it holds `size` elements."""
    dims = [int(d) for d in shape]
    unknown = [i for i, d in enumerate(dims) if d == -1]
    if len(unknown) > 1:
        raise ValueError(f'Shapes can only have 1 implicit size. Found -1 at dim '
                         f'{unknown[0]} and dim {unknown[1]}')
    for i, d in enumerate(dims):
        if d < -1:
            raise ValueError(f'Shapes can not be < 0. Found {d} at dim {i}')
    if not unknown:
        if sizeFromShape(dims) != size:
            raise ValueError(f'Size({size}) must match the product of shape {dims}')
        return dims
    known = sizeFromShape([d for d in dims if d != -1])
    if known == 0:
        raise ValueError(f'Cannot infer the missing size in [{dims}] when there are 0 elements')
    if size % known:
        raise ValueError(f"The implicit shape can't be a fractional number. Got {size} / "
                         f'{known}')
    dims[unknown[0]] = size // known
    return dims


def parseAxisParam(axis: int | Sequence[int] | None, shape: Sequence[int]) -> list[int]:
    """Axes made non-negative; None means every axis."""
    rank = len(shape)
    axes = list(range(rank)) if axis is None else (
        [int(axis)] if isinstance(axis, int) else [int(a) for a in axis])
    for a in axes:
        if not -rank <= a < rank:
            raise ValueError(f'All values in axis param must be in range [-{rank}, {rank}) but '
                             f'got axis {a}')
    return [a + rank if a < 0 else a for a in axes]


def squeezeShape(shape: Sequence[int], axis: Sequence[int] | None = None) -> dict[str, list[int]]:
    """{'newShape', 'keptDims'}: shape without its size-1 axes (only those in
    `axis` when given and non-empty)."""
    axes = parseAxisParam(axis, shape) if axis else None
    new_shape, kept = [], []
    for i, d in enumerate(shape):
        if axes is not None and i in axes:
            if d != 1:
                raise ValueError(f"Can't squeeze axis {i} since its dim '{d}' is not 1")
            continue
        if axes is None and d == 1:
            continue
        new_shape.append(int(d))
        kept.append(i)
    return {'newShape': new_shape, 'keptDims': kept}


def computeStrides(shape: Sequence[int]) -> list[int]:
    """Row-major strides of every axis but the last (tfjs' convention)."""
    out, acc = [], 1
    for d in reversed(list(shape)[1:]):
        acc *= int(d)
        out.append(acc)
    return out[::-1]


def isInt(a: float) -> bool:
    return float(a).is_integer()


def isString(value: Any) -> bool:
    return isinstance(value, str)


def isBoolean(value: Any) -> bool:
    return isinstance(value, bool | np.bool_)


def isNumber(value: Any) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isBoolean(value)


def isTypedArray(a: Any) -> bool:
    return isinstance(a, np.ndarray)


def isFunction(f: Any) -> bool:
    return callable(f)


def sum(arr: Sequence[float]) -> float:
    total = 0
    for v in arr:
        total += v
    return total


def now() -> float:
    """Milliseconds from a monotonic clock, like performance.now()."""
    return time.perf_counter() * 1000.0


def encodeString(s: str, encoding: str = 'utf-8') -> bytes:
    return s.encode(encoding)


def decodeString(b: bytes, encoding: str = 'utf-8') -> str:
    return bytes(b).decode(encoding)


__getattr__ = module_aliases(globals())
# tfjs calls it util.assert; `assert` is a Python keyword, so it is reachable as getattr.
globals()['assert'] = assert_

__all__ = ['arraysEqual', 'assertNonNull', 'assertShapesMatch', 'clamp', 'computeStrides',
           'createShuffledIndices', 'decodeString', 'encodeString', 'flatten',
           'inferFromImplicitShape', 'isBoolean', 'isFunction', 'isInt', 'isNumber',
           'isScalarShape', 'isString', 'isTypedArray', 'now', 'parseAxisParam', 'shuffle',
           'shuffleCombo', 'sizeFromShape', 'squeezeShape', 'sum']
