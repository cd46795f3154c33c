"""Gradients of pooling kernels.

Max pooling sends each output's gradient to the cell its max came from
(MaxPoolGrad recomputes that cell from the input: the first max in window
order, NaN skipped). Average pooling's gradient AvgPoolGrad is the adjoint of
AvgPool on the same geometry, so the gradient of AvgPoolGrad with respect to
its dy is AvgPool again. MaxPoolGrad has no gradient (nor in tfjs).

Over a relu's output, MaxPool's gradient also applies the relu's mask
(MaxPoolGrad's reluMasked; see relu_mask.py).
"""

from __future__ import annotations

from ..engine.registry import register_gradient
from ..ops.op import run_kernel
from .relu_mask import made_by_relu, mark_masked


@register_gradient('MaxPool')
def max_pool_grad(dy, inputs, outputs, attrs):
    x = inputs[0]

    def dx():
        if x.dtype == 'float32' and made_by_relu(x):
            return mark_masked(run_kernel('MaxPoolGrad', (dy, x, outputs[0]),
                                          {**attrs, 'reluMasked': True}), x)
        return run_kernel('MaxPoolGrad', (dy, x, outputs[0]), attrs)

    return (dx,)


@register_gradient('MaxPool3D')
def max_pool3d_grad(dy, inputs, outputs, attrs):
    return (lambda: run_kernel('MaxPool3DGrad', (dy, inputs[0], outputs[0]), attrs),)


@register_gradient('AvgPool')
def avg_pool_grad(dy, inputs, outputs, attrs):
    return (lambda: run_kernel('AvgPoolGrad', (dy, inputs[0]), attrs),)


@register_gradient('AvgPool3D')
def avg_pool3d_grad(dy, inputs, outputs, attrs):
    return (lambda: run_kernel('AvgPool3DGrad', (dy, inputs[0]), attrs),)


@register_gradient('AvgPoolGrad')
def avg_pool_grad_grad(ddx, inputs, outputs, attrs):
    return (lambda: run_kernel('AvgPool', (ddx,), attrs), None)


@register_gradient('AvgPool3DGrad')
def avg_pool3d_grad_grad(ddx, inputs, outputs, attrs):
    return (lambda: run_kernel('AvgPool3D', (ddx,), attrs), None)
