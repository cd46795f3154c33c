"""Weight constraints: tf.constraints.maxNorm, unitNorm, nonNeg, minMaxNorm.

A constraint's `apply(w)` returns the projected weight; LayerVariable.write
applies it after every update.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._naming import Namespace, camel_value, normalize_config
from .engine.engine import ENGINE
from .engine.tensor import Tensor
from .ops import OPS
from .serialization import Serializable, deserialize, registerClass, serialize

tfc = Namespace('tf', OPS)
EPSILON = 1e-7  # tfjs' backend epsilon for float32


class Constraint(Serializable):
    """Base class: `apply(w) -> Tensor`."""

    className = 'Constraint'
    CONFIG: dict[str, Any] = {}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        self._config = normalize_config(type(self).className, type(self).CONFIG, config, kwargs)

    def apply(self, w: Tensor) -> Tensor:
        raise NotImplementedError(f'{self.getClassName()}.apply')

    def __call__(self, w: Tensor) -> Tensor:
        return self.apply(w)

    def getConfig(self) -> dict[str, Any]:
        return dict(self._config)

    def __repr__(self) -> str:
        return f'{type(self).__name__}({self.getConfig()})'


def _l2_norms(w: Tensor, axis: Any) -> Tensor:
    return tfc.sqrt(tfc.sum(tfc.mul(w, w), axis, True))


@registerClass
class MaxNorm(Constraint):
    """Rescales weights whose L2 norm along `axis` exceeds maxValue."""

    className = 'MaxNorm'
    CONFIG = {'maxValue': 2, 'axis': 0}

    def apply(self, w: Tensor) -> Tensor:
        c = self._config

        def run() -> Tensor:
            norms = _l2_norms(w, c['axis'])
            desired = tfc.clipByValue(norms, 0, c['maxValue'])
            return tfc.mul(w, tfc.div(desired, tfc.add(tfc.scalar(EPSILON), norms)))

        return ENGINE.tidy(run)


@registerClass
class UnitNorm(Constraint):
    """Weights divided by their L2 norm along `axis`."""

    className = 'UnitNorm'
    CONFIG = {'axis': 0}

    def apply(self, w: Tensor) -> Tensor:
        axis = self._config['axis']
        return ENGINE.tidy(lambda: tfc.div(w, tfc.add(tfc.scalar(EPSILON), _l2_norms(w, axis))))


@registerClass
class NonNeg(Constraint):
    """Negative weights set to zero."""

    className = 'NonNeg'

    def apply(self, w: Tensor) -> Tensor:
        return tfc.relu(w)


@registerClass
class MinMaxNorm(Constraint):
    """Norms along `axis` moved towards [minValue, maxValue] at `rate`."""

    className = 'MinMaxNorm'
    CONFIG = {'minValue': 0.0, 'maxValue': 1.0, 'rate': 1.0, 'axis': 0}

    def apply(self, w: Tensor) -> Tensor:
        c = self._config

        def run() -> Tensor:
            norms = _l2_norms(w, c['axis'])
            desired = tfc.add(
                tfc.mul(tfc.scalar(float(c['rate'])),
                        tfc.clipByValue(norms, c['minValue'], c['maxValue'])),
                tfc.mul(tfc.scalar(1.0 - c['rate']), norms))
            return tfc.mul(w, tfc.div(desired, tfc.add(tfc.scalar(EPSILON), norms)))

        return ENGINE.tidy(run)


IDENTIFIERS = {'maxNorm': 'MaxNorm', 'minMaxNorm': 'MinMaxNorm', 'nonNeg': 'NonNeg',
               'unitNorm': 'UnitNorm'}


def getConstraint(identifier: Any) -> Constraint | None:
    """A Constraint from None, a string ('maxNorm' or 'max_norm'), a
    {className, config} dict or a Constraint."""
    if identifier is None:
        return None
    if isinstance(identifier, Constraint):
        return identifier
    if isinstance(identifier, str):
        name = camel_value(identifier)
        class_name = IDENTIFIERS.get(name, identifier)
        return deserialize({'className': class_name, 'config': {}}, kind='constraint',
                           base=Constraint)
    if isinstance(identifier, Mapping):
        return deserialize(identifier, kind='constraint', base=Constraint)
    raise TypeError(f'a constraint must be a string, a config dict or a Constraint, '
                    f'not {type(identifier).__name__}')


def serializeConstraint(constraint: Constraint | None) -> dict[str, Any] | None:
    return serialize(constraint)


def maxNorm(config: Mapping[str, Any] | None = None, **kwargs: Any) -> Constraint:
    return MaxNorm(config, **kwargs)


def unitNorm(config: Mapping[str, Any] | None = None, **kwargs: Any) -> Constraint:
    return UnitNorm(config, **kwargs)


def nonNeg(config: Mapping[str, Any] | None = None, **kwargs: Any) -> Constraint:
    return NonNeg(config, **kwargs)


def minMaxNorm(config: Mapping[str, Any] | None = None, **kwargs: Any) -> Constraint:
    return MinMaxNorm(config, **kwargs)


namespace = Namespace('tf.constraints', {
    'maxNorm': maxNorm, 'unitNorm': unitNorm, 'nonNeg': nonNeg, 'minMaxNorm': minMaxNorm,
    'MaxNorm': MaxNorm, 'UnitNorm': UnitNorm, 'NonNeg': NonNeg, 'MinMaxNorm': MinMaxNorm,
    'Constraint': Constraint, 'getConstraint': getConstraint,
    'serializeConstraint': serializeConstraint})

__all__ = ['Constraint', 'MaxNorm', 'MinMaxNorm', 'NonNeg', 'UnitNorm', 'getConstraint',
           'maxNorm', 'minMaxNorm', 'nonNeg', 'serializeConstraint', 'unitNorm']
