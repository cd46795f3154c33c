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


# -- windows that are disjoint blocks (stride == pool size, no padding) ----------------------
# Values from TensorFlow.js 4.22 unless a comment says otherwise.

# [1, 5, 4, 2] pooled 2x2 with stride 2: ties, NaN, a NaN-only window in channel 0; row 4
# lies past the last window ('valid') or in a padded one ('same').
BLOCKS_X = np.array([1, 5, 1, NAN, 0, -1, 2, 7,
                     1, 5, 0, 5, 2, -1, 2, 7,
                     NAN, -1e30, NAN, -1e30, 3, 3, -2, 0,
                     NAN, -1e30, NAN, -1e30, 3, 3, -2, 0,
                     9, 9, 9, 9, 9, 9, 9, 9], np.float32).reshape(1, 5, 4, 2)


def test_block_max_pool_ties_nan_and_cropped_rows(backend):
    got = run(lambda: tf.maxPool(BLOCKS_X, 2, 2, 'valid'))
    np.testing.assert_array_equal(got.ravel(), [1, 5, 2, 7, -INF, np.float32(-1e30), 3, 3])
    same = run(lambda: tf.maxPool(BLOCKS_X, 2, 2, 'same'))  # padded: the general path
    np.testing.assert_array_equal(same.ravel(), [*got.ravel(), 9, 9, 9, 9])
    dy = np.arange(1, 9, dtype=np.float32).reshape(1, 2, 2, 2)
    g = tf.tidy(lambda: tf.grad(lambda t: tf.sum(tf.mul(tf.maxPool(t, 2, 2, 'valid'), dy)))(
        tf.tensor(BLOCKS_X)).numpy())
    want = np.zeros(40, np.float32)
    want[[0, 1, 6, 7, 17, 20, 21]] = [1, 2, 3, 4, 6, 7, 8]
    np.testing.assert_array_equal(g.ravel(), want)


def test_block_max_pool_minus_infinity_windows(backend):
    # 2-D: nothing beats the starting -Infinity, so no cell takes the gradient;
    # 3-D compares with >=, so the last -Infinity cell does.
    x = np.array([-INF, -INF, -INF, -INF, NAN, -INF, -INF, NAN], np.float32)
    np.testing.assert_array_equal(run(lambda: tf.maxPool(x.reshape(1, 2, 4, 1), 2, 2, 'valid'))
                                  .ravel(), [-INF, -INF])
    np.testing.assert_array_equal(grad_of(lambda t: tf.maxPool(t, 2, 2, 'valid'),
                                          x.reshape(1, 2, 4, 1)).ravel(), np.zeros(8))
    x3 = x.reshape(1, 2, 2, 2, 1)
    np.testing.assert_array_equal(run(lambda: tf.maxPool3d(x3, 2, 2, 'valid')).ravel(), [-INF])
    np.testing.assert_array_equal(grad_of(lambda t: tf.maxPool3d(t, 2, 2, 'valid'), x3).ravel(),
                                  [0, 0, 0, 0, 0, 0, 1, 0])


def test_block_max_pool3d_ties_go_to_the_last_max(backend):
    x = np.zeros((1, 2, 2, 5, 2), np.float32)
    x[..., :4, 0] = 1
    x[..., 4, 0] = 5  # past the last window
    d, h, w = np.indices((2, 2, 5))
    x[..., 1] = (d + h + w) % 2
    x[0, 0, 0, 0, 0] = NAN
    np.testing.assert_array_equal(run(lambda: tf.maxPool3d(x, 2, 2, 'valid')).ravel(), [1, 1, 1, 1])
    dy = np.arange(1, 5, dtype=np.float32).reshape(1, 1, 1, 2, 2)
    g = tf.tidy(lambda: tf.grad(lambda t: tf.sum(tf.mul(tf.maxPool3d(t, 2, 2, 'valid'), dy)))(
        tf.tensor(x)).numpy())
    want = np.zeros(40, np.float32)
    want[[32, 33, 36, 37]] = [1, 2, 3, 4]
    np.testing.assert_array_equal(g.ravel(), want)


def test_block_avg_pools_and_gradients(backend):
    x = np.arange(30, dtype=np.float32).reshape(1, 5, 6, 1)
    np.testing.assert_allclose(run(lambda: tf.avgPool(x, [2, 3], [2, 3], 'valid')).ravel(),
                               [4, 7, 16, 19], rtol=1e-6)
    dy = np.arange(1, 5, dtype=np.float32).reshape(1, 2, 2, 1)
    g = tf.tidy(lambda: tf.grad(lambda t: tf.sum(tf.mul(tf.avgPool(t, [2, 3], [2, 3], 'valid'),
                                                        dy)))(tf.tensor(x)).numpy())
    want = np.repeat(np.repeat(dy[0, :, :, 0] / 6, 2, 0), 3, 1)
    np.testing.assert_allclose(g[0, :4, :, 0], want, rtol=1e-6)
    np.testing.assert_array_equal(g[0, 4], 0)  # the row past the last window
    x3 = np.arange(16, dtype=np.float32).reshape(1, 2, 2, 4, 1)
    np.testing.assert_allclose(run(lambda: tf.avgPool3d(x3, 2, 2, 'valid')).ravel(), [6.5, 8.5])
    dy3 = np.array([2, 4], np.float32).reshape(1, 1, 1, 2, 1)
    g3 = tf.tidy(lambda: tf.grad(lambda t: tf.sum(tf.mul(tf.avgPool3d(t, 2, 2, 'valid'), dy3)))(
        tf.tensor(x3)).numpy())
    np.testing.assert_allclose(g3.ravel(), [0.25, 0.25, 0.5, 0.5] * 4, rtol=1e-6)
    check_grad(lambda t: tf.avgPool(t, [2, 3], [2, 3], 'valid'), [rand(2, 5, 7, 3)])
    check_grad(lambda t: tf.avgPool3d(t, 2, 2, 'valid'), [rand(1, 4, 3, 5, 2)])


def test_block_max_pools_of_int32(backend):
    def body():
        x = tf.tensor4d([3, -7, 3, 1, 0, 2, 9, 9, -5, -5, -6, -8, -5, -5, -9, -9], [1, 4, 4, 1],
                        'int32')
        out = tf.maxPool(x, 2, 2, 'valid')
        assert out.dtype == 'int32' and out.dataSync().tolist() == [3, 9, -5, -6]
        # tfjs' cpu MaxPool3D returns float32 here; ours keeps int32 (see the module docs).
        out3 = tf.maxPool3d(tf.reshape(x, [1, 2, 2, 4, 1]), 2, 2, 'valid')
        assert out3.dataSync().tolist() == [3, 9]
    tf.tidy(body)
    ints = np.array([3, 3, 1, 1, 0, 2, 9, 9, 5, 5, 6, 8, 5, 5, 9, 9], np.int32).reshape(1, 4, 4, 1)

    def grad(size, strides, pad):
        f = tf.grad(lambda t: tf.sum(tf.maxPool(t, size, strides, pad)))
        return tf.tidy(lambda: f(tf.tensor(ints, None, 'int32')).numpy())
    g = grad(2, 2, 'valid')
    assert g.dtype == np.float32
    np.testing.assert_array_equal(g.ravel(), [1, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0])
    np.testing.assert_array_equal(grad(3, 1, 'same').ravel(),
                                  [1, 0, 0, 0, 0, 0, 9, 0, 3, 0, 0, 0, 0, 0, 3, 0])


def test_one_cell_max_pool_keeping_the_shape_is_the_identity(backend):
    # tfjs' 2-D MaxPool (cpu and webgl) returns its input for a 1x1 filter that keeps the
    # shape, so NaN stays NaN.
    x = np.array([NAN, 1, 2, NAN], np.float32).reshape(1, 2, 2, 1)
    for pad in ('valid', 'same'):
        np.testing.assert_array_equal(run(lambda p=pad: tf.maxPool(x, 1, 1, p)).ravel(),
                                      [NAN, 1, 2, NAN])


def test_one_cell_max_pool_otherwise_skips_nan(backend):
    # With stride 2, or in 3-D, NaN is skipped as anywhere else; NaN takes no gradient.
    x = np.array([NAN, 1, 2, NAN], np.float32).reshape(1, 2, 2, 1)
    np.testing.assert_array_equal(run(lambda: tf.maxPool(x, 1, 2, 'valid')).ravel(), [-INF])
    np.testing.assert_array_equal(run(lambda: tf.maxPool3d(x.reshape(1, 1, 2, 2, 1), 1, 1,
                                                           'valid')).ravel(), [-INF, 1, 2, -INF])
    np.testing.assert_array_equal(grad_of(lambda t: tf.maxPool(t, 1, 1, 'valid'), x).ravel(),
                                  [0, 1, 1, 0])


def _reference_max_pool(x: np.ndarray, size: tuple[int, ...], last_wins: bool, dy: np.ndarray):
    """tfjs' cpu loops for windows that are disjoint blocks (written for this test): the max
    skips NaN from -Infinity with `>`; the gradient goes to the first cell beating the running
    max with `>` (2-D) or the last one reaching it with `>=` (3-D)."""
    out_size = tuple(n // k for n, k in zip(x.shape[1:-1], size, strict=True))
    y = np.zeros((x.shape[0], *out_size, x.shape[-1]), np.float32)
    dx = np.zeros(x.shape, np.float32)
    for b, *o, c in np.ndindex(*y.shape):
        best, pos_max, pos = -np.inf, -np.inf, None
        for k in np.ndindex(*size):
            cell = (b, *(oi * ki + kk for oi, ki, kk in zip(o, size, k, strict=True)), c)
            v = x[cell]
            if v > best:
                best = v
            if v >= pos_max if last_wins else v > pos_max:
                pos_max, pos = v, cell
        y[(b, *o, c)] = best
        if pos is not None:
            dx[pos] += dy[(b, *o, c)]
    return y, dx


@pytest.mark.parametrize('shape,size', [((2, 5, 7, 3), (2, 3)), ((1, 4, 4, 2), (1, 2)),
                                        ((2, 3, 4, 5, 2), (2, 2, 2)), ((1, 2, 5, 4, 1), (1, 2, 3))])
def test_block_max_pool_matches_a_reference_on_ties(backend, shape, size):
    rng = np.random.default_rng(len(shape) * 10 + size[0])
    x = rng.integers(0, 3, shape).astype(np.float32)  # few distinct values: many ties
    x[rng.random(shape) < 0.1] = NAN
    x[rng.random(shape) < 0.05] = -INF
    dy_shape = (shape[0], *(n // k for n, k in zip(shape[1:-1], size, strict=True)), shape[-1])
    dy = rng.uniform(-1, 1, dy_shape).astype(np.float32)
    want_y, want_dx = _reference_max_pool(x, size, len(size) == 3, dy)
    fn = tf.maxPool if len(size) == 2 else tf.maxPool3d
    np.testing.assert_array_equal(run(lambda: fn(x, size, size, 'valid')), want_y)
    g = tf.tidy(lambda: tf.grad(lambda t: tf.sum(tf.mul(fn(t, size, size, 'valid'), dy)))(
        tf.tensor(x)).numpy())
    np.testing.assert_array_equal(g, want_dx)
