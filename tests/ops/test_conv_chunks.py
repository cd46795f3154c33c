"""The cpu conv kernels work through chunks of output positions (several
samples, or rows of one sample), with the fused bias and activation applied
in place on each chunk. Small chunk sizes force every path here; results are
checked against plain NumPy on both backends (the chunk size only changes the
cpu kernels)."""

from __future__ import annotations

import numpy as np
import pytest

import tfjs_py as tf
from tfjs_py.backends.cpu.kernels import conv, windows


def rand(*shape: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).uniform(-1, 1, size=shape).astype(np.float32)


def same_pads(x_shape: tuple, w_shape: tuple, stride: int) -> list[tuple[int, int]]:
    """tfjs' 'same' padding of the two spatial axes (the extra cell after)."""
    pads = []
    for n, k in zip(x_shape[1:3], w_shape[:2], strict=True):
        total = max((-(-n // stride) - 1) * stride + k - n, 0)
        pads.append((total // 2, total - total // 2))
    return pads


def reference_conv(x: np.ndarray, w: np.ndarray, stride: int, pads) -> np.ndarray:
    """NHWC conv in float64, a loop over filter taps."""
    xp = np.pad(x.astype(np.float64), ((0, 0), *pads, (0, 0)))
    fh, fw = w.shape[:2]
    oh = (xp.shape[1] - fh) // stride + 1
    ow = (xp.shape[2] - fw) // stride + 1
    out = np.zeros((x.shape[0], oh, ow, w.shape[3]))
    for i in range(fh):
        for j in range(fw):
            cells = xp[:, i:i + (oh - 1) * stride + 1:stride, j:j + (ow - 1) * stride + 1:stride]
            out += cells @ w[i, j].astype(np.float64)
    return out


# (chunk elements, x shape, filter shape, stride, pad): batch chunks, row
# chunks, 1-2 channels (tap-major patches) and many.
CASES = [
    (400, (3, 5, 5, 3), (2, 2, 3, 4), 1, 'valid'),
    (40, (2, 6, 5, 3), (3, 3, 3, 2), 2, 'same'),
    (16, (2, 5, 4, 1), (3, 2, 1, 3), 1, 'same'),
    (30, (3, 4, 4, 2), (2, 2, 2, 5), 1, 'valid'),
]


@pytest.mark.parametrize('chunk,x_shape,w_shape,stride,pad', CASES)
def test_chunked_conv_and_gradients(backend, monkeypatch, chunk, x_shape, w_shape, stride, pad):
    monkeypatch.setattr(windows, 'CHUNK_ELEMENTS', chunk)
    # The input gradient's runs of samples: one sample or several at a time.
    monkeypatch.setattr(conv, '_BACKPROP_INPUT_ELEMENTS', chunk)
    x, w, b = rand(*x_shape), rand(*w_shape, seed=1), rand(w_shape[3], seed=2)
    pads = same_pads(x_shape, w_shape, stride) if pad == 'same' else [(0, 0), (0, 0)]
    want = reference_conv(x, w, stride, pads)
    np.testing.assert_allclose(tf.tidy(lambda: tf.conv2d(x, w, stride, pad).numpy()), want,
                               rtol=1e-5, atol=1e-5)
    fused = tf.tidy(lambda: tf.fused.conv2d({'x': x, 'filter': w, 'strides': stride, 'pad': pad,
                                             'bias': b, 'activation': 'relu'}).numpy())
    np.testing.assert_allclose(fused, np.maximum(want + b, 0), rtol=1e-5, atol=1e-5)
    # Gradients of sum(y * dy) through the fused relu: dx, dw and the bias sum.
    dy = rand(*want.shape, seed=4)
    live = (want + b > 0) * dy

    def run():
        f = lambda a, f_, c: tf.sum(tf.mul(tf.fused.conv2d(  # noqa: E731
            {'x': a, 'filter': f_, 'strides': stride, 'pad': pad, 'bias': c,
             'activation': 'relu'}), dy))
        return [g.numpy() for g in tf.grads(f)([tf.tensor(x), tf.tensor(w), tf.tensor(b)])]
    dx, dw, db = tf.tidy(run)
    np.testing.assert_allclose(db, live.sum((0, 1, 2)), rtol=1e-4, atol=1e-4)
    xp = np.pad(x.astype(np.float64), ((0, 0), *pads, (0, 0)))
    want_dw = np.zeros(w.shape)
    want_dxp = np.zeros(xp.shape)
    oh, ow = want.shape[1:3]
    for i in range(w.shape[0]):
        for j in range(w.shape[1]):
            index = (slice(None), slice(i, i + (oh - 1) * stride + 1, stride),
                     slice(j, j + (ow - 1) * stride + 1, stride))
            want_dw[i, j] = np.einsum('nhwc,nhwo->co', xp[index], live)
            want_dxp[index] += live @ w[i, j].T.astype(np.float64)
    np.testing.assert_allclose(dw, want_dw, rtol=1e-4, atol=1e-4)
    crop = want_dxp[:, pads[0][0]:pads[0][0] + x_shape[1], pads[1][0]:pads[1][0] + x_shape[2]]
    np.testing.assert_allclose(dx, crop, rtol=1e-4, atol=1e-4)


def test_results_do_not_share_buffers_across_calls(backend, monkeypatch):
    monkeypatch.setattr(windows, 'CHUNK_ELEMENTS', 64)
    x, w = rand(2, 4, 4, 3), rand(2, 2, 3, 2, seed=1)
    with _Scope() as keep:
        first = keep(tf.conv2d(x, w, 1, 'valid'))
        before = first.numpy().copy()
        keep(tf.conv2d(rand(2, 4, 4, 3, seed=5), w, 1, 'valid'))
        keep(tf.conv2d(x * 2, rand(3, 3, 3, 4), 1, 'same'))
        np.testing.assert_array_equal(first.numpy(), before)


@pytest.mark.parametrize('bias_shape,activation', [((2,), 'relu6'), ((1, 3, 3, 2), 'relu'),
                                                   ((), 'linear'), ((2,), 'elu')])
def test_fused_bias_shapes_and_in_place_activations(backend, bias_shape, activation):
    x, w = rand(1, 4, 4, 3), rand(2, 2, 3, 2, seed=1)
    b = 4 * rand(*bias_shape, seed=2)
    z = reference_conv(x, w, 1, [(0, 0), (0, 0)]) + b
    want = {'relu6': np.clip(z, 0, 6), 'relu': np.maximum(z, 0), 'linear': z,
            'elu': np.where(z > 0, z, np.expm1(np.minimum(z, 0)))}[activation]
    got = tf.tidy(lambda: tf.fused.conv2d({'x': x, 'filter': w, 'strides': 1, 'pad': 'valid',
                                           'bias': tf.tensor(b), 'activation': activation}
                                          ).numpy())
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


def test_fused_relu_keeps_nan_and_infinity(backend):
    # The in-place relu: NaN stays NaN, +Infinity stays, -Infinity becomes 0.
    x = np.array([np.nan, 1, -np.inf, 2, np.inf, -3], np.float32).reshape(1, 1, 6, 1)
    got = tf.tidy(lambda: tf.fused.conv2d({'x': x, 'filter': np.ones((1, 1, 1, 1), np.float32),
                                           'strides': 1, 'pad': 'same', 'bias': [0.5],
                                           'activation': 'relu'}).numpy())
    np.testing.assert_array_equal(got.reshape(-1), [np.nan, 1.5, 0, 2.5, np.inf, 0])
    # Stride 2 is no plain matmul: the bias comes from the patches' ones column.
    got = tf.tidy(lambda: tf.fused.conv2d({'x': x, 'filter': np.ones((1, 1, 1, 1), np.float32),
                                           'strides': 2, 'pad': 'valid', 'bias': [0.5],
                                           'activation': 'relu'}).numpy())
    np.testing.assert_array_equal(got.reshape(-1), [np.nan, 0, np.inf])


def test_fused_channels_first_bias_relu(backend):
    x, w, b = rand(2, 3, 4, 4), rand(2, 2, 3, 2, seed=1), rand(2, seed=2)
    z = reference_conv(x.transpose(0, 2, 3, 1), w, 1, [(0, 0), (0, 0)]) + b
    got = tf.tidy(lambda: tf.fused.conv2d({'x': x, 'filter': w, 'strides': 1, 'pad': 'valid',
                                           'dataFormat': 'NCHW', 'bias': b,
                                           'activation': 'relu'}).numpy())
    np.testing.assert_allclose(got, np.maximum(z, 0).transpose(0, 3, 1, 2), rtol=1e-5,
                               atol=1e-5)


class _Scope:
    """Disposes the tensors it was handed on exit."""

    def __init__(self) -> None:
        self.items: list[tf.Tensor] = []

    def __call__(self, t: tf.Tensor) -> tf.Tensor:
        self.items.append(t)
        return t

    def __enter__(self) -> _Scope:
        return self

    def __exit__(self, *exc) -> None:
        tf.dispose(self.items)
