"""Helpers shared by the NumPy kernels."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

try:
    # NumPy 2 keeps its floating-point error state in a ContextVar; setting it
    # directly costs 0.25 us where np.errstate costs 1.5 us (3 us in matMul's hot path).
    from numpy._core.umath import _extobj_contextvar, _make_extobj

    _IGNORE = _make_extobj(all='ignore')

    def _silence() -> object:
        return _extobj_contextvar.set(_IGNORE)

    _restore = _extobj_contextvar.reset
except ImportError:  # NumPy 1.x: a per-thread state, set and restored the public way
    def _silence() -> object:
        return np.seterr(all='ignore')

    def _restore(token: object) -> None:
        np.seterr(**token)


def arr(t) -> np.ndarray:
    """The ndarray of a tensor, in the tensor's shape (a view when reshaped)."""
    v = t.dataId.rec
    return v if v.shape == t._shape else v.reshape(t._shape)


class quiet:
    """`with quiet():` NumPy gives NaN and Infinity without RuntimeWarnings, as
    tfjs does. A plain class: cheaper to enter than np.errstate."""

    __slots__ = ('_token',)

    def __enter__(self) -> None:
        self._token = _silence()

    def __exit__(self, *exc: object) -> None:
        _restore(self._token)


def quietly(fn: Callable) -> Callable:
    """fn run inside quiet()."""
    def run(*args):
        token = _silence()
        try:
            return fn(*args)
        finally:
            _restore(token)

    return run
