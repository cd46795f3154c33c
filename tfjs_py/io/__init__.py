"""tf.io: IO handlers and the routers that pick one for a URL.

Built in: plain paths and file:// (tfjs-node's file system handler),
http(s):// (tf.io.http), tf.io.fromMemory and tf.io.withSaveHandler.
Routers registered with registerLoadRouter/registerSaveRouter are asked
first; a router takes (url, options) and returns a handler or None. The
browser-only model management (copyModel, listModels, moveModel,
removeModel) has no file:// counterpart in tfjs-node and is left out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .errors import ModelFormatError
from .handlers import FileHandler, HTTPHandler, fileSystem, fromMemory, http, withSaveHandler
from .handlers import route as _builtin_route

Router = Callable[[Any, Any], Any]
_ROUTERS: dict[str, list[Router]] = {'load': [], 'save': []}


def registerLoadRouter(loadRouter: Router) -> None:
    _ROUTERS['load'].append(loadRouter)


def registerSaveRouter(saveRouter: Router) -> None:
    _ROUTERS['save'].append(saveRouter)


def _handlers(url: Any, purpose: str, options: Any = None) -> list[Any]:
    found = []
    for router in _ROUTERS[purpose]:
        handler = router(url, options) if purpose == 'load' else router(url)
        if handler is not None:
            found.append(handler)
    if found:
        return found
    try:
        return [_builtin_route(url, purpose, options)]
    except (TypeError, ValueError):
        return []


def getLoadHandlers(url: Any, loadOptions: Any = None) -> list[Any]:
    """The handlers that can load `url` (registered routers first)."""
    return _handlers(url, 'load', loadOptions)


def getSaveHandlers(url: Any) -> list[Any]:
    """The handlers that can save to `url` (registered routers first)."""
    return _handlers(url, 'save')


def resolve(target: Any, purpose: str, options: Any = None) -> Any:
    """The one handler for a URL or handler object, as tfjs picks it."""
    method = 'load' if purpose == 'load' else 'save'
    if not isinstance(target, str) and hasattr(target, method):
        return target
    found = _handlers(target, purpose, options)
    if len(found) > 1:
        raise ValueError(f'Found more than one ({len(found)}) {purpose} handlers for URL '
                         f'{target!r}')
    if not found:
        # The built-in router's own message says why (scheme, type).
        return _builtin_route(target, purpose, options)
    return found[0]


browserHTTPRequest = http

__all__ = ['FileHandler', 'HTTPHandler', 'ModelFormatError', 'browserHTTPRequest', 'fileSystem',
           'fromMemory', 'getLoadHandlers', 'getSaveHandlers', 'http', 'registerLoadRouter',
           'registerSaveRouter', 'withSaveHandler']
