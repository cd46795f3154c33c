"""categoricalCrossentropy's fused kernels give the separate kernels' values
bit for bit, on both backends."""

from __future__ import annotations

import numpy as np
import pytest

import tfjs_py as tf
from tfjs_py.engine.engine import ENGINE
from tfjs_py.losses import LOSSES, _crossentropy_terms, batch_mean_loss, epsilon

RNG = np.random.default_rng(7)
CASES = {
    'random': (RNG.random((6, 5)), RNG.random((6, 5))),
    # clipped cells (a 0 and a 1 after renormalizing), NaN, a zero row
    'edges': (np.eye(4), np.array([[1, 0, 0, 0], [0.5, 0.5, 0, 0], [np.nan, 1, 2, 3],
                                   [0, 0, 0, 0]])),
    'rank3': (RNG.random((2, 3, 4)), RNG.random((2, 3, 4))),
}


def bits(a: np.ndarray) -> np.ndarray:
    return np.asarray(a, np.float32).view(np.int32)


@pytest.mark.parametrize('case', CASES)
def test_forward_is_the_separate_kernels(backend, case):
    t_values, p_values = (np.asarray(v, np.float32) for v in CASES[case])

    def run():
        t, p = tf.tensor(t_values), tf.tensor(p_values)
        fused = ENGINE.run_kernel('_CategoricalCrossentropy', (t, p), {'epsilon': epsilon()})
        q, c, loss = _crossentropy_terms(t, p)
        return [x.numpy() for x in fused], [loss.numpy(), q.numpy(), c.numpy()]

    fused, separate = tf.tidy(run)
    for a, b in zip(fused, separate, strict=True):
        assert a.shape == b.shape
        np.testing.assert_array_equal(bits(a), bits(b))


@pytest.mark.parametrize('logits', [True, False])
@pytest.mark.parametrize('case', CASES)
def test_gradient_is_the_separate_kernels(backend, case, logits):
    t_values, p_values = (np.asarray(v, np.float32) for v in CASES[case])
    n = p_values.size // p_values.shape[-1]

    def run():
        t, p, dy = tf.tensor(t_values), tf.tensor(p_values), tf.scalar(0.75)
        _, q, c = ENGINE.run_kernel('_CategoricalCrossentropy', (t, p), {'epsilon': epsilon()})
        fused = ENGINE.run_kernel('_CategoricalCrossentropyGrad', (dy, t, p, q, c),
                                  {'logits': logits})
        scale = tf.mul(dy, -1 / n)
        if logits:
            tm = tf.where(tf.equal(c, q), t, 0.0)
            separate = tf.mul(tf.sub(tm, tf.mul(p, tf.sum(tm, -1, True))), scale)
        else:
            g = tf.where(tf.equal(c, q), tf.div(t, c), 0.0)
            centered = tf.sub(g, tf.sum(tf.mul(g, q), -1, True))
            separate = tf.mul(tf.div(centered, tf.sum(p, -1, True)), scale)
        return fused.numpy(), separate.numpy()

    fused, separate = tf.tidy(run)
    assert fused.shape == p_values.shape
    np.testing.assert_array_equal(bits(fused), bits(separate))


def test_the_training_loss_gradient_checks_numerically(backend):
    """d mean(cce(t, softmax(z))) / dz against central differences."""
    t_values = np.eye(3, dtype=np.float32)[[0, 2, 1, 1]]
    z_values = RNG.standard_normal((4, 3)).astype(np.float32)

    def loss(z):
        return batch_mean_loss(LOSSES['categoricalCrossentropy'], tf.tensor(t_values),
                               tf.softmax(z))

    z = tf.tensor(z_values)
    grad = tf.tidy(lambda: tf.grad(loss)(z).numpy())
    h = 1e-2
    numeric = np.zeros_like(z_values)
    for index in np.ndindex(z_values.shape):
        for sign in (1, -1):
            shifted = z_values.copy()
            shifted[index] += sign * h
            numeric[index] += sign * tf.tidy(lambda s=shifted: float(loss(tf.tensor(s))))
    np.testing.assert_allclose(grad, numeric / (2 * h), atol=2e-3)
    z.dispose()
