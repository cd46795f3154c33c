"""Convolution and pooling speed: tf ops against a straightforward NumPy baseline, same run.

    python benchmarks/conv.py

Cases: a 3x3 'same' conv2d of [8, 32, 32, 16] to 32 channels (forward, and the two
gradients a training step needs), and a 2x2 stride-2 maxPool of the same input. The NumPy
baseline is what one would write by hand: sliding_window_view + tensordot for the conv,
a reshape + max for the pool.

Both sides use NumPy's BLAS. On a machine whose cores are busy, a multi-threaded OpenBLAS
can be several times slower than a single thread (OPENBLAS_NUM_THREADS=1): compare both.
"""

from __future__ import annotations

import os
import timeit

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

import tfjs_py as tf


def per_call_ms(fn, number: int) -> float:
    return min(timeit.repeat(fn, number=number, repeat=5)) / number * 1e3


def numpy_conv_same(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    kh, kw = w.shape[:2]
    xp = np.pad(x, ((0, 0), (kh // 2, kh // 2), (kw // 2, kw // 2), (0, 0)))
    windows = sliding_window_view(xp, (kh, kw), axis=(1, 2))  # [b, h, w, c, kh, kw]
    return np.tensordot(windows, w, axes=([3, 4, 5], [2, 0, 1]))


def numpy_max_pool_2x2(x: np.ndarray) -> np.ndarray:
    b, h, w, c = x.shape
    return x.reshape(b, h // 2, 2, w // 2, 2, c).max(axis=(2, 4))


def main() -> None:
    rng = np.random.default_rng(0)
    nx = rng.standard_normal((8, 32, 32, 16)).astype(np.float32)
    nw = rng.standard_normal((3, 3, 16, 32)).astype(np.float32)
    x, w = tf.tensor(nx), tf.tensor(nw)
    np.testing.assert_allclose(tf.tidy(lambda: tf.conv2d(x, w, 1, 'same').numpy()),
                               numpy_conv_same(nx, nw), rtol=1e-3, atol=1e-3)
    grad = tf.grads(lambda a, b: tf.conv2d(a, b, 1, 'same').sum())

    def tf_grads() -> None:
        tf.dispose(grad([x, w]))

    rows = [
        ('conv2d 3x3 forward', lambda: tf.conv2d(x, w, 1, 'same').dispose(),
         lambda: numpy_conv_same(nx, nw), 20),
        ('conv2d forward+backward', tf_grads, None, 10),
        ('maxPool 2x2/2', lambda: tf.maxPool(x, 2, 2, 'valid').dispose(),
         lambda: numpy_max_pool_2x2(nx), 50),
        ('avgPool 3x3/1 same', lambda: tf.avgPool(x, 3, 1, 'same').dispose(), None, 20),
    ]
    threads = os.environ.get('OPENBLAS_NUM_THREADS', 'default')
    print(f'backend: {tf.getBackend()}   input [8, 32, 32, 16], filter [3, 3, 16, 32]   '
          f'OPENBLAS_NUM_THREADS={threads}')
    print(f"{'case':<26}{'tfjs_py ms':>12}{'numpy ms':>10}{'ratio':>8}")
    for name, ours_fn, base_fn, number in rows:
        ours = per_call_ms(ours_fn, number)
        if base_fn is None:
            print(f'{name:<26}{ours:>12.2f}{"-":>10}{"-":>8}')
            continue
        base = per_call_ms(base_fn, number)
        print(f'{name:<26}{ours:>12.2f}{base:>10.2f}{ours / base:>8.2f}')
    tf.dispose([x, w])


if __name__ == '__main__':
    main()
