"""Convolution NumPy kernels: im2col over a strided view plus one BLAS matmul
per chunk (Conv2D, Conv3D and the filter gradients), a matmul and strided
scatter-add per filter tap (input gradients), and per-tap broadcasting for
depthwise convolutions. The geometry arrives in attrs['convInfo'].
"""

from __future__ import annotations

import math

import numpy as np

from ....engine.registry import register_kernel
from .elementwise import fused_activation, relu6_into, relu_into
from .util import arr, quiet
from .windows import (
    chunks,
    crop,
    from_channels_last,
    pad,
    padded_zeros,
    patches,
    taps,
    to_channels_last,
)

# Most elements of (output positions x the larger channel count) per chunk
# of samples in the input gradient: the benchmark CNN's 4 samples of 11x11x64
# (measured: 2 samples 4.4 ms, 4 samples 3.7, 8 samples 4.2, the whole batch 4.1).
_BACKPROP_INPUT_ELEMENTS = 1 << 15


def _f32(t) -> np.ndarray:
    return arr(t).astype(np.float32, copy=False)


def _is_pointwise(info) -> bool:
    """A 1x1 filter with stride 1 and no padding: a plain matmul over pixels."""
    return (all(k == 1 for k in info.filter_size) and all(s == 1 for s in info.strides)
            and not any(b or a for b, a in info.pad_extent))


def conv_forward(x: np.ndarray, w: np.ndarray, info, bias: np.ndarray | None = None,
                 epilogue=None) -> np.ndarray:
    """x [batch, *in, c] (channels last), w [*filter, c, oc] -> [batch, *out, oc],
    plus a per-channel (or scalar) bias if given. Each chunk's matmul writes
    straight into the output, the bias added by the matmul itself (a row of
    the filter matrix against a column of ones in the patches); `epilogue`,
    if given, then runs in place on that [pixels, oc] block while it is in
    cache."""
    oc = w.shape[-1]
    shape = (info.batch, *info.out_size, oc)
    row = math.prod(info.filter_size) * x.shape[-1]
    out = np.empty(shape, np.float32)
    if out.size == 0:
        return out
    w2 = w.reshape(row, oc)
    if row == 0 or _is_pointwise(info):
        # No patch matrix to add a column to: the bias is a pass of its own.
        flat = out.reshape(-1, oc)
        if row:
            np.matmul(x.reshape(-1, row), w2, out=flat)
        else:
            flat.fill(0)
        if bias is not None:
            np.add(flat, bias, out=flat)
        if epilogue is not None:
            epilogue(flat)
        return out
    ones = bias is not None
    if ones:
        w2 = np.concatenate([w2, np.broadcast_to(bias, (1, oc))])
    xp = pad(x, info)
    for bs, rs in chunks(info, max(row + ones, oc)):
        dst = out[bs, rs].reshape(-1, oc)
        np.matmul(patches(xp, info, bs, rs, ones), w2, out=dst)
        if epilogue is not None:
            epilogue(dst)
    return out


def conv_backprop_filter(x: np.ndarray, dy: np.ndarray, info) -> np.ndarray:
    """d(loss)/d(filter) from x [batch, *in, c] and dy [batch, *out, oc]."""
    oc = dy.shape[-1]
    row = math.prod(info.filter_size) * x.shape[-1]
    dw = np.zeros((row, oc), np.float32)
    if dy.size and row:
        xp = pad(x, info)
        first = True
        for bs, rs in chunks(info, max(row, oc)):
            p = patches(xp, info, bs, rs)
            dyc = dy[bs, rs].reshape(-1, oc)
            if first:
                np.matmul(p.T, dyc, out=dw)
                first = False
            else:
                dw += p.T @ dyc
    return dw.reshape(info.filter_shape)


def conv_backprop_input(dy: np.ndarray, w: np.ndarray, info) -> np.ndarray:
    """d(loss)/d(x) from dy [batch, *out, oc] and w [*filter, c, oc]: each tap's
    contribution dy @ w[tap].T lands on the cells that tap read. (Measured:
    this beats both one [oc, taps * c] matmul followed by a col2im and, for
    stride 1, an im2col convolution of the padded dy with the flipped filter.)
    A few samples at a time, so that their slice of dx stays in L1/L2 across
    the taps' scatter-adds (the benchmark CNN's second conv: 4.1 -> 3.7 ms)."""
    c, oc = w.shape[-2], w.shape[-1]
    dxp = padded_zeros(info, c)
    if dy.size and dxp.size:
        wt = np.ascontiguousarray(w.reshape(-1, c, oc).transpose(0, 2, 1))
        positions = math.prod(info.out_size)
        step = max(1, _BACKPROP_INPUT_ELEMENTS // (positions * max(c, oc)))
        # One product buffer for all chunks and taps.
        buf = np.empty(min(step, info.batch) * positions * c, np.float32)
        index_list = list(taps(info))
        for start in range(0, info.batch, step):
            bs = slice(start, min(start + step, info.batch))
            dy2 = dy[bs].reshape(-1, oc)
            product = buf[:dy2.shape[0] * c].reshape(dy2.shape[0], c)
            spread = product.reshape(-1, *dy.shape[1:-1], c)
            dxc = dxp[bs]
            for t, index in index_list:
                np.matmul(dy2, wt[t], out=product)
                dxc[index] += spread
    return crop(dxp, info)


def depthwise_forward(x: np.ndarray, w: np.ndarray, info) -> np.ndarray:
    """x [batch, *in, c], w [*filter, c, m] -> [batch, *out, c * m]."""
    c, m = w.shape[-2], w.shape[-1]
    out = np.zeros((info.batch, *info.out_size, c, m), np.float32)
    if out.size:
        xp = pad(x, info)
        w3 = w.reshape(-1, c, m)
        for t, index in taps(info):
            out += xp[index][..., None] * w3[t]
    return out.reshape(*out.shape[:-2], c * m)


def depthwise_backprop_filter(x: np.ndarray, dy: np.ndarray, info) -> np.ndarray:
    c, m = info.filter_shape[-2], info.filter_shape[-1]
    dw = np.zeros((math.prod(info.filter_size), c, m), np.float32)
    if dy.size:
        xp = pad(x, info)
        dy3 = dy.reshape(-1, c, m)
        for t, index in taps(info):
            dw[t] = np.einsum('nc,ncm->cm', xp[index].reshape(-1, c), dy3)
    return dw.reshape(info.filter_shape)


def depthwise_backprop_input(dy: np.ndarray, w: np.ndarray, info) -> np.ndarray:
    c, m = w.shape[-2], w.shape[-1]
    dxp = padded_zeros(info, c)
    if dy.size and dxp.size:
        dy5 = dy.reshape(*dy.shape[:-1], c, m)
        w3 = w.reshape(-1, c, m)
        for t, index in taps(info):
            dxp[index] += np.einsum('...cm,cm->...c', dy5, w3[t])
    return crop(dxp, info)


def _forward(inputs, attrs, fn) -> np.ndarray:
    info = attrs['convInfo']
    x = to_channels_last(_f32(inputs[0]), info)
    return from_channels_last(fn(x, _f32(inputs[1]), info), info)


def _backprop_filter(inputs, attrs, fn) -> np.ndarray:
    info = attrs['convInfo']
    return fn(to_channels_last(_f32(inputs[0]), info), to_channels_last(_f32(inputs[1]), info),
              info)


def _backprop_input(inputs, attrs, fn) -> np.ndarray:
    info = attrs['convInfo']
    dy = to_channels_last(_f32(inputs[0]), info)
    return from_channels_last(fn(dy, _f32(inputs[1]), info), info)


@register_kernel('Conv2D', 'cpu')
def conv2d(backend, inputs, attrs):
    return _forward(inputs, attrs, conv_forward)


@register_kernel('Conv3D', 'cpu')
def conv3d(backend, inputs, attrs):
    return _forward(inputs, attrs, conv_forward)


@register_kernel('DepthwiseConv2dNative', 'cpu')
def depthwise_conv2d(backend, inputs, attrs):
    return _forward(inputs, attrs, depthwise_forward)


@register_kernel('Conv2DBackpropFilter', 'cpu')
def conv2d_backprop_filter(backend, inputs, attrs):
    return _backprop_filter(inputs, attrs, conv_backprop_filter)


@register_kernel('Conv3DBackpropFilterV2', 'cpu')
def conv3d_backprop_filter(backend, inputs, attrs):
    return _backprop_filter(inputs, attrs, conv_backprop_filter)


@register_kernel('DepthwiseConv2dNativeBackpropFilter', 'cpu')
def depthwise_backprop_filter_kernel(backend, inputs, attrs):
    return _backprop_filter(inputs, attrs, depthwise_backprop_filter)


@register_kernel('Conv2DBackpropInput', 'cpu')
def conv2d_backprop_input(backend, inputs, attrs):
    return _backprop_input(inputs, attrs, conv_backprop_input)


@register_kernel('Conv3DBackpropInputV2', 'cpu')
def conv3d_backprop_input(backend, inputs, attrs):
    return _backprop_input(inputs, attrs, conv_backprop_input)


@register_kernel('DepthwiseConv2dNativeBackpropInput', 'cpu')
def depthwise_backprop_input_kernel(backend, inputs, attrs):
    return _backprop_input(inputs, attrs, depthwise_backprop_input)


def _channel_aligned(v: np.ndarray, info) -> np.ndarray:
    """A 1-D bias or PReLU weight of a channels-first output is aligned with
    the channel axis, not the last one (as tfjs does for NCHW)."""
    if not info.channels_last and v.ndim == 1 and v.shape[0] != 1:
        return v.reshape(v.shape[0], *([1] * len(info.out_size)))
    return v


# Activations applied in place on each chunk of the fresh conv result.
_IN_PLACE = {'relu': lambda y: relu_into(y, y), 'relu6': lambda y: relu6_into(y, y)}


def _fused(inputs, attrs, fn) -> np.ndarray:
    """conv + bias + activation. With a per-channel (or scalar) bias and
    linear/relu/relu6, the bias is added by the matmul and the activation
    runs in place on each chunk of its result; otherwise both run on the
    whole result."""
    info = attrs['convInfo']
    activation = attrs.get('activation') or 'linear'
    bias = None if inputs[2] is None else _f32(inputs[2])
    prelu = inputs[3]
    in_place = _IN_PLACE.get(activation)
    if fn is conv_forward and (bias is None or bias.ndim <= 1) and (
            in_place is not None or activation == 'linear'):
        x = to_channels_last(_f32(inputs[0]), info)
        y = conv_forward(x, _f32(inputs[1]), info, bias, in_place)
        return from_channels_last(y, info)
    y = _forward(inputs[:2], attrs, fn)
    if bias is not None:
        np.add(y, _channel_aligned(bias, info), out=y)
    alpha = None if prelu is None else _channel_aligned(_f32(prelu), info)
    with quiet():
        return fused_activation(y, activation, alpha, attrs.get('leakyreluAlpha'))


@register_kernel('FusedConv2D', 'cpu')
def fused_conv2d(backend, inputs, attrs):
    return _fused(inputs, attrs, conv_forward)


@register_kernel('FusedDepthwiseConv2D', 'cpu')
def fused_depthwise_conv2d(backend, inputs, attrs):
    return _fused(inputs, attrs, depthwise_forward)
