"""Weight regularizers: tf.regularizers.l1, l2, l1l2.

A regularizer's `apply(x)` returns a scalar penalty; layers register it with
`addLoss`, so the penalty is computed afresh from the current weight value
each time the model's losses are calculated (inside the training tape).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._naming import Namespace, normalize_config
from .engine.engine import ENGINE
from .engine.tensor import Tensor
from .ops import OPS
from .serialization import Serializable, deserialize, registerClass, serialize

tfc = Namespace('tf', OPS)


class Regularizer(Serializable):
    """Base class: `apply(x) -> scalar Tensor`."""

    className = 'Regularizer'

    def apply(self, x: Tensor) -> Tensor:
        raise NotImplementedError(f'{self.getClassName()}.apply')

    def __call__(self, x: Tensor) -> Tensor:
        return self.apply(x)


def _factor(value: Any, name: str) -> float:
    """A regularization factor, kept as given (0 stays 0 in JSON, as tfjs writes it)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ValueError(f'L1L2: {name} must be a non-negative number, got {value!r}')
    return value


@registerClass
class L1L2(Regularizer):
    """l1 * sum(|x|) + l2 * sum(x^2); each factor defaults to 0.01."""

    className = 'L1L2'
    CONFIG = {'l1': None, 'l2': None}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        args = normalize_config('L1L2', L1L2.CONFIG, config, kwargs)
        self.l1 = 0.01 if args['l1'] is None else _factor(args['l1'], 'l1')
        self.l2 = 0.01 if args['l2'] is None else _factor(args['l2'], 'l2')

    def apply(self, x: Tensor) -> Tensor:
        def penalty() -> Tensor:
            total = tfc.zeros([])
            if self.l1:
                total = tfc.add(total, tfc.sum(tfc.mul(tfc.scalar(float(self.l1)), tfc.abs(x))))
            if self.l2:
                total = tfc.add(total, tfc.sum(tfc.mul(tfc.scalar(float(self.l2)), tfc.square(x))))
            return total

        return ENGINE.tidy(penalty)

    def getConfig(self) -> dict[str, Any]:
        return {'l1': self.l1, 'l2': self.l2}

    def __repr__(self) -> str:
        return f'L1L2(l1={self.l1}, l2={self.l2})'


@registerClass
class L1(L1L2):
    """Keras' L1 class ({'l1': ...}); tfjs writes it as L1L2 with l2 = 0."""

    className = 'L1'
    CONFIG = {'l1': 0.01}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        args = normalize_config('L1', self.CONFIG, config, kwargs)
        super().__init__({'l1': args['l1'], 'l2': 0})

    def getClassName(self) -> str:
        return 'L1L2'


@registerClass
class L2(L1L2):
    """Keras' L2 class ({'l2': ...}); tfjs writes it as L1L2 with l1 = 0."""

    className = 'L2'
    CONFIG = {'l2': 0.01}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        args = normalize_config('L2', self.CONFIG, config, kwargs)
        super().__init__({'l1': 0, 'l2': args['l2']})

    def getClassName(self) -> str:
        return 'L1L2'


def l1l2(config: Mapping[str, Any] | None = None, **kwargs: Any) -> Regularizer:
    return L1L2(config, **kwargs)


def l1(config: Mapping[str, Any] | None = None, **kwargs: Any) -> Regularizer:
    return L1(config, **kwargs)


def l2(config: Mapping[str, Any] | None = None, **kwargs: Any) -> Regularizer:
    return L2(config, **kwargs)


IDENTIFIERS = {'l1l2': 'L1L2', 'l1': 'L1', 'l2': 'L2'}


def getRegularizer(identifier: Any) -> Regularizer | None:
    """A Regularizer from None, a string ('l1l2'), a {className, config} dict
    or a Regularizer."""
    if identifier is None:
        return None
    if isinstance(identifier, Regularizer):
        return identifier
    if isinstance(identifier, str):
        class_name = IDENTIFIERS.get(identifier, identifier)
        return deserialize({'className': class_name, 'config': {}}, kind='regularizer',
                           base=Regularizer)
    if isinstance(identifier, Mapping):
        return deserialize(identifier, kind='regularizer', base=Regularizer)
    raise TypeError(f'a regularizer must be a string, a config dict or a Regularizer, '
                    f'not {type(identifier).__name__}')


def serializeRegularizer(regularizer: Regularizer | None) -> dict[str, Any] | None:
    return serialize(regularizer)


namespace = Namespace('tf.regularizers', {
    'l1': l1, 'l2': l2, 'l1l2': l1l2, 'L1L2': L1L2, 'Regularizer': Regularizer,
    'getRegularizer': getRegularizer, 'serializeRegularizer': serializeRegularizer})

__all__ = ['L1L2', 'Regularizer', 'getRegularizer', 'l1', 'l1l2', 'l2', 'serializeRegularizer']
