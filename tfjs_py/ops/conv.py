"""Convolutions: conv1d, conv2d, conv2dTranspose, conv3d, conv3dTranspose,
depthwiseConv2d, separableConv2d; tf.fused.conv2d and tf.fused.depthwiseConv2d.

Each op validates its arguments with tfjs' messages, computes the geometry
once (ops/conv_util.py) and hands it to the kernel as attrs['convInfo'].
An input without the batch axis is accepted where tfjs accepts it. Beyond
tfjs: int32/bool inputs are cast to float32 (tfjs refuses them, but Python
ints make int32 tensors), conv1d takes 'NCW', conv3d 'NCDHW',
separableConv2d 'NCHW', depthwiseConv2d really honours 'NCHW' (tfjs' cpu
kernel reads it as NHWC), and the fused ops default leakyreluAlpha to 0.2
(tfjs' cpu kernel gives NaN without it).
"""

from __future__ import annotations

import numbers
from typing import Any

from .._naming import REQUIRED, normalize_config
from ..engine.engine import ENGINE
from ..engine.scope import TAPES
from ..engine.tensor import Tensor
from .broadcast import broadcast_shape
from .conv_util import (
    ConvInfo,
    channels_last,
    check_pad_on_rounding,
    check_strides_and_dilations,
    conv_info,
    parse_tuple,
)
from .elementwise import add, elu, leakyRelu, prelu, relu, relu6, sigmoid
from .op import cast_to, convert, op, run_kernel
from .shape import reshape

FUSED_ACTIVATIONS = ('linear', 'relu', 'relu6', 'elu', 'prelu', 'leakyrelu', 'sigmoid')


def float_input(x: Any, arg: str, fn: str) -> Tensor:
    """A float32 tensor: TensorLike values parse as float32, int32/bool cast."""
    t = convert(x, arg, fn, 'float32')
    if t.dtype == 'float32':
        return t
    if t.dtype in ('int32', 'bool'):
        return cast_to(t, 'float32')
    raise TypeError(f"Argument '{arg}' passed to '{fn}' must be a float32 tensor, but got a "
                    f"{t.dtype} tensor")


def batched_shape(x: Tensor, rank: int, fn: str, what: str = 'input') -> tuple[int, ...]:
    """x's shape with the batch axis (x may lack it); refuses other ranks."""
    if x.rank == rank - 1:
        return (1, *x._shape)
    if x.rank != rank:
        raise ValueError(f'Error in {fn}: {what} must be rank {rank}, but got rank {x.rank}.')
    return x._shape


def run_batched(kernel: str, x: Tensor, others: tuple, attrs: dict, rank: int) -> Tensor:
    """Run a kernel on x given with or without its batch axis."""
    if x.rank == rank:
        return run_kernel(kernel, (x, *others), attrs)
    out = run_kernel(kernel, (reshape(x, (1, *x._shape)), *others), attrs)
    return reshape(out, out._shape[1:])


def _filter(f: Tensor, rank: int, fn: str, what: str = 'filter') -> None:
    if f.rank != rank:
        raise ValueError(f'Error in {fn}: {what} must be rank {rank}, but got rank {f.rank}.')


def _conv_attrs(info: ConvInfo, strides: tuple, pad: Any, data_format: str, dilations: tuple,
                rounding: str | None) -> dict:
    return {'strides': strides, 'pad': pad, 'dataFormat': data_format, 'dilations': dilations,
            'dimRoundingMode': rounding, 'convInfo': info}


def _prepare_conv2d(x: Any, filter: Any, strides: Any, pad: Any, data_format: str,
                    dilations: Any, rounding: str | None, fn: str, depthwise: bool = False
                    ) -> tuple[Tensor, Tensor, dict]:
    x = float_input(x, 'x', fn)
    f = float_input(filter, 'filter', fn)
    shape = batched_shape(x, 4, fn)
    _filter(f, 4, fn)
    data_format = data_format or 'NHWC'
    last = channels_last(data_format, ('NHWC', 'NCHW'), fn)
    check_pad_on_rounding(fn, pad, rounding)
    depth = shape[3] if last else shape[1]
    if depth != f._shape[2]:
        if depthwise:
            raise ValueError(f'Error in {fn}: number of input channels ({depth}) must match the '
                             f'inChannels dimension in filter {f._shape[2]}.')
        raise ValueError(f'Error in {fn}: depth of input ({depth}) must match input depth for '
                         f'filter {f._shape[2]}.')
    s = parse_tuple(strides, 2, 'strides', fn)
    d = parse_tuple(1 if dilations is None else dilations, 2, 'dilations', fn)
    check_strides_and_dilations(s, d, fn, strides, dilations)
    info = conv_info(shape, f._shape, s, d, pad, rounding, depthwise, last, fn)
    return x, f, _conv_attrs(info, s, pad, data_format, d, rounding)


@op
def conv2d(x: Any, filter: Any, strides: Any, pad: Any, dataFormat: str = 'NHWC',
           dilations: Any = (1, 1), dimRoundingMode: str | None = None) -> Tensor:
    """2-D convolution of x [batch, height, width, inChannels] (or NCHW) with
    filter [filterHeight, filterWidth, inChannels, outChannels]."""
    def run() -> Tensor:
        xt, f, attrs = _prepare_conv2d(x, filter, strides, pad, dataFormat, dilations,
                                       dimRoundingMode, 'conv2d')
        return run_batched('Conv2D', xt, (f,), attrs, 4)
    return ENGINE.tidy(run)


def _conv1d_pad(pad: Any, last: bool) -> Any:
    """conv1d padding in the 4-D form of the conv2d it runs as: a number or
    3 explicit pairs pad the width only (tfjs passes a number on, which pads
    the height of 1 too and breaks); 4 pairs pass through, as in tfjs."""
    if isinstance(pad, numbers.Real) and not isinstance(pad, bool):
        pad = [[0, 0], [pad, pad], [0, 0]] if last else [[0, 0], [0, 0], [pad, pad]]
    if isinstance(pad, list | tuple) and len(pad) == 3:
        pairs = list(pad)
        return [pairs[0], [0, 0], pairs[1], pairs[2]] if last else [
            pairs[0], pairs[1], [0, 0], pairs[2]]
    return pad


@op
def conv1d(x: Any, filter: Any, stride: Any, pad: Any, dataFormat: str = 'NWC',
           dilation: Any = 1, dimRoundingMode: str | None = None) -> Tensor:
    """1-D convolution of x [batch, width, inChannels] with filter
    [filterWidth, inChannels, outChannels], run as a conv2d of height 1."""
    fn = 'conv1d'

    def run() -> Tensor:
        xt = float_input(x, 'x', fn)
        f = float_input(filter, 'filter', fn)
        shape = batched_shape(xt, 3, fn)
        _filter(f, 3, fn)
        last = channels_last(dataFormat or 'NWC', ('NWC', 'NCW'), fn)
        check_pad_on_rounding(fn, pad, dimRoundingMode)
        depth = shape[2] if last else shape[1]
        if depth != f._shape[1]:
            raise ValueError(f'Error in {fn}: depth of input ({depth}) must match input depth '
                             f'for filter {f._shape[1]}.')
        s = parse_tuple(stride, 1, 'stride', fn)
        d = parse_tuple(1 if dilation is None else dilation, 1, 'dilation', fn)
        check_strides_and_dilations(s, d, fn, stride, dilation, 'stride', 'dilation')
        x4 = reshape(xt, (shape[0], 1, *shape[1:]) if last else (*shape[:2], 1, shape[2]))
        f4 = reshape(f, (1, *f._shape))
        out = conv2d(x4, f4, (1, s[0]), _conv1d_pad(pad, last), 'NHWC' if last else 'NCHW',
                     (1, d[0]), dimRoundingMode)
        dims = (out._shape[0], *out._shape[2:]) if last else (*out._shape[:2], out._shape[3])
        return reshape(out, dims if xt.rank == 3 else dims[1:])
    return ENGINE.tidy(run)


def _transpose_info(fn: str, out_shape: Any, dy: Tensor, f: Tensor, strides: Any, pad: Any,
                    rounding: str | None, rank: int, dilations: Any = 1) -> tuple[ConvInfo, tuple]:
    """The geometry of the forward convolution whose input gradient a
    transposed convolution is; dy must have that convolution's output shape."""
    shape = list(out_shape) if isinstance(out_shape, list | tuple) else None
    if shape is None or len(shape) != dy.rank:
        raise ValueError(f'Error in {fn}: length of outputShape ({out_shape!r}) and rank of x '
                         f'({dy.rank}) must match')
    in_shape = tuple(int(v) for v in ([1, *shape] if dy.rank == rank - 1 else shape))
    dy_shape = batched_shape(dy, rank, fn, 'x')
    _filter(f, rank, fn)
    if in_shape[-1] != f._shape[-2]:
        raise ValueError(f'Error in {fn}: depth of output ({in_shape[-1]}) must match input '
                         f'depth for filter {f._shape[-2]}.')
    if dy_shape[-1] != f._shape[-1]:
        raise ValueError(f'Error in {fn}: depth of input ({dy_shape[-1]}) must match output '
                         f'depth for filter {f._shape[-1]}.')
    n = rank - 2
    s = parse_tuple(strides, n, 'strides', fn)
    d = parse_tuple(dilations, n, 'dilations', fn)
    info = conv_info(in_shape, f._shape, s, d, pad, rounding, False, True, fn)
    if info.out_shape != dy_shape:
        raise ValueError(f'Error in {fn}: x has shape {list(dy_shape)}, but a convolution of '
                         f'outputShape {list(in_shape)} with this filter, strides and pad '
                         f'gives {list(info.out_shape)}')
    return info, s


@op
def conv2dTranspose(x: Any, filter: Any, outputShape: Any, strides: Any, pad: Any,
                    dimRoundingMode: str | None = None) -> Tensor:
    """The transpose (gradient) of conv2d: x [batch, height, width, outDepth]
    to outputShape [batch, height, width, inDepth]; filter
    [filterHeight, filterWidth, inDepth, outDepth] (NHWC only, as in tfjs)."""
    fn = 'conv2dTranspose'

    def run() -> Tensor:
        dy = float_input(x, 'x', fn)
        f = float_input(filter, 'filter', fn)
        check_pad_on_rounding(fn, pad, dimRoundingMode)
        info, s = _transpose_info(fn, outputShape, dy, f, strides, pad, dimRoundingMode, 4)
        attrs = {**_conv_attrs(info, s, pad, 'NHWC', (1, 1), dimRoundingMode),
                 'inputShape': info.in_shape}
        return run_batched('Conv2DBackpropInput', dy, (f,), attrs, 4)
    return ENGINE.tidy(run)


def _prepare_conv3d(x: Any, filter: Any, strides: Any, pad: Any, data_format: str,
                    dilations: Any, fn: str) -> tuple[Tensor, Tensor, dict]:
    x = float_input(x, 'x', fn)
    f = float_input(filter, 'filter', fn)
    shape = batched_shape(x, 5, fn)
    _filter(f, 5, fn)
    data_format = data_format or 'NDHWC'
    last = channels_last(data_format, ('NDHWC', 'NCDHW'), fn)
    depth = shape[4] if last else shape[1]
    if depth != f._shape[3]:
        raise ValueError(f'Error in {fn}: depth of input ({depth}) must match input depth for '
                         f'filter {f._shape[3]}.')
    s = parse_tuple(strides, 3, 'strides', fn)
    d = parse_tuple(1 if dilations is None else dilations, 3, 'dilations', fn)
    check_strides_and_dilations(s, d, fn, strides, dilations)
    info = conv_info(shape, f._shape, s, d, pad, None, False, last, fn)
    return x, f, _conv_attrs(info, s, pad, data_format, d, None)


@op
def conv3d(x: Any, filter: Any, strides: Any, pad: Any, dataFormat: str = 'NDHWC',
           dilations: Any = (1, 1, 1)) -> Tensor:
    """3-D convolution of x [batch, depth, height, width, inChannels] with
    filter [filterDepth, filterHeight, filterWidth, inChannels, outChannels]."""
    def run() -> Tensor:
        xt, f, attrs = _prepare_conv3d(x, filter, strides, pad, dataFormat, dilations, 'conv3d')
        return run_batched('Conv3D', xt, (f,), attrs, 5)
    return ENGINE.tidy(run)


@op
def conv3dTranspose(x: Any, filter: Any, outputShape: Any, strides: Any, pad: Any) -> Tensor:
    """The transpose (gradient) of conv3d, NDHWC."""
    fn = 'conv3dTranspose'

    def run() -> Tensor:
        dy = float_input(x, 'x', fn)
        f = float_input(filter, 'filter', fn)
        info, s = _transpose_info(fn, outputShape, dy, f, strides, pad, None, 5)
        attrs = {'strides': s, 'pad': pad, 'dilations': (1, 1, 1), 'inputShape': info.in_shape,
                 'convInfo': info}
        return run_batched('Conv3DBackpropInputV2', dy, (f,), attrs, 5)
    return ENGINE.tidy(run)


@op
def depthwiseConv2d(x: Any, filter: Any, strides: Any, pad: Any, dataFormat: str = 'NHWC',
                    dilations: Any = (1, 1), dimRoundingMode: str | None = None) -> Tensor:
    """Each input channel convolved with its own channelMultiplier filters:
    filter [filterHeight, filterWidth, inChannels, channelMultiplier] gives
    inChannels * channelMultiplier output channels."""
    def run() -> Tensor:
        xt, f, attrs = _prepare_conv2d(x, filter, strides, pad, dataFormat, dilations,
                                       dimRoundingMode, 'depthwiseConv2d', depthwise=True)
        return run_batched('DepthwiseConv2dNative', xt, (f,), attrs, 4)
    return ENGINE.tidy(run)


@op
def separableConv2d(x: Any, depthwiseFilter: Any, pointwiseFilter: Any, strides: Any,
                    pad: Any, dilation: Any = (1, 1), dataFormat: str = 'NHWC') -> Tensor:
    """A depthwise convolution followed by a 1x1 pointwise convolution."""
    fn = 'separableConv2d'

    def run() -> Tensor:
        xt = float_input(x, 'x', fn)
        dw = float_input(depthwiseFilter, 'depthwiseFilter', fn)
        pw = float_input(pointwiseFilter, 'pointwiseFilter', fn)
        batched_shape(xt, 4, fn)
        _filter(dw, 4, fn, 'depthwise filter')
        _filter(pw, 4, fn, 'pointwise filter')
        if pw._shape[0] != 1:
            raise ValueError(f'Error in {fn}: the first dimension of pointwise filter must be '
                             f'1, but got {pw._shape[0]}.')
        if pw._shape[1] != 1:
            raise ValueError(f'Error in {fn}: the second dimension of pointwise filter must be '
                             f'1, but got {pw._shape[1]}.')
        channels = dw._shape[2] * dw._shape[3]
        if pw._shape[2] != channels:
            raise ValueError(f'Error in {fn}: the third dimension of pointwise filter must be '
                             f'{channels}, but got {pw._shape[2]}.')
        depthwise = depthwiseConv2d(xt, dw, strides, pad, dataFormat, dilation)
        return conv2d(depthwise, pw, 1, 'valid', dataFormat)
    return ENGINE.tidy(run)


# -- tf.fused ------------------------------------------------------------------

_FUSED_SCHEMA = {'x': REQUIRED, 'filter': REQUIRED, 'strides': REQUIRED, 'pad': REQUIRED,
                 'dataFormat': 'NHWC', 'dilations': (1, 1), 'dimRoundingMode': None,
                 'bias': None, 'activation': 'linear', 'preluActivationWeights': None,
                 'leakyreluAlpha': None}


def _channel_aligned(v: Tensor, last: bool, out_rank: int) -> Tensor:
    """A 1-D bias/PReLU weight of a channels-first result aligns with axis 1."""
    if not last and v.rank == 1 and v._shape[0] != 1:
        return reshape(v, (v._shape[0], *([1] * (out_rank - 2))))
    return v


def _check_bias(bias: Tensor, info: ConvInfo, last: bool, fn: str) -> None:
    if last:
        try:
            fits = broadcast_shape(info.out_shape, bias._shape) == info.out_shape
        except ValueError:
            fits = False
        if not fits:
            raise ValueError(f'Error in {fn}: bias of shape {bias.shape} does not broadcast to '
                             f'the output shape {list(info.out_shape)}')
        return
    if bias.rank > 1:
        raise ValueError(f'Error in {fn}: only supports scalar or 1-D Tensor bias for NCHW '
                         f'format but got the bias of rank-{bias.rank}.')
    if bias.rank == 1 and bias._shape[0] not in (1, info.out_channels):
        raise ValueError(f'Error in {fn}: bias shape ({bias._shape[0]}) is not compatible with '
                         f'the number of output channels ({info.out_channels})')


def _check_prelu(alpha: Tensor, info: ConvInfo, fn: str) -> None:
    if alpha.rank not in (0, 1, 3):
        raise ValueError(f'Error in {fn}: only supports scalar, 1-D Tensor or 3-D Tensor PReLU '
                         f'activation weights but got a tensor of rank-{alpha.rank}.')
    if alpha.rank == 1 and alpha._shape[0] not in (1, info.out_channels):
        raise ValueError(f'Error in {fn}: PReLU activation weights ({alpha._shape[0]}) is not '
                         f'compatible with the number of output channels '
                         f'({info.out_channels}).')
    if alpha.rank == 3:
        try:
            broadcast_shape(alpha._shape, info.out_shape)
        except ValueError:
            raise ValueError(f'Error in {fn}: PReLU activation weights ({alpha.shape}) is not '
                             f'compatible with the output shape of the conv2d '
                             f'({list(info.out_shape)}).') from None


def apply_activation(y: Tensor, activation: str, alpha: Tensor | None,
                     leaky_alpha: float | None) -> Tensor:
    """tfjs' applyActivation, with public ops (so gradients flow through them)."""
    if activation == 'linear':
        return y
    if activation == 'prelu':
        return prelu(y, alpha)
    if activation == 'leakyrelu':
        return leakyRelu(y, 0.2 if leaky_alpha is None else leaky_alpha)
    return {'relu': relu, 'relu6': relu6, 'elu': elu, 'sigmoid': sigmoid}[activation](y)


def _fused(config: dict | None, kwargs: dict, fn: str, kernel: str, plain_kernel: str,
           depthwise: bool) -> Tensor:
    c = normalize_config(f'tf.fused.{fn}', _FUSED_SCHEMA, config, kwargs)
    activation = c['activation'] or 'linear'
    if activation not in FUSED_ACTIVATIONS:
        raise ValueError(f'Unknown fused activation {activation}.')
    label = f'fused {fn}'

    def run() -> Tensor:
        x, f, attrs = _prepare_conv2d(c['x'], c['filter'], c['strides'], c['pad'],
                                      c['dataFormat'], c['dilations'], c['dimRoundingMode'],
                                      label, depthwise)
        info = attrs['convInfo']
        last = info.channels_last
        bias = None
        if c['bias'] is not None:
            bias = float_input(c['bias'], 'bias', label)
            _check_bias(bias, info, last, label)
        alpha = None
        if activation == 'prelu':
            if c['preluActivationWeights'] is None:
                raise ValueError(f"Error in {label}: activation 'prelu' needs "
                                 f"preluActivationWeights")
            alpha = float_input(c['preluActivationWeights'], 'preluActivationWeights', label)
            _check_prelu(alpha, info, label)
        if TAPES.get() and activation not in ('linear', 'relu'):
            # While a gradient is recorded, an activation the fused gradient
            # does not know is applied with public ops, so each has its own
            # gradient (tfjs unfuses relu too; its gradient from the output,
            # dy * step(y), is as cheap as the unfused one and saves kernels).
            y = run_batched(plain_kernel, x, (f,), attrs, 4)
            if bias is not None:
                y = add(y, _channel_aligned(bias, last, 4))
            return apply_activation(y, activation, None if alpha is None else
                                    _channel_aligned(alpha, last, 4), c['leakyreluAlpha'])
        attrs.update(activation=activation, leakyreluAlpha=c['leakyreluAlpha'])
        return run_batched(kernel, x, (f, bias, alpha), attrs, 4)
    return ENGINE.tidy(run)


@op(namespace='fused', name='conv2d')
def fused_conv2d(config: dict | None = None, /, **kwargs: Any) -> Tensor:
    """tf.fused.conv2d({x, filter, strides, pad, dataFormat, dilations,
    dimRoundingMode, bias, activation, preluActivationWeights, leakyreluAlpha}):
    conv2d + bias + activation in one kernel."""
    return _fused(config, kwargs, 'conv2d', 'FusedConv2D', 'Conv2D', False)


@op(namespace='fused', name='depthwiseConv2d')
def fused_depthwise_conv2d(config: dict | None = None, /, **kwargs: Any) -> Tensor:
    """tf.fused.depthwiseConv2d: depthwiseConv2d + bias + activation."""
    return _fused(config, kwargs, 'depthwiseConv2d', 'FusedDepthwiseConv2D',
                  'DepthwiseConv2dNative', True)
