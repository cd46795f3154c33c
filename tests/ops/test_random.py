"""Random ops: statistics of the draws, seeds, dtypes and errors.

tfjs' own random streams (seedrandom's alea) are not reproduced, so the
values are checked statistically: means and spreads within a tolerance far
above the sampling error of the sizes used, truncation bounds, and that a
seed gives the same values on every call and every backend.
"""

from __future__ import annotations

import numpy as np
import pytest

import tfjs_py as tf

N = 40_000


def run(fn) -> np.ndarray:
    return tf.tidy(lambda: fn().numpy())


def run_with_dtype(fn) -> tuple[np.ndarray, list[int], str]:
    return tf.tidy(lambda: (lambda t: (t.numpy(), t.shape, t.dtype))(fn()))


def on_backend(name: str, fn) -> np.ndarray:
    eng = tf.engine()
    previous = eng.backend.name
    assert eng.set_backend_sync(name)
    try:
        return run(fn)
    finally:
        eng.set_backend_sync(previous)


def test_random_normal(backend):
    values, shape, dtype = run_with_dtype(lambda: tf.randomNormal([200, 200], 2, 3, seed=1))
    assert (shape, dtype) == ([200, 200], 'float32')
    assert abs(values.mean() - 2) < 0.05
    assert abs(values.std() - 3) < 0.05
    # Roughly normal: about 68% within one standard deviation.
    assert abs(np.mean(np.abs(values - 2) < 3) - 0.6827) < 0.01


def test_random_normal_int32_and_standard_normal(backend):
    values, _, dtype = run_with_dtype(lambda: tf.randomNormal([N], 10, 4, 'int32', 7))
    assert dtype == 'int32'
    assert abs(values.mean() - 10) < 0.1
    standard, shape, dtype = run_with_dtype(lambda: tf.randomStandardNormal([N], seed=2))
    assert (shape, dtype) == ([N], 'float32')
    assert abs(standard.mean()) < 0.03 and abs(standard.std() - 1) < 0.03


def test_truncated_normal(backend):
    values = run(lambda: tf.truncatedNormal([N], -1, 2, seed='t'))
    assert values.min() >= -5 and values.max() <= 3
    assert values.min() < -4.9 and values.max() > 2.9
    assert abs(values.mean() + 1) < 0.03
    # The standard deviation of a standard normal cut at +-2 is 0.8796.
    assert abs(values.std() - 2 * 0.8796) < 0.03
    ints = run(lambda: tf.truncatedNormal([N], 0, 10, 'int32', 3))
    assert ints.dtype == np.int32 and ints.min() >= -20 and ints.max() <= 20


def test_random_uniform(backend):
    values, shape, dtype = run_with_dtype(lambda: tf.randomUniform([N], -2, 6, seed=4))
    assert (shape, dtype) == ([N], 'float32')
    assert values.min() >= -2 and values.max() < 6
    assert abs(values.mean() - 2) < 0.06
    # Uniform on [a, b): variance (b - a)^2 / 12.
    assert abs(values.var() - 64 / 12) < 0.1
    defaults = run(lambda: tf.randomUniform([N]))
    assert defaults.min() >= 0 and defaults.max() < 1


def test_random_uniform_int(backend):
    # Rounded like tfjs: both ends are reachable, each half as often as the inner values.
    values, _, dtype = run_with_dtype(lambda: tf.randomUniform([N], 0, 4, 'int32', 5))
    assert dtype == 'int32'
    counts = np.bincount(values, minlength=5) / N
    np.testing.assert_allclose(counts, [1 / 8, 1 / 4, 1 / 4, 1 / 4, 1 / 8], atol=0.01)
    same = run(lambda: tf.randomUniformInt([N], 0, 4, 5))
    np.testing.assert_array_equal(values, same)


def test_random_gamma(backend):
    values, _, dtype = run_with_dtype(lambda: tf.randomGamma([N], 3, 2, seed=6))
    assert dtype == 'float32' and values.min() > 0
    assert abs(values.mean() - 1.5) < 0.02  # alpha / beta
    assert abs(values.var() - 0.75) < 0.03  # alpha / beta^2
    small = run(lambda: tf.randomGamma([N], 0.5, seed=6))
    assert abs(small.mean() - 0.5) < 0.02
    ints = run(lambda: tf.randomGamma([N], 20, 1, 'int32', 6))
    assert ints.dtype == np.int32 and abs(ints.mean() - 20) < 0.15


@pytest.mark.parametrize('make', [
    lambda seed: tf.randomNormal([64], 0, 1, 'float32', seed),
    lambda seed: tf.truncatedNormal([64], 0, 1, 'float32', seed),
    lambda seed: tf.randomUniform([64], 0, 1, 'float32', seed),
    lambda seed: tf.randomGamma([64], 2, 1, 'float32', seed),
    lambda seed: tf.multinomial(tf.zeros([2, 10]), 64, seed),
    lambda seed: tf.dropout(tf.ones([64]), 0.5, None, seed),
], ids=['normal', 'truncated', 'uniform', 'gamma', 'multinomial', 'dropout'])
def test_seeds(backend, make):
    first = run(lambda: make(42))
    np.testing.assert_array_equal(first, run(lambda: make(42)))
    # A seed is read through its JavaScript string, as in tfjs.
    np.testing.assert_array_equal(first, run(lambda: make(42.0)))
    np.testing.assert_array_equal(first, run(lambda: make('42')))
    np.testing.assert_array_equal(first, on_backend('cpu', lambda: make(42)))
    assert not np.array_equal(first, run(lambda: make(43)))
    assert not np.array_equal(run(lambda: make(None)), run(lambda: make(None)))


def test_seed_zero_is_a_seed(backend):
    np.testing.assert_array_equal(run(lambda: tf.randomNormal([8], seed=0)),
                                  run(lambda: tf.randomNormal([8], seed=0)))


def test_random_shapes(backend):
    for fn in (tf.randomNormal, tf.truncatedNormal, tf.randomUniform, tf.randomStandardNormal):
        assert run_with_dtype(lambda f=fn: f([]))[1:] == ([], 'float32')
        assert run_with_dtype(lambda f=fn: f([2, 0, 3]))[1:] == ([2, 0, 3], 'float32')
    assert run_with_dtype(lambda: tf.randomGamma([3, 2], 1))[1] == [3, 2]


def test_random_errors(backend):
    with pytest.raises(ValueError, match='negative dimension'):
        tf.randomNormal([2, -1])
    with pytest.raises(ValueError, match='unsupported data type'):
        tf.randomNormal([2], 0, 1, 'bool')
    with pytest.raises(ValueError, match='unsupported data type'):
        tf.randomUniform([2], 0, 1, 'bool')
    with pytest.raises(ValueError, match='<= 1 and dtype is not float'):
        tf.randomUniform([2], 0, 1, 'int32')
    with pytest.raises(ValueError, match='alpha and beta must be positive'):
        tf.randomGamma([2], 0)
    with pytest.raises(ValueError, match='alpha and beta must be positive'):
        tf.randomGamma([2], 1, -1)
    with pytest.raises(TypeError, match='seed must be a number or a string'):
        tf.randomNormal([2], seed=[1])


def test_multinomial_normalized(backend):
    values, shape, dtype = run_with_dtype(
        lambda: tf.multinomial(tf.tensor1d([0.1, 0.2, 0.7]), N, 1, True))
    assert (shape, dtype) == ([N], 'int32')
    np.testing.assert_allclose(np.bincount(values, minlength=3) / N, [0.1, 0.2, 0.7],
                               atol=0.01)


def test_multinomial_logits_rows(backend):
    logits = [[0.0, 0.0, 1.0], [5.0, 0.0, 0.0], [0.0, 0.0, 0.0]]
    values, shape, _ = run_with_dtype(lambda: tf.multinomial(logits, N, 2))
    assert shape == [3, N]
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    for row, p in zip(values, probs, strict=True):
        np.testing.assert_allclose(np.bincount(row, minlength=3) / N, p, atol=0.01)
    # A certain event is always drawn; the last event takes what the cdf leaves.
    sure = run(lambda: tf.multinomial(tf.tensor2d([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]), 100, 3,
                                      True))
    assert (sure[0] == 1).all() and (sure[1] == 2).all()
    assert run_with_dtype(lambda: tf.multinomial([1.0, 2.0], 0))[1] == [0]


def test_multinomial_errors(backend):
    with pytest.raises(ValueError, match='at least 2 outcomes'):
        tf.multinomial(tf.tensor1d([1.0]), 3)
    with pytest.raises(ValueError, match='rank of probabilities must be 1 or 2'):
        tf.multinomial(tf.zeros([2, 2, 2]), 3)
    with pytest.raises(ValueError, match='numSamples must be a non-negative integer'):
        tf.multinomial(tf.zeros([2, 2]), 1.5)
