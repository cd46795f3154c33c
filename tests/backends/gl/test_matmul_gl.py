"""The GL backend's packed, blocked matMul (gl/linalg/pack4.comp and
matmul_packed.comp) against NumPy: tiny shapes are forced onto the packed path
(which the kernel otherwise keeps for big products), so edges of the tiles,
transposes, broadcast batches, dtypes, fused epilogues, gradients and chunked
dispatches all run in a few milliseconds."""

from __future__ import annotations

import numpy as np
import pytest

import tfjs_py as tf
from tests.gradcheck import check_grad
from tfjs_py.backends.gl import program
from tfjs_py.backends.gl.kernels import linalg
from tfjs_py.ops.conv_util import conv_info

rng = np.random.default_rng(7)


@pytest.fixture
def packed(gl, monkeypatch):
    """Every product takes the packed path."""
    monkeypatch.setattr(linalg, 'DIRECT_MAX', 0)
    monkeypatch.setattr(linalg, 'SKINNY', 1)
    return gl


def _operands(sa, sb, ta, tb, dtype=np.float32):
    if dtype == np.float32:
        a, b = rng.normal(size=sa).astype(dtype), rng.normal(size=sb).astype(dtype)
    else:
        a, b = (rng.integers(-9, 9, size=s).astype(dtype) for s in (sa, sb))
    x = np.swapaxes(a, -1, -2) if ta else a
    y = np.swapaxes(b, -1, -2) if tb else b
    return a, b, np.matmul(x.astype(np.float64), y.astype(np.float64))


def _mat_mul(a, b, ta=False, tb=False):
    return tf.tidy(lambda: tf.matMul(tf.tensor(a), tf.tensor(b), ta, tb).numpy())


_TRANSPOSES = [(False, False), (True, False), (False, True), (True, True)]


@pytest.mark.parametrize('sa, sb, ta, tb', [
    ((1, 1), (1, 1), False, False),
    ((6, 1), (1, 9), False, False),  # K = 1
    ((9, 13), (13, 2), False, True),
    ((2, 3, 5), (5, 7), True, False),  # one B for every batch
    ((5, 7), (2, 7, 3), False, True),  # one A for every batch
    ((2, 2, 1, 4, 3), (2, 3, 6), True, True),
] + [((3, 5), (5, 7), ta, tb) for ta, tb in _TRANSPOSES]  # no side a multiple of a tile
  + [((2, 1, 3, 5), (1, 3, 5, 7), ta, tb) for ta, tb in _TRANSPOSES])  # both broadcast
def test_packed_matches_numpy(packed, sa, sb, ta, tb):
    if ta:
        sa = sa[:-2] + sa[:-3:-1]
    if tb:
        sb = sb[:-2] + sb[:-3:-1]
    a, b, want = _operands(sa, sb, ta, tb)
    got = _mat_mul(a, b, ta, tb)
    assert got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize('dtype', [np.int32, np.bool_])
def test_packed_int_and_bool(packed, dtype):
    if dtype == np.bool_:
        a, b = rng.random((5, 6)) > 0.5, rng.random((6, 7)) > 0.5
        want = (a.astype(np.int32) @ b.astype(np.int32))
    else:
        a, b, want = _operands((5, 6), (6, 7), False, False, dtype)
    y = tf.matMul(tf.tensor(a), tf.tensor(b))
    try:
        np.testing.assert_array_equal(y.numpy(), want.astype(y.numpy().dtype))
    finally:
        y.dispose()


def test_empty_and_zero_k(packed):
    assert _mat_mul(np.zeros((0, 3), np.float32), np.zeros((3, 4), np.float32)).shape == (0, 4)
    assert _mat_mul(np.zeros((2, 0, 3), np.float32), np.zeros((3, 4), np.float32)).shape == \
        (2, 0, 4)
    np.testing.assert_array_equal(_mat_mul(np.zeros((2, 0), np.float32),
                                           np.zeros((0, 3), np.float32)), np.zeros((2, 3)))


def test_nan_and_inf_stay_in_their_rows(packed):
    # the zero padding of K must not turn into NaN (0 * Inf) elsewhere
    a = np.array([[np.inf, 1, 2], [1, 1, 1]], np.float32)
    b = np.ones((3, 5), np.float32)
    got = _mat_mul(a, b)
    assert np.isinf(got[0]).all()
    np.testing.assert_array_equal(got[1], [3] * 5)


def test_chunked_dispatches(packed, monkeypatch):
    # one work group per dispatch: every pass is split into many chunks
    monkeypatch.setattr(program, 'MAX_GROUPS', 1)
    a, b, want = _operands((3, 9, 10), (11, 10), False, True)
    np.testing.assert_allclose(_mat_mul(a, b, False, True), want, rtol=1e-5, atol=1e-5)


def test_default_threshold_takes_the_packed_path(gl):
    a, b, want = _operands((40, 50), (50, 70), False, False)
    assert 40 * 50 * 70 > linalg.DIRECT_MAX
    np.testing.assert_allclose(_mat_mul(a, b), want, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize('activation', ['relu', 'prelu', 'leakyrelu', 'elu'])
def test_fused_epilogue(packed, activation):
    a, b, z = _operands((5, 6), (6, 7), False, False)
    bias = rng.normal(size=(7,)).astype(np.float32)
    alpha = rng.uniform(0.1, 0.5, size=(7,)).astype(np.float32)
    z = z + bias
    want = {'relu': np.maximum(z, 0), 'prelu': np.where(z < 0, z * alpha, z),
            'leakyrelu': np.where(z < 0, z * 0.3, z),
            'elu': np.where(z > 0, z, np.expm1(np.minimum(z, 0)))}[activation]
    got = tf.tidy(lambda: tf.fused.matMul({
        'a': tf.tensor(a), 'b': tf.tensor(b), 'bias': tf.tensor(bias), 'activation': activation,
        'preluActivationWeights': tf.tensor(alpha), 'leakyreluAlpha': 0.3}).numpy())
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize('ta, tb', [(False, False), (True, True)])
def test_packed_gradients(packed, ta, tb):
    a = rng.normal(size=(2, 1, 3, 5) if ta else (2, 1, 5, 3))
    b = rng.normal(size=(3, 6, 3) if tb else (3, 3, 6))
    check_grad(lambda x, y: tf.matMul(x, y, ta, tb), [a, b], atol=5e-3)


def test_scratch_textures_come_from_the_pool_and_go_back(packed):
    a, b, want = _operands((6, 7), (7, 8), False, False)
    _mat_mul(a, b)
    packed.pool.sync()
    allocated = packed.pool.bytes_allocated
    rgba = [t for stack in packed.pool._free.values() for t in stack if t.fmt == 'RGBA32F']
    assert rgba  # the packed operands' texture, back in the pool
    np.testing.assert_allclose(_mat_mul(a, b), want, rtol=1e-5, atol=1e-5)
    packed.pool.sync()
    assert packed.pool.bytes_allocated == allocated  # reused, not made again


@pytest.mark.parametrize('xs, ws, strides, dilations, pad', [
    ((2, 7, 6, 3), (3, 3, 3, 5), 1, 1, 'same'),
    ((1, 9, 8, 2), (2, 3, 2, 6), (2, 1), 1, 'valid'),
    ((1, 8, 8, 3), (3, 2, 3, 4), 1, (2, 2), [[0, 0], [1, 2], [2, 1], [0, 0]]),
    ((2, 3, 5, 4, 2), (2, 3, 2, 2, 5), 1, 1, 'same'),  # Conv3D
])
def test_conv_im2col(packed, xs, ws, strides, dilations, pad):
    nx = rng.normal(size=xs).astype(np.float32)
    nw = rng.normal(size=ws).astype(np.float32)
    conv = tf.conv2d if len(xs) == 4 else tf.conv3d
    info = conv_info(xs, ws, strides, dilations, pad)
    x, w = tf.tensor(nx), tf.tensor(nw)
    try:
        out = linalg.conv_im2col(packed, x, w, info)
        got = packed.read_sync(out.rec, out.shape, 'float32')
        packed.free(out.rec)
        tf.engine().set_backend_sync('cpu')
        want = tf.tidy(lambda: conv(tf.tensor(nx), tf.tensor(nw), strides, pad,
                                    'NHWC' if len(xs) == 4 else 'NDHWC', dilations).numpy())
    finally:
        tf.dispose([x, w])
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4)


def test_conv_im2col_leaves_small_products_to_the_direct_kernel(gl):
    info = conv_info((1, 4, 4, 2), (3, 3, 2, 3), 1, 1, 'same')
    x, w = tf.zeros([1, 4, 4, 2]), tf.zeros([3, 3, 2, 3])
    try:
        assert linalg.conv_im2col(gl, x, w, info) is None
    finally:
        tf.dispose([x, w])


@pytest.mark.parametrize('xs, ws, strides, dilations, pad', [
    ((2, 7, 6, 3), (3, 3, 3, 5), 1, 1, 'same'),
    ((1, 9, 8, 2), (2, 3, 2, 6), (2, 1), 1, 'valid'),
    ((1, 8, 8, 3), (3, 2, 3, 4), 1, (2, 2), [[0, 0], [1, 2], [2, 1], [0, 0]]),
])
def test_conv_backprop_filter_im2col(packed, xs, ws, strides, dilations, pad):
    nx = rng.normal(size=xs).astype(np.float32)
    nw = rng.normal(size=ws).astype(np.float32)
    info = conv_info(xs, ws, strides, dilations, pad)
    ndy = rng.normal(size=info.out_shape).astype(np.float32)
    x, dy = tf.tensor(nx), tf.tensor(ndy)
    try:
        out = linalg.conv_backprop_filter_im2col(packed, x, dy, info)
        got = packed.read_sync(out.rec, out.shape, 'float32')
        packed.free(out.rec)
    finally:
        tf.dispose([x, dy])
    tf.engine().set_backend_sync('cpu')
    grad = tf.grad(lambda w: tf.conv2d(tf.tensor(nx), w, strides, pad, 'NHWC', dilations)
                   .mul(tf.tensor(ndy)).sum())
    want = tf.tidy(lambda: grad(tf.tensor(nw)).numpy())
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize('xs, ws, strides, dilations, pad', [
    ((2, 7, 6, 3), (3, 3, 3, 5), 1, 1, 'same'),
    ((1, 9, 8, 2), (2, 3, 2, 6), (2, 3), 1, 'valid'),
    ((1, 10, 9, 3), (3, 3, 3, 4), 2, 1, 'same'),
    ((1, 8, 8, 3), (3, 2, 3, 4), 1, (2, 2), [[0, 0], [1, 2], [2, 1], [0, 0]]),
])
def test_conv_backprop_input_im2col(packed, xs, ws, strides, dilations, pad):
    nx = rng.normal(size=xs).astype(np.float32)
    nw = rng.normal(size=ws).astype(np.float32)
    info = conv_info(xs, ws, strides, dilations, pad)
    ndy = rng.normal(size=info.out_shape).astype(np.float32)
    dy, w = tf.tensor(ndy), tf.tensor(nw)
    try:
        out = linalg.conv_backprop_input_im2col(packed, dy, w, info)
        got = packed.read_sync(out.rec, out.shape, 'float32')
        packed.free(out.rec)
    finally:
        tf.dispose([dy, w])
    tf.engine().set_backend_sync('cpu')
    grad = tf.grad(lambda x: tf.conv2d(x, tf.tensor(nw), strides, pad, 'NHWC', dilations)
                   .mul(tf.tensor(ndy)).sum())
    want = tf.tidy(lambda: grad(tf.tensor(nx)).numpy())
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4)
