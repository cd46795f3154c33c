"""batchNormalization and layerNormalization (tfjs-layers normalization.ts).

batchNormalization keeps moving statistics (non-trainable `moving_mean` and
`moving_variance`), normalizes with the batch statistics and updates the moving
ones when called with `training: True`, and uses the moving ones otherwise.
`axis` may be an int or a list, as Keras writes it (`[3]`). Beyond tfjs:
any input rank works (tfjs stops at 4), and `center: False` or `scale: False`
work in training (tfjs reads the missing weight and throws).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .. import constraints, initializers, regularizers
from ..engine.engine import ENGINE
from ..engine.tensor import Tensor
from ..serialization import registerClass
from .base import InputSpec, Layer, one_shape, one_tensor, tfc


def _axis_list(value: Any, owner: str) -> list[int]:
    if isinstance(value, bool):
        raise ValueError(f'{owner}: axis must be an integer or a list of integers, got {value!r}')
    if isinstance(value, int):
        return [value]
    if isinstance(value, Sequence) and not isinstance(value, str) and value and all(
            isinstance(a, int) and not isinstance(a, bool) for a in value):
        return list(value)
    raise ValueError(f'{owner}: axis must be an integer or a list of integers, got {value!r}')


def _resolve_axes(axes: list[int], ndim: int, owner: str) -> list[int]:
    out = []
    for a in axes:
        b = a + ndim if a < 0 else a
        if not 0 <= b < ndim:
            raise ValueError(f'{owner}: invalid axis {a} for an input of rank {ndim}')
        out.append(b)
    if len(set(out)) != len(out):
        raise ValueError(f'{owner}: found duplicate axes in {axes}')
    return out


@registerClass
class BatchNormalization(Layer):
    """Normalizes the activations of the previous layer at each batch."""

    className = 'BatchNormalization'
    CONFIG: dict[str, Any] = {
        'axis': -1, 'momentum': 0.99, 'epsilon': 1e-3, 'center': True, 'scale': True,
        'betaInitializer': None, 'gammaInitializer': None, 'movingMeanInitializer': None,
        'movingVarianceInitializer': None, 'betaConstraint': None, 'gammaConstraint': None,
        'betaRegularizer': None, 'gammaRegularizer': None,
    }

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        args = self._args
        self.supportsMasking = True
        raw_axis = -1 if args['axis'] is None else args['axis']
        self._axes = _axis_list(raw_axis, 'BatchNormalization')
        # getConfig gives back what was given: an int, or a list (Keras).
        self.axis = raw_axis if isinstance(raw_axis, int) else list(raw_axis)
        self.momentum = float(args['momentum'])
        self.epsilon = float(args['epsilon'])
        self.center = bool(args['center'])
        self.scale = bool(args['scale'])
        self.betaInitializer = initializers.getInitializer(args['betaInitializer'] or 'zeros')
        self.gammaInitializer = initializers.getInitializer(args['gammaInitializer'] or 'ones')
        self.movingMeanInitializer = initializers.getInitializer(
            args['movingMeanInitializer'] or 'zeros')
        self.movingVarianceInitializer = initializers.getInitializer(
            args['movingVarianceInitializer'] or 'ones')
        self.betaConstraint = constraints.getConstraint(args['betaConstraint'])
        self.gammaConstraint = constraints.getConstraint(args['gammaConstraint'])
        self.betaRegularizer = regularizers.getRegularizer(args['betaRegularizer'])
        self.gammaRegularizer = regularizers.getRegularizer(args['gammaRegularizer'])
        self.gamma = self.beta = self.movingMean = self.movingVariance = None

    def build(self, inputShape: Any) -> None:
        input_shape = one_shape(inputShape, self.name)
        ndim = len(input_shape)
        axes = _resolve_axes(self._axes, ndim, 'BatchNormalization')
        dims = [input_shape[a] for a in axes]
        if any(d is None for d in dims):
            raise ValueError(f'BatchNormalization: axis {axes} of the input should have a defined '
                             f'dimension, but the layer received an input with shape '
                             f'{list(input_shape)}')
        self.inputSpec = [InputSpec(ndim=ndim, axes=dict(zip(axes, dims, strict=True)))]
        if self.scale:
            self.gamma = self.addWeight('gamma', dims, 'float32', self.gammaInitializer,
                                        self.gammaRegularizer, True, self.gammaConstraint)
        if self.center:
            self.beta = self.addWeight('beta', dims, 'float32', self.betaInitializer,
                                       self.betaRegularizer, True, self.betaConstraint)
        self.movingMean = self.addWeight('moving_mean', dims, 'float32',
                                         self.movingMeanInitializer, None, False)
        self.movingVariance = self.addWeight('moving_variance', dims, 'float32',
                                             self.movingVarianceInitializer, None, False)
        self.built = True

    def call(self, inputs: Any, kwargs: dict[str, Any]) -> Tensor:
        return ENGINE.tidy(lambda: self._call(inputs, kwargs))

    def _call(self, inputs: Any, kwargs: dict[str, Any]) -> Tensor:
        x = one_tensor(inputs, self.name)
        training = bool(kwargs.get('training') or False)
        ndim = x.rank
        axes = _resolve_axes(self._axes, ndim, 'BatchNormalization')
        reduction = [i for i in range(ndim) if i not in axes]
        broadcast = [x.shape[i] if i in axes else 1 for i in range(ndim)]

        def shaped(v: Any) -> Tensor | None:
            return None if v is None else tfc.reshape(v.read(), broadcast)

        if not training:
            return tfc.batchNorm(x, shaped(self.movingMean), shaped(self.movingVariance),
                                shaped(self.beta), shaped(self.gamma), self.epsilon)
        stats = tfc.moments(x, reduction, True)
        out = tfc.batchNorm(x, stats['mean'], stats['variance'], shaped(self.beta),
                           shaped(self.gamma), self.epsilon)
        # Moving averages: moving -= (moving - batch) * (1 - momentum), off the tape.
        param_shape = self.movingMean.shape
        for variable, value in ((self.movingMean, stats['mean']),
                                (self.movingVariance, stats['variance'])):
            def update(variable: Any = variable, value: Tensor = value) -> None:
                current = variable.read()
                delta = tfc.mul(tfc.sub(current, tfc.reshape(value, param_shape)),
                               1 - self.momentum)
                variable.write(tfc.sub(current, delta))
            ENGINE.tidy(update)
        return out

    def getConfig(self) -> dict[str, Any]:
        config = {
            'axis': self.axis, 'momentum': self.momentum, 'epsilon': self.epsilon,
            'center': self.center, 'scale': self.scale,
            'betaInitializer': initializers.serializeInitializer(self.betaInitializer),
            'gammaInitializer': initializers.serializeInitializer(self.gammaInitializer),
            'movingMeanInitializer': initializers.serializeInitializer(
                self.movingMeanInitializer),
            'movingVarianceInitializer': initializers.serializeInitializer(
                self.movingVarianceInitializer),
            'betaRegularizer': regularizers.serializeRegularizer(self.betaRegularizer),
            'gammaRegularizer': regularizers.serializeRegularizer(self.gammaRegularizer),
            'betaConstraint': constraints.serializeConstraint(self.betaConstraint),
            'gammaConstraint': constraints.serializeConstraint(self.gammaConstraint),
        }
        config.update(super().getConfig())
        return config


@registerClass
class LayerNormalization(Layer):
    """Normalizes each sample over `axis` (default the last), then scales and shifts."""

    className = 'LayerNormalization'
    CONFIG: dict[str, Any] = {
        'axis': -1, 'epsilon': 1e-3, 'center': True, 'scale': True, 'betaInitializer': None,
        'gammaInitializer': None, 'betaRegularizer': None, 'gammaRegularizer': None,
    }

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        args = self._args
        self.supportsMasking = True
        raw_axis = -1 if args['axis'] is None else args['axis']
        self._axes = _axis_list(raw_axis, 'LayerNormalization')
        self.axis = raw_axis if isinstance(raw_axis, int) else list(raw_axis)
        self.epsilon = float(args['epsilon'])
        self.center = bool(args['center'])
        self.scale = bool(args['scale'])
        self.betaInitializer = initializers.getInitializer(args['betaInitializer'] or 'zeros')
        self.gammaInitializer = initializers.getInitializer(args['gammaInitializer'] or 'ones')
        self.betaRegularizer = regularizers.getRegularizer(args['betaRegularizer'])
        self.gammaRegularizer = regularizers.getRegularizer(args['gammaRegularizer'])
        self.gamma = self.beta = None

    def build(self, inputShape: Any) -> None:
        input_shape = one_shape(inputShape, self.name)
        axes = _resolve_axes(self._axes, len(input_shape), 'LayerNormalization')
        # tfjs reports the resolved, non-negative axes once built.
        self.axis = axes
        dims = [input_shape[a] for a in axes]
        if any(d is None for d in dims):
            raise ValueError(f'LayerNormalization: axis {axes} of the input should have a '
                             f'defined dimension; got input shape {list(input_shape)}')
        if self.scale:
            self.gamma = self.addWeight('gamma', dims, 'float32', self.gammaInitializer,
                                        self.gammaRegularizer, True)
        if self.center:
            self.beta = self.addWeight('beta', dims, 'float32', self.betaInitializer,
                                       self.betaRegularizer, True)
        self.built = True

    def call(self, inputs: Any, kwargs: dict[str, Any]) -> Tensor:
        return ENGINE.tidy(lambda: self._call(inputs, kwargs))

    def _call(self, inputs: Any, kwargs: dict[str, Any]) -> Tensor:
        x = one_tensor(inputs, self.name)
        ndim = x.rank
        axes = _resolve_axes(self._axes, ndim, 'LayerNormalization')
        stats = tfc.moments(x, axes, True)
        broadcast = [x.shape[i] if i in axes else 1 for i in range(ndim)]
        gamma = None if self.gamma is None else tfc.reshape(self.gamma.read(), broadcast)
        beta = None if self.beta is None else tfc.reshape(self.beta.read(), broadcast)
        return tfc.batchNorm(x, stats['mean'], stats['variance'], beta, gamma, self.epsilon)

    def getConfig(self) -> dict[str, Any]:
        config = {
            'axis': self.axis, 'epsilon': self.epsilon, 'center': self.center,
            'scale': self.scale,
            'betaInitializer': initializers.serializeInitializer(self.betaInitializer),
            'gammaInitializer': initializers.serializeInitializer(self.gammaInitializer),
            'betaRegularizer': regularizers.serializeRegularizer(self.betaRegularizer),
            'gammaRegularizer': regularizers.serializeRegularizer(self.gammaRegularizer),
        }
        config.update(super().getConfig())
        return config
