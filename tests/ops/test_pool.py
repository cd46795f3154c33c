"""maxPool, avgPool, maxPool3d, avgPool3d, pool, maxPoolWithArgmax and their gradients.

Expected values come from TensorFlow.js 4.22 (tests/ops/data/tfjs_conv_pool_cases.json, made
by tests/reference/make_conv_pool_cases.py, and the small literals below) unless a comment
says otherwise.
"""

from __future__ import annotations

import numpy as np
import pytest

import tfjs_py as tf
from tests.gradcheck import check_grad
from tests.ops.conv_pool_cases import cases, run_case

POOL_FNS = ('maxPool', 'avgPool', 'maxPool3d', 'avgPool3d', 'pool', 'maxPoolWithArgmax')
NAN, INF = np.nan, np.inf


def rand(*shape: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).uniform(-1, 1, size=shape).astype(np.float32)


def run(fn) -> np.ndarray:
    return tf.tidy(lambda: fn().numpy())


def grad_of(f, x) -> np.ndarray:
    return tf.tidy(lambda: tf.grad(lambda t: tf.sum(f(t)))(tf.tensor(x)).numpy())


@pytest.mark.parametrize('case', cases(*POOL_FNS))
def test_matches_tfjs(backend, case):
    run_case(case)


@pytest.mark.parametrize('case', cases(*POOL_FNS, grad=True))
def test_gradient_matches_tfjs(backend, case):
    run_case(case)


# -- NaN, infinities, empty windows, dtypes ------------------------------------------------

def test_max_pool_skips_nan_and_gives_minus_infinity_for_empty_windows(backend):
    x = np.array([NAN, 1, 2, NAN], np.float32).reshape(1, 2, 2, 1)
    assert run(lambda: tf.maxPool(x, 2, 1, 'valid')).ravel().tolist() == [2]
    all_nan = np.full((1, 2, 2, 1), NAN, np.float32)
    assert run(lambda: tf.maxPool(all_nan, 2, 1, 'valid')).ravel().tolist() == [-INF]
    # Windows lying entirely in explicit padding.
    pad = [[0, 0], [2, 2], [0, 0], [0, 0]]
    ones = np.ones((1, 2, 2, 1), np.float32)
    np.testing.assert_array_equal(run(lambda: tf.maxPool(ones, 2, 1, pad)).ravel(),
                                  [-INF, 1, 1, 1, -INF])
    np.testing.assert_array_equal(run(lambda: tf.avgPool(ones, 2, 1, pad)).ravel(),
                                  [NAN, 1, 1, 1, NAN])


def test_avg_pool_propagates_nan_and_counts_only_input_cells(backend):
    x = np.array([1, NAN, 3, 4], np.float32).reshape(1, 2, 2, 1)
    np.testing.assert_array_equal(run(lambda: tf.avgPool(x, 2, 1, 'same')).ravel(),
                                  [NAN, NAN, 3.5, 4])


def test_nan_windows_send_no_gradient(backend):
    for values in ([NAN] * 4, [-INF] * 4):
        x = np.array(values, np.float32).reshape(1, 2, 2, 1)
        np.testing.assert_array_equal(grad_of(lambda t: tf.maxPool(t, 2, 1, 'valid'), x),
                                      np.zeros((1, 2, 2, 1)))
    out = tf.maxPoolWithArgmax(np.full((1, 2, 2, 1), NAN, np.float32), 2, 1, 'valid')
    assert out['indexes'].dtype == 'int32'
    assert out['indexes'].dataSync().tolist() == [-1]
    tf.dispose(out)


def test_dtypes(backend):
    def body():
        ints = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1])
        bools = tf.tensor4d([True, False, True, False], [1, 2, 2, 1])
        out = tf.maxPool(ints, 2, 1, 'same')
        assert out.dtype == 'int32' and out.dataSync().tolist() == [4, 4, 4, 4]
        b = tf.maxPool(bools, 2, 1, 'valid')
        assert b.dtype == 'bool' and b.dataSync().tolist() == [True]
        # tfjs refuses int32 in avgPool; Python ints make int32 tensors, so it is cast.
        avg = tf.avgPool(ints, 2, 1, 'valid')
        assert avg.dtype == 'float32' and avg.dataSync().tolist() == [2.5]
        out3 = tf.maxPool3d(tf.reshape(ints, [1, 1, 2, 2, 1]), 2, 1, 'same')
        assert out3.dtype == 'int32'

    tf.tidy(body)  # a GL gap (maxPool3d) then leaves nothing behind


def test_empty_batch(backend):
    assert run(lambda: tf.maxPool(tf.zeros([0, 4, 4, 2]), 2, 2, 'same')).shape == (0, 2, 2, 2)
    assert run(lambda: tf.avgPool(tf.zeros([0, 4, 4, 2]), 2, 2, 'same')).shape == (0, 2, 2, 2)


def test_chaining_and_snake_case(backend):
    x = rand(1, 4, 4, 2)

    def both():
        t = tf.tensor(x)
        return t.maxPool(2, 2, 'valid'), tf.max_pool(t, filter_size=2, strides=2, pad='valid')
    a, b = tf.tidy(lambda: [o.numpy() for o in both()])
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(a, x.reshape(1, 2, 2, 2, 2, 2).max(axis=(2, 4)))


def test_channels_first_3d(backend):
    # tfjs refuses NCDHW; it pools each channel the same as NDHWC.
    x = rand(2, 4, 5, 3, 2)
    for fn in (tf.maxPool3d, tf.avgPool3d):
        a = run(lambda f=fn: f(x, 2, 1, 'same'))
        b = run(lambda f=fn: f(np.transpose(x, (0, 4, 1, 2, 3)), 2, 1, 'same', None, 'NCDHW'))
        np.testing.assert_allclose(np.transpose(b, (0, 2, 3, 4, 1)), a, rtol=1e-6)


# -- gradients -------------------------------------------------------------------------------

@pytest.mark.parametrize('size,strides,pad', [(2, 2, 'valid'), (3, 1, 'same'), ([2, 3], [2, 1], 1),
                                              (2, 2, [[0, 0], [1, 0], [0, 1], [0, 0]])])
def test_pool_grads(backend, size, strides, pad):
    x = rand(2, 5, 6, 2)  # distinct values: no ties, so max pooling is differentiable
    check_grad(lambda t: tf.maxPool(t, size, strides, pad), [x])
    check_grad(lambda t: tf.avgPool(t, size, strides, pad), [x])


def test_avg_pool_gradient_next_to_padding_is_the_true_one(backend):
    # tfjs' AvgPoolGrad divides by the whole window (1/4 everywhere here); the
    # forward pass divides by the cells inside the input, so the gradient is:
    g = grad_of(lambda t: tf.avgPool(t, 2, 1, 'same'), np.ones((1, 2, 2, 1), np.float32))
    np.testing.assert_allclose(g.ravel(), [0.25, 0.75, 0.75, 2.25], rtol=1e-6)


def test_pool3d_grads(backend):
    x = rand(1, 3, 4, 3, 2)
    for size, strides, pad in ((2, 1, 'same'), ([2, 1, 2], [1, 2, 1], 'valid'), (2, 2, 1)):
        check_grad(lambda t, a=size, b=strides, c=pad: tf.maxPool3d(t, a, b, c), [x])
        check_grad(lambda t, a=size, b=strides, c=pad: tf.avgPool3d(t, a, b, c), [x])


def test_max_pool_ties_follow_tfjs(backend):
    # 2-D: the first max in window order takes the gradient; 3-D: the last one.
    ones = np.ones((1, 2, 2, 1), np.float32)
    np.testing.assert_array_equal(grad_of(lambda t: tf.maxPool(t, 2, 1, 'valid'), ones).ravel(),
                                  [1, 0, 0, 0])
    g3 = grad_of(lambda t: tf.maxPool3d(t, [1, 2, 2], 1, 'valid'), ones.reshape(1, 1, 2, 2, 1))
    np.testing.assert_array_equal(g3.ravel(), [0, 0, 0, 1])


def test_avg_pool_grad_has_a_gradient(backend):
    # AvgPoolGrad is linear in dy; its own gradient is AvgPool on the same geometry.
    for fn, x_shape, dy_shape in (
            (lambda t: tf.avgPool(t, 3, 2, 'same'), (1, 5, 4, 2), (1, 3, 2, 2)),
            (lambda t: tf.avgPool3d(t, 2, 1, 'valid'), (1, 2, 5, 4, 2), (1, 1, 4, 3, 2))):
        x = np.zeros(x_shape, np.float32)

        def avg_pool_grad(dy, f=fn, x=x):
            return tf.grad(lambda t: tf.sum(tf.mul(f(t), dy)))(tf.tensor(x))
        check_grad(avg_pool_grad, [rand(*dy_shape)])


def test_dilated_pool_grad(backend):
    x = rand(1, 6, 7, 2)
    check_grad(lambda t: tf.pool(t, 2, 'max', 'valid', 2), [x])
    check_grad(lambda t: tf.pool(t, [2, 3], 'avg', 'same', [2, 1]), [x])


# -- errors ------------------------------------------------------------------------------------

def test_errors(backend):
    x = tf.ones([1, 4, 4, 1])
    try:
        with pytest.raises(ValueError, match='maxPool: input must be rank 4, but got rank 2'):
            tf.maxPool(tf.ones([3, 3]), 2, 1, 'valid')
        with pytest.raises(ValueError, match='avgPool: input must be rank 4, but got rank 5'):
            tf.avgPool(tf.ones([1, 1, 3, 3, 1]), 2, 1, 'valid')
        with pytest.raises(ValueError, match='maxPool3d: x must be rank 5, but got rank 3'):
            tf.maxPool3d(tf.ones([3, 3, 1]), 2, 1, 'valid')
        with pytest.raises(ValueError, match='maxPool: pad must be an integer when using '
                                             'dimRoundingMode ceil but got pad same'):
            tf.maxPool(x, 2, 1, 'same', 'ceil')
        with pytest.raises(ValueError, match='filterSize must be positive'):
            tf.maxPool(x, 0, 1, 'valid')
        with pytest.raises(ValueError, match='strides and dilations must be positive'):
            tf.avgPool(x, 2, 0, 'valid')
        with pytest.raises(ValueError, match='avgPool3d: strides and pad are required'):
            tf.avgPool3d(tf.ones([1, 2, 2, 2, 1]), 2)
        with pytest.raises(ValueError, match="poolingType must be 'avg' or 'max'"):
            tf.pool(x, 2, 'min', 'valid')
        with pytest.raises(ValueError, match="pool: Either strides or dilations must be 1. Got "
                                             "strides 2 and dilations '2'"):
            tf.pool(x, 2, 'max', 'valid', 2, 2)
        with pytest.raises(ValueError, match="with dilations > 1, pad must be 'same' or 'valid'"):
            tf.pool(x, 2, 'max', 1, 2)
        with pytest.raises(ValueError, match='maxPoolWithArgmax: x must be rank 4'):
            tf.maxPoolWithArgmax(tf.ones([3, 3, 1]), 2, 1, 'valid')
        with pytest.raises(ValueError, match="unknown dataFormat 'NHWC'"):
            tf.maxPool3d(tf.ones([1, 2, 2, 2, 1]), 2, 1, 'valid', None, 'NHWC')
        with pytest.raises(ValueError, match='filterSize must have 2 values'):
            tf.maxPool(x, [2, 2, 2], 1, 'valid')
        with pytest.raises(ValueError, match='larger than the padded input'):
            tf.maxPool(x, 5, 1, 'valid')
    finally:
        x.dispose()
