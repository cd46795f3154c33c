"""Elementwise NumPy kernels.

The ops hand every kernel inputs of one dtype, already chosen by tfjs' rules:
float kernels (Exp, Sin, Atan2, Elu, ...) get float32; kernels that keep an
integer dtype (Abs, Neg, Relu, Round, Add, Mod, Pow, ...) get float32 or int32;
logical kernels get bool. Where tfjs computes in double precision and stores
float32 (Mod, Pow, Erf, Softplus), so do these kernels, to give tfjs' numbers.
Results stored into int32 follow tfjs: NaN and Infinity become 0, the rest
truncates toward zero and wraps modulo 2**32.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ....dtypes import NUMPY_DTYPE
from ....engine.registry import register_kernel
from .util import arr, quietly

_F32 = np.float32
_F64 = np.float64
_I32 = np.int32


def _to_int32(v: np.ndarray) -> np.ndarray:
    """Doubles stored into an int32 tensor, as JavaScript's Int32Array does."""
    v = np.where(np.isfinite(v), v, 0.0)
    return np.fmod(np.trunc(v), 4294967296.0).astype(np.int64).astype(_I32)


def pick(mask: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """np.where(mask, a, b), branch-free for 4-byte dtypes: np.where
    mispredicts a branch per element on data-dependent masks (such as the
    sign of activations) and is 3-5x slower than these bit operations."""
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype != b.dtype or a.dtype.itemsize != 4 or mask.dtype != np.bool_:
        return np.where(mask, a, b)
    bits = np.bitwise_and(np.bitwise_xor(a.view(_I32), b.view(_I32)),
                          np.negative(mask, dtype=_I32))
    bits ^= b.view(_I32)
    return np.asarray(bits).view(a.dtype)


def _unary(name: str, fn: Callable[[np.ndarray], np.ndarray], quiet: bool = True) -> None:
    fn = quietly(fn) if quiet else fn
    register_kernel(name, 'cpu')(lambda backend, inputs, attrs: fn(arr(inputs[0])))


def _binary(name: str, fn: Callable[[np.ndarray, np.ndarray], np.ndarray],
            quiet: bool = True) -> None:
    fn = quietly(fn) if quiet else fn
    register_kernel(name, 'cpu')(
        lambda backend, inputs, attrs: fn(arr(inputs[0]), arr(inputs[1])))


def _float_only(fn: Callable[[np.ndarray], np.ndarray]) -> Callable[[np.ndarray], np.ndarray]:
    """A rounding function that leaves integers as they are (a copy)."""
    return lambda x: fn(x) if x.dtype.kind == 'f' else x.copy()


# Kernels that never raise a floating-point error (comparisons, abs, neg, ...)
# skip the silencing: `quiet=False`.

# -- one input, float ------------------------------------------------------------

def _sigmoid(x: np.ndarray) -> np.ndarray:
    # exp of -|x| never overflows; both branches give 1 / (1 + e^-x).
    e = np.exp(-np.abs(x))
    return pick(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype, copy=False)


# Abramowitz and Stegun 7.1.26, the approximation tfjs uses (|error| < 1.5e-7).
_ERF_P = 0.3275911
_ERF_A = (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592)


def _erf(x: np.ndarray) -> np.ndarray:
    v = np.abs(x.astype(_F64))
    t = 1.0 / (1.0 + _ERF_P * v)
    poly = np.zeros_like(t)
    for a in _ERF_A:
        poly = (poly + a) * t
    return (np.sign(x) * (1.0 - poly * np.exp(-v * v))).astype(_F32)


# Beyond these, softplus(x) is x or exp(x) within float32 epsilon (as tfjs).
_SOFTPLUS_THRESHOLD = float(np.log(np.finfo(np.float32).eps)) + 2.0


def _softplus(x: np.ndarray) -> np.ndarray:
    x64 = x.astype(_F64)
    e = np.exp(x64)
    out = np.where(x64 < _SOFTPLUS_THRESHOLD, e,
                   np.where(x64 > -_SOFTPLUS_THRESHOLD, x64, np.log1p(e)))
    return out.astype(_F32)


SELU_SCALE = 1.0507009873554804934193349852946
SELU_SCALEALPHA = 1.7580993408473768599402175208123


def _elu(x: np.ndarray) -> np.ndarray:
    return pick(x >= 0, x, np.expm1(x))


def _selu(x: np.ndarray) -> np.ndarray:
    return pick(x >= 0, x * _F32(SELU_SCALE), np.expm1(x) * _F32(SELU_SCALEALPHA))


_unary('Acos', np.arccos)
_unary('Acosh', np.arccosh)
_unary('Asin', np.arcsin)
_unary('Asinh', np.arcsinh)
_unary('Atan', np.arctan)
_unary('Atanh', np.arctanh)
_unary('Cos', np.cos)
_unary('Cosh', np.cosh)
_unary('Sin', np.sin)
_unary('Sinh', np.sinh)
_unary('Tan', np.tan)
_unary('Tanh', np.tanh)
_unary('Exp', np.exp)
_unary('Expm1', np.expm1)
_unary('Log', np.log)
_unary('Log1p', np.log1p)
_unary('Sqrt', np.sqrt)
_unary('Rsqrt', lambda x: 1 / np.sqrt(x))
_unary('Reciprocal', lambda x: 1 / x)
_unary('Sigmoid', _sigmoid)
_unary('Softplus', _softplus)
_unary('Erf', _erf)
_unary('Elu', _elu)
_unary('Selu', _selu)


@register_kernel('LeakyRelu', 'cpu')
@quietly
def leaky_relu(backend, inputs, attrs):
    return _leaky_relu(arr(inputs[0]), _F32(attrs['alpha']))


def _leaky_relu(x: np.ndarray, alpha: np.float32) -> np.ndarray:
    if x.dtype == _F32 and alpha > 0:
        # x * alpha is the larger of the two for x < 0 when alpha <= 1 (the
        # smaller when alpha > 1): one pass, NaN and +-Infinity included.
        return (np.maximum if alpha <= 1 else np.minimum)(x, x * alpha)
    return pick(x < 0, x * alpha, x)


@register_kernel('EluGrad', 'cpu')
@quietly
def elu_grad(backend, inputs, attrs):
    dy, y = arr(inputs[0]), arr(inputs[1])
    return pick(y >= 0, dy, dy * (y + 1))


# -- one input, keeping int32 ------------------------------------------------------

# Read only, never written: its pages stay the OS's shared zero page.
_ZEROS = np.zeros(1 << 20, _F32)
_ZEROS.flags.writeable = False


def relu_into(x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """max(x, 0) (into `out`, which may be x); NaN stays NaN. NumPy vectorises
    maximum only between two arrays: against a zeros array it is 3.5x faster
    than against the scalar 0."""
    if x.dtype == _F32 and x.size <= _ZEROS.size:
        return np.maximum(x, _ZEROS[:x.size].reshape(x.shape), out=out)
    return np.maximum(x, x.dtype.type(0), out=out)


def relu6_into(x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    out = relu_into(x, out)
    return np.minimum(out, out.dtype.type(6), out=out)


def _sign(x: np.ndarray) -> np.ndarray:
    # tfjs: sign(NaN) is 0.
    return np.where(x == x, np.sign(x), x.dtype.type(0))


_unary('Abs', np.abs, quiet=False)
_unary('Neg', np.negative, quiet=False)
_unary('Square', np.square)
_unary('Relu', relu_into, quiet=False)
_unary('Relu6', relu6_into, quiet=False)
_unary('Sign', _sign, quiet=False)
_unary('Round', _float_only(np.round), quiet=False)  # half to even, as tfjs
_unary('Floor', _float_only(np.floor), quiet=False)
_unary('Ceil', _float_only(np.ceil), quiet=False)


@register_kernel('Step', 'cpu')
@quietly
def step(backend, inputs, attrs):
    x = arr(inputs[0])
    alpha = attrs['alpha']
    if x.dtype.kind != 'f':
        return _to_int32(np.where(x > 0, 1.0, float(alpha)))
    # Branch-free: np.where on a data-dependent mask mispredicts a branch per
    # element (10x slower on the relu gradient's half-positive inputs).
    out = np.greater(x, 0).astype(x.dtype)
    if alpha:
        out += np.less_equal(x, 0) * x.dtype.type(alpha)
    # The minimum is NaN when any value is: a cheaper test than isnan().any(),
    # and `low != low` a cheaper one than np.isnan on the scalar (~1 us in a fit).
    if x.size:
        low = np.minimum.reduce(x, axis=None)
        if low != low:
            out[np.isnan(x)] = np.nan
    return out


@register_kernel('_ReluGrad', 'cpu')
@quietly
def relu_backprop(backend, inputs, attrs):
    """dy * step(x) as Multiply(dy, Step(x)) gives it: dy times 1.0 or +0.0,
    NaN where x is NaN. (The mask cast to float32 first: a float32 * bool
    product casts in a buffered loop, 40% slower.)"""
    dy, x = arr(inputs[0]), arr(inputs[1])
    out = np.greater(x, 0).astype(_F32)
    np.multiply(dy, out, out=out)
    if x.size:
        low = np.minimum.reduce(x, axis=None)
        if low != low:
            np.copyto(out, np.multiply(dy, _F32(np.nan), dtype=_F32), where=np.isnan(x))
    return out


@register_kernel('ClipByValue', 'cpu')
@quietly
def clip_by_value(backend, inputs, attrs):
    return clip_values(arr(inputs[0]), attrs['clipValueMin'], attrs['clipValueMax'])


def clip_values(x: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """ClipByValue's values (also for fused kernels that clip as it does)."""
    if x.dtype.kind == 'f':
        # NaN stays NaN, and x where it equals a bound (a signed zero), as in
        # tfjs and np.clip: two ufuncs cost half of np.clip's Python wrapper
        # on a loss's small arrays.
        out = np.maximum(x.dtype.type(lo), x)
        if out.__class__ is not np.ndarray:  # a 0-d x gives a scalar
            return np.minimum(x.dtype.type(hi), out)
        return np.minimum(x.dtype.type(hi), out, out=out)
    return _to_int32(np.clip(x.astype(_F64), lo, hi))


# -- one input, bool out ---------------------------------------------------------

_unary('IsNan', np.isnan, quiet=False)
_unary('IsInf', np.isinf, quiet=False)
_unary('IsFinite', np.isfinite, quiet=False)
_unary('LogicalNot', np.logical_not, quiet=False)


# -- two inputs, broadcasting ------------------------------------------------------

def _sub(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    try:
        return np.subtract(a, b)
    except TypeError:
        # bool - bool: tfjs keeps bool, true where the difference is nonzero.
        return np.not_equal(a, b)


def _floor_div(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    # Always int32 in tfjs, even for float32 inputs; integer x / 0 gives 0.
    if a.dtype.kind == 'f':
        return _to_int32(np.floor(np.divide(a, b, dtype=_F64)))
    return np.floor_divide(a, b)


def _mod(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The remainder takes the sign of the divisor; integer x mod 0 gives 0."""
    if a.dtype.kind != 'f':
        return np.mod(a, b)
    a64, b64 = a.astype(_F64), b.astype(_F64)
    rem = np.fmod(a64, b64)
    # tfjs' formula (not np.mod): x mod +-Infinity with mixed signs is NaN there.
    same_sign = (a64 < 0) == (b64 < 0)
    return np.where(same_sign, rem, np.fmod(rem + b64, b64)).astype(_F32)


def _pow(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a64, b64 = a.astype(_F64), b.astype(_F64)
    out = np.power(a64, b64)
    # JavaScript's Math.pow, unlike C's pow: 1 ** NaN and (+-1) ** +-Infinity are NaN.
    js_nan = np.isnan(b64) | (np.isinf(b64) & (np.abs(a64) == 1))
    if js_nan.any():
        out = np.where(js_nan, np.nan, out)
    return out.astype(_F32) if a.dtype.kind == 'f' else _to_int32(out)


def _squared_difference(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    d = np.subtract(a, b)
    return np.multiply(d, d)


# Silenced too, though they are the hot path (0.25 us): inf - inf, 0 * inf and
# overflow happen in real models (logSumExp of -Infinity), and tfjs never warns.
_binary('Add', np.add)
_binary('Sub', _sub)
_binary('Multiply', np.multiply)
_binary('RealDiv', np.divide)
_binary('FloorDiv', _floor_div)
_binary('Mod', _mod)
_binary('Pow', _pow)
_binary('Maximum', np.maximum, quiet=False)
_binary('Minimum', np.minimum, quiet=False)
_binary('SquaredDifference', _squared_difference)
_binary('Atan2', np.arctan2)
_binary('Equal', np.equal, quiet=False)
_binary('NotEqual', np.not_equal, quiet=False)
_binary('Greater', np.greater, quiet=False)
_binary('GreaterEqual', np.greater_equal, quiet=False)
_binary('Less', np.less, quiet=False)
_binary('LessEqual', np.less_equal, quiet=False)
_binary('LogicalAnd', np.logical_and, quiet=False)
_binary('LogicalOr', np.logical_or, quiet=False)
_binary('LogicalXor', np.logical_xor, quiet=False)


@register_kernel('Prelu', 'cpu')
@quietly
def prelu(backend, inputs, attrs):
    return _prelu(arr(inputs[0]), arr(inputs[1]))


def _prelu(x: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    return pick(x < 0, x * alpha, x)


def fused_activation(z: np.ndarray, name: str, alpha: np.ndarray | None = None,
                     leaky_alpha: float | None = None) -> np.ndarray:
    """The activation a fused kernel (_FusedMatMul, FusedConv2D,
    FusedDepthwiseConv2D) applies to its fresh result z: relu and relu6 in
    place, the others by their own kernels' functions."""
    if name == 'linear':
        return z
    if name == 'relu':
        return relu_into(z, z)
    if name == 'relu6':
        return relu6_into(z, z)
    if name == 'elu':
        return _elu(z)
    if name == 'sigmoid':
        return _sigmoid(z)
    if name == 'leakyrelu':
        return _leaky_relu(z, _F32(0.2 if leaky_alpha is None else leaky_alpha))
    if name == 'prelu':
        return _prelu(z, alpha)
    raise ValueError(f'Unknown fused activation {name!r}.')


@register_kernel('Select', 'cpu')
def select(backend, inputs, attrs):
    return pick(arr(inputs[0]), arr(inputs[1]), arr(inputs[2]))


@register_kernel('AddN', 'cpu')
@quietly
def add_n(backend, inputs, attrs):
    out = np.array(arr(inputs[0]), copy=True)
    for t in inputs[1:]:
        out += arr(t)
    return out


# -- dtype conversion and constants ----------------------------------------------

@register_kernel('Cast', 'cpu')
def cast(backend, inputs, attrs):
    x = arr(inputs[0])
    dtype = attrs['dtype']
    if dtype == 'int32' and x.dtype.kind in 'fc':
        # tfjs truncates toward zero and turns NaN and +-Infinity into 0.
        return _to_int32(x.real if x.dtype.kind == 'c' else x)
    if dtype == 'bool':
        return x != 0
    return x.astype(NUMPY_DTYPE[dtype])


# np.zeros gets pages the OS zeroes lazily; zeros_like writes every byte.
_unary('ZerosLike', lambda x: np.zeros(x.shape, x.dtype), quiet=False)


def _ones(x: np.ndarray) -> np.ndarray:
    # np.ones_like's Python wrapper costs 3 us of the 5 a small call takes.
    out = np.empty(x.shape, x.dtype)
    out.fill(1)
    return out


_unary('OnesLike', _ones, quiet=False)
