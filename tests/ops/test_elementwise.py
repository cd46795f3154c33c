"""Elementwise ops: values, dtypes, broadcasting, edge cases and errors.

Expected values come from TensorFlow.js 4.22 (tests/ops/data/tfjs_elementwise_cases.json,
made by tests/reference/make_elementwise_cases.py) unless a comment says they are
computed by hand. Gradients are in test_elementwise_grad.py.
"""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path

import numpy as np
import pytest

import tfjs_py as tf

CASES = json.loads((Path(__file__).parent / 'data' / 'tfjs_elementwise_cases.json').read_text())
_NON_FINITE = {'NaN': math.nan, 'Infinity': math.inf, '-Infinity': -math.inf}


def number(v):
    return _NON_FINITE.get(v, v) if isinstance(v, str) else v


def make_arg(arg):
    """A fixture arg as tfjs_py input: a tensor spec, a list of them, or a number."""
    if isinstance(arg, list):
        return [make_arg(a) for a in arg]
    if isinstance(arg, dict):
        return tf.tensor([number(v) for v in arg['values']], arg['shape'], arg['dtype'])
    return number(arg)


def assert_tensor(actual: tf.Tensor, expected: dict, rtol: float = 2e-6, atol: float = 1e-7):
    assert actual.shape == expected['shape']
    assert actual.dtype == expected['dtype']
    values = actual.dataSync()
    want = np.array([number(v) for v in expected['values']], dtype=np.float64)
    if expected['dtype'] == 'float32':
        np.testing.assert_allclose(values.astype(np.float64), want, rtol=rtol, atol=atol)
    else:
        np.testing.assert_array_equal(values.astype(np.float64), want)


def check(fn, values, shape, dtype='float32'):
    """fn()'s tensor has this shape, dtype and values (NaN where NaN); all disposed."""
    tf.tidy(lambda: assert_tensor(fn(), {'values': [_json(v) for v in np.ravel(values)],
                                         'shape': list(shape), 'dtype': dtype}))


def _json(v):
    if isinstance(v, float | np.floating) and not math.isfinite(v):
        return 'NaN' if math.isnan(v) else ('Infinity' if v > 0 else '-Infinity')
    return float(v) if not isinstance(v, bool | np.bool_) else bool(v)


VALUE_CASES = [c for c in CASES if c['kind'] == 'value']


@pytest.mark.parametrize('case', VALUE_CASES, ids=[c['name'] for c in VALUE_CASES])
def test_values_match_tfjs(backend, case):
    fn = getattr(tf, case['op'])
    expected = case['expected']

    def run():
        args = [make_arg(a) for a in case['args']]
        if 'error' in expected:
            with pytest.raises(TypeError, match='must be bool tensor, but got int32 tensor'):
                fn(*args)
            return
        assert_tensor(fn(*args), expected)

    tf.tidy(run)


def test_every_op_has_tfjs_cases():
    ops = ('abs acos acosh asin asinh atan atanh ceil clipByValue cos cosh elu erf exp expm1 '
           'floor isFinite isInf isNaN leakyRelu log log1p logSigmoid logicalNot neg prelu '
           'reciprocal relu relu6 round rsqrt selu sigmoid sign sin sinh softplus sqrt square '
           'step tan tanh add addN atan2 div divNoNan equal floorDiv greater greaterEqual less '
           'lessEqual logicalAnd logicalOr logicalXor maximum minimum mod mul notEqual pow '
           'squaredDifference sub where').split()
    covered = {c['op'] for c in VALUE_CASES}
    assert set(ops) <= covered, sorted(set(ops) - covered)
    graded = {c['op'] for c in CASES if c['kind'] == 'grad'}
    differentiable = set(ops) - {'isFinite', 'isInf', 'isNaN', 'logicalNot', 'equal', 'greater',
                                 'greaterEqual', 'less', 'lessEqual', 'logicalAnd', 'logicalOr',
                                 'logicalXor', 'notEqual', 'divNoNan'}
    assert differentiable <= graded, sorted(differentiable - graded)


# -- dtypes ---------------------------------------------------------------------------------

def test_floor_and_ceil_keep_int32(backend):
    # tfjs refuses int32 here; its values are already whole, so a copy is the honest answer.
    check(lambda: tf.floor(tf.tensor1d([-3, 0, 4], 'int32')), [-3, 0, 4], [3], 'int32')
    check(lambda: tf.ceil(tf.tensor1d([-3, 0, 4], 'int32')), [-3, 0, 4], [3], 'int32')
    check(lambda: tf.floor(tf.tensor1d([True, False])), [True, False], [2], 'bool')


@pytest.mark.parametrize('name', ['exp', 'sqrt', 'sin', 'sigmoid', 'tanh', 'log1p', 'erf',
                                  'softplus', 'logSigmoid', 'elu', 'selu', 'reciprocal'])
def test_float_functions_parse_python_ints_as_float32(backend, name):
    fn = getattr(tf, name)
    out = tf.tidy(lambda: fn([1, 2]).dtype)
    assert out == 'float32'
    a = tf.tidy(lambda: fn([1, 2]).numpy())
    b = tf.tidy(lambda: fn(tf.tensor1d([1.0, 2.0])).numpy())
    np.testing.assert_array_equal(a, b)


def test_python_numbers_and_upcasting(backend):
    x = tf.tensor1d([1, 2, 3])  # Python ints: int32
    assert x.dtype == 'int32'
    check(lambda: tf.add(x, 2), [3, 4, 5], [3], 'int32')
    check(lambda: tf.add(x, 0.5), [1.5, 2.5, 3.5], [3], 'float32')
    check(lambda: tf.mul(x, True), [1, 2, 3], [3], 'int32')
    check(lambda: tf.div(x, 2), [0, 1, 1], [3], 'int32')  # int32 div floors
    check(lambda: tf.div(x, 2.0), [0.5, 1, 1.5], [3], 'float32')
    check(lambda: tf.sub(1, tf.tensor1d([0.25, 2.0])), [0.75, -1], [2], 'float32')
    check(lambda: tf.pow(2, tf.tensor1d([0, 1, 10], 'int32')), [1, 2, 1024], [3], 'int32')
    check(lambda: tf.abs([-1, 2]), [1, 2], [2], 'int32')
    check(lambda: tf.maximum([[1], [5]], [2, 3, 4]), [[2, 3, 4], [5, 5, 5]], [2, 3], 'int32')
    check(lambda: tf.equal(tf.tensor1d([1, 2], 'int32'), tf.tensor1d([1.0, 2.5])),
          [True, False], [2], 'bool')
    check(lambda: tf.add(True, tf.tensor1d([True, False])), [True, True], [2], 'bool')


def test_int32_arithmetic_wraps_and_divides_like_tfjs(backend):
    big = tf.tensor1d([2147483647, -2147483648], 'int32')
    check(lambda: tf.add(big, 1), [-2147483648, -2147483647], [2], 'int32')
    check(lambda: tf.floorDiv(tf.tensor1d([7, -7, 0], 'int32'), 0), [0, 0, 0], [3], 'int32')
    check(lambda: tf.mod(tf.tensor1d([7, -7, 0], 'int32'), 0), [0, 0, 0], [3], 'int32')
    check(lambda: tf.pow(tf.tensor1d([3], 'int32'), tf.tensor1d([20], 'int32')),
          [3486784401 - 2**32], [1], 'int32')  # wraps modulo 2**32, as Int32Array does
    big.dispose()


def test_cast_rules(backend):
    x = tf.tensor1d([1.7, -1.7, np.nan, np.inf, -np.inf, 3e9])
    # Truncation toward zero; NaN and Infinity give 0; 3e9 wraps as in Int32Array.
    check(lambda: tf.cast(x, 'int32'), [1, -1, 0, 0, 0, 3000000000 - 2**32], [6], 'int32')
    check(lambda: tf.cast(x, 'bool'), [True, True, True, True, True, True], [6], 'bool')
    check(lambda: x.toInt(), [1, -1, 0, 0, 0, 3000000000 - 2**32], [6], 'int32')
    check(lambda: tf.tensor1d([0, 2], 'int32').toBool(), [False, True], [2], 'bool')
    check(lambda: tf.tensor1d([True, False]).toFloat(), [1, 0], [2], 'float32')
    check(lambda: tf.tensor1d([1.5]).asType('int32'), [1], [1], 'int32')
    y = tf.cast(x, 'float32')
    assert y.dataId is x.dataId  # the same dtype shares data
    tf.dispose([x, y])


def test_complex_abs_and_neg(backend):
    def run():
        z = tf.tensor(np.array([3 + 4j, -1 - 1j], np.complex64))
        assert_tensor(tf.abs(z), {'values': [5, math.sqrt(2)], 'shape': [2],
                                  'dtype': 'float32'})
        assert tf.neg(z).numpy().tolist() == [-3 - 4j, 1 + 1j]

    tf.tidy(run)


# -- broadcasting, shapes, operators ------------------------------------------------------

def test_broadcasting_and_shapes(backend):
    check(lambda: tf.add(tf.zeros([2, 1, 3]), tf.ones([4, 1])), np.ones([2, 4, 3]), [2, 4, 3])
    check(lambda: tf.atan2(tf.ones([3, 1]), tf.ones([1, 2])), np.full([3, 2], math.pi / 4),
          [3, 2])
    check(lambda: tf.greater(tf.zeros([0, 3]), tf.zeros([3])), [], [0, 3], 'bool')
    check(lambda: tf.squaredDifference(tf.scalar(3.0), tf.tensor1d([1.0, 5.0])), [4, 4], [2])
    check(lambda: tf.prelu(tf.tensor2d([[-1.0, -2.0], [3.0, -4.0]]), tf.tensor1d([0.5, 2.0])),
          [-0.5, -4, 3, -8], [2, 2])
    check(lambda: tf.exp(tf.scalar(0.0)), [1], [])


def test_python_operators(backend):
    a = tf.tensor1d([7.0, -7.5, 2.0])
    i = tf.tensor1d([7, -7, 2], 'int32')
    check(lambda: a + 1, [8, -6.5, 3], [3])
    check(lambda: 1 - a, [-6, 8.5, -1], [3])
    check(lambda: a * a, [49, 56.25, 4], [3])
    check(lambda: 3.0 / a, [3 / 7, -0.4, 1.5], [3])
    check(lambda: i / 2, [3, -4, 1], [3], 'int32')  # tfjs: int32 div floors
    check(lambda: a // 2, [3, -4, 1], [3], 'int32')  # floorDiv gives int32, as tfjs
    check(lambda: 15 // i, [2, -3, 7], [3], 'int32')
    check(lambda: a % 3, [1, 1.5, 2], [3])
    check(lambda: -8 % i, [6, -1, 0], [3], 'int32')
    check(lambda: i ** 2, [49, 49, 4], [3], 'int32')
    check(lambda: 2.0 ** i, [128, 2 ** -7, 4], [3])
    check(lambda: -i, [-7, 7, -2], [3], 'int32')
    check(lambda: abs(a), [7, 7.5, 2], [3])
    tf.dispose([a, i])


def test_chained_methods_and_snake_case(backend):
    x = tf.tensor1d([-2.0, 0.5, 3.0])
    check(lambda: x.clipByValue(-1, 1), [-1, 0.5, 1], [3])
    check(lambda: x.clip_by_value(clip_value_min=-1, clip_value_max=1), [-1, 0.5, 1], [3])
    check(lambda: tf.clip_by_value(x, -1, 1), [-1, 0.5, 1], [3])
    check(lambda: x.leakyRelu(0.5), [-1, 0.5, 3], [3])
    check(lambda: tf.leaky_relu(x), [-0.4, 0.5, 3], [3])
    check(lambda: x.step(-1.0), [-1, 1, 1], [3])
    check(lambda: x.abs().square().sqrt(), [2, 0.5, 3], [3])
    check(lambda: x.squaredDifference(1.0), [9, 0.25, 4], [3])
    check(lambda: tf.squared_difference(x, 1.0), [9, 0.25, 4], [3])
    check(lambda: x.isNaN(), [False] * 3, [3], 'bool')
    check(lambda: tf.floor_div(x, 2), [-1, 0, 1], [3], 'int32')
    check(lambda: tf.div_no_nan(x, tf.tensor1d([0.0, 2.0, 0.0])), [0, 0.25, 0], [3])
    check(lambda: tf.log_sigmoid(tf.scalar(0.0)), [-math.log(2)], [])
    check(lambda: x.greater(0).logicalAnd(x.less(1)), [False, True, False], [3], 'bool')
    check(lambda: tf.logical_xor([True, False], [True, True]), [False, True], [2], 'bool')
    # Tensor.where(condition, b) is where(condition, t, b), as tfjs chains it.
    check(lambda: x.where(tf.tensor1d([True, False, True]), 9.0), [-2, 9, 3], [3])
    assert not hasattr(x, 'addN')
    x.dispose()


def test_where_condition_rules(backend):
    a, b = tf.tensor1d([1.0, 2.0, 3.0]), tf.tensor1d([-1.0, -2.0, -3.0])
    check(lambda: tf.where([True, False, True], a, b), [1, -2, 3], [3])
    check(lambda: tf.where([1, 0, 1], a, b), [1, -2, 3], [3])  # TensorLike parses as bool
    # A non-bool condition tensor counts as true where nonzero (tfjs compares it with 1).
    check(lambda: tf.where(tf.tensor1d([1.0, 0.0, 1.0]), a, b), [1, -2, 3], [3])
    check(lambda: tf.where(tf.scalar(True), a, 0), [1, 2, 3], [3])
    tf.dispose([a, b])


def test_clip_by_value_equal_bounds_is_a_fill(backend):
    check(lambda: tf.clipByValue(tf.tensor1d([1, 5, -3], 'int32'), 2, 2), [2, 2, 2], [3], 'int32')


def test_nan_and_infinity_do_not_warn(backend):
    with warnings.catch_warnings(record=True) as caught:
        tf.tidy(lambda: [tf.div(1.0, tf.zeros([2])), tf.log(tf.tensor1d([0.0, -1.0])),
                         tf.squaredDifference(tf.scalar(np.inf), np.inf),
                         tf.pow(tf.scalar(-8.0), 1 / 3), tf.floorDiv(tf.ones([1], 'int32'), 0),
                         tf.acos(tf.scalar(2.0)), tf.exp(tf.scalar(1000.0)),
                         tf.mod(tf.scalar(1.0), 0.0), tf.rsqrt(tf.scalar(0.0))])
    assert not [w for w in caught if issubclass(w.category, RuntimeWarning)]


def test_nan_edge_values(backend):
    check(lambda: tf.maximum(tf.tensor1d([np.nan, 1.0]), tf.tensor1d([1.0, np.nan])),
          [np.nan, np.nan], [2])
    check(lambda: tf.sign(tf.tensor1d([np.nan, -0.0, -2.0])), [0, 0, -1], [3])
    check(lambda: tf.step(tf.tensor1d([np.nan, 0.0]), 0.5), [np.nan, 0.5], [2])
    check(lambda: tf.clipByValue(tf.tensor1d([np.nan]), 0, 1), [np.nan], [1])
    check(lambda: tf.round(tf.tensor1d([0.5, 1.5, -0.5, np.nan])), [0, 2, 0, np.nan], [4])
    # JavaScript's Math.pow, not C's: 1 ** NaN and 1 ** Infinity are NaN; x ** 0 is 1.
    check(lambda: tf.pow(tf.tensor1d([1.0, 1.0, np.nan, -1.0]),
                         tf.tensor1d([np.nan, np.inf, 0.0, -np.inf])),
          [np.nan, np.nan, 1, np.nan], [4])


# -- errors --------------------------------------------------------------------------------

def test_errors(backend):
    with pytest.raises(ValueError, match=r'could not be broadcast together with shapes '
                                         r'\[2, 3\] and \[4\]'):
        tf.add(tf.zeros([2, 3]), tf.zeros([4]))
    with pytest.raises(ValueError, match=r'shapes \[3\] and \[2\]'):
        tf.where(tf.tensor1d([True, False, True]), tf.zeros([3]), tf.zeros([2]))
    with pytest.raises(ValueError, match=r'shapes \[2\] and \[3\]'):
        tf.logicalOr(tf.tensor1d([True, False]), tf.tensor1d([True, False, True]))
    with pytest.raises(ValueError, match=r'shapes \[2, 2\] and \[3\]'):
        tf.prelu(tf.zeros([2, 2]), tf.zeros([3]))
    with pytest.raises(TypeError, match="Argument 'b' passed to 'logicalAnd' must be bool "
                                        "tensor, but got float32 tensor"):
        tf.logicalAnd(tf.tensor1d([True]), tf.tensor1d([1.0]))
    with pytest.raises(TypeError, match="Argument 'x' passed to 'logicalNot' must be bool"):
        tf.logicalNot(tf.tensor1d([1, 0], 'int32'))
    with pytest.raises(ValueError, match=r'Error in clip: min \(2\) must be less than or equal '
                                         r'to max \(1\)'):
        tf.clipByValue(tf.zeros([2]), 2, 1)
    with pytest.raises(TypeError, match="'sqrt' must be a float32, int32 or bool tensor, but "
                                        "got string"):
        tf.sqrt(tf.tensor(['a']))
    with pytest.raises(TypeError, match="'relu' must be a numeric tensor, but got string"):
        tf.relu(tf.tensor(['a']))
    with pytest.raises(TypeError, match="'mod' must be a numeric tensor, but got string"):
        tf.mod(tf.tensor(['a']), tf.tensor(['b']))
    with pytest.raises(TypeError, match='cannot mix dtypes string and float32'):
        tf.pow(tf.tensor(['a']), 2.0)
    with pytest.raises(TypeError, match="argument 'x' passed to 'exp' must be a Tensor or "
                                        "TensorLike"):
        tf.exp(object())


def test_add_n_errors(backend):
    with pytest.raises(TypeError, match=r'tf.addN\(\) must be a list of tensors'):
        tf.addN(tf.zeros([2]))
    with pytest.raises(ValueError, match='at least one tensor'):
        tf.addN([])
    with pytest.raises(TypeError, match='same dtype'):
        tf.addN([tf.zeros([2]), tf.zeros([2], 'int32')])
    with pytest.raises(ValueError, match=r'same shape \(got \[2\] and \[1, 2\]\)'):
        tf.addN([tf.zeros([2]), tf.zeros([1, 2])])
    check(lambda: tf.addN([[1, 2], [3, 4]]), [4, 6], [2], 'int32')


def test_ops_do_not_leak_on_the_int_to_float_path(backend):
    x = tf.tensor1d([1, 2], 'int32')
    before = tf.memory().numTensors
    y = tf.exp(x)
    z = tf.logSigmoid(x)
    d = tf.tensor1d([0, 2], 'int32')
    w = tf.divNoNan(x, d)
    assert tf.memory().numTensors == before + 4  # y, z, d and w
    np.testing.assert_array_equal(w.numpy(), [0, 1])
    tf.dispose([x, y, z, d, w])
