"""Gradients of elementwise kernels."""

from __future__ import annotations

from ..engine.registry import register_gradient
from ..ops.creation import zerosLike
from ..ops.elementwise import cast, div, greater, mul, neg, square, sub
from .broadcast import unbroadcast


@register_gradient('Add')
def add_grad(dy, inputs, outputs, attrs):
    a, b = inputs
    return (lambda: unbroadcast(dy, a._shape), lambda: unbroadcast(dy, b._shape))


@register_gradient('Sub')
def sub_grad(dy, inputs, outputs, attrs):
    a, b = inputs
    return (lambda: unbroadcast(dy, a._shape), lambda: unbroadcast(neg(dy), b._shape))


@register_gradient('Multiply')
def multiply_grad(dy, inputs, outputs, attrs):
    a, b = inputs
    return (lambda: unbroadcast(mul(dy, b), a._shape),
            lambda: unbroadcast(mul(dy, a), b._shape))


@register_gradient('RealDiv')
def real_div_grad(dy, inputs, outputs, attrs):
    a, b = inputs
    return (lambda: unbroadcast(div(dy, b), a._shape),
            lambda: unbroadcast(neg(div(mul(dy, a), square(b))), b._shape))


@register_gradient('Neg')
def neg_grad(dy, inputs, outputs, attrs):
    return (lambda: neg(dy),)


@register_gradient('Square')
def square_grad(dy, inputs, outputs, attrs):
    (x,) = inputs
    return (lambda: mul(dy, mul(cast(x, 'float32'), 2.0)),)


@register_gradient('Exp')
def exp_grad(dy, inputs, outputs, attrs):
    return (lambda: mul(dy, outputs[0]),)


@register_gradient('Log')
def log_grad(dy, inputs, outputs, attrs):
    (x,) = inputs
    return (lambda: div(dy, cast(x, 'float32')),)


@register_gradient('Sqrt')
def sqrt_grad(dy, inputs, outputs, attrs):
    return (lambda: div(dy, mul(outputs[0], 2.0)),)


@register_gradient('Tanh')
def tanh_grad(dy, inputs, outputs, attrs):
    y = outputs[0]
    return (lambda: mul(dy, sub(1.0, square(y))),)


@register_gradient('Sigmoid')
def sigmoid_grad(dy, inputs, outputs, attrs):
    y = outputs[0]
    return (lambda: mul(dy, mul(y, sub(1.0, y))),)


@register_gradient('Relu')
def relu_grad(dy, inputs, outputs, attrs):
    (x,) = inputs
    return (lambda: mul(dy, cast(greater(x, 0), 'float32')),)


@register_gradient('Cast')
def cast_grad(dy, inputs, outputs, attrs):
    return (lambda: dy.clone(),)


@register_gradient('Identity')
def identity_grad(dy, inputs, outputs, attrs):
    return (lambda: dy,)


@register_gradient('ZerosLike')
def zeros_like_grad(dy, inputs, outputs, attrs):
    return (lambda: zerosLike(inputs[0]),)


@register_gradient('OnesLike')
def ones_like_grad(dy, inputs, outputs, attrs):
    return (lambda: zerosLike(inputs[0]),)
