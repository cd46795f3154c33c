"""Convolution GL kernels (gl/conv/): Conv2D, Conv3D, DepthwiseConv2dNative,
their fused forms (bias and activation as elementwise passes) and their
gradients. One shader per pass serves 2-D and 3-D (2-D runs as depth 1).
Geometry comes from attrs['convInfo']; channels-first data is transposed
around the channels-last shaders."""

from __future__ import annotations

from ....engine.registry import register_kernel
from ..program import ProgramSpec
from .elementwise import binary, unary
from .linalg import conv_backprop_filter_im2col, conv_backprop_input_im2col, conv_im2col
from .shape import transpose
from .util import groups, not_supported, rec, release

_ACTIVATIONS = {'relu': 'Relu', 'relu6': 'Relu6', 'elu': 'Elu', 'sigmoid': 'Sigmoid'}


def to_channels_last(backend, x, info):
    if info.channels_last:
        return x
    rank = len(info.in_size) + 2
    return transpose(backend, x, [0, *range(2, rank), 1])


def from_channels_last(backend, y, info):
    """The result in the data format; an intermediate y is released."""
    if info.channels_last:
        return y
    rank = len(info.in_size) + 2
    out = transpose(backend, y, [0, rank - 1, *range(1, rank - 1)])
    release(backend, y)
    return out


def _depth3(values: tuple[int, ...], fill: int) -> tuple[int, ...]:
    """(depth, height, width): 2-D geometry runs as one plane of depth `fill`."""
    return (fill, *values) if len(values) == 2 else tuple(values)


def window_uniforms(info) -> dict[str, int]:
    """The window geometry of gl/conv/ and gl/pool/ shaders, in 3-D."""
    out = {}
    for name, values, fill in (('in', info.in_size, 1), ('out', info.out_size, 1),
                               ('f', info.filter_size, 1), ('stride', info.strides, 1),
                               ('dil', info.dilations, 1)):
        d, h, w = _depth3(values, fill)
        out.update({f'u_{name}_d': d, f'u_{name}_h': h, f'u_{name}_w': w})
    front, top, left = _depth3(info.pad_before, 0)
    out.update(u_pad_front=front, u_pad_top=top, u_pad_left=left)
    return out


def _lanes(size: int, channels: int, depthwise: bool) -> tuple[int, dict[str, int]]:
    """The invocations and defines of a conv/ shader writing `size` values with
    `channels` last: one invocation per four consecutive channels (LANES4),
    which fetches each shared value once for the four, or per value (depthwise,
    or fewer than four channels, where most lanes would idle)."""
    if depthwise:
        return size, {'DEPTHWISE': 1}
    if channels < 4:
        return size, {}
    return size // channels * -(-channels // 4), {'LANES4': 1}


def _with_filter_uniforms(n: int, info, w) -> dict[str, int]:
    """Uniforms of the passes that read the filter w (forward, input gradient)."""
    return {'u_size': n, 'u_in_c': info.in_channels, 'u_out_c': info.out_channels,
            'u_mult': info.filter_shape[-1], 'u_w_last': rec(w).size - 1,
            **window_uniforms(info)}


def _release_views(backend, pairs) -> None:
    """Release the channels-last copies made of (view, original) pairs."""
    for view, t in pairs:
        if view is not t:
            release(backend, view)


def _conv(backend, x, w, info, depthwise: bool):
    """The convolution, channels last: big ones as im2col + the packed matMul,
    the rest (and depthwise) by the direct shader."""
    xl = to_channels_last(backend, x, info)
    out = None if depthwise else conv_im2col(backend, xl, w, info)
    if out is None:
        out = backend.new_output((info.batch, *info.out_size, info.out_channels), 'float32')
        n, defines = _lanes(out.rec.size, info.out_channels, depthwise)
        backend.run(ProgramSpec('conv/conv.comp', [rec(xl), rec(w)], [out.rec], groups(n),
                                defines, _with_filter_uniforms(n, info, w)))
    _release_views(backend, ((xl, x),))
    return out


def _fused(backend, inputs, attrs, depthwise: bool):
    x, w, bias, alpha = inputs
    info = attrs['convInfo']
    activation = attrs.get('activation') or 'linear'
    if activation == 'prelu' and not info.channels_last:
        raise not_supported('FusedConv2D', 'with prelu on channels-first data')
    y = _conv(backend, x, w, info, depthwise)
    steps = []
    if bias is not None:
        steps.append(lambda t: binary(backend, 'Add', t, bias))
    if activation in _ACTIVATIONS:
        steps.append(lambda t: unary(backend, _ACTIVATIONS[activation], t))
    elif activation == 'leakyrelu':
        leaky = attrs.get('leakyreluAlpha')
        steps.append(lambda t: unary(backend, 'LeakyRelu', t,
                                     u_alpha=0.2 if leaky is None else float(leaky)))
    elif activation == 'prelu':
        steps.append(lambda t: binary(backend, 'Prelu', t, alpha))
    elif activation != 'linear':
        raise ValueError(f'Unknown fused activation {activation}.')
    for step in steps:
        previous = y
        y = step(previous)
        release(backend, previous)
    return from_channels_last(backend, y, info)


@register_kernel('Conv2D', 'gl')
@register_kernel('Conv3D', 'gl')
def conv(backend, inputs, attrs):
    info = attrs['convInfo']
    return from_channels_last(backend, _conv(backend, inputs[0], inputs[1], info, False), info)


@register_kernel('DepthwiseConv2dNative', 'gl')
def depthwise_conv2d(backend, inputs, attrs):
    info = attrs['convInfo']
    return from_channels_last(backend, _conv(backend, inputs[0], inputs[1], info, True), info)


@register_kernel('FusedConv2D', 'gl')
def fused_conv2d(backend, inputs, attrs):
    return _fused(backend, inputs, attrs, depthwise=False)


@register_kernel('FusedDepthwiseConv2D', 'gl')
def fused_depthwise_conv2d(backend, inputs, attrs):
    return _fused(backend, inputs, attrs, depthwise=True)


def _backprop_input(backend, dy, w, info, depthwise: bool):
    dyl = to_channels_last(backend, dy, info)
    out = None if depthwise else conv_backprop_input_im2col(backend, dyl, w, info)
    if out is None:
        out = backend.new_output((info.batch, *info.in_size, info.in_channels), 'float32')
        n, defines = _lanes(out.rec.size, info.in_channels, depthwise)
        backend.run(ProgramSpec('conv/conv_backprop_input.comp', [rec(dyl), rec(w)],
                                [out.rec], groups(n), defines, _with_filter_uniforms(n, info, w)))
    _release_views(backend, ((dyl, dy),))
    return from_channels_last(backend, out, info)


def _backprop_filter(backend, x, dy, info, depthwise: bool):
    xl = to_channels_last(backend, x, info)
    dyl = to_channels_last(backend, dy, info)
    out = None if depthwise else conv_backprop_filter_im2col(backend, xl, dyl, info)
    if out is None:
        out = backend.new_output(tuple(info.filter_shape), 'float32')
        n, defines = _lanes(out.rec.size, info.out_channels, depthwise)
        uniforms = {'u_size': n, 'u_batch': info.batch, 'u_in_c': info.in_channels,
                    'u_out_c': info.out_channels, 'u_mult': info.filter_shape[-1],
                    'u_dy_last': rec(dyl).size - 1, **window_uniforms(info)}
        backend.run(ProgramSpec('conv/conv_backprop_filter.comp', [rec(xl), rec(dyl)],
                                [out.rec], groups(n), defines, uniforms))
    _release_views(backend, ((xl, x), (dyl, dy)))
    return out


@register_kernel('Conv2DBackpropInput', 'gl')
@register_kernel('Conv3DBackpropInputV2', 'gl')
def conv_backprop_input(backend, inputs, attrs):
    return _backprop_input(backend, inputs[0], inputs[1], attrs['convInfo'], False)


@register_kernel('DepthwiseConv2dNativeBackpropInput', 'gl')
def depthwise_backprop_input(backend, inputs, attrs):
    return _backprop_input(backend, inputs[0], inputs[1], attrs['convInfo'], True)


@register_kernel('Conv2DBackpropFilter', 'gl')
@register_kernel('Conv3DBackpropFilterV2', 'gl')
def conv_backprop_filter(backend, inputs, attrs):
    return _backprop_filter(backend, inputs[0], inputs[1], attrs['convInfo'], False)


@register_kernel('DepthwiseConv2dNativeBackpropFilter', 'gl')
def depthwise_backprop_filter(backend, inputs, attrs):
    return _backprop_filter(backend, inputs[0], inputs[1], attrs['convInfo'], True)
