"""One registry of serializable classes, keyed by their tfjs `className`.

Layers, initializers, regularizers, constraints (and the loaders of model.json)
share it: `registerClass` adds a class, `serialize` turns an object into
`{'className': ..., 'config': ...}`, and `deserialize` makes the object back
from that dict (camelCase keys, as `getConfig()` returns them; the Keras
`class_name` spelling is accepted too).

A serializable class has a `className` class attribute, `getConfig()` and a
classmethod `fromConfig(config, customObjects=None)`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from ._naming import closest

T = TypeVar('T', bound=type)

_REGISTRY: dict[str, type] = {}


def registerClass(cls: T, name: str | None = None) -> T:
    """Register `cls` under `name` (default: its `className`); usable as a
    decorator. Registering another class under a taken name raises."""
    key = name or getattr(cls, 'className', None) or cls.__name__
    current = _REGISTRY.get(key)
    if current is not None and current is not cls and not _same_class(current, cls):
        raise ValueError(f'a class named {key!r} is already registered '
                         f'({current.__module__}.{current.__qualname__})')
    _REGISTRY[key] = cls
    return cls


def _same_class(a: type, b: type) -> bool:
    """A module reloaded (e.g. by a notebook) re-registers its own classes."""
    return a.__module__ == b.__module__ and a.__qualname__ == b.__qualname__


register = registerClass


def registered(name: str) -> type | None:
    return _REGISTRY.get(name)


def class_name_of(obj: Any) -> str:
    getter = getattr(obj, 'getClassName', None)
    if callable(getter):
        return getter()
    return getattr(obj, 'className', type(obj).__name__)


def serialize(obj: Any) -> dict[str, Any] | None:
    """{'className': ..., 'config': obj.getConfig()}; None stays None."""
    if obj is None:
        return None
    return {'className': class_name_of(obj), 'config': obj.getConfig()}


def deserialize(config: Any, customObjects: Mapping[str, Any] | None = None,
                kind: str = 'object', base: type | None = None) -> Any:
    """The object described by `{'className', 'config'}`.

    `customObjects` maps class names to classes (or factories) that take
    precedence over the registry. `base`, when given, is the class the result
    must derive from (so that a regularizer's name cannot become a layer);
    `kind` names the family in error messages.
    """
    if not isinstance(config, Mapping):
        raise TypeError(f'cannot deserialize a {kind} from {type(config).__name__}: '
                        f'expected a dict with className and config')
    class_name = config.get('className', config.get('class_name'))
    if not isinstance(class_name, str):
        raise ValueError(f'a serialized {kind} needs a className; got keys '
                         f'{sorted(config)}')
    inner = config.get('config')
    inner = {} if inner is None else dict(inner)
    custom = dict(customObjects or {})
    cls = custom.get(class_name) or _REGISTRY.get(class_name)
    # Newer Keras writes 'module' and 'registered_name'; Keras' converter may
    # prefix custom objects ('Custom>Adam').
    if cls is None and '>' in class_name:
        cls = custom.get(class_name.split('>')[-1]) or _REGISTRY.get(class_name.split('>')[-1])
    if cls is None:
        names = [n for n, c in _REGISTRY.items() if base is None or _derives(c, base)]
        hint = closest(class_name, names)
        raise ValueError(f'unknown {kind}: {class_name!r}' +
                         (f"; did you mean {hint!r}?" if hint else '') +
                         '. Custom classes must be registered with '
                         'tf.serialization.registerClass or given in customObjects.')
    if base is not None and isinstance(cls, type) and not _derives(cls, base):
        raise ValueError(f'{class_name!r} is not a {kind}')
    from_config = getattr(cls, 'fromConfig', None)
    if from_config is None:
        return cls(inner)
    return from_config(inner, custom) if _takes_custom_objects(from_config) else from_config(
        inner)


def _derives(cls: Any, base: type) -> bool:
    return isinstance(cls, type) and issubclass(cls, base)


def _takes_custom_objects(fn: Any) -> bool:
    import inspect
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return False
    return len(params) >= 2 or any(p.kind == p.VAR_POSITIONAL for p in params)


class Serializable:
    """Base of the registered families: `getClassName()`, `getConfig()`, and a
    `fromConfig` that calls the constructor with the config dict."""

    className = 'Serializable'

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # A user subclass without its own className is known by its Python name.
        if 'className' not in vars(cls):
            cls.className = cls.__name__

    def getClassName(self) -> str:
        return type(self).className

    def getConfig(self) -> dict[str, Any]:
        return {}

    @classmethod
    def fromConfig(cls, config: Mapping[str, Any],
                   customObjects: Mapping[str, Any] | None = None) -> Any:
        return cls(dict(config))


__all__ = ['Serializable', 'deserialize', 'register', 'registerClass', 'registered',
           'serialize']
