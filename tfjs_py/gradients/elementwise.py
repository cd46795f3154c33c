"""Gradients of elementwise kernels, with tfjs' choices at kinks and ties:
abs'(0) = -1, relu'(0) = 0, relu6'(6) = 1, leakyRelu'(0) = alpha, maximum and
minimum give a tie to `a`, clipByValue passes the gradient where
min <= x <= max, floorDiv has div's gradient, d pow / d exp is 0 where base <= 0.
Unlike tfjs, maximum, minimum and prelu sum a broadcast gradient back to the
input's shape."""

from __future__ import annotations

import math

from ..engine.engine import ENGINE
from ..engine.registry import register_gradient
from ..ops.creation import zerosLike
from ..ops.elementwise import (
    add,
    cast,
    cos,
    cosh,
    div,
    exp,
    floor,
    greater,
    greaterEqual,
    less,
    lessEqual,
    log,
    logicalAnd,
    logicalNot,
    mul,
    neg,
    pow_,
    sigmoid,
    sin,
    sinh,
    sqrt,
    square,
    step,
    sub,
    where,
)
from ..ops.op import cast_to
from .broadcast import unbroadcast
from .relu_mask import relu_backprop

_TWO_OVER_SQRT_PI = 2 / math.sqrt(math.pi)
# The SELU constants (Klambauer et al. 2017); each backend's kernel has them too.
SELU_SCALE = 1.0507009873554804934193349852946
SELU_SCALEALPHA = 1.7580993408473768599402175208123


def _f(x):
    return cast_to(x, 'float32')


# -- arithmetic -----------------------------------------------------------------------

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
    return (lambda: unbroadcast(mul(dy, _f(b)), a._shape),
            lambda: unbroadcast(mul(dy, _f(a)), b._shape))


def _div_grads(dy, a, b):
    return (lambda: unbroadcast(div(dy, _f(b)), a._shape),
            lambda: neg(div(unbroadcast(mul(dy, _f(a)), b._shape), square(_f(b)))))


@register_gradient('RealDiv')
def real_div_grad(dy, inputs, outputs, attrs):
    return _div_grads(dy, *inputs)


@register_gradient('FloorDiv')
def floor_div_grad(dy, inputs, outputs, attrs):
    # tfjs gives floorDiv the gradient of a / b (not the zero of a step function).
    return _div_grads(dy, *inputs)


@register_gradient('Mod')
def mod_grad(dy, inputs, outputs, attrs):
    a, b = inputs
    return (lambda: unbroadcast(dy, a._shape),
            lambda: unbroadcast(mul(dy, neg(floor(div(a, b)))), b._shape))


@register_gradient('Pow')
def pow_grad(dy, inputs, outputs, attrs):
    a, b = inputs
    y = outputs[0]

    def d_base():
        e = _f(b)
        return unbroadcast(mul(dy, mul(e, pow_(a, sub(e, 1.0)))), a._shape)

    def d_exp():
        log_base = where(greater(a, 0), log(a), zerosLike(_f(a)))
        return unbroadcast(mul(dy, mul(y, log_base)), b._shape)

    return (d_base, d_exp)


@register_gradient('SquaredDifference')
def squared_difference_grad(dy, inputs, outputs, attrs):
    a, b = inputs
    return (lambda: unbroadcast(mul(dy, mul(2.0, _f(sub(a, b)))), a._shape),
            lambda: unbroadcast(mul(dy, mul(2.0, _f(sub(b, a)))), b._shape))


@register_gradient('Maximum')
def maximum_grad(dy, inputs, outputs, attrs):
    a, b = inputs
    return (lambda: unbroadcast(mul(dy, _f(greaterEqual(a, b))), a._shape),
            lambda: unbroadcast(mul(dy, _f(less(a, b))), b._shape))


@register_gradient('Minimum')
def minimum_grad(dy, inputs, outputs, attrs):
    a, b = inputs
    return (lambda: unbroadcast(mul(dy, _f(lessEqual(a, b))), a._shape),
            lambda: unbroadcast(mul(dy, _f(greater(a, b))), b._shape))


@register_gradient('Atan2')
def atan2_grad(dy, inputs, outputs, attrs):
    a, b = inputs
    return (lambda: unbroadcast(mul(dy, div(b, add(square(a), square(b)))), a._shape),
            lambda: unbroadcast(neg(mul(dy, div(a, add(square(a), square(b))))), b._shape))


@register_gradient('AddN')
def add_n_grad(dy, inputs, outputs, attrs):
    return tuple((lambda: dy) for _ in inputs)


@register_gradient('Select')
def select_grad(dy, inputs, outputs, attrs):
    condition, t, e = inputs
    return (lambda: _f(zerosLike(condition)),
            lambda: unbroadcast(mul(dy, cast(condition, dy.dtype)), t._shape),
            lambda: unbroadcast(mul(dy, cast(logicalNot(condition), dy.dtype)), e._shape))


# -- one input ----------------------------------------------------------------------

@register_gradient('Neg')
def neg_grad(dy, inputs, outputs, attrs):
    return (lambda: neg(dy),)


@register_gradient('Abs')
def abs_grad(dy, inputs, outputs, attrs):
    (x,) = inputs
    return (lambda: mul(dy, step(_f(x), -1.0)),)


@register_gradient('Square')
def square_grad(dy, inputs, outputs, attrs):
    (x,) = inputs
    return (lambda: mul(dy, mul(_f(x), 2.0)),)


def _zero_grad(dy, inputs, outputs, attrs):
    return (lambda: zerosLike(dy),)


for _name in ('Step', 'Round', 'Sign', 'Floor', 'Ceil', 'IsNan', 'IsInf', 'IsFinite'):
    register_gradient(_name)(_zero_grad)


@register_gradient('GreaterEqual')
def greater_equal_grad(dy, inputs, outputs, attrs):
    a, b = inputs
    return (lambda: zerosLike(a), lambda: zerosLike(b))


@register_gradient('ClipByValue')
def clip_by_value_grad(dy, inputs, outputs, attrs):
    (x,) = inputs

    def dx():
        inside = logicalAnd(greaterEqual(x, attrs['clipValueMin']),
                            lessEqual(x, attrs['clipValueMax']))
        return where(inside, dy, zerosLike(dy))

    return (dx,)


@register_gradient('Exp')
def exp_grad(dy, inputs, outputs, attrs):
    return (lambda: mul(dy, outputs[0]),)


@register_gradient('Expm1')
def expm1_grad(dy, inputs, outputs, attrs):
    (x,) = inputs
    return (lambda: mul(dy, exp(x)),)


@register_gradient('Log')
def log_grad(dy, inputs, outputs, attrs):
    (x,) = inputs
    return (lambda: div(dy, _f(x)),)


@register_gradient('Log1p')
def log1p_grad(dy, inputs, outputs, attrs):
    (x,) = inputs
    return (lambda: div(dy, add(x, 1.0)),)


@register_gradient('Sqrt')
def sqrt_grad(dy, inputs, outputs, attrs):
    return (lambda: div(dy, mul(outputs[0], 2.0)),)


@register_gradient('Rsqrt')
def rsqrt_grad(dy, inputs, outputs, attrs):
    (x,) = inputs
    return (lambda: neg(div(dy, mul(pow_(x, 1.5), 2.0))),)


@register_gradient('Reciprocal')
def reciprocal_grad(dy, inputs, outputs, attrs):
    (x,) = inputs
    return (lambda: div(dy, neg(square(x))),)


@register_gradient('Sin')
def sin_grad(dy, inputs, outputs, attrs):
    (x,) = inputs
    return (lambda: mul(cos(x), dy),)


@register_gradient('Cos')
def cos_grad(dy, inputs, outputs, attrs):
    (x,) = inputs
    return (lambda: mul(neg(sin(x)), dy),)


@register_gradient('Tan')
def tan_grad(dy, inputs, outputs, attrs):
    (x,) = inputs
    return (lambda: div(dy, square(cos(x))),)


@register_gradient('Asin')
def asin_grad(dy, inputs, outputs, attrs):
    (x,) = inputs
    return (lambda: div(dy, sqrt(sub(1.0, square(x)))),)


@register_gradient('Acos')
def acos_grad(dy, inputs, outputs, attrs):
    (x,) = inputs
    return (lambda: neg(div(dy, sqrt(sub(1.0, square(x))))),)


@register_gradient('Atan')
def atan_grad(dy, inputs, outputs, attrs):
    (x,) = inputs
    return (lambda: div(dy, add(square(x), 1.0)),)


@register_gradient('Sinh')
def sinh_grad(dy, inputs, outputs, attrs):
    (x,) = inputs
    return (lambda: mul(cosh(x), dy),)


@register_gradient('Cosh')
def cosh_grad(dy, inputs, outputs, attrs):
    (x,) = inputs
    return (lambda: mul(sinh(x), dy),)


@register_gradient('Tanh')
def tanh_grad(dy, inputs, outputs, attrs):
    y = outputs[0]
    return (lambda: mul(dy, sub(1.0, square(y))),)


@register_gradient('Asinh')
def asinh_grad(dy, inputs, outputs, attrs):
    (x,) = inputs
    return (lambda: div(dy, sqrt(add(square(x), 1.0))),)


@register_gradient('Acosh')
def acosh_grad(dy, inputs, outputs, attrs):
    (x,) = inputs
    return (lambda: div(dy, sqrt(sub(square(x), 1.0))),)


@register_gradient('Atanh')
def atanh_grad(dy, inputs, outputs, attrs):
    (x,) = inputs
    return (lambda: div(dy, sub(1.0, square(x))),)


@register_gradient('Erf')
def erf_grad(dy, inputs, outputs, attrs):
    (x,) = inputs
    return (lambda: mul(dy, mul(exp(neg(square(x))), _TWO_OVER_SQRT_PI)),)


@register_gradient('Sigmoid')
def sigmoid_grad(dy, inputs, outputs, attrs):
    y = outputs[0]
    return (lambda: mul(dy, mul(y, sub(1.0, y))),)


@register_gradient('Softplus')
def softplus_grad(dy, inputs, outputs, attrs):
    (x,) = inputs
    return (lambda: mul(dy, sigmoid(x)),)


@register_gradient('Relu')
def relu_grad(dy, inputs, outputs, attrs):
    (x,) = inputs
    # Unless a max pool's gradient applied step(x) already (relu_mask.py).
    return (lambda: relu_backprop(dy, x, outputs[0]),)


@register_gradient('_ReluGrad')
def relu_backprop_grad(ddx, inputs, outputs, attrs):
    # dy * step(x) is linear in dy; step's own gradient is zero, as in tfjs.
    dy, x = inputs
    return (lambda: ENGINE.run_kernel('_ReluGrad', (ddx, x), {}), lambda: zerosLike(x))


@register_gradient('Relu6')
def relu6_grad(dy, inputs, outputs, attrs):
    (x,) = inputs
    return (lambda: mul(dy, mul(_f(lessEqual(x, 6)), step(_f(x)))),)


@register_gradient('LeakyRelu')
def leaky_relu_grad(dy, inputs, outputs, attrs):
    (x,) = inputs
    return (lambda: where(greater(x, 0), dy, mul(dy, attrs['alpha'])),)


@register_gradient('Prelu')
def prelu_grad(dy, inputs, outputs, attrs):
    x, alpha = inputs
    return (lambda: unbroadcast(where(greater(x, 0), dy, mul(dy, alpha)), x._shape),
            lambda: unbroadcast(where(greater(x, 0), zerosLike(dy), mul(dy, x)), alpha._shape))


@register_gradient('Elu')
def elu_grad(dy, inputs, outputs, attrs):
    y = outputs[0]
    return (lambda: ENGINE.run_kernel('EluGrad', (dy, y), {}),)


@register_gradient('EluGrad')
def elu_grad_grad(ddx, inputs, outputs, attrs):
    # EluGrad(dy, y) is dy where y >= 0, else dy * (y + 1): linear in dy.
    dy, y = inputs
    return (lambda: ENGINE.run_kernel('EluGrad', (ddx, y), {}),
            lambda: where(less(y, 0), mul(ddx, dy), zerosLike(y)))


@register_gradient('Selu')
def selu_grad(dy, inputs, outputs, attrs):
    (x,) = inputs

    def dx():
        below = mul(mul(dy, SELU_SCALEALPHA), exp(_f(x)))
        return where(greater(x, 0), mul(dy, SELU_SCALE), below)

    return (dx,)


# -- casts and constants --------------------------------------------------------------

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
