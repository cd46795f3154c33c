"""tf.* functions over the engine: backends, scopes and memory."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio

from ._naming import AttrDict
from .backends.backend import Backend
from .engine.engine import ENGINE, Engine
from .engine.tensor import Tensor
from .environment import Environment, env


async def setBackend(backendName: str) -> bool:
    """Switch the active backend (made on first use, off the event loop);
    False, with a warning, if it cannot be made here."""
    return await anyio.to_thread.run_sync(ENGINE.set_backend_sync, backendName)


def getBackend() -> str:
    return ENGINE.backendName


async def ready() -> None:
    """Wait until a backend is initialised."""
    if ENGINE._backend is None:
        await anyio.to_thread.run_sync(lambda: ENGINE.backend)


def backend() -> Backend:
    return ENGINE.backend


def findBackend(name: str) -> Backend | None:
    return ENGINE.find_backend(name)


def removeBackend(name: str) -> None:
    ENGINE.remove_backend(name)


def registerBackend(name: str, factory: Callable[[bool], Backend], priority: int = 1) -> bool:
    ENGINE.register_backend(name, factory, priority)
    return True


def engine() -> Engine:
    return ENGINE


def tidy(nameOrFn: str | Callable[[], Any], fn: Callable[[], Any] | None = None) -> Any:
    """Run fn; dispose every tensor it made except what it returns and what
    tf.keep marked. Accepts tfjs' tidy(name, fn) form too."""
    if isinstance(nameOrFn, str):
        if fn is None:
            raise TypeError('tidy(name, fn): fn is missing')
        nameOrFn = fn
    if not callable(nameOrFn):
        raise TypeError('tidy takes a function')
    return ENGINE.tidy(nameOrFn)


def keep(result: Tensor) -> Tensor:
    if not isinstance(result, Tensor):
        raise TypeError(f'keep takes a Tensor, got {type(result).__name__}')
    return ENGINE.keep(result)


def dispose(container: Any) -> None:
    """Dispose a tensor, or every tensor in lists, tuples and dicts of them."""
    ENGINE.dispose(container)


def disposeVariables() -> None:
    ENGINE.disposeVariables()


def memory() -> AttrDict:
    return ENGINE.memory()


__all__ = ['Environment', 'backend', 'dispose', 'disposeVariables', 'engine', 'env',
           'findBackend', 'getBackend', 'keep', 'memory', 'ready', 'registerBackend',
           'removeBackend', 'setBackend', 'tidy']
