"""Activation layers with parameters: reLU, leakyReLU, prelu, elu,
thresholdedReLU, softmax."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..constraints import getConstraint, serializeConstraint
from ..engine.engine import ENGINE
from ..engine.tensor import Tensor
from ..initializers import getInitializer, serializeInitializer
from ..regularizers import getRegularizer, serializeRegularizer
from ..serialization import registerClass
from .base import InputSpec, Layer, one_shape, one_tensor, tfc


def elu_alpha(x: Tensor, alpha: float) -> Tensor:
    """alpha * (exp(x) - 1) below zero, x above, written as
    relu(x) - alpha * relu(1 - exp(x)) so every step has a gradient."""
    return tfc.sub(tfc.relu(x), tfc.mul(tfc.scalar(float(alpha)), tfc.relu(
        tfc.sub(tfc.scalar(1.0), tfc.exp(x)))))


def _number(value: Any, name: str, who: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f'{who}: {name} must be a number, got {value!r}')
    return value


@registerClass
class ReLU(Layer):
    """max(x, 0), capped at maxValue when given."""

    className = 'ReLU'
    CONFIG = {'maxValue': None}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        self.supportsMasking = True
        value = self._args['maxValue']
        self.maxValue = None if value is None else _number(value, 'maxValue', 'ReLU')

    def call(self, inputs: Any, kwargs: dict[str, Any]) -> Tensor:
        x = one_tensor(inputs, self.name)
        if self.maxValue is None:
            return tfc.relu(x)
        return ENGINE.tidy(lambda: tfc.clipByValue(tfc.relu(x), 0, self.maxValue))

    def getConfig(self) -> dict[str, Any]:
        return {'maxValue': self.maxValue, **super().getConfig()}


@registerClass
class LeakyReLU(Layer):
    """x for x > 0, alpha * x otherwise."""

    className = 'LeakyReLU'
    CONFIG = {'alpha': 0.3}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        self.supportsMasking = True
        alpha = self._args['alpha']
        self.alpha = 0.3 if alpha is None else _number(alpha, 'alpha', 'LeakyReLU')

    def call(self, inputs: Any, kwargs: dict[str, Any]) -> Tensor:
        return tfc.leakyRelu(one_tensor(inputs, self.name), self.alpha)

    def getConfig(self) -> dict[str, Any]:
        return {'alpha': self.alpha, **super().getConfig()}


@registerClass
class PReLU(Layer):
    """Leaky ReLU with a learned slope per element (shared along sharedAxes)."""

    className = 'PReLU'
    CONFIG = {'alphaInitializer': None, 'alphaRegularizer': None, 'alphaConstraint': None,
              'sharedAxes': None}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        args = self._args
        self.supportsMasking = True
        self.alphaInitializer = getInitializer(args['alphaInitializer'] or 'zeros')
        self.alphaRegularizer = getRegularizer(args['alphaRegularizer'])
        self.alphaConstraint = getConstraint(args['alphaConstraint'])
        shared = args['sharedAxes']
        if shared is None:
            self.sharedAxes = None
        else:
            self.sharedAxes = [int(a) for a in (shared if isinstance(shared, list | tuple)
                                                else [shared])]
        self.alpha = None

    def build(self, inputShape: Any) -> None:
        shape = one_shape(inputShape, self.name)
        param_shape = list(shape[1:])
        if self.sharedAxes is not None:
            for axis in self.sharedAxes:
                if not 1 <= axis < len(shape):
                    raise ValueError(f'{self.name}: sharedAxes entry {axis} is out of range for '
                                     f'input shape {shape}')
                param_shape[axis - 1] = 1
        if any(d is None for d in param_shape):
            raise ValueError(f'{self.name}: the input shape {shape} must be fully defined '
                             f'outside the batch axis and the sharedAxes')
        self.alpha = self.addWeight('alpha', param_shape, 'float32', self.alphaInitializer,
                                    self.alphaRegularizer, True, self.alphaConstraint)
        axes = {i: shape[i] for i in range(1, len(shape))
                if self.sharedAxes is None or i not in self.sharedAxes}
        self.inputSpec = [InputSpec(ndim=len(shape), axes=axes)]
        self.built = True

    def call(self, inputs: Any, kwargs: dict[str, Any]) -> Tensor:
        return tfc.prelu(one_tensor(inputs, self.name), self.alpha.read())

    def getConfig(self) -> dict[str, Any]:
        return {'alphaInitializer': serializeInitializer(self.alphaInitializer),
                'alphaRegularizer': serializeRegularizer(self.alphaRegularizer),
                'alphaConstraint': serializeConstraint(self.alphaConstraint),
                'sharedAxes': self.sharedAxes, **super().getConfig()}


@registerClass
class ELU(Layer):
    """x for x > 0, alpha * (exp(x) - 1) otherwise (any alpha; tfjs only 1)."""

    className = 'ELU'
    CONFIG = {'alpha': 1.0}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        self.supportsMasking = True
        alpha = self._args['alpha']
        self.alpha = 1.0 if alpha is None else _number(alpha, 'alpha', 'ELU')

    def call(self, inputs: Any, kwargs: dict[str, Any]) -> Tensor:
        x = one_tensor(inputs, self.name)
        if self.alpha == 1:
            return tfc.elu(x)
        return ENGINE.tidy(lambda: elu_alpha(x, self.alpha))

    def getConfig(self) -> dict[str, Any]:
        return {'alpha': self.alpha, **super().getConfig()}


@registerClass
class ThresholdedReLU(Layer):
    """x where x > theta, else 0."""

    className = 'ThresholdedReLU'
    CONFIG = {'theta': 1.0}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        self.supportsMasking = True
        theta = self._args['theta']
        self.theta = 1.0 if theta is None else _number(theta, 'theta', 'ThresholdedReLU')

    def call(self, inputs: Any, kwargs: dict[str, Any]) -> Tensor:
        x = one_tensor(inputs, self.name)
        # step keeps the expression differentiable (zero slope), unlike a comparison
        return ENGINE.tidy(lambda: tfc.mul(x, tfc.step(tfc.sub(x, tfc.scalar(
            float(self.theta))))))

    def getConfig(self) -> dict[str, Any]:
        return {'theta': self.theta, **super().getConfig()}


@registerClass
class Softmax(Layer):
    """softmax along `axis` (default -1)."""

    className = 'Softmax'
    CONFIG = {'axis': -1}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        self.supportsMasking = True
        axis = self._args['axis']
        self.axis = -1 if axis is None else int(axis)

    def call(self, inputs: Any, kwargs: dict[str, Any]) -> Tensor:
        return tfc.softmax(one_tensor(inputs, self.name), self.axis)

    def getConfig(self) -> dict[str, Any]:
        return {'axis': self.axis, **super().getConfig()}


__all__ = ['ELU', 'LeakyReLU', 'PReLU', 'ReLU', 'Softmax', 'ThresholdedReLU']
