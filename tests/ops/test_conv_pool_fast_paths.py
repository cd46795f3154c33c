"""Edge cases of the cpu kernels' fast paths, on both backends: the tap-major
im2col of 1-2 channel convolutions, the branch-free max-pool gradient (ties,
NaN/Infinity in dy, overlapping windows, cropped inputs) and the branch-free step.

Expected values come from TensorFlow.js 4.22 (tests/reference/tfjs_eval.js) unless a
comment says otherwise.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import tfjs_py as tf
from tests.gradcheck import check_grad

NAN, INF = np.nan, np.inf


def rand(*shape: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).uniform(-1, 1, size=shape).astype(np.float32)


def run(fn) -> np.ndarray:
    return tf.tidy(lambda: fn().numpy())


def pool_grad(x: np.ndarray, dy: np.ndarray, size: int, strides: int) -> np.ndarray:
    return tf.tidy(lambda: tf.grad(
        lambda t: tf.sum(tf.mul(tf.maxPool(t, size, strides, 'valid'), dy)))(
            tf.tensor(x)).numpy())


def direct_conv(x: np.ndarray, w: np.ndarray, strides, dilations, pads) -> np.ndarray:
    """A plain loop over output cells and taps (NHWC / NDHWC), in float64."""
    xp = np.pad(x.astype(np.float64), ((0, 0), *pads, (0, 0)))
    spatial = w.shape[:-2]
    out_size = [(xp.shape[1 + i] - (k - 1) * d - 1) // s + 1
                for i, (k, d, s) in enumerate(zip(spatial, dilations, strides, strict=True))]
    out = np.zeros((x.shape[0], *out_size, w.shape[-1]))
    for o in itertools.product(*map(range, out_size)):
        for k in itertools.product(*map(range, spatial)):
            index = tuple(oi * s + ki * d for oi, ki, s, d in zip(o, k, strides, dilations,
                                                                  strict=True))
            out[(slice(None), *o)] += xp[(slice(None), *index)] @ w[k]
    return out


# -- convolutions with one or two input channels (tap-major im2col) --------------------

@pytest.mark.parametrize('channels', [1, 2])
@pytest.mark.parametrize('strides,dil,pad,pads', [
    (1, 1, 'valid', ((0, 0), (0, 0))),
    ([2, 1], 1, 1, ((1, 1), (1, 1))),
    (1, 1, 'same', ((1, 1), (1, 1))),
    (1, [2, 1], [[0, 0], [1, 2], [0, 1], [0, 0]], ((1, 2), (0, 1)))])
def test_conv2d_with_few_channels(backend, channels, strides, dil, pad, pads):
    x, w = rand(2, 6, 5, channels), rand(3, 3, channels, 4, seed=1)
    s = [strides] * 2 if isinstance(strides, int) else strides
    d = [dil] * 2 if isinstance(dil, int) else dil
    np.testing.assert_allclose(run(lambda: tf.conv2d(x, w, strides, pad, 'NHWC', dil)),
                               direct_conv(x, w, s, d, pads), rtol=1e-5, atol=1e-5)
    # Few outputs: finite differences of a long float32 sum are too noisy on gl.
    check_grad(lambda a, b: tf.conv2d(a, b, strides, pad, 'NHWC', dil),
               [x[:1, :5, :4], w[:, :2, :, :2]])


def test_conv2d_one_channel_channels_first(backend):
    x, w = rand(2, 1, 5, 4), rand(2, 3, 1, 3, seed=1)
    nhwc = run(lambda: tf.conv2d(x.transpose(0, 2, 3, 1), w, 1, 'same'))
    np.testing.assert_allclose(run(lambda: tf.conv2d(x, w, 1, 'same', 'NCHW')),
                               nhwc.transpose(0, 3, 1, 2), rtol=1e-5, atol=1e-6)
    check_grad(lambda a, b: tf.conv2d(a, b, 1, 'same', 'NCHW'), [x, w])


def test_conv3d_one_channel(backend):
    x, w = rand(1, 4, 5, 3, 1), rand(2, 3, 2, 1, 2, seed=1)
    np.testing.assert_allclose(run(lambda: tf.conv3d(x, w, [1, 2, 1], 'valid')),
                               direct_conv(x, w, [1, 2, 1], [1, 1, 1], ((0, 0),) * 3),
                               rtol=1e-5, atol=1e-5)
    check_grad(lambda a, b: tf.conv3d(a, b, 1, 'same'), [x, w])


def test_one_channel_chunks_give_the_same_result(backend, monkeypatch):
    from tfjs_py.backends.cpu.kernels import windows
    x, w = rand(3, 7, 6, 1), rand(3, 3, 1, 2, seed=1)

    def forward_and_grads():
        return tf.tidy(lambda: [t.numpy() for t in (
            tf.conv2d(x, w, [2, 1], 'same'),
            *tf.grads(lambda a, b: tf.conv2d(a, b, [2, 1], 'same').square().sum())(
                [tf.tensor(x), tf.tensor(w)]))])

    whole = forward_and_grads()
    for limit in (30, 200):  # per output row, then several samples per chunk
        monkeypatch.setattr(windows, 'CHUNK_ELEMENTS', limit)
        for got, want in zip(forward_and_grads(), whole, strict=True):
            np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


# -- max-pool gradient ---------------------------------------------------------------

X44 = np.array([1, 2, 3, 4, 5, 5, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2], np.float32).reshape(1, 4, 4, 1)


def test_max_pool_grad_ties_go_to_the_first_max(backend):
    dy = np.array([1, 2, 3, 4], np.float32).reshape(1, 2, 2, 1)
    np.testing.assert_array_equal(pool_grad(X44, dy, 2, 2).ravel(),
                                  [0, 0, 0, 2, 1, 0, 0, 0, 0, 0, 0, 0, 3, 0, 4, 0])


def test_max_pool_grad_with_infinity_and_nan_in_dy(backend):
    # Only the max cell takes dy; the other cells stay 0, not Infinity * 0.
    dy = np.array([INF, NAN, -INF, 2], np.float32).reshape(1, 2, 2, 1)
    np.testing.assert_array_equal(pool_grad(X44, dy, 2, 2).ravel(),
                                  [0, 0, 0, NAN, INF, 0, 0, 0, 0, 0, 0, 0, -INF, 0, 2, 0])


def test_max_pool_grad_of_overlapping_windows(backend):
    peak = np.array([0, 0, 0, 0, 7, 0, 0, 0, 0], np.float32).reshape(1, 3, 3, 1)
    ones = np.ones((1, 2, 2, 1), np.float32)
    np.testing.assert_array_equal(pool_grad(peak, ones, 2, 1).ravel(),
                                  [0, 0, 0, 0, 4, 0, 0, 0, 0])
    np.testing.assert_array_equal(pool_grad(np.zeros_like(peak), ones, 2, 1).ravel(),
                                  [1, 1, 0, 1, 1, 0, 0, 0, 0])


def test_max_pool_grad_leaves_uncovered_cells_at_zero(backend):
    x = np.arange(1, 13, dtype=np.float32).reshape(1, 3, 4, 1)
    dy = np.array([1, 2], np.float32).reshape(1, 1, 2, 1)
    np.testing.assert_array_equal(pool_grad(x, dy, 2, 2).ravel(),
                                  [0, 0, 0, 0, 0, 1, 0, 2, 0, 0, 0, 0])


def test_max_pool3d_grad_channels_first_matches_channels_last(backend):
    x = np.round(rand(2, 2, 5, 6, 3) * 2) / 2  # few distinct values: many ties
    dy = rand(2, 1, 2, 3, 3, seed=1)

    def grad(data, seed, fmt):
        return tf.tidy(lambda: tf.grad(lambda t: tf.sum(tf.mul(
            tf.maxPool3d(t, 2, 2, 'valid', dataFormat=fmt), seed)))(tf.tensor(data)).numpy())

    want = grad(x, dy, 'NDHWC')
    got = grad(x.transpose(0, 4, 1, 2, 3), dy.transpose(0, 4, 1, 2, 3), 'NCDHW')
    np.testing.assert_array_equal(got, want.transpose(0, 4, 1, 2, 3))
    # Each window's gradient lands on one cell, the last of its maxima (tfjs' 3-D rule).
    assert np.count_nonzero(want) == np.count_nonzero(dy)


# -- step and the relu gradient ------------------------------------------------------

STEP_X = np.array([-2, -0.0, 0, 0.5, NAN, INF, -INF], np.float32)


def test_step_values(backend):
    np.testing.assert_array_equal(run(lambda: tf.step(STEP_X)), [0, 0, 0, 1, NAN, 1, 0])
    np.testing.assert_array_equal(run(lambda: tf.step(STEP_X, 0.25)),
                                  [0.25, 0.25, 0.25, 1, NAN, 1, 0.25])
    out = run(lambda: tf.step(np.array([-2, 0, 3], np.int32), -1.5))
    assert out.dtype == np.int32 and out.tolist() == [-1, -1, 1]


def test_relu_gradient(backend):
    g = tf.tidy(lambda: tf.grad(lambda t: tf.relu(t).sum())(tf.tensor(STEP_X)).numpy())
    np.testing.assert_array_equal(g, [0, 0, 0, 1, NAN, 1, 0])


# -- branch-free selections (leakyRelu, prelu, where, sigmoid, elu, selu) ---------------

EDGES = np.array([-2, -0.0, 0, 0.5, NAN, INF, -INF, 3], np.float32)


@pytest.mark.parametrize('alpha,want', [
    (0.2, [-0.4, 0, 0, 0.5, NAN, INF, -INF, 3]),
    (0, [0, 0, 0, 0.5, NAN, INF, NAN, 3]),  # -Infinity * 0
    (2, [-4, 0, 0, 0.5, NAN, INF, -INF, 3]),
    (-0.5, [1, 0, 0, 0.5, NAN, INF, INF, 3])])
def test_leaky_relu_edges(backend, alpha, want):
    np.testing.assert_allclose(run(lambda: tf.leakyRelu(EDGES, alpha)), want, rtol=1e-6)
    assert run(lambda: tf.leakyRelu(tf.scalar(-4), 0.25)).tolist() == -1


def test_prelu_and_where_edges(backend):
    x = np.array([[-2, NAN, INF, -INF], [4, -1, 0, -3]], np.float32)
    np.testing.assert_array_equal(
        run(lambda: tf.prelu(x, np.array([0.5, 0, 2, -1], np.float32))),
        [[-1, NAN, INF, INF], [4, 0, 0, 3]])
    mask = np.array([[True, False], [False, True]])
    got = run(lambda: tf.where(mask, np.array([[1, NAN], [INF, -0.0]], np.float32),
                               tf.scalar(-5)))
    np.testing.assert_array_equal(got, [[1, -5], [-5, 0]])
    assert np.signbit(got[1, 1])
    assert np.isnan(run(lambda: tf.where(tf.scalar(False), tf.scalar(1), tf.scalar(NAN))))
    ints = run(lambda: tf.where([True, False, True], np.array([1, 2, 3], np.int32),
                                np.array([-1, -2, -3], np.int32)))
    assert ints.dtype == np.int32 and ints.tolist() == [1, -2, 3]


def test_sigmoid_elu_selu_edges(backend):
    x = np.array([-80, -20, -1, -0.0, 0, 1, 20, 100, NAN, INF, -INF], np.float32)
    np.testing.assert_allclose(run(lambda: tf.sigmoid(x)), [
        1.8048513285848406e-35, 2.06115369216775e-09, 0.2689414322376251, 0.5, 0.5,
        0.7310585975646973, 1, 1, NAN, 1, 0], rtol=1e-6)
    np.testing.assert_allclose(run(lambda: tf.sigmoid(tf.scalar(-3))), 0.04742587357759476,
                               rtol=1e-6)
    x = np.array([-100, -1, -0.0, 0, 1, NAN, INF, -INF], np.float32)
    np.testing.assert_allclose(run(lambda: tf.elu(x)),
                               [-1, -0.6321205496788025, 0, 0, 1, NAN, INF, -1], rtol=1e-6)
    np.testing.assert_allclose(run(lambda: tf.selu(x)), [
        -1.7580993175506592, -1.1113307476043701, 0, 0, 1.0507010221481323, NAN, INF,
        -1.7580993175506592], rtol=1e-6)


def test_elu_gradient_edges(backend):
    x = np.array([-2, -0.5, 0, 1.5, NAN, INF, -INF], np.float32)
    g = tf.tidy(lambda: tf.grad(lambda t: tf.elu(t).sum())(tf.tensor(x)).numpy())
    np.testing.assert_allclose(g, [0.1353352665901184, 0.6065306663513184, 1, 1, NAN, 1, 0],
                               rtol=1e-6)
