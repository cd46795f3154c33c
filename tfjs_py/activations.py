"""Activation functions, by their tfjs names: elu, hardSigmoid, linear, relu,
relu6, selu, sigmoid, softmax, logSoftmax, softplus, softsign, swish, mish,
tanh, gelu, gelu_new.

Layers take an activation as a string (tfjs camelCase, or Keras snake_case:
'hard_sigmoid'), as an Activation object, or as None (linear). `getConfig`
writes the tfjs name. tfjs serializes the tanh-approximated GELU as
'gelu_new' and then cannot read it back (its JSON reader turns the value into
'geluNew'); both spellings are accepted here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from ._naming import Namespace, camel_value, closest
from .engine.engine import ENGINE
from .engine.tensor import Tensor
from .ops import OPS
from .serialization import Serializable, registerClass

tfc = Namespace('tf', OPS)


class Activation(Serializable):
    """Base class: `apply(x) -> Tensor`; the className is the tfjs name."""

    className = 'Activation'

    def __init__(self, config: Mapping[str, Any] | None = None) -> None:
        if config:
            raise ValueError(f'activation {self.getClassName()!r} takes no config, got '
                             f'{sorted(config)}')

    def apply(self, x: Tensor) -> Tensor:
        raise NotImplementedError(f'{self.getClassName()}.apply')

    def __call__(self, x: Tensor) -> Tensor:
        return self.apply(x)

    def __repr__(self) -> str:
        return f'<activation {self.getClassName()}>'


@registerClass
class Elu(Activation):
    className = 'elu'

    def apply(self, x: Tensor, alpha: float = 1.0) -> Tensor:
        if alpha == 1:
            return tfc.elu(x)
        # relu(x) - alpha * relu(1 - exp(x)): differentiable everywhere it matters
        return ENGINE.tidy(lambda: tfc.sub(tfc.relu(x), tfc.mul(tfc.scalar(float(alpha)), tfc.relu(
            tfc.sub(tfc.scalar(1.0), tfc.exp(x))))))


@registerClass
class Selu(Activation):
    className = 'selu'

    def apply(self, x: Tensor) -> Tensor:
        return tfc.selu(x)


@registerClass
class Relu(Activation):
    className = 'relu'

    def apply(self, x: Tensor) -> Tensor:
        return tfc.relu(x)


@registerClass
class Relu6(Activation):
    className = 'relu6'

    def apply(self, x: Tensor) -> Tensor:
        return ENGINE.tidy(lambda: tfc.minimum(tfc.scalar(6.0), tfc.relu(x)))


@registerClass
class Linear(Activation):
    className = 'linear'

    def apply(self, x: Tensor) -> Tensor:
        return x


@registerClass
class Sigmoid(Activation):
    className = 'sigmoid'

    def apply(self, x: Tensor) -> Tensor:
        return tfc.sigmoid(x)


@registerClass
class HardSigmoid(Activation):
    """clip(0.2 * x + 0.5, 0, 1), as tfjs (and Keras 2) define it."""

    className = 'hardSigmoid'

    def apply(self, x: Tensor) -> Tensor:
        return ENGINE.tidy(lambda: tfc.clipByValue(
            tfc.add(tfc.mul(tfc.scalar(0.2), x), tfc.scalar(0.5)), 0, 1))


@registerClass
class Softplus(Activation):
    className = 'softplus'

    def apply(self, x: Tensor) -> Tensor:
        return tfc.softplus(x)


@registerClass
class Softsign(Activation):
    className = 'softsign'

    def apply(self, x: Tensor) -> Tensor:
        return ENGINE.tidy(lambda: tfc.div(x, tfc.add(tfc.abs(x), tfc.scalar(1.0))))


@registerClass
class Tanh(Activation):
    className = 'tanh'

    def apply(self, x: Tensor) -> Tensor:
        return tfc.tanh(x)


@registerClass
class Softmax(Activation):
    className = 'softmax'

    def apply(self, x: Tensor, axis: int = -1) -> Tensor:
        return tfc.softmax(x, axis)


@registerClass
class LogSoftmax(Activation):
    className = 'logSoftmax'

    def apply(self, x: Tensor, axis: int = -1) -> Tensor:
        return tfc.logSoftmax(x, axis)


@registerClass
class Gelu(Activation):
    """x * Phi(x), with the exact normal CDF (erf)."""

    className = 'gelu'

    def apply(self, x: Tensor) -> Tensor:
        return ENGINE.tidy(lambda: tfc.mul(x, tfc.mul(tfc.scalar(0.5), tfc.add(
            tfc.scalar(1.0), tfc.erf(tfc.div(x, tfc.scalar(math.sqrt(2.0))))))))


@registerClass
class GeluNew(Activation):
    """The tanh approximation of GELU."""

    className = 'gelu_new'

    def apply(self, x: Tensor) -> Tensor:
        def run() -> Tensor:
            cubic = tfc.mul(tfc.scalar(0.044715), tfc.pow(x, tfc.scalar(3.0)))
            inner = tfc.mul(tfc.scalar(math.sqrt(2.0 / math.pi)), tfc.add(x, cubic))
            return tfc.mul(tfc.mul(tfc.scalar(0.5), x), tfc.add(tfc.scalar(1.0), tfc.tanh(inner)))

        return ENGINE.tidy(run)


@registerClass
class Mish(Activation):
    className = 'mish'

    def apply(self, x: Tensor) -> Tensor:
        return ENGINE.tidy(lambda: tfc.mul(x, tfc.tanh(tfc.softplus(x))))


@registerClass
class Swish(Activation):
    className = 'swish'

    def apply(self, x: Tensor, alpha: float = 1.0) -> Tensor:
        return ENGINE.tidy(lambda: tfc.mul(tfc.sigmoid(tfc.mul(x, tfc.scalar(float(alpha)))),
                                           x))


_CLASSES: dict[str, type[Activation]] = {
    c.className: c for c in (Elu, Selu, Relu, Relu6, Linear, Sigmoid, HardSigmoid, Softplus,
                             Softsign, Tanh, Softmax, LogSoftmax, Gelu, GeluNew, Mish, Swish)}
# Spellings that reach the same activation: Keras' snake_case values become
# camelCase on load ('gelu_new' -> 'geluNew'), and Keras names silu for swish.
_ALIASES = {'geluNew': 'gelu_new', 'silu': 'swish'}


def getActivation(identifier: Any) -> Activation:
    """An Activation from a name, None (linear), a {className} dict or an
    Activation object."""
    if identifier is None:
        return Linear()
    if isinstance(identifier, Activation):
        return identifier
    if isinstance(identifier, Mapping):
        identifier = identifier.get('className', identifier.get('class_name'))
    if isinstance(identifier, str):
        name = identifier if identifier in _CLASSES else camel_value(identifier)
        name = _ALIASES.get(name, name)
        cls = _CLASSES.get(name)
        if cls is None:
            hint = closest(name, _CLASSES)
            raise ValueError(f'unknown activation: {identifier!r}' +
                             (f"; did you mean {hint!r}?" if hint else
                              f"; valid activations are {', '.join(sorted(_CLASSES))}"))
        return cls()
    raise TypeError(f'an activation must be a string or an Activation, '
                    f'not {type(identifier).__name__}')


def serializeActivation(activation: Activation) -> str:
    return activation.getClassName()


__all__ = ['Activation', 'getActivation', 'serializeActivation']
