"""Reductions: sum, mean, prod, max, min, all, any, argMax, argMin, cumsum,
cumprod, unsortedSegmentSum, logSumExp, moments, norm, euclideanNorm.

Expected values come from TensorFlow.js 4.22 (tfjs-backend-cpu) unless a
comment says they are computed by hand or differ from tfjs on purpose.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

import tfjs_py as tf
from tests.gradcheck import check_grad
from tests.ops.op_check import check

NAN = math.nan
INF = math.inf


def grad_of(f, values):
    """The gradient of f at float32 values; every tensor lives inside a tidy,
    so a backend that lacks a kernel leaks nothing."""
    return tf.tidy(lambda: tf.grad(f)(tf.tensor(np.asarray(values, np.float32))).numpy())


X22 = [[1.0, 2.0], [3.0, 4.0]]


# -- sum, mean, prod --------------------------------------------------------------

def test_sum_axes_and_dtypes(backend):
    check(lambda: tf.sum(tf.tensor2d(X22)), 10, [])
    check(lambda: tf.sum(tf.tensor2d(X22), 0), [4, 6], [2])
    check(lambda: tf.tensor2d(X22).sum(-1, True), [3, 7], [2, 1])
    check(lambda: tf.sum(tf.ones([1, 2, 1, 2, 1, 2]), [1, 3, 5]), [8], [1, 1, 1])
    check(lambda: tf.sum(tf.tensor1d([True, False, True], 'bool')), 2, [], 'int32')
    check(lambda: tf.sum(tf.tensor1d([1, 2], 'int32')), 3, [], 'int32')
    check(lambda: tf.sum(tf.scalar(5.0)), 5, [])
    check(lambda: tf.sum(tf.zeros([0, 3]), 0), [0, 0, 0], [3])
    check(lambda: tf.sum(tf.tensor1d([INF, -INF])), NAN, [])


def test_mean_dtypes_and_empty(backend):
    check(lambda: tf.mean(tf.tensor1d([1, 2], 'int32')), 1.5, [])
    check(lambda: tf.mean(tf.tensor1d([True, False], 'bool')), 0.5, [])
    check(lambda: tf.mean(tf.zeros([0, 3]), 0), [0, 0, 0], [3])
    check(lambda: tf.mean(tf.zeros([0, 3])), 0, [])
    check(lambda: tf.mean(tf.tensor1d([1e30, 1e30])), 1e30, [])


def test_prod(backend):
    check(lambda: tf.prod(tf.tensor2d(X22)), 24, [])
    check(lambda: tf.prod(tf.tensor2d(X22), 1, True), [2, 12], [2, 1])
    check(lambda: tf.prod(tf.tensor1d([2, 3], 'int32')), 6, [], 'int32')
    check(lambda: tf.prod(tf.tensor1d([True, False], 'bool')), 0, [], 'int32')
    check(lambda: tf.prod(tf.zeros([0, 3]), 0), [1, 1, 1], [3])
    check(lambda: tf.prod(tf.tensor1d([2.0, NAN])), NAN, [])


def test_axis_errors(backend):
    with pytest.raises(ValueError, match='axis 1 is out of range'):
        tf.sum(tf.tensor1d([1.0, 2.0]), 1)
    with pytest.raises(ValueError, match='axis -3 is out of range'):
        tf.prod(tf.zeros([2, 2]), -3)


# -- max, min -----------------------------------------------------------------------

def test_max_min(backend):
    check(lambda: tf.max(tf.tensor2d(X22)), 4, [])
    check(lambda: tf.max(tf.tensor2d(X22), [-1], True), [2, 4], [2, 1])
    check(lambda: tf.tensor2d(X22).min(0), [1, 2], [2])
    check(lambda: tf.max(tf.tensor1d([1.0, NAN, 3.0])), NAN, [])
    check(lambda: tf.min(tf.tensor1d([1.0, NAN, 3.0])), NAN, [])
    check(lambda: tf.max(tf.tensor1d([True, False], 'bool')), True, [], 'bool')
    check(lambda: tf.min(tf.tensor1d([True, False], 'bool')), False, [], 'bool')
    check(lambda: tf.max(tf.tensor1d([1, 7, 3], 'int32')), 7, [], 'int32')
    x6 = np.arange(64, dtype=np.float32).reshape(2, 2, 2, 2, 2, 2)
    check(lambda: tf.max(tf.tensor(x6), [0, 5]), x6.max(axis=(0, 5)), [2, 2, 2, 2])


def test_max_min_empty(backend):
    check(lambda: tf.max(tf.zeros([0, 3]), 0), [NAN] * 3, [3])
    check(lambda: tf.min(tf.zeros([0, 3]), 0), [NAN] * 3, [3])
    check(lambda: tf.max(tf.zeros([0, 3]), 1), [], [0])
    check(lambda: tf.max(tf.zeros([0, 3], 'int32'), 0), [0, 0, 0], [3], 'int32')
    check(lambda: tf.max(tf.zeros([0, 3], 'bool'), 0), [False] * 3, [3], 'bool')


# -- all, any ---------------------------------------------------------------------

def test_all_any(backend):
    b = [[True, False], [True, True]]
    check(lambda: tf.all(tf.tensor2d(b)), False, [], 'bool')
    check(lambda: tf.all(tf.tensor2d(b), 1), [False, True], [2], 'bool')
    check(lambda: tf.any(tf.tensor2d(b), 0, True), [True, True], [1, 2], 'bool')
    check(lambda: tf.any(tf.tensor1d([False, False])), False, [], 'bool')
    # tfjs 4.22 answers false for all() over an empty axis; true is right.
    check(lambda: tf.all(tf.zeros([0, 3], 'bool'), 0), [True] * 3, [3], 'bool')
    check(lambda: tf.any(tf.zeros([0, 3], 'bool'), 0), [False] * 3, [3], 'bool')


def test_all_refuses_non_bool(backend):
    x = tf.tensor1d([1.0, 0.0])
    with pytest.raises(TypeError, match="'x' passed to 'all' must be a bool tensor"):
        tf.all(x)
    with pytest.raises(TypeError, match="'x' passed to 'any' must be a bool tensor"):
        tf.any(x)
    x.dispose()


# -- argMax, argMin ------------------------------------------------------------------

def test_arg_max_min(backend):
    m = [[1.0, 5.0], [7.0, 2.0]]
    check(lambda: tf.argMax(tf.tensor2d(m)), [1, 0], [2], 'int32')
    check(lambda: tf.argMax(tf.tensor2d(m), -1), [1, 0], [2], 'int32')
    check(lambda: tf.tensor2d(m).argMin(1), [0, 1], [2], 'int32')
    check(lambda: tf.argMax(tf.tensor1d([3.0, 3.0, 1.0])), 0, [], 'int32')
    check(lambda: tf.argMax(tf.tensor1d([False, True])), 1, [], 'int32')
    check(lambda: tf.argMax(tf.zeros([0, 3]), 0), [0, 0, 0], [3], 'int32')


def test_arg_max_nan(backend):
    # tfjs scans with `>`: a later NaN is skipped, a NaN in front wins
    check(lambda: tf.argMax(tf.tensor1d([1.0, NAN, 3.0])), 2, [], 'int32')
    check(lambda: tf.argMax(tf.tensor1d([NAN, 1.0, 0.0])), 0, [], 'int32')
    check(lambda: tf.argMin(tf.tensor1d([1.0, NAN, 0.0])), 2, [], 'int32')
    check(lambda: tf.argMin(tf.tensor1d([NAN, 1.0, 2.0])), 0, [], 'int32')
    check(lambda: tf.argMin(tf.tensor2d([[INF, -INF], [NAN, -INF]]), 1), [1, 0], [2], 'int32')


def test_arg_max_errors(backend):
    with pytest.raises(ValueError, match='rank at least 1'):
        tf.argMax(tf.scalar(3.0))
    with pytest.raises(ValueError, match='one axis'):
        tf.argMax(tf.zeros([2, 2]), [0, 1])
    with pytest.raises(ValueError, match='axis 2 is out of range'):
        tf.argMin(tf.zeros([2, 2]), 2)


# -- cumsum, cumprod ---------------------------------------------------------------

def test_cumsum(backend):
    x = [1.0, 2.0, 3.0, 4.0]
    check(lambda: tf.cumsum(tf.tensor1d(x)), [1, 3, 6, 10], [4])
    check(lambda: tf.cumsum(tf.tensor1d(x), 0, True, True), [9, 7, 4, 0], [4])
    check(lambda: tf.cumsum(tf.tensor1d([1, 2, 3, 4]), 0, True), [0, 1, 3, 6], [4], 'int32')
    check(lambda: tf.cumsum(tf.tensor1d([True, True])), [1, 2], [2], 'int32')
    check(lambda: tf.cumsum(tf.tensor2d(X22), 1), [1, 3, 3, 7], [2, 2])
    # tfjs 4.22 gets a negative axis wrong (shape [null, 2]); here it counts from the end
    check(lambda: tf.cumsum(tf.tensor2d(X22), -1), [1, 3, 3, 7], [2, 2])
    check(lambda: tf.cumsum(tf.zeros([0, 2]), 0), [], [0, 2])


def test_cumprod(backend):
    check(lambda: tf.cumprod(tf.tensor1d([1.0, 2.0, 3.0, 4.0]), 0, True, True),
          [24, 12, 4, 1], [4])
    check(lambda: tf.cumprod(tf.tensor1d([1, 2, 3, 4])), [1, 2, 6, 24], [4], 'int32')
    check(lambda: tf.cumprod(tf.tensor1d([True, False])), [1, 0], [2], 'int32')
    check(lambda: tf.cumprod(tf.tensor2d(X22), 0, False, True), [3, 8, 3, 4], [2, 2])


def test_cumulative_grads(backend):
    np.testing.assert_allclose(
        grad_of(lambda x: tf.cumsum(x, 0, True, False), [1.0, 2.0, 3.0]),
        [2, 1, 0])
    np.testing.assert_allclose(
        grad_of(lambda t: tf.cumsum(t, 1, False, True).mul(tf.tensor2d(X22)), X22),
        [[1, 3], [3, 7]])


@pytest.mark.parametrize('exclusive', [False, True])
@pytest.mark.parametrize('reverse', [False, True])
def test_cumulative_grads_numeric(backend, exclusive, reverse):
    a = np.random.default_rng(1).uniform(-2, 2, (2, 3, 4))
    check_grad(lambda t: tf.cumsum(t, 1, exclusive, reverse), [a])
    check_grad(lambda t: tf.cumprod(t, 2, exclusive, reverse), [a])
    # zeros in x: no division, so the gradient stays exact
    check_grad(lambda t: tf.cumprod(t, 0, exclusive, reverse),
               [np.array([2.0, 0.0, 3.0, 0.0, 1.5])])


# -- unsortedSegmentSum ------------------------------------------------------------

def test_unsorted_segment_sum(backend):
    check(lambda: tf.unsortedSegmentSum(tf.tensor1d([1.0, 2, 3, 4]),
                                        tf.tensor1d([1, 0, 1, 1], 'int32'), 3),
          [2, 8, 0], [3])
    check(lambda: tf.unsortedSegmentSum(tf.tensor2d(X22), tf.tensor1d([1, 1], 'int32'), 2),
          [0, 0, 4, 6], [2, 2])
    # ids outside [0, numSegments) are dropped
    check(lambda: tf.unsortedSegmentSum(tf.tensor1d([1.0, 2.0]), [0, 5], 2), [1, 0], [2])
    check(lambda: tf.unsortedSegmentSum(tf.tensor1d([1.0, 2.0]), [0, -1], 2), [1, 0], [2])
    # tfjs' cpu kernel returns float32 for int32 x; the sum of ints stays int32 here
    check(lambda: tf.unsortedSegmentSum(tf.tensor1d([1, 2]), [0, 0], 1), [3], [1], 'int32')
    check(lambda: tf.unsortedSegmentSum(tf.ones([2, 2, 3]), tf.tensor2d([[0, 1], [1, 1]]), 2),
          [1, 1, 1, 3, 3, 3], [2, 3])


def test_unsorted_segment_sum_errors(backend):
    with pytest.raises(ValueError, match='numSegments must be a non-negative integer'):
        tf.unsortedSegmentSum([1.0, 2.0], [1, 0], 1.5)
    ids = tf.tensor1d([1.0, 0.0])
    with pytest.raises(TypeError, match="'segmentIds' passed to 'unsortedSegmentSum' must be"):
        tf.unsortedSegmentSum([1.0, 2.0], ids, 2)
    ids.dispose()
    with pytest.raises(ValueError, match='prefix of the shape of x'):
        tf.unsortedSegmentSum([1.0, 2.0], [1, 0, 0], 2)


def test_unsorted_segment_sum_grad(backend):
    ids = [1, 0, 1, -1]
    np.testing.assert_allclose(
        grad_of(lambda t: tf.unsortedSegmentSum(t, ids, 2).mul(tf.tensor2d(X22)),
                [[1.0, 2], [3, 4], [5, 6], [7, 8]]),
        [[3, 4], [1, 2], [3, 4], [0, 0]])
    check_grad(lambda t: tf.unsortedSegmentSum(t, ids, 3), [np.ones((4, 2))])
    check_grad(lambda t: tf.unsortedSegmentSum(t, [0, 0, 5], 1), [np.array([1.0, 2.0, 3.0])])


# -- gradients of the reductions ---------------------------------------------------

def test_sum_mean_grads(backend):
    np.testing.assert_allclose(grad_of(lambda t: tf.mean(t), X22), [[0.25] * 2] * 2)
    np.testing.assert_allclose(grad_of(lambda t: tf.sum(t, 0), X22), [[1, 1], [1, 1]])
    a = np.random.default_rng(2).uniform(-1, 1, (2, 3, 2))
    check_grad(lambda t: tf.sum(t, [0, 2], True), [a])
    check_grad(lambda t: tf.mean(t, -1), [a])


def test_max_min_grads_go_to_all_ties(backend):
    np.testing.assert_allclose(grad_of(lambda t: tf.max(t), [1.0, 3, 3, 2]),
                               [0, 1, 1, 0])
    np.testing.assert_allclose(grad_of(lambda t: tf.max(t, 1), [[1.0, 3], [4, 4]]),
                               [[0, 1], [1, 1]])
    np.testing.assert_allclose(grad_of(lambda t: tf.min(t, 0), [[1.0, 3], [1, 0]]),
                               [[1, 0], [1, 1]])
    np.testing.assert_allclose(grad_of(lambda t: tf.max(t), [1.0, NAN, 2.0]),
                               [0, 0, 0])
    a = np.random.default_rng(3).permutation(24).reshape(2, 3, 4).astype(np.float64)
    check_grad(lambda t: tf.max(t, [0, 2]), [a])
    check_grad(lambda t: tf.min(t, 1, True), [a])


def test_prod_grad_with_zeros(backend):
    np.testing.assert_allclose(grad_of(lambda t: tf.prod(t), [2.0, 0, 3]),
                               [0, 6, 0])
    np.testing.assert_allclose(grad_of(lambda t: tf.prod(t), [2.0, 0, 0]),
                               [0, 0, 0])
    np.testing.assert_allclose(
        grad_of(lambda t: tf.prod(t, [0, 1]), np.reshape([1.0, 2, 3, 4, 5, 6, 7, 0], (2, 2, 2))),
        [[[105, 0], [35, 0]], [[21, 0], [15, 48]]])
    np.testing.assert_allclose(
        grad_of(lambda t: tf.prod(t, 1, True), [[1.0, 2, 3], [4, 0, 6]]),
        [[6, 3, 2], [0, 24, 0]])
    check_grad(lambda t: tf.prod(t, [1, 2]),
               [np.random.default_rng(4).uniform(0.5, 1.5, (2, 2, 3))])


def test_arg_grads_are_zero(backend):
    np.testing.assert_allclose(grad_of(lambda t: tf.argMax(t), [1.0, 2.0]), [0, 0])
    np.testing.assert_allclose(grad_of(lambda t: tf.argMin(t), [1.0, 2.0]), [0, 0])


# -- logSumExp, moments ----------------------------------------------------------

def test_log_sum_exp(backend):
    check(lambda: tf.logSumExp(tf.tensor1d([1.0, 2.0, 3.0])), 3.4076058864593506, [])
    check(lambda: tf.logSumExp(tf.tensor1d([1000.0, 1000.0])), 1000.6931762695312, [])
    check(lambda: tf.logSumExp(tf.tensor1d([1, 2])), 2.3132617473602295, [])
    check(lambda: tf.logSumExp(tf.tensor2d(X22), 1, True), [2.3132617473602295, 4.31326150894165],
          [2, 1])
    # as tfjs composes it: an all -Infinity slice, or +Infinity, gives NaN
    check(lambda: tf.logSumExp(tf.tensor1d([-INF, -INF])), NAN, [])
    check(lambda: tf.logSumExp(tf.tensor1d([INF, 1.0])), NAN, [])


def test_log_sum_exp_grad(backend):
    np.testing.assert_allclose(
        grad_of(lambda t: tf.logSumExp(t), [1.0, 2.0, 3.0]),
        [0.09003057330846786, 0.2447284758090973, 0.6652409434318542], rtol=1e-5)
    check_grad(lambda t: tf.logSumExp(t, [0, 2]), [np.random.default_rng(5).normal(size=(2, 3, 2))])


def moments_of(values, *args):
    return tf.tidy(lambda: {k: (v.numpy(), v.shape, v.dtype)
                            for k, v in tf.moments(tf.tensor(values), *args).items()})


def test_moments(backend):
    m = moments_of([1.0, 2, 3, 4])
    assert m['mean'] == (2.5, [], 'float32') and m['variance'] == (1.25, [], 'float32')
    m = moments_of([1, 2, 3, 4])
    assert m['mean'] == (2.5, [], 'float32') and m['variance'] == (1.25, [], 'float32')
    m = moments_of([[1.0, 2], [3, 5]], 1, True)
    assert m['mean'][1] == [2, 1] and m['variance'][1] == [2, 1]
    np.testing.assert_allclose(m['mean'][0].ravel(), [1.5, 4])
    np.testing.assert_allclose(m['variance'][0].ravel(), [0.25, 1])
    out = tf.tidy(lambda: tf.moments(tf.tensor1d([1.0, 3.0])).variance.numpy())
    assert out == 1.0  # attribute access as well as keys
    check_grad(lambda t: tf.moments(t, 0).variance, [np.array([[1.0, 2], [0.5, -1], [3, 0]])])


# -- norm ----------------------------------------------------------------------------

M = [[1.0, -2.0], [3.0, 4.0]]


def test_norm_vectors(backend):
    check(lambda: tf.norm(tf.tensor1d([3.0, 4.0])), 5, [])
    check(lambda: tf.norm(tf.tensor2d(M), 1), 10, [])
    check(lambda: tf.norm(tf.tensor2d(M), 2), 5.4772257804870605, [])
    check(lambda: tf.norm(tf.tensor2d(M), 'euclidean', 1, True), [2.2360680103302, 5], [2, 1])
    check(lambda: tf.norm(tf.tensor1d([1.0, -2, 3]), INF), 3, [])
    check(lambda: tf.norm(tf.tensor1d([1.0, -2, 3]), -INF), 1, [])
    check(lambda: tf.norm(tf.scalar(-3.0)), 3, [])
    check(lambda: tf.euclideanNorm(tf.tensor2d([[3.0, 4], [6, 8]]), 1), [5, 10], [2])
    check(lambda: tf.norm(tf.tensor2d(M), 'euclidean', None, True), [5.4772257804870605],
          [1, 1])
    # tfjs refuses int32 in its sqrt; here it is cast
    check(lambda: tf.norm(tf.tensor1d([3, 4])), 5, [])
    check(lambda: tf.euclideanNorm(tf.tensor1d([3, 4])), 5, [])


def test_norm_matrices(backend):
    check(lambda: tf.norm(tf.tensor2d(M), 1, [0, 1]), 6, [])
    check(lambda: tf.norm(tf.tensor2d(M), INF, [0, 1]), 7, [])
    check(lambda: tf.norm(tf.tensor2d(M), -INF, [0, 1]), 3, [])
    check(lambda: tf.norm(tf.tensor2d(M), 'fro', [0, 1]), 5.4772257804870605, [])
    # by hand: the matrix norms of each [2, 2] slice of a batch
    x = np.array([M, [[0.0, 1.0], [-5.0, 2.0]]])
    check(lambda: tf.norm(tf.tensor(x), 1, [1, 2], True), [6, 5], [2, 1, 1])
    check(lambda: tf.norm(tf.tensor(x), 1, [-2, -1]), [6, 5], [2])


def test_norm_errors(backend):
    x = tf.tensor2d(M)
    with pytest.raises(ValueError, match='invalid ord value: 2'):
        tf.norm(x, 2, [0, 1])
    with pytest.raises(ValueError, match='invalid ord value: 3'):
        tf.norm(x, 3)
    with pytest.raises(ValueError, match='invalid ord value: 0'):
        tf.norm(x, 0)
    with pytest.raises(ValueError, match='invalid ord value: fro'):
        tf.norm(tf.tensor1d([1.0, 2.0]), 'fro')
    with pytest.raises(ValueError, match='invalid axis'):
        tf.norm(tf.zeros([2, 2, 2]), 'fro', [0, 1, 2])
    x.dispose()


def test_norm_grads(backend):
    np.testing.assert_allclose(grad_of(lambda t: tf.norm(t), [3.0, 4.0]),
                               [0.6, 0.8], rtol=1e-6)
    np.testing.assert_allclose(grad_of(lambda t: tf.norm(t, INF), [3.0, -4, 4]),
                               [0, -1, 1])
    a = np.random.default_rng(6).uniform(0.5, 2, (2, 3)) * np.array([1, -1, 1])
    check_grad(lambda t: tf.norm(t, 'fro', [0, 1]), [a])
    check_grad(lambda t: tf.norm(t, 1, 1), [a])


def test_string_tensors_are_refused(backend):
    s = tf.tensor(['a', 'b'])
    for fn in (tf.sum, tf.max, tf.argMax, tf.cumsum, tf.logSumExp, tf.norm):
        with pytest.raises(TypeError, match=f"Argument 'x' passed to '{fn.__name__.rstrip('_')}' "
                                            f"must be numeric tensor, but got string tensor"):
            fn(s)
    s.dispose()


# -- a batch of cases computed by real tfjs (tests/reference/make_reduce_linalg_cases.py) --

SPECIAL = {'NaN': math.nan, 'Infinity': math.inf, '-Infinity': -math.inf}
CASES_FILE = Path(__file__).parent / 'data' / 'tfjs_reduce_linalg_cases.json'
TFJS_CASES = [c for c in json.loads(CASES_FILE.read_text())
              if c['fn'] not in ('matMul', 'einsum')]


def from_case(v):
    return SPECIAL.get(v, v) if isinstance(v, str) else v


def run_case(case):
    fn = getattr(tf, case['fn'])
    args = [from_case(a) for a in case['args']]

    def run():
        ts = [tf.tensor(np.array([from_case(v) for v in t['values']]).reshape(t['shape']),
                        t['shape'], t['dtype']) for t in case['tensors']]
        if case['fn'] == 'einsum':
            out = fn(args[0], *ts)
        elif case['grad']:
            out = tf.grad(lambda x: fn(x, *ts[1:], *args))(ts[0])
        else:
            out = fn(*ts, *args)
        return out.numpy(), out.shape, out.dtype

    values, shape, dtype = tf.tidy(run)
    expected = case['expected']
    assert shape == expected['shape'] and dtype == expected['dtype'], case['name']
    want = np.array([from_case(v) for v in expected['values']], dtype=np.float64)
    np.testing.assert_allclose(values.reshape(-1).astype(np.float64), want, rtol=2e-6,
                               atol=1e-5, err_msg=case['name'])


@pytest.mark.parametrize('case', TFJS_CASES, ids=[c['name'] for c in TFJS_CASES])
def test_matches_tfjs(backend, case):
    run_case(case)


def test_grads_of_int32_inputs_are_float32(backend):
    # tfjs: the gradients of sum, mean, max and prod of an int32 tensor are float32
    for fn, want in ((tf.sum, [1, 1]), (tf.mean, [0.5, 0.5]), (tf.max, [0, 1]),
                     (tf.prod, [2, 1])):
        values, dtype = tf.tidy(lambda fn=fn: (lambda g: (g.numpy(), g.dtype))(
            tf.grad(lambda x: fn(x))(tf.tensor1d([1, 2]))))
        assert dtype == 'float32'
        np.testing.assert_allclose(values, want)


# -- big float32 sums over a leading or trailing run of axes (BLAS on cpu) -------------------

def _exact_sum(x: np.ndarray, axes) -> np.ndarray:
    return x.astype(np.float64).sum(axis=axes)


@pytest.mark.parametrize('shape,axes', [((2100, 3), 0), ((40, 11, 6), [0, 1]), ((3, 5000), 1),
                                        ((700, 3, 4), [2, 1]), ((4, 1300, 5), [1, 2]),
                                        ((6000, 1), 0), ((5, 4, 300), [0, 1, 2])])
def test_big_sums_and_means_match_float64(backend, shape, axes):
    # Over 1024 summed numbers (blocks of float32 sums added in float64 on cpu), with
    # positive numbers: the relative error of a plain float32 running sum grows with n.
    x = np.random.default_rng(len(shape)).uniform(0.5, 1.5, shape).astype(np.float32)
    axes_t = tuple(np.atleast_1d(axes))
    exact = _exact_sum(x, axes_t)
    got = tf.tidy(lambda: tf.sum(x, axes).numpy())
    assert got.dtype == np.float32 and got.shape == exact.shape
    np.testing.assert_allclose(got, exact, rtol=2e-6)
    kept = tf.tidy(lambda: tf.mean(x, axes, True).numpy())
    count = x.size // exact.size
    np.testing.assert_allclose(kept, np.expand_dims(exact / count, axes_t), rtol=2e-6)


def test_big_sums_precision_over_many_rows(backend):
    # A constant column is the worst case of a running float32 sum (the same rounding at
    # every step). tfjs' cpu adds in float64; gl's shader passes add in float32.
    x = np.full((300000, 2), 0.1, np.float32)
    x[:, 1] = np.random.default_rng(0).uniform(0, 1, 300000)
    got = tf.tidy(lambda: tf.sum(x, 0).numpy())
    np.testing.assert_allclose(got, _exact_sum(x, 0), rtol=1e-6 if backend == 'cpu' else 5e-6)


def test_big_sums_of_non_finite_numbers_and_int32(backend):
    x = np.ones((3000, 4), np.float32)
    x[5, 0], x[7, 1], x[2999, 1], x[10, 2] = INF, INF, -INF, NAN
    np.testing.assert_array_equal(tf.tidy(lambda: tf.sum(x, 0).numpy()), [INF, NAN, NAN, 3000])
    np.testing.assert_array_equal(tf.tidy(lambda: tf.sum(x.T, 1).numpy()), [INF, NAN, NAN, 3000])
    ints = np.random.default_rng(1).integers(-(10 ** 5), 10 ** 5, (3000, 4)).astype(np.int32)

    def body():
        out = tf.sum(tf.tensor(ints, None, 'int32'), 0)
        assert out.dtype == 'int32'
        return out.numpy()
    np.testing.assert_array_equal(tf.tidy(body), ints.astype(np.int64).sum(0))


@pytest.mark.parametrize('shape,axes', [((2100, 3), 1), ((700, 3, 4), [1, 2]), ((2100, 3), 0),
                                        ((40, 11, 6), [0, 1]), ((33, 130), 0), ((130, 33), 1)])
def test_big_max_min_over_short_rows(backend, shape, axes):
    # Short rows left or reduced (column by column, or halving the rows on cpu); NaN wins
    # wherever it is, as in tfjs' `isNaN(value) || value > max`.
    rng = np.random.default_rng(len(shape))
    x = rng.uniform(-100, 100, shape).astype(np.float32)
    x[rng.random(shape) < 0.002] = NAN
    x.reshape(-1)[[0, -1]] = [INF, -INF]
    axes_t = tuple(np.atleast_1d(axes))
    for fn, ref in ((tf.max, np.max), (tf.min, np.min)):
        np.testing.assert_array_equal(tf.tidy(lambda f=fn: f(x, axes).numpy()), ref(x, axes_t))
        np.testing.assert_array_equal(tf.tidy(lambda f=fn: f(x, axes, True).numpy()),
                                      ref(x, axes_t, keepdims=True))
    ints = rng.integers(-1000, 1000, shape).astype(np.int32)

    def body():
        out = tf.max(tf.tensor(ints, None, 'int32'), axes)
        assert out.dtype == 'int32'
        return out.numpy()
    np.testing.assert_array_equal(tf.tidy(body), np.max(ints, axes_t))
