"""Gradients of neural-network kernels."""

from __future__ import annotations

from ..engine.registry import register_gradient
from ..ops.elementwise import add, div, exp, mul, sqrt, sub
from ..ops.op import run_kernel
from ..ops.reduce import sum_
from .broadcast import unbroadcast


@register_gradient('Softmax')
def softmax_grad(dy, inputs, outputs, attrs):
    y = outputs[0]

    def logits():
        dy_y = mul(dy, y)
        return sub(dy_y, mul(sum_(dy_y, attrs['dim'], True), y))

    return (logits,)


@register_gradient('LogSoftmax')
def log_softmax_grad(dy, inputs, outputs, attrs):
    y = outputs[0]
    return (lambda: sub(dy, mul(sum_(dy, attrs['axis'], True), exp(y))),)


@register_gradient('FusedBatchNorm')
def fused_batch_norm_grad(dy, inputs, outputs, attrs):
    # The partial derivatives of offset + scale * (x - mean) / sqrt(variance + eps),
    # each summed back over the axes its input was broadcast along.
    x, mean, variance, offset, scale = inputs
    scale_value = 1.0 if scale is None else scale

    def inv_std():
        return div(1.0, sqrt(add(variance, attrs['varianceEpsilon'])))

    def d_x():
        return unbroadcast(mul(mul(dy, inv_std()), scale_value), x._shape)

    def d_mean():
        return unbroadcast(mul(mul(dy, scale_value), mul(inv_std(), -1.0)), mean._shape)

    def d_variance():
        r = inv_std()
        minus_half_r_cubed = mul(mul(mul(r, r), r), -0.5)
        return unbroadcast(mul(mul(dy, scale_value), mul(minus_half_r_cubed, sub(x, mean))),
                           variance._shape)

    def d_offset():
        return unbroadcast(dy, offset._shape)

    def d_scale():
        return unbroadcast(mul(dy, mul(sub(x, mean), inv_std())), scale._shape)

    return (d_x, d_mean, d_variance, d_offset, d_scale)


@register_gradient('LRN')
def lrn_grad(dy, inputs, outputs, attrs):
    return (lambda: run_kernel('LRNGrad', (inputs[0], outputs[0], dy), attrs),)
