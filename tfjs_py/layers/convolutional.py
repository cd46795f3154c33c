"""Convolutional layers: conv1d, conv2d, conv3d, conv2dTranspose, conv3dTranspose,
separableConv2d, depthwiseConv2d, cropping2D, upSampling2d.

Weights, config keys and defaults follow tfjs 4.22 (tfjs-layers convolutional.ts,
convolutional_depthwise.ts). Where tfjs is wrong we do it right and say so:
- separableConv2d keeps `depthMultiplier` in getConfig() and honours
  `pointwiseInitializer` (tfjs drops the first and initialises the pointwise
  kernel with the depthwise initializer);
- separableConv2d with channelsFirst and a bias works (tfjs adds the bias on
  the wrong axis and throws);
- depthwiseConv2d honours `dilationRate` and serializes its own constraint;
- conv1d honours channelsFirst (tfjs returns NWC) and `padding: 'causal'`
  (tfjs throws), as Keras does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .. import activations, constraints, initializers, regularizers
from .._naming import REQUIRED, Namespace
from ..engine.engine import ENGINE
from ..engine.tensor import Tensor
from ..ops import NAMESPACES
from ..ops.conv import fused_conv2d
from ..serialization import registerClass
from .base import InputSpec, Layer, one_shape, one_tensor, tfc
from .core import _FUSED_ACTIVATIONS

IMAGE = Namespace('tf.image', NAMESPACES.setdefault('image', {}))

DATA_FORMATS = ('channelsFirst', 'channelsLast')
PADDING_MODES = ('valid', 'same', 'causal')


def check_option(value: Any, allowed: Sequence[str], what: str, owner: str) -> str:
    """A string option in tfjs' camelCase; Keras' snake_case is accepted."""
    camel = value
    if isinstance(value, str) and '_' in value:
        head, *rest = value.split('_')
        camel = head + ''.join(p[:1].upper() + p[1:] for p in rest)
    if camel not in allowed:
        raise ValueError(f'{owner}: invalid {what} {value!r}; valid values are '
                         f'{", ".join(repr(a) for a in allowed)}')
    return camel


def normalize_tuple(value: Any, n: int, name: str, owner: str) -> list[int]:
    """An int or a list of n ints (tfjs' normalizeArray); each must be a positive int."""
    if isinstance(value, bool):
        raise ValueError(f'{owner}: {name} must be an integer or a list of {n} integers, '
                         f'got {value!r}')
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        values = [value] * n
    elif isinstance(value, Sequence) and not isinstance(value, str):
        values = list(value)
        if len(values) != n:
            raise ValueError(f'{owner}: the {name} argument must be an integer or a list of '
                             f'{n} integers; received {len(values)} elements: {values}')
    else:
        raise ValueError(f'{owner}: {name} must be an integer or a list of {n} integers, '
                         f'got {value!r}')
    out = []
    for v in values:
        if isinstance(v, bool) or not isinstance(v, (int, float)) or int(v) != v or v < 1:
            raise ValueError(f'{owner}: {name} must hold positive integers, got {values}')
        out.append(int(v))
    return out


def conv_output_length(length: int | None, kernel: int, padding: str, stride: int,
                       dilation: int = 1) -> int | None:
    """Spatial output length of a convolution or pooling (None stays None)."""
    if length is None:
        return None
    dilated = kernel + (kernel - 1) * (dilation - 1)
    out = length if padding in ('same', 'causal') else length - dilated + 1
    return (out + stride - 1) // stride


def deconv_length(length: int | None, stride: int, kernel: int, padding: str) -> int | None:
    """Spatial output length of a transposed convolution (None stays None)."""
    if length is None:
        return None
    if padding == 'valid':
        return length * stride + max(kernel - stride, 0)
    return length * stride


def bias_add(x: Tensor, bias: Tensor, data_format: str = 'channelsLast') -> Tensor:
    """x + bias along the channel axis of data_format."""
    if data_format == 'channelsFirst' and x.rank > 2:
        return tfc.add(x, tfc.reshape(bias, [1, bias.shape[0]] + [1] * (x.rank - 2)))
    return tfc.add(x, bias)


def to_channels_last(x: Tensor) -> Tensor:
    return tfc.transpose(x, [0, *range(2, x.rank), 1])


def to_channels_first(x: Tensor) -> Tensor:
    return tfc.transpose(x, [0, x.rank - 1, *range(1, x.rank - 1)])


class BaseConv(Layer):
    """Shared by the convolutions: kernel size, strides, padding, data format,
    dilation, activation and bias (tfjs' BaseConv)."""

    rank = 2
    DEFAULT_KERNEL_INITIALIZER = 'glorotNormal'
    DEFAULT_BIAS_INITIALIZER = 'zeros'
    CONFIG: dict[str, Any] = {
        'kernelSize': REQUIRED, 'strides': 1, 'padding': 'valid', 'dataFormat': 'channelsLast',
        'dilationRate': 1, 'activation': None, 'useBias': True, 'biasInitializer': None,
        'biasConstraint': None, 'biasRegularizer': None, 'activityRegularizer': None,
    }

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        args = self._args
        owner = self.getClassName()
        rank = self.rank
        self.kernelSize = normalize_tuple(args['kernelSize'], rank, 'kernelSize', owner)
        self.strides = normalize_tuple(args['strides'], rank, 'strides', owner)
        self.padding = check_option(args['padding'], PADDING_MODES, 'padding', owner)
        if self.padding == 'causal' and rank != 1:
            raise ValueError(f"{owner}: padding 'causal' is only supported by 1D convolutions")
        self.dataFormat = check_option(args['dataFormat'] or 'channelsLast', DATA_FORMATS,
                                       'dataFormat', owner)
        self.dilationRate = normalize_tuple(args['dilationRate'], rank, 'dilationRate', owner)
        if any(s > 1 for s in self.strides) and any(d > 1 for d in self.dilationRate):
            raise ValueError(f'{owner}: strides > 1 and dilationRate > 1 cannot be combined '
                             f'(strides {self.strides}, dilationRate {self.dilationRate})')
        self.activation = activations.getActivation(args['activation'])
        self.useBias = bool(args['useBias'])
        self.biasInitializer = initializers.getInitializer(
            args['biasInitializer'] or self.DEFAULT_BIAS_INITIALIZER)
        self.biasConstraint = constraints.getConstraint(args['biasConstraint'])
        self.biasRegularizer = regularizers.getRegularizer(args['biasRegularizer'])
        self.activityRegularizer = regularizers.getRegularizer(args['activityRegularizer'])
        self.bias = None

    def _channel_axis(self, ndim: int) -> int:
        return 1 if self.dataFormat == 'channelsFirst' else ndim - 1

    def _input_dim(self, input_shape: list[int | None]) -> int:
        if len(input_shape) != self.rank + 2:
            raise ValueError(f'{self.getClassName()} expects inputs of rank {self.rank + 2}, '
                             f'but got input shape {list(input_shape)}')
        dim = input_shape[self._channel_axis(len(input_shape))]
        if dim is None or dim < 0:
            raise ValueError(f'{self.getClassName()}: the channel dimension of the input '
                             f'should be defined; found {dim} in {list(input_shape)}')
        return int(dim)

    def _space(self, input_shape: list[int | None]) -> list[int | None]:
        if self.dataFormat == 'channelsLast':
            return list(input_shape[1:-1])
        return list(input_shape[2:])

    def _with_space(self, input_shape: list[int | None], space: list[int | None],
                    channels: int | None) -> list[int | None]:
        if self.dataFormat == 'channelsLast':
            return [input_shape[0], *space, channels]
        return [input_shape[0], channels, *space]

    def _finish(self, y: Tensor) -> Tensor:
        """Bias (in NHWC order), back to channelsFirst if needed, activation."""
        if self.bias is not None:
            y = tfc.add(y, self.bias.read())
        if self.dataFormat == 'channelsFirst':
            y = to_channels_first(y)
        return self.activation.apply(y)

    def getConfig(self) -> dict[str, Any]:
        config = {
            'kernelSize': list(self.kernelSize),
            'strides': list(self.strides),
            'padding': self.padding,
            'dataFormat': self.dataFormat,
            'dilationRate': list(self.dilationRate),
            'activation': activations.serializeActivation(self.activation),
            'useBias': self.useBias,
            'biasInitializer': initializers.serializeInitializer(self.biasInitializer),
            'biasRegularizer': regularizers.serializeRegularizer(self.biasRegularizer),
            'activityRegularizer': regularizers.serializeRegularizer(self.activityRegularizer),
            'biasConstraint': constraints.serializeConstraint(self.biasConstraint),
        }
        config.update(super().getConfig())
        return config


class Conv(BaseConv):
    """A convolution with `filters` output channels and a [*kernelSize, in, filters] kernel."""

    # groups: Keras' grouped convolution, which tfjs lacks; only 1 is accepted so a
    # Keras model that needs more fails loudly instead of computing something else.
    CONFIG = {**BaseConv.CONFIG, 'filters': REQUIRED, 'kernelInitializer': None,
              'kernelConstraint': None, 'kernelRegularizer': None, 'groups': 1}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        args = self._args
        filters = args['filters']
        if isinstance(filters, bool) or not isinstance(filters, int) or filters < 1:
            raise ValueError(f"{self.getClassName()} expected config.filters to be a positive "
                             f"integer but got {filters!r}")
        self.filters = filters
        if args['groups'] not in (None, 1):
            raise ValueError(f"{self.getClassName()}: grouped convolutions (groups="
                             f"{args['groups']!r}) are not supported; groups must be 1")
        self.kernelInitializer = initializers.getInitializer(
            args['kernelInitializer'] or self.DEFAULT_KERNEL_INITIALIZER)
        self.kernelConstraint = constraints.getConstraint(args['kernelConstraint'])
        self.kernelRegularizer = regularizers.getRegularizer(args['kernelRegularizer'])
        self.kernel = None
        self.inputSpec = [InputSpec(ndim=self.rank + 2)]

    def _kernel_shape(self, input_dim: int) -> list[int]:
        return [*self.kernelSize, input_dim, self.filters]

    def build(self, inputShape: Any) -> None:
        input_shape = one_shape(inputShape, self.name)
        input_dim = self._input_dim(input_shape)
        self.kernel = self.addWeight('kernel', self._kernel_shape(input_dim), 'float32',
                                     self.kernelInitializer, self.kernelRegularizer, True,
                                     self.kernelConstraint)
        if self.useBias:
            self.bias = self.addWeight('bias', [self.filters], 'float32', self.biasInitializer,
                                       self.biasRegularizer, True, self.biasConstraint)
        self.inputSpec = [InputSpec(ndim=self.rank + 2,
                                    axes={self._channel_axis(self.rank + 2): input_dim})]
        self.built = True

    def _convolve(self, x: Tensor) -> Tensor:
        kernel = self.kernel.read()
        if self.rank == 1:
            padding = self.padding
            if padding == 'causal':
                left = (self.kernelSize[0] - 1) * self.dilationRate[0]
                x = tfc.pad(x, [[0, 0], [left, 0], [0, 0]])
                padding = 'valid'
            return tfc.conv1d(x, kernel, self.strides[0], padding, 'NWC', self.dilationRate[0])
        if self.rank == 2:
            return tfc.conv2d(x, kernel, self.strides, self.padding, 'NHWC', self.dilationRate)
        return tfc.conv3d(x, kernel, self.strides, self.padding, 'NDHWC', self.dilationRate)

    def call(self, inputs: Any, kwargs: dict[str, Any]) -> Tensor:
        return ENGINE.tidy(lambda: self._call(inputs, kwargs))

    def _call(self, inputs: Any, kwargs: dict[str, Any]) -> Tensor:
        x = one_tensor(inputs, self.name)
        if x.rank != self.rank + 2:
            raise ValueError(f'{self.getClassName()} expects an input of rank {self.rank + 2}, '
                             f'got shape {x.shape}')
        if self.dataFormat == 'channelsFirst':
            x = to_channels_last(x)
        return self._conv_bias_activation(x)

    def _conv_bias_activation(self, x: Tensor) -> Tensor:
        """The layer's output from a channels-last input."""
        return self._finish(self._convolve(x))

    def computeOutputShape(self, inputShape: Any) -> list[int | None]:
        input_shape = one_shape(inputShape, self.name)
        space = [conv_output_length(d, k, self.padding, s, r) for d, k, s, r in zip(
            self._space(input_shape), self.kernelSize, self.strides, self.dilationRate,
            strict=True)]
        return self._with_space(input_shape, space, self.filters)

    def getConfig(self) -> dict[str, Any]:
        config = {
            'filters': self.filters,
            'kernelInitializer': initializers.serializeInitializer(self.kernelInitializer),
            'kernelRegularizer': regularizers.serializeRegularizer(self.kernelRegularizer),
            'kernelConstraint': constraints.serializeConstraint(self.kernelConstraint),
        }
        config.update(super().getConfig())
        return config


@registerClass
class Conv1D(Conv):
    """1D convolution over [batch, steps, channels] (tfjs omits dataFormat from its config)."""

    className = 'Conv1D'
    rank = 1

    def getConfig(self) -> dict[str, Any]:
        config = super().getConfig()
        if self.dataFormat == 'channelsLast':
            del config['dataFormat']
        return config


@registerClass
class Conv2D(Conv):
    className = 'Conv2D'
    rank = 2

    def _conv_bias_activation(self, x: Tensor) -> Tensor:
        fused = _FUSED_ACTIVATIONS.get(self.activation.getClassName())
        if fused is None:
            return super()._conv_bias_activation(x)
        # As tfjs' conv2dWithBiasActivation: conv, bias and activation in one
        # fused kernel, channels last (channelsFirst transposes around it).
        y = fused_conv2d({'x': x, 'filter': self.kernel.read(), 'strides': self.strides,
                          'pad': self.padding, 'dataFormat': 'NHWC',
                          'dilations': self.dilationRate,
                          'bias': None if self.bias is None else self.bias.read(),
                          'activation': fused})
        return to_channels_first(y) if self.dataFormat == 'channelsFirst' else y


@registerClass
class Conv3D(Conv):
    className = 'Conv3D'
    rank = 3


class _ConvTranspose(Conv):
    """Transposed convolution; kernel [*kernelSize, filters, in]; no dilation."""

    # Keras' outputPadding is not in tfjs; only None is accepted (see groups).
    CONFIG = {'outputPadding': None}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        if self.padding not in ('same', 'valid'):
            raise ValueError(f"{self.getClassName()} supports only padding modes 'same' and "
                             f"'valid', but received padding mode {self.padding!r}")
        if any(d != 1 for d in self.dilationRate):
            raise ValueError(f'{self.getClassName()} does not support dilationRate other than '
                             f'1, got {self.dilationRate}')
        if self._args['outputPadding'] is not None:
            raise ValueError(f'{self.getClassName()}: outputPadding is not supported; it must '
                             f'be None')

    def _kernel_shape(self, input_dim: int) -> list[int]:
        return [*self.kernelSize, self.filters, input_dim]

    def _convolve(self, x: Tensor) -> Tensor:
        space = [deconv_length(d, s, k, self.padding) for d, s, k in zip(
            x.shape[1:-1], self.strides, self.kernelSize, strict=True)]
        out_shape = [x.shape[0], *space, self.filters]
        if self.rank == 2:
            return tfc.conv2dTranspose(x, self.kernel.read(), out_shape, self.strides,
                                      self.padding)
        return tfc.conv3dTranspose(x, self.kernel.read(), out_shape, self.strides, self.padding)

    def computeOutputShape(self, inputShape: Any) -> list[int | None]:
        input_shape = one_shape(inputShape, self.name)
        space = [deconv_length(d, s, k, self.padding) for d, s, k in zip(
            self._space(input_shape), self.strides, self.kernelSize, strict=True)]
        return self._with_space(input_shape, space, self.filters)

    def getConfig(self) -> dict[str, Any]:
        config = super().getConfig()
        del config['dilationRate']
        return config


@registerClass
class Conv2DTranspose(_ConvTranspose):
    className = 'Conv2DTranspose'
    rank = 2


@registerClass
class Conv3DTranspose(_ConvTranspose):
    className = 'Conv3DTranspose'
    rank = 3


@registerClass
class SeparableConv2D(Conv):
    """Depthwise then pointwise convolution. Weights: depthwise_kernel
    [kh, kw, in, depthMultiplier], pointwise_kernel [1, 1, in * depthMultiplier,
    filters], bias [filters]."""

    className = 'SeparableConv2D'
    rank = 2
    CONFIG = {**Conv.CONFIG, 'depthMultiplier': 1,
                       'depthwiseInitializer': None, 'pointwiseInitializer': None,
                       'depthwiseRegularizer': None, 'pointwiseRegularizer': None,
                       'depthwiseConstraint': None, 'pointwiseConstraint': None}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        args = self._args
        if any(args[k] is not None for k in (
                'kernelInitializer', 'kernelRegularizer', 'kernelConstraint')):
            raise ValueError('SeparableConv2D: fields kernelInitializer, kernelRegularizer and '
                             'kernelConstraint are invalid; use depthwiseInitializer, '
                             'depthwiseRegularizer, depthwiseConstraint, pointwiseInitializer, '
                             'pointwiseRegularizer and pointwiseConstraint instead.')
        if self.padding not in ('same', 'valid'):
            raise ValueError(f"SeparableConv2D supports only padding modes 'same' and 'valid', "
                             f"but received {self.padding!r}")
        dm = args['depthMultiplier']
        if isinstance(dm, bool) or not isinstance(dm, int) or dm < 1:
            raise ValueError(f'SeparableConv2D: depthMultiplier must be a positive integer, '
                             f'got {dm!r}')
        self.depthMultiplier = dm
        self.depthwiseInitializer = initializers.getInitializer(
            args['depthwiseInitializer'] or 'glorotUniform')
        self.pointwiseInitializer = initializers.getInitializer(
            args['pointwiseInitializer'] or 'glorotUniform')
        self.depthwiseRegularizer = regularizers.getRegularizer(args['depthwiseRegularizer'])
        self.pointwiseRegularizer = regularizers.getRegularizer(args['pointwiseRegularizer'])
        self.depthwiseConstraint = constraints.getConstraint(args['depthwiseConstraint'])
        self.pointwiseConstraint = constraints.getConstraint(args['pointwiseConstraint'])
        self.depthwiseKernel = None
        self.pointwiseKernel = None

    def build(self, inputShape: Any) -> None:
        input_shape = one_shape(inputShape, self.name)
        input_dim = self._input_dim(input_shape)
        self.depthwiseKernel = self.addWeight(
            'depthwise_kernel', [*self.kernelSize, input_dim, self.depthMultiplier], 'float32',
            self.depthwiseInitializer, self.depthwiseRegularizer, True, self.depthwiseConstraint)
        self.pointwiseKernel = self.addWeight(
            'pointwise_kernel', [1, 1, input_dim * self.depthMultiplier, self.filters],
            'float32', self.pointwiseInitializer, self.pointwiseRegularizer, True,
            self.pointwiseConstraint)
        if self.useBias:
            self.bias = self.addWeight('bias', [self.filters], 'float32', self.biasInitializer,
                                       self.biasRegularizer, True, self.biasConstraint)
        self.inputSpec = [InputSpec(ndim=4, axes={self._channel_axis(4): input_dim})]
        self.built = True

    def _convolve(self, x: Tensor) -> Tensor:
        return tfc.separableConv2d(x, self.depthwiseKernel.read(), self.pointwiseKernel.read(),
                                  self.strides, self.padding, self.dilationRate, 'NHWC')

    def getConfig(self) -> dict[str, Any]:
        config = super().getConfig()
        for key in ('kernelInitializer', 'kernelRegularizer', 'kernelConstraint'):
            del config[key]
        config.update({
            'depthMultiplier': self.depthMultiplier,
            'depthwiseInitializer': initializers.serializeInitializer(self.depthwiseInitializer),
            'pointwiseInitializer': initializers.serializeInitializer(self.pointwiseInitializer),
            'depthwiseRegularizer': regularizers.serializeRegularizer(self.depthwiseRegularizer),
            'pointwiseRegularizer': regularizers.serializeRegularizer(self.pointwiseRegularizer),
            'depthwiseConstraint': constraints.serializeConstraint(self.depthwiseConstraint),
            'pointwiseConstraint': constraints.serializeConstraint(self.pointwiseConstraint),
        })
        return config


@registerClass
class DepthwiseConv2D(BaseConv):
    """Per-channel convolution: depthwise_kernel [kh, kw, in, depthMultiplier],
    bias [in * depthMultiplier]."""

    className = 'DepthwiseConv2D'
    rank = 2
    CONFIG = {**BaseConv.CONFIG, 'depthMultiplier': 1,
                       'depthwiseInitializer': None, 'depthwiseConstraint': None,
                       'depthwiseRegularizer': None}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        args = self._args
        dm = args['depthMultiplier']
        if isinstance(dm, bool) or not isinstance(dm, int) or dm < 1:
            raise ValueError(f'DepthwiseConv2D: depthMultiplier must be a positive integer, '
                             f'got {dm!r}')
        self.depthMultiplier = dm
        self.depthwiseInitializer = initializers.getInitializer(
            args['depthwiseInitializer'] or self.DEFAULT_KERNEL_INITIALIZER)
        self.depthwiseConstraint = constraints.getConstraint(args['depthwiseConstraint'])
        self.depthwiseRegularizer = regularizers.getRegularizer(args['depthwiseRegularizer'])
        self.depthwiseKernel = None
        self.inputSpec = [InputSpec(ndim=4)]

    def build(self, inputShape: Any) -> None:
        input_shape = one_shape(inputShape, self.name)
        input_dim = self._input_dim(input_shape)
        self.depthwiseKernel = self.addWeight(
            'depthwise_kernel', [*self.kernelSize, input_dim, self.depthMultiplier], 'float32',
            self.depthwiseInitializer, self.depthwiseRegularizer, True, self.depthwiseConstraint)
        if self.useBias:
            self.bias = self.addWeight('bias', [input_dim * self.depthMultiplier], 'float32',
                                       self.biasInitializer, self.biasRegularizer, True,
                                       self.biasConstraint)
        self.inputSpec = [InputSpec(ndim=4, axes={self._channel_axis(4): input_dim})]
        self.built = True

    def call(self, inputs: Any, kwargs: dict[str, Any]) -> Tensor:
        return ENGINE.tidy(lambda: self._call(inputs, kwargs))

    def _call(self, inputs: Any, kwargs: dict[str, Any]) -> Tensor:
        x = one_tensor(inputs, self.name)
        if x.rank != 4:
            raise ValueError(f'DepthwiseConv2D expects an input of rank 4, got shape {x.shape}')
        if self.dataFormat == 'channelsFirst':
            x = to_channels_last(x)
        y = tfc.depthwiseConv2d(x, self.depthwiseKernel.read(), self.strides, self.padding,
                               'NHWC', self.dilationRate)
        return self._finish(y)

    def computeOutputShape(self, inputShape: Any) -> list[int | None]:
        input_shape = one_shape(inputShape, self.name)
        channels = input_shape[self._channel_axis(len(input_shape))]
        out_channels = None if channels is None else channels * self.depthMultiplier
        space = [conv_output_length(d, k, self.padding, s, r) for d, k, s, r in zip(
            self._space(input_shape), self.kernelSize, self.strides, self.dilationRate,
            strict=True)]
        return self._with_space(input_shape, space, out_channels)

    def getConfig(self) -> dict[str, Any]:
        config = super().getConfig()
        config.update({
            'depthMultiplier': self.depthMultiplier,
            'depthwiseInitializer': initializers.serializeInitializer(self.depthwiseInitializer),
            'depthwiseRegularizer': regularizers.serializeRegularizer(self.depthwiseRegularizer),
            'depthwiseConstraint': constraints.serializeConstraint(self.depthwiseConstraint),
        })
        return config


def _cropping_pairs(value: Any) -> list[list[int]]:
    """tfjs' three spellings: n, [h, w] (symmetric), [[top, bottom], [left, right]]."""
    def non_negative(v: Any) -> int:
        if isinstance(v, bool) or not isinstance(v, (int, float)) or int(v) != v or v < 0:
            raise ValueError(f'Cropping2D: cropping must hold non-negative integers, got '
                             f'{value!r}')
        return int(v)

    if isinstance(value, (int, float)) and not isinstance(value, bool):
        n = non_negative(value)
        return [[n, n], [n, n]]
    if isinstance(value, Sequence) and len(value) == 2:
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
            h, w = (non_negative(v) for v in value)
            return [[h, h], [w, w]]
        if all(isinstance(v, Sequence) and len(v) == 2 for v in value):
            return [[non_negative(a) for a in v] for v in value]
    raise ValueError(f'Cropping2D: cropping must be an integer, a list of 2 integers or a list '
                     f'of 2 lists of 2 integers, got {value!r}')


@registerClass
class Cropping2D(Layer):
    """Crops rows and columns off a 4D image tensor."""

    className = 'Cropping2D'
    CONFIG = {'cropping': REQUIRED, 'dataFormat': 'channelsLast'}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        args = self._args
        self.cropping = _cropping_pairs(args['cropping'])
        self.dataFormat = check_option(args['dataFormat'] or 'channelsLast', DATA_FORMATS,
                                       'dataFormat', 'Cropping2D')
        self.inputSpec = [InputSpec(ndim=4)]

    def _axes(self) -> tuple[int, int]:
        return (2, 3) if self.dataFormat == 'channelsFirst' else (1, 2)

    def computeOutputShape(self, inputShape: Any) -> list[int | None]:
        shape = list(one_shape(inputShape, self.name))
        for axis, (a, b) in zip(self._axes(), self.cropping, strict=True):
            if shape[axis] is not None:
                shape[axis] = shape[axis] - a - b
        return shape

    def call(self, inputs: Any, kwargs: dict[str, Any]) -> Tensor:
        return ENGINE.tidy(lambda: self._call(inputs, kwargs))

    def _call(self, inputs: Any, kwargs: dict[str, Any]) -> Tensor:
        x = one_tensor(inputs, self.name)
        begin, size = [0] * x.rank, list(x.shape)
        for axis, (a, b) in zip(self._axes(), self.cropping, strict=True):
            if a + b >= x.shape[axis]:
                raise ValueError(f'Cropping2D: cropping {self.cropping} removes all of axis '
                                 f'{axis} of the input of shape {x.shape}')
            begin[axis], size[axis] = a, x.shape[axis] - a - b
        return tfc.slice(x, begin, size)

    def getConfig(self) -> dict[str, Any]:
        config = {'cropping': [list(p) for p in self.cropping], 'dataFormat': self.dataFormat}
        config.update(super().getConfig())
        return config


@registerClass
class UpSampling2D(Layer):
    """Repeats rows and columns `size` times (nearest) or resizes bilinearly."""

    className = 'UpSampling2D'
    CONFIG = {'size': None, 'dataFormat': 'channelsLast', 'interpolation': 'nearest'}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        args = self._args
        self.size = normalize_tuple([2, 2] if args['size'] is None else args['size'], 2, 'size',
                                    'UpSampling2D')
        self.dataFormat = check_option(args['dataFormat'] or 'channelsLast', DATA_FORMATS,
                                       'dataFormat', 'UpSampling2D')
        self.interpolation = check_option(args['interpolation'] or 'nearest',
                                          ('nearest', 'bilinear'), 'interpolation',
                                          'UpSampling2D')
        self.inputSpec = [InputSpec(ndim=4)]

    def computeOutputShape(self, inputShape: Any) -> list[int | None]:
        shape = list(one_shape(inputShape, self.name))
        axes = (2, 3) if self.dataFormat == 'channelsFirst' else (1, 2)
        for axis, factor in zip(axes, self.size, strict=True):
            shape[axis] = None if shape[axis] is None else shape[axis] * factor
        return shape

    def call(self, inputs: Any, kwargs: dict[str, Any]) -> Tensor:
        return ENGINE.tidy(lambda: self._call(inputs, kwargs))

    def _call(self, inputs: Any, kwargs: dict[str, Any]) -> Tensor:
        x = one_tensor(inputs, self.name)
        if self.dataFormat == 'channelsFirst':
            x = to_channels_last(x)
        size = [x.shape[1] * self.size[0], x.shape[2] * self.size[1]]
        if self.interpolation == 'nearest':
            y = IMAGE.resizeNearestNeighbor(x, size)
        else:
            y = IMAGE.resizeBilinear(x, size)
        return to_channels_first(y) if self.dataFormat == 'channelsFirst' else y

    def getConfig(self) -> dict[str, Any]:
        config = {'size': list(self.size), 'dataFormat': self.dataFormat,
                  'interpolation': self.interpolation}
        config.update(super().getConfig())
        return config
