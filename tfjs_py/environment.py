"""tf.env(): named flags, registered once with a default and read by name."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from ._naming import SnakeAliases, closest

FlagValue = bool | int | float | str | None


class Environment(SnakeAliases):
    """tfjs' Environment: `tf.env().set('DEBUG', True)`, `tf.env().get('DEBUG')`."""

    def __init__(self) -> None:
        self._defaults: dict[str, Callable[[], FlagValue]] = {}
        self._values: dict[str, FlagValue] = {}
        self._listeners: dict[str, list[Callable[[FlagValue], None]]] = {}

    def registerFlag(self, name: str, evaluate: Callable[[], FlagValue],
                     setHook: Callable[[FlagValue], None] | None = None) -> None:
        if name in self._defaults:
            raise ValueError(f'flag {name!r} is already registered')
        self._defaults[name] = evaluate
        if setHook is not None:
            self._listeners.setdefault(name, []).append(setHook)

    def onChange(self, name: str, hook: Callable[[FlagValue], None]) -> None:
        self._check(name)
        self._listeners.setdefault(name, []).append(hook)

    def _check(self, name: str) -> None:
        if name not in self._defaults:
            hint = closest(name, self._defaults)
            raise ValueError(f'unknown flag {name!r}'
                             + (f'; did you mean {hint!r}?' if hint else ''))

    def get(self, name: str) -> FlagValue:
        if name in self._values:
            return self._values[name]
        self._check(name)
        value = self._defaults[name]()
        self._values[name] = value
        return value

    def getBool(self, name: str) -> bool:
        return bool(self.get(name))

    def getNumber(self, name: str) -> float:
        return float(self.get(name))  # type: ignore[arg-type]

    def set(self, name: str, value: FlagValue) -> None:
        self._check(name)
        self._values[name] = value
        for hook in self._listeners.get(name, ()):
            hook(value)

    def reset(self) -> None:
        for name in list(self._values):
            self._values.pop(name)
            value = self.get(name)
            for hook in self._listeners.get(name, ()):
                hook(value)

    @property
    def flags(self) -> dict[str, FlagValue]:
        return {name: self.get(name) for name in self._defaults}

    def getFlags(self) -> dict[str, FlagValue]:
        return self.flags

    def features(self) -> dict[str, FlagValue]:
        return self.flags


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() not in ('', '0', 'false', 'no', 'off')


ENV = Environment()
ENV.registerFlag('DEBUG', lambda: env_bool('TFJS_PY_DEBUG'))
ENV.registerFlag('PROD', lambda: False)
ENV.registerFlag('IS_TEST', lambda: False)
ENV.registerFlag('IS_BROWSER', lambda: False)
ENV.registerFlag('IS_NODE', lambda: False)
ENV.registerFlag('IS_PYTHON', lambda: True)
ENV.registerFlag('CHECK_COMPUTATION_FOR_ERRORS', lambda: True)
ENV.registerFlag('EPSILON', lambda: 1e-7)
ENV.registerFlag('TENSORLIKE_CHECK_SHAPE_CONSISTENCY', lambda: True)


def env() -> Environment:
    """The process-wide flag registry, as tfjs' `tf.env()`."""
    return ENV


def flag(name: str) -> Any:
    return ENV.get(name)
