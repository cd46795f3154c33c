"""The interface every backend implements, and the record the engine keeps for
each piece of tensor data.

A backend stores data in its own records (an ndarray for 'cpu', a texture
record for 'gl'); the engine wraps each record in one `DataId` that carries
the reference count shared by every tensor viewing that data (reshape, clone,
identity and same-dtype cast add a reference; dispose drops one; the last one
frees the record through `Backend.free`).

Data is always laid out flat in row-major order, whatever the backend, so the
same record serves every shape of the same size: reshape never copies.

Kernels are plain functions `fn(backend, inputs, attrs) -> raw | list[raw]`,
registered once per (kernel, backend) in `engine.registry`. `inputs` is the
tuple of input Tensors (None for an absent optional input; a list for a
'*' input), `attrs` a dict with every attribute of the kernel table entry.
A kernel returns the backend's raw result: an ndarray on 'cpu', a record on
'gl'; `adopt` turns it into (record, shape, dtype, nbytes).
"""

from __future__ import annotations

from typing import Any

import numpy as np


class DataId:
    """One piece of backend data and the number of tensors that view it."""

    __slots__ = ('backend', 'rec', 'refs', 'nbytes', '__weakref__')

    def __init__(self, backend: Backend, rec: Any, nbytes: int) -> None:
        self.backend = backend
        self.rec = rec
        self.refs = 1
        self.nbytes = nbytes


class BackendUnavailable(RuntimeError):
    """A backend factory could not make its backend here (and says why)."""


class Backend:
    """Storage and kernels of one backend. Subclasses set `name` and implement
    the storage methods; kernels are looked up in `kernels` (filled from the
    kernel registry when the backend is made)."""

    name: str = ''
    kernels: dict[str, Any]

    def __init__(self) -> None:
        self.kernels = {}
        self.num_data_buffers = 0
        self.num_bytes = 0

    def usable_by_default(self) -> bool:
        """Whether the engine may pick this backend on its own (the GL backend
        refuses a software renderer, as tfjs' WebGL does); setBackend may
        still choose it."""
        return True

    # -- storage -------------------------------------------------------------------
    def write(self, values: np.ndarray) -> tuple[Any, int]:
        """Store host values (already of the tfjs dtype's NumPy type and final
        shape); return (record, nbytes)."""
        raise NotImplementedError

    def adopt(self, raw: Any) -> tuple[Any, tuple[int, ...], str, int]:
        """Turn a kernel's raw result into (record, shape, dtype, nbytes)."""
        raise NotImplementedError

    def read_sync(self, rec: Any, shape: tuple[int, ...], dtype: str) -> np.ndarray:
        """The values of a record as an ndarray of `shape`; the caller must not
        write into it."""
        raise NotImplementedError

    async def read(self, rec: Any, shape: tuple[int, ...], dtype: str) -> np.ndarray:
        """Like read_sync, without blocking the event loop while data transfers."""
        return self.read_sync(rec, shape, dtype)

    def free(self, rec: Any) -> None:
        """Release a record; called once, when its last reference goes (from any
        thread: a backend whose resources belong to one thread queues it)."""
        raise NotImplementedError

    def memory(self) -> dict[str, Any]:
        """Backend-specific entries for tf.memory()."""
        return {}

    def epsilon(self) -> float:
        return 1e-7

    def floatPrecision(self) -> int:
        return 32

    def dispose(self) -> None:
        """Release everything the backend holds (the engine disposes tensors first)."""
