"""Gradients of convolution kernels.

Every kernel of the family is linear in each input, so each gradient is
another kernel of the family on the same geometry (attrs['convInfo']):
  y   = Conv(x, w)             dx = BackpropInput(dy, w)   dw = BackpropFilter(x, dy)
  dx  = BackpropInput(dy, w)   d(dy) = Conv(g, w)          dw = BackpropFilter(g, dy)
  dw  = BackpropFilter(x, dy)  dx = BackpropInput(dy, g)   d(dy) = Conv(x, g)
Dilations are supported throughout (tfjs refuses them in gradients).
"""

from __future__ import annotations

from ..engine.registry import register_gradient
from ..ops.op import run_kernel
from ..ops.reduce import sum_
from ..ops.shape import reshape
from .broadcast import unbroadcast
from .relu_mask import relu_backprop

# (forward, input gradient, filter gradient) kernel names per family.
_FAMILIES = (('Conv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter'),
             ('Conv3D', 'Conv3DBackpropInputV2', 'Conv3DBackpropFilterV2'),
             ('DepthwiseConv2dNative', 'DepthwiseConv2dNativeBackpropInput',
              'DepthwiseConv2dNativeBackpropFilter'))


def _attrs(attrs: dict, **extra) -> dict:
    """The attrs of another kernel on the same geometry."""
    info = attrs['convInfo']
    out = {k: v for k, v in attrs.items() if k not in ('inputShape', 'filterShape',
                                                       'activation', 'leakyreluAlpha')}
    out.update(inputShape=info.in_shape, filterShape=info.filter_shape, **extra)
    return out


def _register_family(forward: str, backprop_input: str, backprop_filter: str) -> None:
    @register_gradient(forward)
    def forward_grad(dy, inputs, outputs, attrs):
        x, w = inputs
        a = _attrs(attrs)
        return (lambda: run_kernel(backprop_input, (dy, w), a),
                lambda: run_kernel(backprop_filter, (x, dy), a))

    @register_gradient(backprop_input)
    def backprop_input_grad(ddx, inputs, outputs, attrs):
        dy, w = inputs
        a = _attrs(attrs)
        return (lambda: run_kernel(forward, (ddx, w), a),
                lambda: run_kernel(backprop_filter, (ddx, dy), a))

    @register_gradient(backprop_filter)
    def backprop_filter_grad(ddw, inputs, outputs, attrs):
        x, dy = inputs
        a = _attrs(attrs)
        return (lambda: run_kernel(backprop_input, (dy, ddw), a),
                lambda: run_kernel(forward, (x, ddw), a))


for _family in _FAMILIES:
    _register_family(*_family)


def _bias_grad(dy, bias, info):
    """Sum dy back to the bias shape; a 1-D channels-first bias lines up with
    the channel axis."""
    if not info.channels_last and bias.rank == 1 and bias._shape[0] != 1:
        axes = [0, *range(2, dy.rank)]
        return reshape(sum_(dy, axes), bias._shape)
    return unbroadcast(dy, bias._shape)


def _register_fused(fused: str, backprop_input: str, backprop_filter: str) -> None:
    @register_gradient(fused)
    def fused_grad(dy, inputs, outputs, attrs):
        # The op records this kernel under a tape only with a linear or relu
        # activation (others run unfused); relu's gradient comes from the
        # output: dy * step(y), as tfjs' fused gradients do, unless a max
        # pool's gradient applied it already (relu_mask.py).
        x, w, bias, _ = inputs
        activation = attrs.get('activation') or 'linear'
        if activation not in ('linear', 'relu'):
            raise ValueError(f'Cannot compute gradient for fused activation {activation}.')
        a = _attrs(attrs)
        info = attrs['convInfo']
        cache = []

        def dy_act():
            if not cache:
                y = outputs[0]
                cache.append(dy if activation == 'linear' else relu_backprop(dy, y, y))
            return cache[0]

        return (lambda: run_kernel(backprop_input, (dy_act(), w), a),
                lambda: run_kernel(backprop_filter, (x, dy_act()), a),
                None if bias is None else (lambda: _bias_grad(dy_act(), bias, info)),
                None)


_register_fused('FusedConv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter')
_register_fused('FusedDepthwiseConv2D', 'DepthwiseConv2dNativeBackpropInput',
                'DepthwiseConv2dNativeBackpropFilter')
