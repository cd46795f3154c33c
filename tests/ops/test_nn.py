"""softmax, logSoftmax, dropout, batchNorm(2d/3d/4d), localResponseNormalization.

Expected values come from TensorFlow.js 4.22 (tfjs-backend-cpu) unless a
comment says they are computed by hand.
"""

from __future__ import annotations

import numpy as np
import pytest

import tfjs_py as tf
from tests.gradcheck import check_grad


def pattern(n: int, a: int, m: int, offset: float, div: float) -> np.ndarray:
    """((i * a) % m - offset) / div: exact in float32, the same in the tfjs scripts."""
    return ((np.arange(n) * a) % m - offset) / div


def run(fn) -> np.ndarray:
    """fn()'s tensor as an ndarray, with every tensor made inside disposed."""
    return tf.tidy(lambda: fn().numpy())


def check(fn, expected, shape, dtype='float32', rtol=1e-5, atol=1e-6):
    out = tf.tidy(lambda: (lambda t: (t.numpy(), t.shape, t.dtype))(fn()))
    values, out_shape, out_dtype = out
    assert out_shape == list(shape)
    assert out_dtype == dtype
    np.testing.assert_allclose(values.reshape(-1), np.asarray(expected, np.float64).reshape(-1),
                               rtol=rtol, atol=atol)


# -- softmax / logSoftmax --------------------------------------------------------

SOFTMAX_123 = [0.09003057, 0.24472847, 0.66524096]
LOG_SOFTMAX_123 = [-2.4076059, -1.4076059, -0.40760595]


def test_softmax_values(backend):
    check(lambda: tf.softmax(tf.tensor1d([1.0, 2.0, 3.0])), SOFTMAX_123, [3])
    check(lambda: tf.tensor2d([[2.0, 4.0, 6.0], [1.0, 2.0, 3.0]]).softmax(),
          [0.01587624, 0.11731043, 0.86681336, *SOFTMAX_123], [2, 3])
    check(lambda: tf.softmax(tf.tensor(pattern(12, 5, 7, 3, 2), [2, 2, 3])),
          [0.0566117, 0.6896721, 0.2537162, 0.0566117, 0.6896721, 0.2537162,
           0.1709528, 0.06289, 0.7661572, 0.1709528, 0.06289, 0.7661572], [2, 2, 3])


def test_softmax_is_stable_and_handles_infinities(backend):
    check(lambda: tf.softmax(tf.tensor1d([1000.0, 1001.0, 1002.0])), SOFTMAX_123, [3])
    check(lambda: tf.softmax(tf.tensor1d([-np.inf, 0.0, 1.0])), [0, 0.26894143, 0.7310586], [3])


def test_softmax_dim_and_dtypes(backend):
    check(lambda: tf.softmax([1, 2, 3], 0), SOFTMAX_123, [3])
    # tfjs refuses an int32 Tensor; Python ints make int32 tensors, so it is cast.
    check(lambda: tf.softmax(tf.tensor1d([1, 2, 3])), SOFTMAX_123, [3])
    check(lambda: tf.softmax(tf.zeros([0, 3])), [], [0, 3])


def test_softmax_errors(backend):
    with pytest.raises(ValueError, match='non-last dimension'):
        tf.softmax(tf.zeros([2, 3]), 0)
    with pytest.raises(ValueError, match='rank >= 1'):
        tf.softmax(tf.scalar(2.0))
    with pytest.raises(TypeError, match='numeric'):
        tf.softmax(tf.tensor(['a', 'b']))


def test_softmax_grad(backend):
    check_grad(lambda x: tf.softmax(x), [pattern(12, 5, 7, 3, 2).reshape(3, 4)])
    check_grad(lambda x: tf.softmax(x), [pattern(12, 5, 7, 3, 2).reshape(2, 2, 3)])


def test_log_softmax_values(backend):
    check(lambda: tf.logSoftmax(tf.tensor1d([1.0, 2.0, 3.0])), LOG_SOFTMAX_123, [3])
    check(lambda: tf.tensor2d([[2.0, 4.0, 6.0], [1.0, 2.0, 3.0]]).logSoftmax(),
          [-4.1429315, -2.1429317, -0.1429316, *LOG_SOFTMAX_123], [2, 3])
    check(lambda: tf.logSoftmax(tf.tensor(pattern(12, 5, 7, 3, 2), [2, 2, 3])),
          [-2.8715391, -0.371539, -1.371539, -2.8715391, -0.371539, -1.371539,
           -1.7663679, -2.7663679, -0.2663679, -1.7663679, -2.7663679, -0.2663679], [2, 2, 3])
    check(lambda: tf.logSoftmax(tf.tensor1d([1000.0, 1001.0, 1002.0])), LOG_SOFTMAX_123, [3])
    check(lambda: tf.logSoftmax(tf.tensor1d([1, 2, 3], 'int32')), LOG_SOFTMAX_123, [3])
    check(lambda: tf.log_softmax([1, 2, 3], axis=-1), LOG_SOFTMAX_123, [3])


def test_log_softmax_errors(backend):
    with pytest.raises(ValueError, match='non-last dimension'):
        tf.logSoftmax(tf.zeros([2, 3]), 0)


def test_log_softmax_grad(backend):
    check_grad(lambda x: tf.logSoftmax(x), [pattern(12, 5, 7, 3, 2).reshape(2, 2, 3)])
    # An int32 input is cast first; its gradient still reaches the int tensor.
    g = tf.tidy(lambda: tf.grad(lambda x: tf.logSoftmax(x).sum())(
        tf.tensor1d([1, 2, 3])).numpy())
    np.testing.assert_allclose(g, 1 - 3 * np.array(SOFTMAX_123), atol=1e-6)


# -- dropout ---------------------------------------------------------------------

def test_dropout_scales_kept_values(backend):
    values = run(lambda: tf.dropout(tf.ones([200, 100]), 0.3, seed=1))
    kept = values != 0
    np.testing.assert_allclose(values[kept], 1 / np.float32(0.7), rtol=1e-6)
    assert abs(kept.mean() - 0.7) < 0.01


def test_dropout_seed_and_noise_shape(backend):
    a = run(lambda: tf.dropout(tf.ones([50, 40]), 0.5, None, 'abc'))
    b = run(lambda: tf.dropout(tf.ones([50, 40]), 0.5, None, 'abc'))
    np.testing.assert_array_equal(a, b)
    c = run(lambda: tf.dropout(tf.ones([50, 40]), 0.5))
    d = run(lambda: tf.dropout(tf.ones([50, 40]), 0.5))
    assert not np.array_equal(c, d)
    rows = run(lambda: tf.dropout(tf.ones([50, 40]), 0.5, [50, 1], 3))
    assert (rows == rows[:, :1]).all()
    assert 0 < (rows[:, 0] != 0).sum() < 50
    same = run(lambda: tf.dropout(tf.ones([50, 40]), 0.5, [None, 1], 3))
    np.testing.assert_array_equal(rows, same)


def test_dropout_rate_zero_returns_a_copy(backend):
    x = tf.tensor1d([1.0, 2.0])
    y = tf.dropout(x, 0)
    assert y is not x
    np.testing.assert_array_equal(y.numpy(), [1, 2])
    tf.dispose([x, y])


def test_dropout_errors(backend):
    with pytest.raises(TypeError, match='floating point'):
        tf.dropout(tf.tensor1d([1, 2], 'int32'), 0.5)
    with pytest.raises(ValueError, match=r'range \[0, 1\)'):
        tf.dropout(tf.tensor1d([1.0, 2.0]), 1)
    with pytest.raises(ValueError, match='noiseShape'):
        tf.dropout(tf.ones([2, 3]), 0.5, [4, 1])


def test_dropout_gradient_is_the_mask(backend):
    x = pattern(24, 7, 11, 5, 4).reshape(4, 6)
    g = tf.tidy(lambda: tf.grad(lambda t: tf.dropout(t, 0.4, seed=9).sum())(
        tf.tensor(x)).numpy())
    mask = run(lambda: tf.dropout(tf.ones([4, 6]), 0.4, seed=9))
    np.testing.assert_array_equal(g, mask)
    check_grad(lambda t: tf.dropout(t, 0.4, seed=9), [x])


# -- batchNorm -------------------------------------------------------------------

MEAN, VARIANCE = [0.1, -0.2, 0.3], [0.5, 1.5, 2.0]
OFFSET, SCALE = [1.0, 2.0, 3.0], [0.5, -1.0, 2.0]
BN_X = pattern(24, 7, 11, 5, 4).reshape(2, 2, 2, 3)


def test_batch_norm_values(backend):
    check(lambda: tf.batchNorm(BN_X, MEAN, VARIANCE, OFFSET, SCALE, 0.01),
          [0.0548109, 1.430348, 1.871447, 1.805161, 1.6337951, 1.5187742, 1.630126,
           1.8372424, 1.1661013, 1.455091, 2.0406895, 0.8134286, 1.280056, 2.2441366,
           4.3401566, 1.105021, 2.4475837, 3.9874837, 0.929986, 2.6510308, 3.6348109,
           0.754951, 2.8544779, 3.2821383], [2, 2, 2, 3])
    check(lambda: tf.tensor(BN_X).batchNorm(MEAN, VARIANCE),
          [-1.907282, 0.5713572, -0.5655441, 1.6247216, 0.367301, -0.7422766, 1.2715213,
           0.1632449, -0.9190091, 0.918321, -0.0408112, -1.0957416, 0.5651206, -0.2448674,
           0.6715835, 0.2119202, -0.4489235, 0.4948511, -0.1412801, -0.6529796, 0.3181185,
           -0.4944805, -0.8570358, 0.141386], [2, 2, 2, 3])
    check(lambda: tf.batchNorm2d([[-1.0, -0.3, 0.4], [1.1, 1.8, 2.5]], MEAN, VARIANCE, OFFSET,
                                 SCALE),
          [0.2229592, 2.0816224, 3.141386, 1.7064008, 0.3675509, 6.1104922], [2, 3])
    check(lambda: tf.batchNorm([[1.0, 2.0], [3.0, 4.0]], [[0.5, 1.0], [1.5, 2.0]],
                               [[1.0, 2.0], [3.0, 4.0]], [[0.0, 1.0], [0.0, 1.0]],
                               [[1.0, 1.0], [2.0, 2.0]]),
          [0.4997502, 1.70693, 1.7317622, 2.9997501], [2, 2])


def test_batch_norm_ranks_and_dtypes(backend):
    # By hand: (x - 1) / sqrt(4 + 0.001) * 2 + 1 for x = 1, 3, 5.
    expected = [(v - 1) / np.sqrt(4.001) * 2 + 1 for v in (1, 3, 5)]
    check(lambda: tf.batchNorm(tf.tensor1d([1, 3, 5]), 1, 4, 1, 2), expected, [3])
    check(lambda: tf.batchNorm3d(tf.tensor([1.0, 3.0, 5.0], [1, 1, 3]), [1.0], [4.0], [1.0],
                                 [2.0]), expected, [1, 1, 3])
    check(lambda: tf.batchNorm4d(tf.tensor([1.0, 3.0, 5.0], [1, 1, 1, 3]), [1.0], [4.0],
                                 varianceEpsilon=0.5),
          [(v - 1) / np.sqrt(4.5) for v in (1, 3, 5)], [1, 1, 1, 3])
    check(lambda: tf.batch_norm(tf.zeros([0, 3]), MEAN, VARIANCE), [], [0, 3])


def test_batch_norm_errors(backend):
    with pytest.raises(ValueError, match='equal ranks'):
        tf.batchNorm(BN_X, MEAN, [VARIANCE])
    with pytest.raises(ValueError, match='does not broadcast'):
        tf.batchNorm(BN_X, [0.0, 1.0], [1.0, 1.0])
    with pytest.raises(ValueError, match='x must be rank 2'):
        tf.batchNorm2d(tf.zeros([1, 1, 3]), MEAN, VARIANCE)
    with pytest.raises(ValueError, match='mean must be rank 4 or rank 1'):
        tf.batchNorm4d(BN_X, [[0.0] * 3], [[1.0] * 3])


def test_batch_norm_grad_rank1_params(backend):
    x = pattern(12, 7, 11, 5, 4).reshape(2, 2, 3)
    check_grad(lambda x, m, v, o, s: tf.batchNorm(x, m, v, o, s, 0.01),
               [x, np.array(MEAN), np.array(VARIANCE), np.array(OFFSET), np.array(SCALE)])
    check_grad(lambda x, m, v: tf.batchNorm(x, m, v), [x, np.array(MEAN), np.array(VARIANCE)])


def test_batch_norm_grad_full_shape_params(backend):
    x = pattern(6, 7, 11, 5, 4).reshape(2, 3)
    check_grad(lambda x, m, v, o, s: tf.batchNorm(x, m, v, o, s),
               [x, x * 0.5 + 0.1, x * x + 0.5, x - 1, 2 - x])


# -- localResponseNormalization ----------------------------------------------------

LRN_X = pattern(12, 5, 13, 6, 3).reshape(1, 1, 2, 6)


def test_lrn_values(backend):
    check(lambda: tf.localResponseNormalization(LRN_X),
          [-0.5595029, -0.0932505, 0.3730019, -0.3730019, 0.0932505, 0.5595029,
           -0.2222222, 0.3333333, -0.5555555, 0, 0.5555555, -0.3333333], [1, 1, 2, 6])
    check(lambda: tf.tensor(LRN_X).localResponseNormalization(1, 2, 0.5, 0.75),
          [-0.6998295, -0.1005288, 0.4866943, -0.4866943, 0.1005288, 0.6998295,
           -0.3145691, 0.3463623, -0.601838, 0, 0.601838, -0.3611028], [1, 1, 2, 6])
    check(lambda: tf.localResponseNormalization(tf.tensor(np.arange(12) - 5, [1, 2, 6]), 2, 1,
                                                0.1, 0.5),
          [-2.0412414, -1.5811388, -1.1766968, -1, -0.6454972, 0, 0.6454972, 1, 1.1766968,
           1.2649111, 1.6137431, 2.0341904], [1, 2, 6])
    # depthRadius 0: x / (1 + x^2)^0.5, by hand.
    check(lambda: tf.localResponseNormalization(tf.tensor([3.0, 4.0], [1, 1, 1, 2]), 0),
          [3 / np.sqrt(10), 4 / np.sqrt(17)], [1, 1, 1, 2])


def test_lrn_errors(backend):
    with pytest.raises(ValueError, match='rank 3 or 4'):
        tf.localResponseNormalization(tf.zeros([2, 2]))
    with pytest.raises(ValueError, match='depthRadius must be a non-negative integer'):
        tf.localResponseNormalization(tf.zeros([1, 1, 1, 2]), 1.5)


def test_lrn_grad(backend):
    x = pattern(24, 5, 13, 6, 3).reshape(1, 2, 2, 6)
    w = pattern(24, 1, 100, -8, 8).reshape(1, 2, 2, 6)
    g = tf.tidy(lambda: tf.grad(lambda t: tf.localResponseNormalization(t, 2, 1.5, 0.3, 0.6)
                                .mul(tf.tensor(w)).sum())(tf.tensor(x)).numpy())
    np.testing.assert_allclose(g.reshape(-1), [
        0.3827377, 0.4612328, 0.7048436, 0.8464758, 0.6098806, 0.5578644, 0.8806341,
        1.1226956, 1.0610166, 0.9589249, 1.3196306, 1.3315817, 1.457213, 1.1963885,
        1.0966387, 1.7737385, 1.5438043, 1.78271, 0.7858896, 1.5736821, 1.3852819,
        1.9094393, 1.7786235, 1.7946005], rtol=1e-5)
    check_grad(lambda t: tf.localResponseNormalization(t, 2, 1.5, 0.3, 0.6), [x])
    check_grad(lambda t: tf.localResponseNormalization(t, 1, 1, 1, 0.75), [x[0]])
