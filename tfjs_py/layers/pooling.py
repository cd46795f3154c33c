"""Pooling layers: max/average pooling in 1, 2 and 3 dimensions and the global
poolings, with tfjs 4.22 configs (tfjs-layers pooling.ts).

Beyond tfjs, as Keras does: the 1D poolings accept `dataFormat`, the global
poolings accept `keepdims`, and globalAveragePooling1d averages only the
unmasked steps when it gets a mask.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..engine.engine import ENGINE
from ..engine.tensor import Tensor
from ..serialization import registerClass
from .base import InputSpec, Layer, one_shape, one_tensor, tfc
from .convolutional import (
    DATA_FORMATS,
    check_option,
    conv_output_length,
    normalize_tuple,
    to_channels_first,
    to_channels_last,
)


def _pool(x: Tensor, mode: str, pool_size: list[int], strides: list[int],
          padding: str) -> Tensor:
    """A channelsLast pooling of rank 2 (NHWC) or 3 (NDHWC)."""
    if len(pool_size) == 2:
        fn = tfc.maxPool if mode == 'max' else tfc.avgPool
    else:
        fn = tfc.maxPool3d if mode == 'max' else tfc.avgPool3d
    return fn(x, pool_size, strides, padding)


class _Pooling(Layer):
    """Shared by the 1D, 2D and 3D poolings."""

    rank = 2
    mode = 'max'
    CONFIG: dict[str, Any] = {'poolSize': None, 'strides': None, 'padding': 'valid',
                                       'dataFormat': 'channelsLast'}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        args = self._args
        owner = self.getClassName()
        pool = args['poolSize']
        self.poolSize = normalize_tuple(2 if pool is None else pool, self.rank, 'poolSize', owner)
        strides = args['strides']
        self.strides = (list(self.poolSize) if strides is None else
                        normalize_tuple(strides, self.rank, 'strides', owner))
        self.padding = check_option(args['padding'] or 'valid', ('valid', 'same'), 'padding',
                                    owner)
        self.dataFormat = check_option(args['dataFormat'] or 'channelsLast', DATA_FORMATS,
                                       'dataFormat', owner)
        self.inputSpec = [InputSpec(ndim=self.rank + 2)]

    def computeOutputShape(self, inputShape: Any) -> list[int | None]:
        shape = list(one_shape(inputShape, self.name))
        first = 2 if self.dataFormat == 'channelsFirst' else 1
        for i in range(self.rank):
            shape[first + i] = conv_output_length(shape[first + i], self.poolSize[i],
                                                  self.padding, self.strides[i])
        return shape

    def call(self, inputs: Any, kwargs: dict[str, Any]) -> Tensor:
        return ENGINE.tidy(lambda: self._call(inputs, kwargs))

    def _call(self, inputs: Any, kwargs: dict[str, Any]) -> Tensor:
        x = one_tensor(inputs, self.name)
        if x.rank != self.rank + 2:
            raise ValueError(f'{self.getClassName()} expects an input of rank {self.rank + 2}, '
                             f'got shape {x.shape}')
        if self.dataFormat == 'channelsFirst':
            x = to_channels_last(x)
        if self.rank == 1:
            y = _pool(tfc.expandDims(x, 2), self.mode, [self.poolSize[0], 1],
                      [self.strides[0], 1], self.padding)
            y = tfc.squeeze(y, [2])
        else:
            y = _pool(x, self.mode, self.poolSize, self.strides, self.padding)
        return to_channels_first(y) if self.dataFormat == 'channelsFirst' else y

    def getConfig(self) -> dict[str, Any]:
        config = {'poolSize': list(self.poolSize), 'padding': self.padding,
                  'strides': list(self.strides), 'dataFormat': self.dataFormat}
        config.update(super().getConfig())
        return config


class _Pooling1D(_Pooling):
    rank = 1

    def getConfig(self) -> dict[str, Any]:
        config = super().getConfig()
        # tfjs' 1D poolings have no dataFormat; keep it only when it matters.
        if self.dataFormat == 'channelsLast':
            del config['dataFormat']
        return config


@registerClass
class MaxPooling1D(_Pooling1D):
    className = 'MaxPooling1D'
    mode = 'max'


@registerClass
class AveragePooling1D(_Pooling1D):
    className = 'AveragePooling1D'
    mode = 'avg'


@registerClass
class MaxPooling2D(_Pooling):
    className = 'MaxPooling2D'
    rank = 2
    mode = 'max'


@registerClass
class AveragePooling2D(_Pooling):
    className = 'AveragePooling2D'
    rank = 2
    mode = 'avg'


@registerClass
class MaxPooling3D(_Pooling):
    className = 'MaxPooling3D'
    rank = 3
    mode = 'max'


@registerClass
class AveragePooling3D(_Pooling):
    className = 'AveragePooling3D'
    rank = 3
    mode = 'avg'


class _GlobalPooling(Layer):
    """Reduces every spatial axis with mean or max."""

    rank = 1
    mode = 'avg'
    CONFIG: dict[str, Any] = {'dataFormat': 'channelsLast', 'keepdims': False}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        args = self._args
        self.dataFormat = check_option(args['dataFormat'] or 'channelsLast', DATA_FORMATS,
                                       'dataFormat', self.getClassName())
        self.keepdims = bool(args['keepdims'])
        self.inputSpec = [InputSpec(ndim=self.rank + 2)]

    def _axes(self) -> list[int]:
        first = 2 if self.dataFormat == 'channelsFirst' else 1
        return list(range(first, first + self.rank))

    def computeOutputShape(self, inputShape: Any) -> list[int | None]:
        shape = list(one_shape(inputShape, self.name))
        axes = self._axes()
        if self.keepdims:
            return [1 if i in axes else d for i, d in enumerate(shape)]
        return [d for i, d in enumerate(shape) if i not in axes]

    def call(self, inputs: Any, kwargs: dict[str, Any]) -> Tensor:
        return ENGINE.tidy(lambda: self._call(inputs, kwargs))

    def _call(self, inputs: Any, kwargs: dict[str, Any]) -> Tensor:
        x = one_tensor(inputs, self.name)
        if x.rank != self.rank + 2:
            raise ValueError(f'{self.getClassName()} expects an input of rank {self.rank + 2}, '
                             f'got shape {x.shape}')
        fn = tfc.mean if self.mode == 'avg' else tfc.max
        return fn(x, self._axes(), self.keepdims)

    def getConfig(self) -> dict[str, Any]:
        config: dict[str, Any] = {}
        if self.rank > 1 or self.dataFormat != 'channelsLast':
            config['dataFormat'] = self.dataFormat
        if self.keepdims:
            config['keepdims'] = True
        config.update(super().getConfig())
        return config


@registerClass
class GlobalAveragePooling1D(_GlobalPooling):
    """Mean over the steps; with a mask (e.g. from an embedding with maskZero),
    the mean of the unmasked steps, as Keras (tfjs refuses masks here)."""

    className = 'GlobalAveragePooling1D'
    rank = 1
    mode = 'avg'

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        self.supportsMasking = True

    def computeMask(self, inputs: Any, mask: Any = None) -> None:
        return None

    def _call(self, inputs: Any, kwargs: dict[str, Any]) -> Tensor:
        mask = kwargs.get('mask')
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        if mask is None:
            return super()._call(inputs, kwargs)
        x = one_tensor(inputs, self.name)
        steps = 2 if self.dataFormat == 'channelsFirst' else 1
        shape = [x.shape[0], 1, x.shape[2]] if steps == 2 else [x.shape[0], x.shape[1], 1]
        weights = tfc.reshape(tfc.cast(mask, 'float32'), shape)
        total = tfc.sum(tfc.mul(x, weights), steps, self.keepdims)
        return tfc.div(total, tfc.sum(weights, steps, self.keepdims))


@registerClass
class GlobalMaxPooling1D(_GlobalPooling):
    className = 'GlobalMaxPooling1D'
    rank = 1
    mode = 'max'


@registerClass
class GlobalAveragePooling2D(_GlobalPooling):
    className = 'GlobalAveragePooling2D'
    rank = 2
    mode = 'avg'


@registerClass
class GlobalMaxPooling2D(_GlobalPooling):
    className = 'GlobalMaxPooling2D'
    rank = 2
    mode = 'max'
