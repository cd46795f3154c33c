"""Elementwise NumPy kernels. Inputs arrive with matching dtypes (the ops
upcast them); results keep tfjs' dtypes."""

from __future__ import annotations

import numpy as np

from ....dtypes import NUMPY_DTYPE
from ....engine.registry import register_kernel
from .util import arr

_F32 = np.float32


def _unary(name: str, fn) -> None:
    register_kernel(name, 'cpu')(lambda backend, inputs, attrs: fn(arr(inputs[0])))


def _binary(name: str, fn) -> None:
    register_kernel(name, 'cpu')(
        lambda backend, inputs, attrs: fn(arr(inputs[0]), arr(inputs[1])))


def _sigmoid(x: np.ndarray) -> np.ndarray:
    # exp of -|x| never overflows; both branches give 1 / (1 + e^-x).
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype, copy=False)


_unary('Neg', np.negative)
_unary('Square', np.square)
_unary('Exp', np.exp)
_unary('Log', np.log)
_unary('Sqrt', np.sqrt)
_unary('Tanh', np.tanh)
_unary('Sigmoid', _sigmoid)
_unary('Relu', lambda x: np.maximum(x, 0).astype(x.dtype, copy=False))
_unary('ZerosLike', np.zeros_like)
_unary('OnesLike', np.ones_like)

_binary('Add', np.add)
_binary('Sub', np.subtract)
_binary('Multiply', np.multiply)
_binary('RealDiv', np.divide)


@register_kernel('Cast', 'cpu')
def cast(backend, inputs, attrs):
    x = arr(inputs[0])
    dtype = attrs['dtype']
    if dtype == 'int32' and x.dtype.kind in 'fc':
        # tfjs truncates toward zero and turns NaN and +-Infinity into 0.
        x = np.where(np.isfinite(x), x, 0).real if x.dtype.kind == 'c' else np.where(
            np.isfinite(x), x, 0)
        return np.trunc(x).astype(np.int32)
    if dtype == 'bool':
        return x != 0
    return x.astype(NUMPY_DTYPE[dtype])


_binary('Greater', np.greater)
