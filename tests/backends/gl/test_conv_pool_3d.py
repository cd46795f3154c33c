"""GL's 3-D conv/pool kernels and MaxPoolWithArgmax against the cpu backend on
the edge cases the op tests leave out: channels-first 3-D data with dilation and
explicit padding, ties in 3-D max pooling (the last largest cell wins), int32
windows lying wholly in the padding, and argmax indexes with batches, channels,
NaN and -Infinity."""

from __future__ import annotations

import numpy as np

import tfjs_py as tf

NAN, INF = np.nan, np.inf


def on_both(fn) -> list[list[np.ndarray]]:
    """fn's outputs (a tensor or a list of them) on cpu, then on gl."""
    eng = tf.engine()
    previous = eng.backend.name
    results = []
    try:
        for name in ('cpu', 'gl'):
            assert eng.set_backend_sync(name)
            results.append(tf.tidy(lambda: _numpy(fn())))
    finally:
        eng.set_backend_sync(previous)
    return results


def _numpy(out) -> list[np.ndarray]:
    return [t.numpy() for t in (out if isinstance(out, list) else [out])]


def assert_same(fn, rtol: float = 1e-5, atol: float = 1e-6) -> list[np.ndarray]:
    cpu, gl = on_both(fn)
    for a, b in zip(cpu, gl, strict=True):
        assert a.dtype == b.dtype and a.shape == b.shape
        np.testing.assert_allclose(b, a, rtol=rtol, atol=atol)
    return gl


def rand(*shape: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).uniform(-1, 1, size=shape).astype(np.float32)


def test_conv3d_channels_first_dilated_and_padded_with_gradients(gl):
    x, w = rand(2, 2, 4, 5, 3), rand(2, 2, 2, 2, 3, seed=1)  # NCDHW, filter [d, h, w, in, out]
    pad = [[0, 0], [0, 0], [1, 0], [0, 2], [1, 1]]

    def forward(xt, wt):
        return tf.conv3d(xt, wt, 1, pad, 'NCDHW', [1, 2, 1])

    def grads():
        return tf.grads(lambda a, b: tf.sum(tf.square(forward(a, b))))(
            [tf.tensor(x), tf.tensor(w)])
    assert_same(lambda: forward(tf.tensor(x), tf.tensor(w)))
    assert_same(grads, rtol=1e-4, atol=1e-5)


def test_conv3d_transpose_strided_same(gl):
    x, w = rand(1, 2, 3, 2, 2), rand(3, 2, 2, 4, 2, seed=2)  # filter [d, h, w, out, in]
    assert_same(lambda: tf.conv3dTranspose(tf.tensor(x), tf.tensor(w), [1, 4, 5, 3, 4],
                                           [2, 2, 2], 'same'))


def test_max_pool3d_ties_send_the_gradient_to_the_last_largest_cell(gl):
    x = np.array([1, 3, 3, 2, 3, 0, 3, -INF, NAN, NAN, -INF, -INF], np.float32)
    x = x.reshape(1, 2, 3, 2, 1)

    def grad():
        return tf.grad(lambda t: tf.sum(tf.maxPool3d(t, 2, 1, 'same')))(tf.tensor(x))
    g = assert_same(grad)[0]
    assert g.sum() == 12  # every one of the 12 windows gives its gradient to some cell


def test_int32_windows_wholly_in_padding_give_zero(gl):
    ints = np.arange(1, 5, dtype=np.int32).reshape(1, 2, 2, 1)
    pad2 = [[0, 0], [2, 2], [0, 0], [0, 0]]
    out = assert_same(lambda: tf.maxPool(tf.tensor(ints), 2, 1, pad2))[0]
    assert out.ravel().tolist() == [0, 2, 4, 4, 0]
    pad3 = [[0, 0], [0, 0], [2, 2], [0, 0], [0, 0]]
    ints3 = ints.reshape(1, 1, 2, 2, 1)
    assert_same(lambda: tf.maxPool3d(tf.tensor(ints3), [1, 2, 2], 1, pad3))


def test_max_pool_with_argmax_batches_channels_and_empty_windows(gl):
    x = rand(2, 4, 5, 3)
    x[0, 0, 0, 0] = x[0, 0, 1, 0] = 5  # a tie: the first cell in window order wins
    x[1, 2:4, 3:5, 1] = NAN  # a window of NaN only: index -1
    x[1, 0:2, 0:2, 2] = -INF  # a window of -Infinity only: index -1, value -Infinity
    for include in (False, True):
        out = assert_same(lambda b=include: list(
            tf.maxPoolWithArgmax(tf.tensor(x), 2, 2, 'same', b).values()))
        assert out[1].dtype == np.int32
        assert out[1][1, 1, 2, 1] == -1 and out[1][1, 0, 0, 2] == -1
        assert out[1][0, 0, 0, 0] == 0
    ints = (rand(1, 3, 3, 2) * 100).astype(np.int32)
    values, indexes = assert_same(lambda: list(
        tf.maxPoolWithArgmax(tf.tensor(ints), 2, 1, 'valid', True).values()))
    assert values.dtype == np.int32
    np.testing.assert_array_equal(ints.ravel()[indexes], values)


def test_conv2d_channel_counts_beyond_the_shaders_four_lanes(gl):
    # The conv shaders compute four channels per invocation: 5 in and 6 out
    # leave partial groups on both sides (forward, input and filter gradients).
    x, w = rand(2, 5, 4, 5), rand(3, 2, 5, 6, seed=3)

    def grads():
        return tf.grads(lambda a, b: tf.sum(tf.square(tf.conv2d(a, b, [2, 1], 'same'))))(
            [tf.tensor(x), tf.tensor(w)])
    assert_same(lambda: tf.conv2d(tf.tensor(x), tf.tensor(w), [2, 1], 'same'))
    assert_same(grads, rtol=1e-4, atol=1e-5)
