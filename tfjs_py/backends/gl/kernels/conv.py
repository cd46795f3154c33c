"""Convolution GL kernels (gl/conv/conv2d.comp): Conv2D, DepthwiseConv2dNative
and their fused forms (bias and activation as elementwise passes). Geometry
comes from attrs['convInfo']; channels-first data is transposed around the
channels-last shader."""

from __future__ import annotations

from ....engine.registry import register_kernel
from ..program import ProgramSpec
from .elementwise import binary, unary
from .shape import transpose
from .util import groups, not_supported, rec, release

_ACTIVATIONS = {'relu': 'Relu', 'relu6': 'Relu6', 'elu': 'Elu', 'sigmoid': 'Sigmoid'}


def to_channels_last(backend, x, info):
    return x if info.channels_last else transpose(backend, x, [0, 2, 3, 1])


def from_channels_last(backend, y, info):
    """The result in the data format; an intermediate y is released."""
    if info.channels_last:
        return y
    out = transpose(backend, y, [0, 3, 1, 2])
    release(backend, y)
    return out


def window_uniforms(info) -> dict[str, int]:
    (in_h, in_w), (out_h, out_w) = info.in_size, info.out_size
    return {'u_in_h': in_h, 'u_in_w': in_w, 'u_out_h': out_h, 'u_out_w': out_w,
            'u_f_h': info.filter_size[0], 'u_f_w': info.filter_size[1],
            'u_stride_h': info.strides[0], 'u_stride_w': info.strides[1],
            'u_dil_h': info.dilations[0], 'u_dil_w': info.dilations[1],
            'u_pad_top': info.pad_before[0], 'u_pad_left': info.pad_before[1]}


def _conv(backend, x, w, info, depthwise: bool):
    """The convolution, channels last."""
    xl = to_channels_last(backend, x, info)
    out = backend.new_output((info.batch, *info.out_size, info.out_channels), 'float32')
    n = out.rec.size
    uniforms = {'u_size': n, 'u_in_c': info.in_channels, 'u_out_c': info.out_channels,
                'u_mult': info.filter_shape[-1], **window_uniforms(info)}
    backend.run(ProgramSpec('conv/conv2d.comp', [rec(xl), rec(w)], [out.rec], groups(n),
                            {'DEPTHWISE': 1} if depthwise else {}, uniforms))
    if xl is not x:
        release(backend, xl)
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
def conv2d(backend, inputs, attrs):
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
    out = backend.new_output((info.batch, *info.in_size, info.in_channels), 'float32')
    n = out.rec.size
    uniforms = {'u_size': n, 'u_in_c': info.in_channels, 'u_out_c': info.out_channels,
                'u_mult': info.filter_shape[-1], **window_uniforms(info)}
    backend.run(ProgramSpec('conv/conv2d_backprop_input.comp', [rec(dyl), rec(w)], [out.rec],
                            groups(n), {'DEPTHWISE': 1} if depthwise else {}, uniforms))
    if dyl is not dy:
        release(backend, dyl)
    return from_channels_last(backend, out, info)


def _backprop_filter(backend, x, dy, info, depthwise: bool):
    xl = to_channels_last(backend, x, info)
    dyl = to_channels_last(backend, dy, info)
    out = backend.new_output(tuple(info.filter_shape), 'float32')
    n = out.rec.size
    uniforms = {'u_size': n, 'u_batch': info.batch, 'u_in_c': info.in_channels,
                'u_out_c': info.out_channels, 'u_mult': info.filter_shape[-1],
                **window_uniforms(info)}
    backend.run(ProgramSpec('conv/conv2d_backprop_filter.comp', [rec(xl), rec(dyl)], [out.rec],
                            groups(n), {'DEPTHWISE': 1} if depthwise else {}, uniforms))
    for view, t in ((xl, x), (dyl, dy)):
        if view is not t:
            release(backend, view)
    return out


@register_kernel('Conv2DBackpropInput', 'gl')
def conv2d_backprop_input(backend, inputs, attrs):
    return _backprop_input(backend, inputs[0], inputs[1], attrs['convInfo'], False)


@register_kernel('DepthwiseConv2dNativeBackpropInput', 'gl')
def depthwise_backprop_input(backend, inputs, attrs):
    return _backprop_input(backend, inputs[0], inputs[1], attrs['convInfo'], True)


@register_kernel('Conv2DBackpropFilter', 'gl')
def conv2d_backprop_filter(backend, inputs, attrs):
    return _backprop_filter(backend, inputs[0], inputs[1], attrs['convInfo'], False)


@register_kernel('DepthwiseConv2dNativeBackpropFilter', 'gl')
def depthwise_backprop_filter(backend, inputs, attrs):
    return _backprop_filter(backend, inputs[0], inputs[1], attrs['convInfo'], True)
