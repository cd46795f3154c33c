"""camelCase <-> snake_case: aliases for public names and config normalisation.

The public surface is defined once, in tfjs' camelCase. Every snake_case
spelling reaches the same object through the mechanisms here, never through
hand-written twins.
"""

from __future__ import annotations

import contextlib
import difflib
import re
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from typing import Any

_CAMEL_BOUNDARY = re.compile(r'(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])')
_snake_cache: dict[str, str] = {}
_camel_cache: dict[str, str] = {}


def camel_to_snake(name: str) -> str:
    """'batchInputShape' -> 'batch_input_shape', 'conv2dTranspose' -> 'conv2d_transpose'."""
    out = _snake_cache.get(name)
    if out is None:
        out = _CAMEL_BOUNDARY.sub('_', name).lower()
        _snake_cache[name] = out
    return out


def snake_to_camel(name: str) -> str:
    """'batch_input_shape' -> 'batchInputShape'; leading underscores are kept."""
    out = _camel_cache.get(name)
    if out is None:
        stripped = name.lstrip('_')
        head, *rest = stripped.split('_')
        out = name[: len(name) - len(stripped)] + head + ''.join(
            p[:1].upper() + p[1:] for p in rest)
        _camel_cache[name] = out
    return out


def _folded(name: str) -> str:
    return name.replace('_', '').lower()


def loose_match(name: str, names: Any) -> str | None:
    """The one name among `names` that `name` spells with other case and
    underscores: 'gather_nd' -> 'gatherND', 'is_nan' -> 'isNaN', which the
    word-by-word snake_to_camel cannot reach."""
    folded = _folded(name)
    found = [n for n in names if not n.startswith('_') and _folded(n) == folded]
    return found[0] if len(found) == 1 else None


def is_snake(name: str) -> bool:
    return '_' in name.strip('_') and name.lower() == name


class AttrDict(dict):
    """A dict whose keys read as attributes too (`tf.memory().numTensors`), in
    camelCase or snake_case."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            camel = snake_to_camel(name)
            if camel in self:
                return self[camel]
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value


class SnakeAliases:
    """Mixin: `obj.data_sync()` answers as `obj.dataSync()`, and a subclass that
    overrides `compute_output_shape` in snake_case is still called by the
    framework under `computeOutputShape`."""

    __slots__ = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name, value in list(vars(cls).items()):
            if is_snake(name) and not name.startswith('__'):
                camel = snake_to_camel(name)
                if camel not in vars(cls):
                    setattr(cls, camel, value)

    def __getattr__(self, name: str) -> Any:
        if '_' in name and not name.startswith('__'):
            camel = snake_to_camel(name)
            if camel != name and (hasattr(type(self), camel)
                                  or camel in getattr(self, '__dict__', ())):
                return getattr(self, camel)
            loose = loose_match(name, dir(type(self)))
            if loose is not None:
                return getattr(self, loose)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")


class SnakeSettable(SnakeAliases):
    """SnakeAliases for objects users also assign to: `model.stop_training = True`
    sets `stopTraining`. Kept apart from SnakeAliases so tensors, which are
    created on the hot path, pay nothing for it."""

    __slots__ = ()

    def __setattr__(self, name: str, value: Any) -> None:
        # 'trainable_' (a private twin by convention) is not a snake spelling.
        if '_' in name and name[0] != '_' and name[-1] != '_':
            camel = snake_to_camel(name)
            if camel != name and (hasattr(type(self), camel)
                                  or camel in getattr(self, '__dict__', ())):
                name = camel
        object.__setattr__(self, name, value)


def module_aliases(namespace: dict[str, Any]):
    """A module-level `__getattr__` answering snake_case names with the camelCase
    object of the same module (`tf.load_layers_model` -> `tf.loadLayersModel`)."""

    module_name = namespace.get('__name__', 'module')

    def __getattr__(name: str) -> Any:
        camel = snake_to_camel(name)
        if camel != name and camel in namespace:
            return namespace[camel]
        loose = loose_match(name, namespace) if '_' in name else None
        if loose is not None:
            return namespace[loose]
        raise AttributeError(f'module {module_name!r} has no attribute {name!r}')

    return __getattr__


class Namespace:
    """A read-only namespace of functions (tf.linalg, tf.image, tf.layers),
    answering snake_case names too."""

    def __init__(self, name: str, members: dict[str, Any]) -> None:
        object.__setattr__(self, '_name', name)
        object.__setattr__(self, '_members', members)

    def __getattr__(self, name: str) -> Any:
        members = self._members
        if name in members:
            return members[name]
        camel = snake_to_camel(name)
        if camel in members:
            return members[camel]
        loose = loose_match(name, members)
        if loose is not None:
            return members[loose]
        hint = closest(camel, members)
        raise AttributeError(f'{self._name} has no {name!r}' +
                             (f'; did you mean {hint!r}?' if hint else ''))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f'{self._name} is read-only')

    def __dir__(self) -> list[str]:
        return sorted(self._members)

    def __repr__(self) -> str:
        return f'<namespace {self._name}>'


class _Required:
    def __repr__(self) -> str:
        return 'REQUIRED'


REQUIRED: Any = _Required()


def closest(name: str, candidates) -> str | None:
    match = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.5)
    return match[0] if match else None


def unknown_key_error(owner: str, key: str, valid) -> ValueError:
    hint = closest(snake_to_camel(key), valid)
    msg = f'{owner}: unknown config key {key!r}'
    if hint:
        msg += f"; did you mean {hint!r}?"
    else:
        msg += f"; valid keys are {', '.join(sorted(valid))}"
    return ValueError(msg)


# Set while a model file is read: Keras adds keys for features it has since
# grown (quantization_config, input_axes) and writes them as null; a null key
# we do not know changes nothing, so a file may carry it. A user's config may not.
_TOLERATE_NULL_KEYS: ContextVar[bool] = ContextVar('tolerate_null_keys', default=False)


@contextlib.contextmanager
def tolerating_null_keys() -> Iterator[None]:
    token = _TOLERATE_NULL_KEYS.set(True)
    try:
        yield
    finally:
        _TOLERATE_NULL_KEYS.reset(token)


def normalize_config(owner: str, schema: Mapping[str, Any],
                     config: Mapping[str, Any] | None = None,
                     kwargs: Mapping[str, Any] | None = None,
                     fill_defaults: bool = True) -> dict[str, Any]:
    """Merge a tfjs config dict and keyword arguments into one camelCase dict.

    `schema` maps each camelCase key to its default (or REQUIRED). Keys may be
    given in camelCase or snake_case; an unknown key raises ValueError naming
    it and the closest valid key; a missing required key raises ValueError.
    """
    out: dict[str, Any] = {}
    for source in (config, kwargs):
        if not source:
            continue
        if not isinstance(source, Mapping):
            raise TypeError(f'{owner}: the config must be a dict, got {type(source).__name__}')
        for key, value in source.items():
            camel = key if key in schema else snake_to_camel(key)
            if camel not in schema:
                if value is None and _TOLERATE_NULL_KEYS.get():
                    continue
                raise unknown_key_error(owner, key, schema)
            if camel in out and source is kwargs and config and (
                    key in config or camel in config):
                raise ValueError(f'{owner}: {key!r} is given both in the config and as a keyword')
            out[camel] = value
    if fill_defaults:
        for key, default in schema.items():
            if key not in out:
                if default is REQUIRED:
                    raise ValueError(f'{owner}: missing required config key {key!r}')
                out[key] = default
    else:
        for key, default in schema.items():
            if default is REQUIRED and key not in out:
                raise ValueError(f'{owner}: missing required config key {key!r}')
    return out


def camel_value(value: Any) -> Any:
    """Option strings accept Keras' snake_case: 'glorot_normal' -> 'glorotNormal'."""
    if isinstance(value, str) and '_' in value:
        return snake_to_camel(value)
    return value
