"""The cpu kernels' fast paths for a Dense layer's training step (2-D matMul
with transposed operands, one-axis sums of small matrices, Adam's cached
scalars) give the same numbers as the general paths, on both backends."""

from __future__ import annotations

import numpy as np
import pytest

import tfjs_py as tf
from tfjs_py.engine.engine import ENGINE

F32 = np.float32


def _values(fn, *args):
    return tf.tidy(lambda: fn(*args).dataSync())


@pytest.mark.parametrize('ta, tb', [(False, False), (True, False), (False, True), (True, True)])
def test_matmul_2d_transposed_operands(backend, ta, tb):
    rng = np.random.default_rng(3)
    a = rng.integers(-4, 5, (3, 4)).astype(F32)
    b = rng.integers(-4, 5, (4, 2)).astype(F32)
    a_in, b_in = (a.T.copy() if ta else a), (b.T.copy() if tb else b)
    got = _values(lambda: tf.matMul(tf.tensor(a_in), tf.tensor(b_in), ta, tb))
    np.testing.assert_array_equal(got, (a @ b).reshape(-1))
    bias = np.array([0.5, -100.0], F32)
    fused = _values(lambda: tf.fused.matMul({
        'a': tf.tensor(a_in), 'b': tf.tensor(b_in), 'transposeA': ta, 'transposeB': tb,
        'bias': tf.tensor(bias), 'activation': 'relu'}))
    np.testing.assert_array_equal(fused, np.maximum(a @ b + bias, 0).reshape(-1))


def test_matmul_2d_special_values_and_int32(backend):
    # inf * 0 is NaN, overflow is Infinity, silently (as tfjs)
    got = _values(lambda: tf.matMul(tf.tensor2d([[np.inf, 0.0], [3e38, 3e38]]),
                                    tf.tensor2d([[0.0, 1.0], [1.0, 1.0]]), False, True))
    assert np.isnan(got[0]) and got[1] == np.inf and got[2] == 3e38 and got[3] == np.inf
    ints = _values(lambda: tf.matMul(tf.tensor2d([[1, 2], [3, 4]], None, 'int32'),
                                     tf.tensor2d([[5, 6], [7, 8]], None, 'int32'), True, False))
    np.testing.assert_array_equal(ints, [26, 30, 38, 44])
    # an empty inner axis: zeros
    empty = _values(lambda: tf.matMul(tf.zeros([0, 2]), tf.zeros([0, 3]), True, False))
    np.testing.assert_array_equal(empty, np.zeros(6, F32))


@pytest.mark.parametrize('shape, axis', [((5, 3), 0), ((5, 3), 1), ((128, 2), 0), ((2, 128), 1),
                                         ((129, 2), 0), ((2, 129), 1), ((0, 3), 0), ((3, 0), 1)],
                         ids=str)
@pytest.mark.parametrize('keep', [False, True])
def test_sum_and_mean_over_one_axis(backend, shape, axis, keep):
    x = np.arange(np.prod(shape), dtype=F32).reshape(shape) - 7
    want = x.astype(np.float64).sum(axis=axis, keepdims=keep)
    got = tf.tidy(lambda: tf.sum(tf.tensor(x), axis, keep).arraySync())
    np.testing.assert_array_equal(np.asarray(got, F32), want.astype(F32))
    mean = tf.tidy(lambda: tf.mean(tf.tensor(x), axis, keep).arraySync())
    n = shape[axis]
    want_mean = want / n if n else np.zeros_like(want)
    np.testing.assert_allclose(np.asarray(mean, F32), want_mean.astype(F32), rtol=1e-6)


def test_sum_over_one_axis_special_values(backend):
    x = tf.tensor2d([[np.inf, 3e38, np.nan], [-np.inf, 3e38, 1.0], [3e38, 1.0, 0.0]])
    try:
        cols = _values(lambda: tf.sum(x, 0))
        rows = _values(lambda: tf.sum(x, 1))
    finally:
        x.dispose()
    assert np.isnan(cols[0]) and cols[1] == np.inf and np.isnan(cols[2])
    assert np.isnan(rows[0]) and rows[1] == -np.inf and rows[2] == F32(3e38)
    # bool and int32 keep tfjs' int32 sums
    b = _values(lambda: tf.sum(tf.tensor2d([[True, False], [True, True]]), 0))
    assert b.dtype == np.int32
    np.testing.assert_array_equal(b, [2, 1])


def _composed_adam(var, m, v, grad, a):
    b1, b2 = a['beta1'], a['beta2']
    new_m = tf.add(tf.mul(m, b1), tf.mul(grad, 1 - b1))
    new_v = tf.add(tf.mul(v, b2), tf.mul(tf.square(grad), 1 - b2))
    c1 = tf.scalar(F32(1) - F32(a['beta1Power']))
    c2 = tf.scalar(F32(1) - F32(a['beta2Power']))
    upd = tf.div(tf.div(new_m, c1), tf.add(tf.sqrt(tf.div(new_v, c2)), a['epsilon']))
    return tf.add(tf.mul(upd, -a['lr']), var)


def test_adam_over_many_steps_matches_composed_update(backend):
    """Each step has its own bias-corrected scalars: more steps than Adam's
    scalar cache holds, each checked against tfjs' composed update."""
    b1, b2, lr, eps = 0.9, 0.999, 0.01, 1e-7
    rng = np.random.default_rng(5)
    grad = tf.tensor(rng.standard_normal(6).astype(F32))
    var, m, v = (tf.tensor(rng.standard_normal(6).astype(F32)), tf.zeros([6]), tf.zeros([6]))
    try:
        for step in range(1, 71):
            attrs = {'lr': lr, 'beta1': b1, 'beta2': b2, 'epsilon': eps,
                     'beta1Power': float(F32(b1) ** step), 'beta2Power': float(F32(b2) ** step)}
            out = ENGINE.run_kernel('ApplyAdam', (var, m, v, grad), attrs)
            want = _values(_composed_adam, var, m, v, grad, attrs)
            np.testing.assert_allclose(out[0].dataSync(), want, rtol=2e-6, atol=1e-7)
            tf.dispose([var, m, v])
            var, m, v = out
    finally:
        tf.dispose([var, m, v, grad])


@pytest.mark.parametrize('alpha', [0.0, 0.25])
def test_step_special_values(backend, alpha):
    """step (the relu gradient's mask): NaN stays NaN, -0 and -Infinity give alpha."""
    x = np.array([[np.nan, 0.0, -0.0, 1e-30], [np.inf, -np.inf, -2.0, 3.0]], F32)
    got = _values(tf.step, tf.tensor(x), alpha)
    want = np.array([np.nan, alpha, alpha, 1, 1, alpha, alpha, 1], F32)
    np.testing.assert_array_equal(got, want)
    clean = _values(tf.step, tf.tensor(x[1:]), alpha)
    np.testing.assert_array_equal(clean, want[4:])


def test_clip_by_value_keeps_nan_and_the_bounds_values(backend):
    x = tf.tensor(np.array([-0.0, 0.0, np.nan, -1, 2, 0.5, np.inf], np.float32))
    got = tf.tidy(lambda: tf.clipByValue(x, 0, 1).numpy())
    np.testing.assert_array_equal(got, [0, 0, np.nan, 0, 1, 0.5, 1])
    if backend == 'cpu':
        # tfjs' cpu kernel returns x where it equals a bound: -0 stays -0.
        assert np.signbit(got).tolist() == [True] + [False] * 6
    assert tf.tidy(lambda: tf.clipByValue(tf.scalar(3.0), 0, 1).arraySync()) == 1.0
    x.dispose()


def test_ones_like_keeps_shape_and_dtype(backend):
    for dtype in ('float32', 'int32', 'bool'):
        ones = tf.tidy(lambda dtype=dtype: tf.onesLike(tf.zeros([2, 3], dtype)).numpy())
        assert ones.shape == (2, 3) and ones.tolist() == [[1, 1, 1]] * 2
    assert tf.tidy(lambda: tf.onesLike(tf.zeros([0, 2])).shape) == [0, 2]
