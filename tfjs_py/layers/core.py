"""Core layers: dense, activation, dropout, spatialDropout1d, flatten, reshape,
permute, repeatVector, masking."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from .._naming import REQUIRED, camel_value
from ..activations import getActivation, serializeActivation
from ..constraints import getConstraint, serializeConstraint
from ..engine.engine import ENGINE
from ..engine.tensor import Tensor
from ..initializers import getInitializer, serializeInitializer
from ..ops.linalg import fused_mat_mul
from ..regularizers import getRegularizer, serializeRegularizer
from ..serialization import registerClass
from .base import InputSpec, Layer, one_shape, one_tensor, shape_str, tfc


def check_positive_int(value: Any, name: str, who: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or int(value) != value \
            or value <= 0:
        raise ValueError(f'{who}: expected {name} to be a positive integer, but got '
                         f'{value!r}')
    return int(value)


# The activations tfjs' Dense fuses into its matMul kernel (mapActivationToFusedKernel).
_FUSED_ACTIVATIONS = {'relu': 'relu', 'linear': 'linear', 'elu': 'elu'}


def dot_last_axis(x: Tensor, kernel: Tensor, bias: Tensor | None = None,
                  activation: str = 'linear') -> Tensor:
    """activation(x @ kernel + bias) over x's last axis (x of rank >= 2, a 2-D
    kernel), in one fused matMul kernel."""
    flat = x if x.rank == 2 else tfc.reshape(x, [-1, x.shape[-1]])
    out = fused_mat_mul({'a': flat, 'b': kernel, 'bias': bias, 'activation': activation})
    return out if x.rank == 2 else tfc.reshape(out, [*x.shape[:-1], kernel.shape[-1]])


@registerClass
class Dense(Layer):
    """output = activation(dot(input, kernel) + bias)."""

    className = 'Dense'
    CONFIG = {'units': REQUIRED, 'activation': None, 'useBias': True,
              'kernelInitializer': None, 'biasInitializer': None, 'inputDim': None,
              'kernelConstraint': None, 'biasConstraint': None, 'kernelRegularizer': None,
              'biasRegularizer': None, 'activityRegularizer': None}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        args = self._args
        if self.batchInputShape is None and args['inputDim'] is not None:
            self.batchInputShape = [args['batchSize'], int(args['inputDim'])]
            self.dtype = self.dtype or 'float32'
        self.units = check_positive_int(args['units'], 'units', 'Dense')
        self.activation = getActivation(args['activation'])
        self.useBias = True if args['useBias'] is None else bool(args['useBias'])
        self.kernelInitializer = getInitializer(args['kernelInitializer'] or 'glorotNormal')
        self.biasInitializer = getInitializer(args['biasInitializer'] or 'zeros')
        self.kernelConstraint = getConstraint(args['kernelConstraint'])
        self.biasConstraint = getConstraint(args['biasConstraint'])
        self.kernelRegularizer = getRegularizer(args['kernelRegularizer'])
        self.biasRegularizer = getRegularizer(args['biasRegularizer'])
        self.activityRegularizer = getRegularizer(args['activityRegularizer'])
        self.supportsMasking = True
        self.inputSpec = [InputSpec(minNDim=2)]
        self.kernel = None
        self.bias = None

    def build(self, inputShape: Any) -> None:
        shape = one_shape(inputShape, self.name)
        last = shape[-1]
        if last is None:
            raise ValueError(f'{self.name}: the last dimension of the input shape '
                             f'{shape_str(shape)} must be defined')
        if self.kernel is None:
            self.kernel = self.addWeight('kernel', [last, self.units], None,
                                         self.kernelInitializer, self.kernelRegularizer, True,
                                         self.kernelConstraint)
            if self.useBias:
                self.bias = self.addWeight('bias', [self.units], None, self.biasInitializer,
                                           self.biasRegularizer, True, self.biasConstraint)
        self.inputSpec = [InputSpec(minNDim=2, axes={-1: last})]
        self.built = True

    def computeOutputShape(self, inputShape: Any) -> Any:
        shape = one_shape(inputShape, self.name)
        return [*shape[:-1], self.units]

    def call(self, inputs: Any, kwargs: dict[str, Any]) -> Tensor:
        x = one_tensor(inputs, self.name)
        fused = _FUSED_ACTIVATIONS.get(self.activation.getClassName())
        kernel = self.kernel.read()
        bias = None if self.bias is None else self.bias.read()

        def run() -> Tensor:
            if fused is not None:
                return dot_last_axis(x, kernel, bias, fused)
            return self.activation.apply(dot_last_axis(x, kernel, bias))

        return ENGINE.tidy(run)

    def getConfig(self) -> dict[str, Any]:
        return {
            'units': self.units,
            'activation': serializeActivation(self.activation),
            'useBias': self.useBias,
            'kernelInitializer': serializeInitializer(self.kernelInitializer),
            'biasInitializer': serializeInitializer(self.biasInitializer),
            'kernelRegularizer': serializeRegularizer(self.kernelRegularizer),
            'biasRegularizer': serializeRegularizer(self.biasRegularizer),
            'activityRegularizer': serializeRegularizer(self.activityRegularizer),
            'kernelConstraint': serializeConstraint(self.kernelConstraint),
            'biasConstraint': serializeConstraint(self.biasConstraint),
            **super().getConfig(),
        }


@registerClass
class Activation(Layer):
    """Applies an activation function."""

    className = 'Activation'
    CONFIG = {'activation': REQUIRED}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        self.supportsMasking = True
        self.activation = getActivation(self._args['activation'])

    def call(self, inputs: Any, kwargs: dict[str, Any]) -> Tensor:
        return self.activation.apply(one_tensor(inputs, self.name))

    def getConfig(self) -> dict[str, Any]:
        return {'activation': serializeActivation(self.activation), **super().getConfig()}


def in_train_phase(kwargs: Mapping[str, Any]) -> bool:
    """The `training` call argument (False when absent)."""
    return bool(kwargs.get('training') or False)


@registerClass
class Dropout(Layer):
    """While training, zeroes inputs at `rate` and scales the rest by
    1 / (1 - rate); `noiseShape` shares the drop pattern along axes of size 1
    (None entries take the input's size)."""

    className = 'Dropout'
    CONFIG = {'rate': REQUIRED, 'noiseShape': None, 'seed': None}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        rate = self._args['rate']
        if isinstance(rate, bool) or not isinstance(rate, int | float):
            raise ValueError(f'{type(self).className}: rate must be a number, got {rate!r}')
        self.rate = max(min(float(rate), 1.0), 0.0)
        noise = self._args['noiseShape']
        self.noiseShape = list(noise) if noise is not None else None
        self.seed = self._args['seed']
        self.supportsMasking = True

    def getNoiseShape(self, x: Tensor) -> list[int] | None:
        if self.noiseShape is None:
            return None
        if len(self.noiseShape) != x.rank:
            raise ValueError(f'{self.name}: noiseShape {shape_str(self.noiseShape)} must have '
                             f'the rank of the input shape {x.shape}')
        return [x.shape[i] if d is None else int(d) for i, d in enumerate(self.noiseShape)]

    def call(self, inputs: Any, kwargs: dict[str, Any]) -> Tensor:
        x = one_tensor(inputs, self.name)
        if 0 < self.rate < 1 and in_train_phase(kwargs):
            return tfc.dropout(x, self.rate, self.getNoiseShape(x), self.seed)
        return x

    def getConfig(self) -> dict[str, Any]:
        return {'rate': self.rate, 'noiseShape': self.noiseShape, 'seed': self.seed,
                **super().getConfig()}


@registerClass
class SpatialDropout1D(Dropout):
    """Dropout of whole channels of a [batch, steps, channels] input."""

    className = 'SpatialDropout1D'

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        self.inputSpec = [InputSpec(ndim=3)]

    def getNoiseShape(self, x: Tensor) -> list[int]:
        return [x.shape[0], 1, x.shape[2]]


def _data_format(value: Any, who: str) -> Any:
    if value is None:
        return None
    value = camel_value(value)
    if value not in ('channelsFirst', 'channelsLast'):
        raise ValueError(f"{who}: invalid dataFormat {value!r}; valid values are "
                         f"'channelsFirst' and 'channelsLast'")
    return value


@registerClass
class Flatten(Layer):
    """[batch, ...] -> [batch, prod(...)]; channelsFirst inputs are moved to
    channels last first, so the order matches Keras."""

    className = 'Flatten'
    CONFIG = {'dataFormat': None}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        self.inputSpec = [InputSpec(minNDim=3)]
        self.dataFormat = _data_format(self._args['dataFormat'], 'Flatten')

    def computeOutputShape(self, inputShape: Any) -> Any:
        shape = one_shape(inputShape, self.name)
        if any(d is None for d in shape[1:]):
            raise ValueError(f'The shape of the input to "Flatten" is not fully defined (got '
                             f'{shape_str(shape[1:])}). Make sure to pass a complete '
                             f'"input_shape" or "batch_input_shape" argument to the first '
                             f'layer in your model.')
        return [shape[0], math.prod(shape[1:])]

    def call(self, inputs: Any, kwargs: dict[str, Any]) -> Tensor:
        x = one_tensor(inputs, self.name)

        def run() -> Tensor:
            y = x
            if self.dataFormat == 'channelsFirst' and y.rank > 1:
                y = tfc.transpose(y, [0, *range(2, y.rank), 1])
            return tfc.reshape(y, [y.shape[0], math.prod(y.shape[1:])])

        return ENGINE.tidy(run)

    def getConfig(self) -> dict[str, Any]:
        config: dict[str, Any] = {}
        if self.dataFormat is not None:
            config['dataFormat'] = self.dataFormat
        return {**config, **super().getConfig()}


@registerClass
class Reshape(Layer):
    """Reshapes the non-batch axes to targetShape (one entry may be -1)."""

    className = 'Reshape'
    CONFIG = {'targetShape': REQUIRED}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        target = self._args['targetShape']
        if not isinstance(target, list | tuple):
            raise ValueError(f'Reshape: targetShape must be a list, got {target!r}')
        self.targetShape = [None if d is None or d < 0 else int(d) for d in target]
        if sum(d is None for d in self.targetShape) > 1:
            raise ValueError(f'Reshape: can only specify one unknown dimension, got '
                             f'targetShape {shape_str(list(target))}')

    def _fix_unknown(self, input_shape: list[int]) -> list[int]:
        final = list(self.targetShape)
        known = math.prod(d for d in final if d is not None)
        size = math.prod(input_shape)
        unknown = [i for i, d in enumerate(final) if d is None]
        message = (f'{self.name}: total size of new array must be unchanged: input shape '
                   f'{shape_str(input_shape)} cannot be reshaped to '
                   f'{shape_str(self.targetShape)}')
        if unknown:
            if known == 0 or size % known:
                raise ValueError(message)
            final[unknown[0]] = size // known
        elif size != known:
            raise ValueError(message)
        return final

    def computeOutputShape(self, inputShape: Any) -> Any:
        shape = one_shape(inputShape, self.name)
        if any(d is None for d in shape[1:]):
            return [shape[0], *self.targetShape]
        return [shape[0], *self._fix_unknown(shape[1:])]

    def call(self, inputs: Any, kwargs: dict[str, Any]) -> Tensor:
        x = one_tensor(inputs, self.name)
        return tfc.reshape(x, [x.shape[0], *self._fix_unknown(x.shape[1:])])

    def getConfig(self) -> dict[str, Any]:
        return {'targetShape': [-1 if d is None else d for d in self.targetShape],
                **super().getConfig()}


@registerClass
class Permute(Layer):
    """Permutes the non-batch axes; dims are 1-based (batch axis excluded)."""

    className = 'Permute'
    CONFIG = {'dims': REQUIRED}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        dims = self._args['dims']
        if not isinstance(dims, list | tuple):
            raise ValueError(f'Permute constructor requires `dims` to be a list, but received '
                             f'{dims!r} instead.')
        if sorted(dims) != list(range(1, len(dims) + 1)):
            raise ValueError(f'Invalid permutation `dims`: {shape_str(list(dims))} `dims` must '
                             f'contain consecutive integers starting from 1.')
        self.dims = [int(d) for d in dims]
        self.inputSpec = [InputSpec(ndim=len(self.dims) + 1)]

    def computeOutputShape(self, inputShape: Any) -> Any:
        shape = one_shape(inputShape, self.name)
        return [shape[0], *(shape[d] for d in self.dims)]

    def call(self, inputs: Any, kwargs: dict[str, Any]) -> Tensor:
        return tfc.transpose(one_tensor(inputs, self.name), [0, *self.dims])

    def getConfig(self) -> dict[str, Any]:
        return {'dims': list(self.dims), **super().getConfig()}


@registerClass
class RepeatVector(Layer):
    """[batch, features] -> [batch, n, features]."""

    className = 'RepeatVector'
    CONFIG = {'n': REQUIRED}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        self.n = check_positive_int(self._args['n'], 'n', 'RepeatVector')
        self.inputSpec = [InputSpec(ndim=2)]

    def computeOutputShape(self, inputShape: Any) -> Any:
        shape = one_shape(inputShape, self.name)
        return [shape[0], self.n, shape[1]]

    def call(self, inputs: Any, kwargs: dict[str, Any]) -> Tensor:
        x = one_tensor(inputs, self.name)
        return ENGINE.tidy(lambda: tfc.tile(tfc.expandDims(x, 1), [1, self.n, 1]))

    def getConfig(self) -> dict[str, Any]:
        return {'n': self.n, **super().getConfig()}


@registerClass
class Masking(Layer):
    """Masks timesteps whose features all equal maskValue: they become zeros,
    and downstream layers (RNNs) receive a mask that skips them."""

    className = 'Masking'
    CONFIG = {'maskValue': 0.0}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        self.supportsMasking = True
        value = self._args['maskValue']
        self.maskValue = 0.0 if value is None else value

    def computeMask(self, inputs: Any, mask: Any = None) -> Tensor:
        x = one_tensor(inputs, self.name)
        return ENGINE.tidy(lambda: tfc.any(tfc.notEqual(x, tfc.scalar(self.maskValue,
                                                                      x.dtype)), -1))

    def call(self, inputs: Any, kwargs: dict[str, Any]) -> Tensor:
        x = one_tensor(inputs, self.name)

        def run() -> Tensor:
            # 1 where some feature differs from maskValue; step keeps it differentiable
            distance = tfc.max(tfc.abs(tfc.sub(x, tfc.scalar(self.maskValue, x.dtype))), -1,
                               True)
            return tfc.mul(x, tfc.step(distance))

        return ENGINE.tidy(run)

    def getConfig(self) -> dict[str, Any]:
        return {'maskValue': self.maskValue, **super().getConfig()}


__all__ = ['Activation', 'Dense', 'Dropout', 'Flatten', 'Masking', 'Permute', 'RepeatVector',
           'Reshape', 'SpatialDropout1D']
