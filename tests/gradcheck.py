"""check_grad: tape gradients against central finite differences."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

import tfjs_py as tf


def check_grad(f: Callable[..., tf.Tensor], xs: list[np.ndarray], eps: float = 1e-3,
               rtol: float = 2e-2, atol: float = 2e-3, seed: int = 0) -> list[np.ndarray]:
    """Check d sum(w * f(xs)) / d xs for a fixed random w; returns the tape grads.

    f takes and returns tensors; xs are float arrays. Differences are taken on
    the float32 op itself, so eps is large enough for float32 rounding.
    """
    # C order: the finite differences write through reshape(-1) views.
    xs = [np.array(x, dtype=np.float32, order='C') for x in xs]
    out_shape = tf.tidy(lambda: f(*[tf.tensor(x) for x in xs]).shape)
    w = np.random.default_rng(seed).uniform(0.5, 1.5, size=out_shape).astype(np.float32)

    def scalar(*ts: tf.Tensor) -> tf.Tensor:
        return tf.sum(tf.mul(f(*ts), tf.tensor(w)))

    def value(arrays: list[np.ndarray]) -> float:
        return float(tf.tidy(lambda: scalar(*[tf.tensor(a) for a in arrays])).dataSync()[0])

    tensors = [tf.tensor(x) for x in xs]
    try:
        grads = tf.grads(scalar)(tensors)
        tape = [g.numpy() for g in grads]
        tf.dispose(grads)
    finally:
        tf.dispose(tensors)
    for i, x in enumerate(xs):
        numeric = np.zeros_like(x, dtype=np.float64)
        for j in range(x.size):
            plus, minus = x.copy(), x.copy()
            plus.reshape(-1)[j] += eps
            minus.reshape(-1)[j] -= eps
            args_p = [plus if k == i else a for k, a in enumerate(xs)]
            args_m = [minus if k == i else a for k, a in enumerate(xs)]
            numeric.reshape(-1)[j] = (value(args_p) - value(args_m)) / (2 * eps)
        np.testing.assert_allclose(tape[i], numeric, rtol=rtol, atol=atol,
                                   err_msg=f'gradient of input {i}')
    return tape
