"""The gl kernels' shortcuts give the general path's values: bias-like
broadcasts (binary.comp modes 3 and 4) and reductions over leading axes read
in place (reduce.comp's strided rows), single- and multi-pass."""

from __future__ import annotations

import numpy as np
import pytest

import tfjs_py as tf
from tfjs_py.backends.gl.kernels.elementwise import _mode


@pytest.mark.parametrize('shape, out, mode', [
    ((256,), (128, 256), 3), ((1, 256), (128, 256), 3), ((3, 4), (2, 3, 4), 3),
    ((128, 1), (128, 256), 4), ((2, 1, 1), (2, 3, 4), 4), ((2, 3, 1), (2, 3, 4), 4),
    ((1, 3, 1), (2, 3, 4), 2), ((2, 1, 4), (2, 3, 4), 2), ((1,), (2, 3), 1), ((2, 3), (2, 3), 0),
])
def test_broadcast_mode(shape, out, mode):
    assert _mode(shape, out)[0] == mode


@pytest.mark.parametrize('sa, sb', [((6, 5), (5,)), ((6, 5), (6, 1)), ((2, 3, 4), (2, 1, 1)),
                                    ((1, 3, 1), (2, 3, 4))])
def test_broadcast_values(gl, sa, sb):
    rng = np.random.default_rng(1)
    a = rng.standard_normal(sa).astype(np.float32)
    b = rng.standard_normal(sb).astype(np.float32)
    ai, bi = np.arange(a.size, dtype=np.int32).reshape(sa), np.arange(1, b.size + 1,
                                                                      dtype=np.int32).reshape(sb)
    ta, tb, tai, tbi = tf.tensor(a), tf.tensor(b), tf.tensor(ai), tf.tensor(bi)
    got = [tf.sub(ta, tb), tf.sub(tb, ta), tf.floorDiv(tai, tbi)]
    want = [a - b, b - a, ai // bi]
    for g, w in zip(got, want, strict=True):
        np.testing.assert_allclose(g.dataSync().reshape(g.shape), w, rtol=1e-6)
    tf.dispose([ta, tb, tai, tbi, *got])


@pytest.mark.parametrize('shape, axes', [((5, 3), [0]), ((5000, 3), [0]), ((4, 3, 2), [0, 1]),
                                         ((4, 3, 2), [1])])
def test_leading_axis_reductions(gl, shape, axes):
    x = np.random.default_rng(2).standard_normal(shape).astype(np.float32)
    t = tf.tensor(x)
    for op in ('sum', 'mean', 'max', 'min'):
        y = getattr(tf, op)(t, axes)
        np.testing.assert_allclose(y.dataSync(), getattr(np, op)(x, axis=tuple(axes)).ravel(),
                                   rtol=1e-4, atol=1e-4)
        y.dispose()
    b = tf.tensor(x > 0)
    y = tf.any(b, axes)
    np.testing.assert_array_equal(y.dataSync(), (x > 0).any(axis=tuple(axes)).ravel())
    tf.dispose([t, b, y])
