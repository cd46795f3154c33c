"""Elementwise ops: one input, or two (three for where, any number for addN)
with broadcasting.

Dtypes follow tfjs: arithmetic on int32 stays int32 (int32 div is floor
division), comparisons give bool, logical ops take bool, mixed inputs are
upcast (bool < int32 < float32). One deliberate difference: float functions
(exp, sqrt, sin, sigmoid, ...) given an int32 or bool tensor cast it to
float32 first. tfjs refuses such a tensor in some of them and truncates the
result to int32 in others; there Python numbers parse as float32, here Python
ints make int32 tensors, so `tf.sqrt(tf.tensor([1, 2]))` must give float32.
"""

from __future__ import annotations

from typing import Any

from ..dtypes import check_dtype
from ..engine.engine import ENGINE
from ..engine.tensor import Tensor, attach_op
from .broadcast import broadcast_shape
from .creation import fill, zerosLike
from .op import binary_inputs, cast_to, convert, convert_list, match_types, op, run_kernel

_NO_ATTRS: dict = {}
_tidy = ENGINE.tidy


def _dtype_error(arg: str, fn: str, want: str, x: Tensor) -> TypeError:
    return TypeError(f"Argument '{arg}' passed to '{fn}' must be {want} tensor, but got "
                     f"{x.dtype} tensor")


# -- helpers: one input ------------------------------------------------------------

def _as_float(x: Tensor, arg: str, fn: str) -> Tensor:
    if x.dtype != 'int32' and x.dtype != 'bool':
        raise _dtype_error(arg, fn, 'a float32, int32 or bool', x)
    return cast_to(x, 'float32')


def _float_unary(kernel: str, fn: str, x: Any, attrs: dict = _NO_ATTRS) -> Tensor:
    """A float32 kernel; an int32 or bool x is cast to float32 first."""
    if x.__class__ is not Tensor and not isinstance(x, Tensor):
        x = convert(x, 'x', fn, 'float32')
    if x.dtype == 'float32':
        return run_kernel(kernel, (x,), attrs)
    return _tidy(lambda: run_kernel(kernel, (_as_float(x, 'x', fn),), attrs))


def _numeric_unary(kernel: str, fn: str, x: Any, attrs: dict = _NO_ATTRS,
                   complex_ok: bool = False) -> Tensor:
    """A kernel that keeps float32 and int32. A bool x stays bool, as in tfjs
    (true where the integer result is nonzero)."""
    if x.__class__ is not Tensor and not isinstance(x, Tensor):
        x = convert(x, 'x', fn)
    dtype = x.dtype
    if dtype == 'float32' or dtype == 'int32' or (complex_ok and dtype == 'complex64'):
        return run_kernel(kernel, (x,), attrs)
    if dtype == 'bool':
        return _tidy(lambda: cast_to(run_kernel(kernel, (cast_to(x, 'int32'),), attrs), 'bool'))
    raise _dtype_error('x', fn, 'a numeric', x)


# -- one input ---------------------------------------------------------------------

@op(name='abs')
def abs_(x: Any) -> Tensor:
    """|x|; int32 stays int32, complex64 gives its float32 magnitude."""
    return _numeric_unary('Abs', 'abs', x, complex_ok=True)


@op
def neg(x: Any) -> Tensor:
    return _numeric_unary('Neg', 'neg', x, complex_ok=True)


@op
def square(x: Any) -> Tensor:
    return _numeric_unary('Square', 'square', x)


@op
def relu(x: Any) -> Tensor:
    return _numeric_unary('Relu', 'relu', x)


@op
def relu6(x: Any) -> Tensor:
    """min(max(x, 0), 6)."""
    return _numeric_unary('Relu6', 'relu6', x)


@op
def sign(x: Any) -> Tensor:
    """-1, 0 or 1; sign(NaN) is 0, as in tfjs."""
    return _numeric_unary('Sign', 'sign', x)


@op(name='round')
def round_(x: Any) -> Tensor:
    """Rounds halves to even, as tfjs (round(2.5) is 2)."""
    return _numeric_unary('Round', 'round', x)


@op
def floor(x: Any) -> Tensor:
    return _numeric_unary('Floor', 'floor', x)


@op
def ceil(x: Any) -> Tensor:
    return _numeric_unary('Ceil', 'ceil', x)


@op
def step(x: Any, alpha: float = 0.0) -> Tensor:
    """1 where x > 0, else alpha; NaN stays NaN."""
    return _numeric_unary('Step', 'step', x, {'alpha': float(alpha)})


@op
def clipByValue(x: Any, clipValueMin: float, clipValueMax: float) -> Tensor:
    """x clipped to [clipValueMin, clipValueMax]; NaN stays NaN."""
    x = convert(x, 'x', 'clipByValue')
    if not clipValueMin <= clipValueMax:
        raise ValueError(f'Error in clip: min ({clipValueMin}) must be less than or equal to '
                         f'max ({clipValueMax}).')
    if clipValueMin == clipValueMax:
        # As tfjs: a constant, with no gradient path to x.
        return fill(list(x._shape), clipValueMin, x.dtype)
    return _numeric_unary('ClipByValue', 'clipByValue', x,
                          {'clipValueMin': clipValueMin, 'clipValueMax': clipValueMax})


@op
def exp(x: Any) -> Tensor:
    return _float_unary('Exp', 'exp', x)


@op
def expm1(x: Any) -> Tensor:
    """exp(x) - 1, accurate near 0."""
    return _float_unary('Expm1', 'expm1', x)


@op
def log(x: Any) -> Tensor:
    return _float_unary('Log', 'log', x)


@op
def log1p(x: Any) -> Tensor:
    """log(1 + x), accurate near 0."""
    return _float_unary('Log1p', 'log1p', x)


@op
def sqrt(x: Any) -> Tensor:
    return _float_unary('Sqrt', 'sqrt', x)


@op
def rsqrt(x: Any) -> Tensor:
    """1 / sqrt(x)."""
    return _float_unary('Rsqrt', 'rsqrt', x)


@op
def reciprocal(x: Any) -> Tensor:
    """1 / x."""
    return _float_unary('Reciprocal', 'reciprocal', x)


@op
def sin(x: Any) -> Tensor:
    return _float_unary('Sin', 'sin', x)


@op
def cos(x: Any) -> Tensor:
    return _float_unary('Cos', 'cos', x)


@op
def tan(x: Any) -> Tensor:
    return _float_unary('Tan', 'tan', x)


@op
def asin(x: Any) -> Tensor:
    return _float_unary('Asin', 'asin', x)


@op
def acos(x: Any) -> Tensor:
    return _float_unary('Acos', 'acos', x)


@op
def atan(x: Any) -> Tensor:
    return _float_unary('Atan', 'atan', x)


@op
def sinh(x: Any) -> Tensor:
    return _float_unary('Sinh', 'sinh', x)


@op
def cosh(x: Any) -> Tensor:
    return _float_unary('Cosh', 'cosh', x)


@op
def tanh(x: Any) -> Tensor:
    return _float_unary('Tanh', 'tanh', x)


@op
def asinh(x: Any) -> Tensor:
    return _float_unary('Asinh', 'asinh', x)


@op
def acosh(x: Any) -> Tensor:
    return _float_unary('Acosh', 'acosh', x)


@op
def atanh(x: Any) -> Tensor:
    return _float_unary('Atanh', 'atanh', x)


@op
def erf(x: Any) -> Tensor:
    """The error function, by the approximation tfjs uses (error < 1.5e-7)."""
    return _float_unary('Erf', 'erf', x)


@op
def sigmoid(x: Any) -> Tensor:
    return _float_unary('Sigmoid', 'sigmoid', x)


@op
def softplus(x: Any) -> Tensor:
    """log(1 + exp(x))."""
    return _float_unary('Softplus', 'softplus', x)


@op
def logSigmoid(x: Any) -> Tensor:
    """log(sigmoid(x)), composed as tfjs does: -softplus(-x)."""
    if x.__class__ is not Tensor and not isinstance(x, Tensor):
        x = convert(x, 'x', 'logSigmoid', 'float32')
    return _tidy(lambda: neg(softplus(neg(x if x.dtype == 'float32'
                                           else _as_float(x, 'x', 'logSigmoid')))))


@op
def elu(x: Any) -> Tensor:
    """x where x >= 0, else exp(x) - 1."""
    return _float_unary('Elu', 'elu', x)


@op
def selu(x: Any) -> Tensor:
    """scale * x where x >= 0, else scale * alpha * (exp(x) - 1)."""
    return _float_unary('Selu', 'selu', x)


@op
def leakyRelu(x: Any, alpha: float = 0.2) -> Tensor:
    """x where x >= 0, else alpha * x (float32, as tfjs)."""
    return _float_unary('LeakyRelu', 'leakyRelu', x, {'alpha': float(alpha)})


@op
def isNaN(x: Any) -> Tensor:
    return run_kernel('IsNan', (convert(x, 'x', 'isNaN'),), _NO_ATTRS)


@op
def isInf(x: Any) -> Tensor:
    return run_kernel('IsInf', (convert(x, 'x', 'isInf'),), _NO_ATTRS)


@op
def isFinite(x: Any) -> Tensor:
    return run_kernel('IsFinite', (convert(x, 'x', 'isFinite'),), _NO_ATTRS)


@op
def logicalNot(x: Any) -> Tensor:
    x = convert(x, 'x', 'logicalNot', 'bool')
    if x.dtype != 'bool':
        raise _dtype_error('x', 'logicalNot', 'bool', x)
    return run_kernel('LogicalNot', (x,), _NO_ATTRS)


@op
def cast(x: Any, dtype: str) -> Tensor:
    x = convert(x, 'x', 'cast')
    check_dtype(dtype)
    if x.dtype == dtype:
        return ENGINE.run_shared('Identity', x, x._shape, dtype, _NO_ATTRS)
    if dtype == 'string' or x.dtype == 'string':
        raise TypeError(f'cast: cannot cast {x.dtype} to {dtype}')
    return run_kernel('Cast', (x,), {'dtype': dtype})


# -- two inputs: arithmetic (the hot path: keep these lean) ----------------------------

@op
def add(a: Any, b: Any) -> Tensor:
    a, b = binary_inputs(a, b, 'add')
    return run_kernel('Add', (a, b), _NO_ATTRS)


@op
def sub(a: Any, b: Any) -> Tensor:
    a, b = binary_inputs(a, b, 'sub')
    return run_kernel('Sub', (a, b), _NO_ATTRS)


@op
def mul(a: Any, b: Any) -> Tensor:
    a, b = binary_inputs(a, b, 'mul')
    return run_kernel('Multiply', (a, b), _NO_ATTRS)


@op
def div(a: Any, b: Any) -> Tensor:
    """a / b; int32 by int32 is floor division, as in tfjs."""
    a, b = binary_inputs(a, b, 'div')
    if a.dtype != 'float32':
        return _div_not_float(a, b)
    return run_kernel('RealDiv', (a, b), _NO_ATTRS)


def _div_not_float(a: Tensor, b: Tensor) -> Tensor:
    if a.dtype == 'int32':
        return run_kernel('FloorDiv', (a, b), _NO_ATTRS)
    if a.dtype == 'bool':
        # tfjs keeps bool; only true / true is a nonzero integer.
        return _via_int32('FloorDiv', a, b, 'bool')
    return run_kernel('RealDiv', (a, b), _NO_ATTRS)


def _via_int32(kernel: str, a: Tensor, b: Tensor, out_dtype: str) -> Tensor:
    """Run an integer kernel on bool inputs cast to int32."""
    def run() -> Tensor:
        out = run_kernel(kernel, (cast_to(a, 'int32'), cast_to(b, 'int32')), _NO_ATTRS)
        return cast_to(out, out_dtype)

    return _tidy(run)


def _numeric_binary(kernel: str, fn: str, a: Any, b: Any, bool_out: str = 'bool') -> Tensor:
    """A kernel that keeps float32 and int32; bool inputs run as int32 and the
    result is `bool_out` (tfjs keeps bool for some ops, gives int32 for others)."""
    a, b = binary_inputs(a, b, fn)
    if a.dtype == 'float32' or a.dtype == 'int32':
        return run_kernel(kernel, (a, b), _NO_ATTRS)
    if a.dtype == 'bool':
        return _via_int32(kernel, a, b, bool_out)
    raise _dtype_error('a', fn, 'a numeric', a)


@op
def floorDiv(a: Any, b: Any) -> Tensor:
    """floor(a / b) as int32, also for float32 inputs (as tfjs); x / 0 gives 0."""
    return _numeric_binary('FloorDiv', 'floorDiv', a, b, 'int32')


@op
def mod(a: Any, b: Any) -> Tensor:
    """The remainder of floor division: its sign follows b; int32 x mod 0 is 0."""
    return _numeric_binary('Mod', 'mod', a, b)


@op(name='pow')
def pow_(base: Any, exp: Any) -> Tensor:
    """base ** exp; int32 ** int32 stays int32 (2 ** -1 is 0), as tfjs."""
    return _numeric_binary('Pow', 'pow', base, exp)


@op
def maximum(a: Any, b: Any) -> Tensor:
    """The larger of a and b (NaN wins); bool inputs give int32, as tfjs."""
    return _numeric_binary('Maximum', 'maximum', a, b, 'int32')


@op
def minimum(a: Any, b: Any) -> Tensor:
    """The smaller of a and b (NaN wins); bool inputs give int32, as tfjs."""
    return _numeric_binary('Minimum', 'minimum', a, b, 'int32')


@op
def squaredDifference(a: Any, b: Any) -> Tensor:
    """(a - b) ** 2."""
    return _numeric_binary('SquaredDifference', 'squaredDifference', a, b)


@op
def atan2(a: Any, b: Any) -> Tensor:
    """The angle of the point (b, a); int32 and bool inputs are cast to float32."""
    a, b = binary_inputs(a, b, 'atan2')
    if a.dtype == 'float32':
        return run_kernel('Atan2', (a, b), _NO_ATTRS)
    return _tidy(lambda: run_kernel('Atan2', (_as_float(a, 'a', 'atan2'),
                                              _as_float(b, 'b', 'atan2')), _NO_ATTRS))


def _div_no_nan_value(a: Tensor, b: Tensor) -> Tensor:
    quotient = div(a, b)
    zeros = zerosLike(quotient)
    return where(equal(b, zeros), zeros, quotient)


def _div_no_nan(a: Tensor, b: Tensor, save: Any) -> dict:
    save([a, b])
    return {'value': _tidy(lambda: _div_no_nan_value(a, b)), 'gradFunc': _div_no_nan_grad}


def _div_no_nan_grad(dy: Tensor, saved: list[Tensor]) -> list[Tensor]:
    from ..gradients.broadcast import unbroadcast  # gradients load after ops

    a, b = saved
    return [unbroadcast(divNoNan(dy, b), a._shape),
            unbroadcast(mul(dy, divNoNan(divNoNan(neg(a), b), b)), b._shape)]


_div_no_nan_op = ENGINE.custom_grad(_div_no_nan)


@op
def divNoNan(a: Any, b: Any) -> Tensor:
    """a / b, and 0 where b is 0: where(b == 0, 0, a / b), as tfjs composes it.
    Its gradient is 0 where b is 0 too (tfjs' backprop fails there, as Equal
    has no gradient)."""
    a, b = binary_inputs(a, b, 'divNoNan')
    return _div_no_nan_op(a, b)


@op
def prelu(x: Any, alpha: Any) -> Tensor:
    """x where x >= 0, else alpha * x, with alpha broadcast against x (float32)."""
    x = convert(x, 'x', 'prelu', 'float32')
    alpha = convert(alpha, 'alpha', 'prelu', 'float32')
    if x._shape != alpha._shape:
        broadcast_shape(x._shape, alpha._shape)
    if x.dtype == 'float32' and alpha.dtype == 'float32':
        return run_kernel('Prelu', (x, alpha), _NO_ATTRS)
    return _tidy(lambda: run_kernel('Prelu', (_as_float(x, 'x', 'prelu'),
                                              _as_float(alpha, 'alpha', 'prelu')), _NO_ATTRS))


# -- two inputs: comparisons and logic -------------------------------------------------

@op
def equal(a: Any, b: Any) -> Tensor:
    a, b = binary_inputs(a, b, 'equal')
    return run_kernel('Equal', (a, b), _NO_ATTRS)


@op
def notEqual(a: Any, b: Any) -> Tensor:
    a, b = binary_inputs(a, b, 'notEqual')
    return run_kernel('NotEqual', (a, b), _NO_ATTRS)


@op
def greater(a: Any, b: Any) -> Tensor:
    a, b = binary_inputs(a, b, 'greater')
    return run_kernel('Greater', (a, b), _NO_ATTRS)


@op
def greaterEqual(a: Any, b: Any) -> Tensor:
    a, b = binary_inputs(a, b, 'greaterEqual')
    return run_kernel('GreaterEqual', (a, b), _NO_ATTRS)


@op
def less(a: Any, b: Any) -> Tensor:
    a, b = binary_inputs(a, b, 'less')
    return run_kernel('Less', (a, b), _NO_ATTRS)


@op
def lessEqual(a: Any, b: Any) -> Tensor:
    a, b = binary_inputs(a, b, 'lessEqual')
    return run_kernel('LessEqual', (a, b), _NO_ATTRS)


def _logical(kernel: str, fn: str, a: Any, b: Any) -> Tensor:
    a = convert(a, 'a', fn, 'bool')
    b = convert(b, 'b', fn, 'bool')
    if a.dtype != 'bool':
        raise _dtype_error('a', fn, 'bool', a)
    if b.dtype != 'bool':
        raise _dtype_error('b', fn, 'bool', b)
    if a._shape != b._shape:
        broadcast_shape(a._shape, b._shape)
    return run_kernel(kernel, (a, b), _NO_ATTRS)


@op
def logicalAnd(a: Any, b: Any) -> Tensor:
    return _logical('LogicalAnd', 'logicalAnd', a, b)


@op
def logicalOr(a: Any, b: Any) -> Tensor:
    return _logical('LogicalOr', 'logicalOr', a, b)


@op
def logicalXor(a: Any, b: Any) -> Tensor:
    return _logical('LogicalXor', 'logicalXor', a, b)


# -- three or more inputs ---------------------------------------------------------------

@op(chain=False)
def where(condition: Any, a: Any, b: Any) -> Tensor:
    """a where condition is true, else b; the three broadcast together (tfjs 4.22).
    A non-bool condition counts as true where it is nonzero."""
    c = convert(condition, 'condition', 'where', 'bool')
    a = convert(a, 'a', 'where')
    b = convert(b, 'b', 'where')
    broadcast_shape(broadcast_shape(c._shape, a._shape), b._shape)
    if c.dtype == 'bool' and a.dtype == b.dtype:
        return run_kernel('Select', (c, a, b), _NO_ATTRS)

    def run() -> Tensor:
        cond = c if c.dtype == 'bool' else cast(c, 'bool')
        return run_kernel('Select', (cond, *match_types(a, b)), _NO_ATTRS)

    return _tidy(run)


@op(chain=False)
def addN(tensors: Any) -> Tensor:
    """The sum of a list of tensors of one shape and dtype."""
    if not isinstance(tensors, list | tuple):
        raise TypeError('The argument passed to tf.addN() must be a list of tensors')
    if not tensors:
        raise ValueError('Must pass at least one tensor to tf.addN(), but got 0')
    ts = convert_list(tensors, 'tensors', 'addN')
    first = ts[0]
    for t in ts:
        if t.dtype != first.dtype:
            raise TypeError(f'All tensors passed to tf.addN() must have the same dtype '
                            f'(got {first.dtype} and {t.dtype})')
    for t in ts:
        if t._shape != first._shape:
            raise ValueError(f'All tensors passed to tf.addN() must have the same shape '
                             f'(got {list(first._shape)} and {list(t._shape)})')
    return run_kernel('AddN', tuple(ts), _NO_ATTRS)


# -- Tensor methods that tfjs chains differently from the ops -----------------------------

def _where_method(self: Tensor, condition: Any, x: Any) -> Tensor:
    """t.where(condition, x) is where(condition, t, x), as in tfjs."""
    return where(condition, self, x)


def _as_type(self: Tensor, dtype: str) -> Tensor:
    return cast(self, dtype)


attach_op('where', _where_method)
attach_op('asType', _as_type)
attach_op('toFloat', lambda self: cast(self, 'float32'))
attach_op('toInt', lambda self: cast(self, 'int32'))
attach_op('toBool', lambda self: cast(self, 'bool'))
