"""Gradients of the elementwise ops: tfjs 4.22's values at kinks and ties (from
tests/ops/data/tfjs_elementwise_cases.json), finite differences elsewhere."""

from __future__ import annotations

import numpy as np
import pytest

import tfjs_py as tf
from tests.gradcheck import check_grad
from tests.ops.test_elementwise import CASES, assert_tensor, make_arg

GRAD_CASES = [c for c in CASES if c['kind'] == 'grad']


@pytest.mark.parametrize('case', GRAD_CASES, ids=[c['name'] for c in GRAD_CASES])
def test_gradients_match_tfjs(backend, case):
    fn = getattr(tf, case['op'])

    def run():
        args = [make_arg(a) for a in case['args']]
        if case['op'] == 'addN':
            grads = tf.grads(lambda *ts: tf.addN(list(ts)))(args[0])
        else:
            diff = case['diff']

            def f(*ts):
                full = list(args)
                for i, t in zip(diff, ts, strict=True):
                    full[i] = t
                return fn(*full)

            grads = tf.grads(f)([args[i] for i in diff])
        assert len(grads) == len(case['expected'])
        for g, want in zip(grads, case['expected'], strict=True):
            assert_tensor(g, want, rtol=1e-5, atol=1e-6)

    tf.tidy(run)


X = [-1.3, -0.4, 0.35, 0.9, 1.7]
UNIT = [-0.6, -0.2, 0.3, 0.7]
POS = [0.4, 0.9, 1.6, 2.5]
A23 = np.array([[0.5, -1.25, 2.0], [1.5, 0.75, -0.5]])
B3 = np.array([1.5, -0.5, 2.5])
B21 = np.array([[0.8], [-1.2]])
C = np.array([True, False, True])

NUMERIC = [
    ('abs', lambda x: tf.abs(x), [X]),
    ('neg', lambda x: tf.neg(x), [X]),
    ('square', lambda x: tf.square(x), [X]),
    ('relu', lambda x: tf.relu(x), [X]),
    ('relu6', lambda x: tf.relu6(x), [[-1.0, 0.5, 5.5, 6.5, 3.0]]),
    ('leakyRelu', lambda x: tf.leakyRelu(x, 0.3), [X]),
    ('prelu', lambda x, a: tf.prelu(x, a), [A23, B3]),
    ('elu', lambda x: tf.elu(x), [X]),
    ('selu', lambda x: tf.selu(x), [X]),
    ('step', lambda x: tf.step(x, 0.5), [X]),
    ('sign', lambda x: tf.sign(x), [X]),
    ('round', lambda x: tf.round(x), [X]),
    ('floor', lambda x: tf.floor(x), [X]),
    ('ceil', lambda x: tf.ceil(x), [X]),
    ('clipByValue', lambda x: tf.clipByValue(x, -1.0, 1.0), [X]),
    ('exp', lambda x: tf.exp(x), [X]),
    ('expm1', lambda x: tf.expm1(x), [X]),
    ('log', lambda x: tf.log(x), [POS]),
    ('log1p', lambda x: tf.log1p(x), [POS]),
    ('sqrt', lambda x: tf.sqrt(x), [POS]),
    ('rsqrt', lambda x: tf.rsqrt(x), [POS]),
    ('reciprocal', lambda x: tf.reciprocal(x), [POS]),
    ('sin', lambda x: tf.sin(x), [X]),
    ('cos', lambda x: tf.cos(x), [X]),
    ('tan', lambda x: tf.tan(x), [UNIT]),
    ('asin', lambda x: tf.asin(x), [UNIT]),
    ('acos', lambda x: tf.acos(x), [UNIT]),
    ('atan', lambda x: tf.atan(x), [X]),
    ('sinh', lambda x: tf.sinh(x), [X]),
    ('cosh', lambda x: tf.cosh(x), [X]),
    ('tanh', lambda x: tf.tanh(x), [X]),
    ('asinh', lambda x: tf.asinh(x), [X]),
    ('acosh', lambda x: tf.acosh(x), [[1.3, 2.0, 3.5]]),
    ('atanh', lambda x: tf.atanh(x), [UNIT]),
    ('erf', lambda x: tf.erf(x), [X]),
    ('sigmoid', lambda x: tf.sigmoid(x), [X]),
    ('softplus', lambda x: tf.softplus(x), [X]),
    ('logSigmoid', lambda x: tf.logSigmoid(x), [X]),
    ('add', lambda a, b: tf.add(a, b), [A23, B3]),
    ('sub', lambda a, b: tf.sub(a, b), [A23, B21]),
    ('mul', lambda a, b: tf.mul(a, b), [A23, B21]),
    ('div', lambda a, b: tf.div(a, b), [A23, B3]),
    ('divNoNan', lambda a, b: tf.divNoNan(a, b), [A23, B3]),
    ('pow', lambda a, b: tf.pow(a, b), [np.abs(A23) + 0.2, B3]),
    ('mod', lambda a, b: tf.mod(a, b), [A23, B21]),
    ('maximum', lambda a, b: tf.maximum(a, b), [A23, B21]),
    ('minimum', lambda a, b: tf.minimum(a, b), [A23, B21]),
    ('squaredDifference', lambda a, b: tf.squaredDifference(a, b), [A23, B21]),
    ('atan2', lambda a, b: tf.atan2(a, b), [A23, B3]),
    ('where', lambda a, b: tf.where(tf.tensor1d(C), a, b), [A23, B21]),
    ('addN', lambda a, b, c: tf.addN([a, b, c]), [X, X[::-1], np.ones(5)]),
    ('operators', lambda a, b: (a * b - a / b) ** 2.0 + abs(a) % 3.0, [A23, B3]),
]


@pytest.mark.parametrize('name, fn, xs', NUMERIC, ids=[n for n, _, _ in NUMERIC])
def test_gradients_match_finite_differences(backend, name, fn, xs):
    check_grad(fn, [np.asarray(x, np.float32) for x in xs])


def grads_of(fn, *values):
    def run():
        xs = [tf.tensor(np.asarray(v, np.float32)) for v in values]
        return [g.numpy() for g in tf.grads(fn)(xs)]

    return tf.tidy(run)


def test_broadcast_gradients_are_summed_to_the_input_shape(backend):
    # tfjs returns these unsummed (shape [2, 3] for b); here they fit the input, by hand.
    a = [[1.0, 5.0, 3.0], [4.0, 0.0, 6.0]]
    ga, gb = grads_of(lambda x, y: tf.maximum(x, y), a, [2.0, 2.0, 4.0])
    np.testing.assert_array_equal(ga, [[0, 1, 0], [1, 0, 1]])
    np.testing.assert_array_equal(gb, [1, 1, 1])
    ga, gb = grads_of(lambda x, y: tf.minimum(x, y), a, [[2.0]])
    np.testing.assert_array_equal(gb, [[4]])
    ga, gb = grads_of(lambda x, y: tf.squaredDifference(x, y), a, [1.0])
    np.testing.assert_allclose(gb, [-2 * (sum(sum(a, [])) - 6)])
    gx, galpha = grads_of(lambda x, al: tf.prelu(x, al), [[-1.0, 2.0], [-3.0, 4.0]], [0.5])
    np.testing.assert_array_equal(gx, [[0.5, 1], [0.5, 1]])
    np.testing.assert_array_equal(galpha, [-4])


def test_div_no_nan_gradient_is_zero_where_b_is_zero(backend):
    # tfjs' backprop fails here (Equal has no gradient); by hand: d(a/b) and 0 where b == 0.
    ga, gb = grads_of(lambda x, y: tf.divNoNan(x, y), [1.0, -2.0, 3.0], [0.0, 4.0, 0.0])
    np.testing.assert_array_equal(ga, [0, 0.25, 0])
    np.testing.assert_array_equal(gb, [0, 0.125, 0])


def test_elu_second_derivative(backend):
    # EluGrad has a gradient too (tfjs has none): elu''(x) = exp(x) below 0, else 0.
    def first(x):
        return tf.grad(lambda y: tf.elu(y))(x)

    x = [-1.5, -0.5, 0.5, 2.0]
    (g2,) = grads_of(first, x)
    np.testing.assert_allclose(g2, [np.exp(-1.5), np.exp(-0.5), 0, 0], rtol=1e-6)
    check_grad(first, [np.array(x, np.float32)])


RELU_DY = [1.0, -2.0, np.inf, -np.inf, np.nan, 3.0, -0.0, 5.0, 7.0, -4.0]
RELU_X = [1.0, 0.0, 0.0, 2.0, 3.0, np.nan, 4.0, -0.0, -1.0, -np.inf]


def test_relu_grad_kernel_is_multiply_by_step_bit_for_bit(backend):
    # _ReluGrad(dy, x) fuses Multiply(dy, Step(x)): the same bits, signed zeros
    # (dy * +0), NaN where x is NaN, Infinity * 0 = NaN included.
    def run():
        dy, x = tf.tensor(RELU_DY), tf.tensor(RELU_X)
        fused = tf.engine().run_kernel('_ReluGrad', (dy, x), {}).numpy()
        return fused, tf.mul(dy, tf.step(x)).numpy()

    fused, composed = tf.tidy(run)
    np.testing.assert_array_equal(fused.view(np.uint32), composed.view(np.uint32))
    np.testing.assert_array_equal(fused, [1, -0.0, np.nan, -np.inf, np.nan, np.nan, -0.0, 0, 0,
                                          -0.0])
    assert np.signbit(fused[[1, 6, 9]]).all() and not np.signbit(fused[[7, 8]]).any()


def test_relu_second_derivative_goes_through_relu_grad(backend):
    # d/dx of relu'(x) * v is 0 (step has a zero gradient); d/dv is step(x).
    def run():
        x = tf.tensor([-1.0, 0.5, 2.0])
        v = tf.tensor([3.0, -4.0, 5.0])
        gx, gv = tf.grads(lambda a, b: tf.grad(lambda t: tf.relu(t).mul(b).sum())(a).mul(
            tf.tensor([1.0, 2.0, 3.0])).sum())([x, v])
        return gx.numpy(), gv.numpy()

    gx, gv = tf.tidy(run)
    np.testing.assert_array_equal(gx, [0, 0, 0])
    np.testing.assert_array_equal(gv, [0, 2, 3])


def test_int32_inputs_get_float32_gradients(backend):
    def run():
        x = tf.tensor1d([-2, 0, 3], 'int32')
        return [tf.grad(lambda t: tf.abs(t))(x).numpy(), tf.grad(lambda t: tf.sqrt(t))(
            tf.tensor1d([1, 4], 'int32')).numpy(), tf.grad(lambda t: tf.mul(t, t))(x).numpy()]

    g_abs, g_sqrt, g_sq = tf.tidy(run)
    assert g_abs.dtype == np.float32 and g_sqrt.dtype == np.float32
    np.testing.assert_array_equal(g_abs, [-1, -1, 1])
    np.testing.assert_array_equal(g_sqrt, [0.5, 0.25])
    np.testing.assert_array_equal(g_sq, [-4, 0, 6])


def test_clip_by_value_with_equal_bounds_has_no_gradient_path(backend):
    # As tfjs: min == max returns a filled constant, so x gets no gradient.
    with pytest.raises(ValueError, match='cannot compute the gradient'):
        tf.tidy(lambda: tf.grad(lambda x: tf.clipByValue(x, 1, 1))(tf.tensor1d([0.5, 2.0])))


def test_predicates_with_a_gradient_in_tfjs(backend):
    # tfjs differentiates through greaterEqual and isNaN/isInf/isFinite (zero gradient).
    def leaky(x):
        return tf.where(tf.greaterEqual(x, 0), x, tf.mul(x, 0.1))

    def finite(x):
        return tf.where(tf.isFinite(x), x, tf.zerosLike(x))

    (g1, g2) = grads_of(lambda x, y: tf.add(leaky(x), finite(y)), [-1.0, 2.0], [3.0, -4.0])
    np.testing.assert_allclose(g1, [0.1, 1])
    np.testing.assert_allclose(g2, [1, 1])
    # tfjs raises for greater, equal, less, ... on the gradient path; here a bool
    # result stops the gradient (as in TensorFlow), so the same leaky ReLU works.
    (g3,) = grads_of(lambda x: tf.where(tf.greater(x, 0), x, tf.mul(x, 0.1)), [1.0, -2.0])
    np.testing.assert_allclose(g3, [1, 0.1])
