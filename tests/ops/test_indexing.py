"""Indexing ops: gather, gatherND, scatterND, tensorScatterUpdate, topk, unique,
whereAsync, booleanMaskAsync, setdiff1dAsync, and the gradients of the
indexing kernels and of oneHot.

Expected values come from TensorFlow.js 4.22 (tfjs-backend-cpu, through
tests/reference/tfjs_eval.js) unless a comment says otherwise.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import tfjs_py as tf
from tests.gradcheck import check_grad
from tests.ops.op_check import out, tidy_test

NAN = float('nan')


def pair(fn):
    """The (values, indices) results of topk/unique as two out() triples."""
    def read():
        r = fn()
        return tuple((t.shape, t.dtype, t.dataSync().tolist()) for t in (r.values, r.indices))
    return tf.tidy(read)


def raises(exc, match, fn):
    with pytest.raises(exc, match=match):
        tf.tidy(fn)


def arange(shape, dtype='float32'):
    return tf.range(0, math.prod(shape), 1, dtype).reshape(shape)


def ints(values, shape):
    return tf.tensor(values, shape, 'int32')


def pattern(*shape):
    n = math.prod(shape)
    return (((np.arange(n) * 7) % 11 - 5) / 4).reshape(shape)


def same(a, b):
    """Equal flat values, NaN equal to NaN."""
    return np.array_equal(np.asarray(a, float), np.asarray(b, float), equal_nan=True)


# -- gather ---------------------------------------------------------------------------

@tidy_test
def test_gather(backend):
    m = tf.tensor2d([[1.0, 2.0], [3.0, 4.0]])
    assert out(lambda: tf.gather(m, ints([1, 0], [2]), 1)) == ([2, 2], 'float32',
                                                               [2.0, 1.0, 4.0, 3.0])
    assert out(lambda: tf.gather(m, [1, 0], -1))[2] == [2.0, 1.0, 4.0, 3.0]
    assert out(lambda: m.gather([1, 1, 0]))[::2] == ([3, 2], [3.0, 4.0, 3.0, 4.0, 1.0, 2.0])
    assert out(lambda: tf.gather(arange([3, 4]), ints([2, 0, 1, 1], [2, 2])))[::2] == (
        [2, 2, 4], [8, 9, 10, 11, 0, 1, 2, 3, 4, 5, 6, 7, 4, 5, 6, 7])
    assert out(lambda: tf.gather(tf.tensor1d([1.0, 2.0, 3.0]), tf.scalar(2, 'int32'))) == (
        [], 'float32', [3.0])
    assert out(lambda: tf.gather(tf.tensor1d([True, False]), [1, 1])) == (
        [2], 'bool', [False, False])
    assert out(lambda: tf.gather(tf.zeros([0, 2]), tf.zeros([0], 'int32')))[0] == [0, 2]
    assert out(lambda: tf.gather(arange([2, 3]), tf.zeros([0], 'int32'), 1))[0] == [2, 0]
    # Strings: tfjs 4.22 refuses them ("must be numeric"); a vocabulary lookup is useful.
    assert out(lambda: tf.gather(tf.tensor1d(['a', 'b', 'c']), [2, 0]))[2] == ['c', 'a']


@tidy_test
def test_gather_batch_dims(backend):
    m = tf.tensor2d([[1.0, 2.0], [3.0, 4.0]])
    assert out(lambda: tf.gather(m, ints([1, 0], [2, 1]), 1, 1)) == ([2, 1], 'float32',
                                                                     [2.0, 3.0])
    assert out(lambda: tf.gather(m, ints([1, 0], [2, 1]), 1, -1))[2] == [2.0, 3.0]
    x3 = arange([2, 3, 4])
    assert out(lambda: tf.gather(x3, ints([1, 0, 2, 2, 2, 0], [2, 3]), 1, 1))[::2] == (
        [2, 3, 4], [4, 5, 6, 7, 0, 1, 2, 3, 8, 9, 10, 11, 20, 21, 22, 23, 20, 21, 22, 23,
                    12, 13, 14, 15])
    assert out(lambda: tf.gather(x3, ints([1, 0, 2, 2, 2, 0], [2, 3]), 2, 1))[::2] == (
        [2, 3, 3], [1, 0, 2, 5, 4, 6, 9, 8, 10, 14, 14, 12, 18, 18, 16, 22, 22, 20])
    idx = ints([1, 0, 2, 2, 0, 1, 3, 3, 0, 1, 2, 0], [2, 3, 2])
    assert out(lambda: tf.gather(x3, idx, 2, 2))[::2] == (
        [2, 3, 2], [1, 0, 6, 6, 8, 9, 15, 15, 16, 17, 22, 20])
    x4 = arange([2, 2, 3, 4])
    assert out(lambda: tf.gather(x4, ints([1, 0, 2, 2], [2, 1, 2]), 2, 1))[::2] == (
        [2, 2, 1, 2, 4], [4, 5, 6, 7, 0, 1, 2, 3, 16, 17, 18, 19, 12, 13, 14, 15,
                          32, 33, 34, 35, 32, 33, 34, 35, 44, 45, 46, 47, 44, 45, 46, 47])
    assert out(lambda: tf.gather(x4, ints([1, 0, 2, 2], [2, 2, 1]), 2, 2))[::2] == (
        [2, 2, 1, 4], [4, 5, 6, 7, 12, 13, 14, 15, 32, 33, 34, 35, 44, 45, 46, 47])
    assert out(lambda: tf.gather(x4, ints([1, 0, 3, 2, 2, 0], [2, 3]), -1, 1))[::2] == (
        [2, 2, 3, 3], [1, 0, 3, 5, 4, 7, 9, 8, 11, 13, 12, 15, 17, 16, 19, 21, 20, 23,
                       26, 26, 24, 30, 30, 28, 34, 34, 32, 38, 38, 36, 42, 42, 40, 46, 46, 44])
    # Rank 6, batchDims 3: each of the 8 batches gathers its own column (by hand).
    x6 = arange([2, 2, 2, 1, 3, 2])
    got = out(lambda: tf.gather(x6, ints([i % 3 for i in range(8)], [2, 2, 2, 1]), 4, 3))
    expect = np.arange(48).reshape(8, 3, 2)[np.arange(8), [i % 3 for i in range(8)]]
    assert got == ([2, 2, 2, 1, 1, 2], 'float32', expect.reshape(-1).tolist())


@tidy_test
def test_gather_errors(backend):
    m = tf.tensor2d([[1.0, 2.0], [3.0, 4.0]])
    raises(TypeError, "'indices' must be an int32 tensor, but got a float32",
           lambda: tf.gather(m, tf.tensor1d([1.0, 0.0])))
    raises(ValueError, 'out of range', lambda: tf.gather(m, [1, 0], 2))
    raises(ValueError, 'rank >= 1', lambda: tf.gather(tf.scalar(3), [0]))
    raises(ValueError, r'batchDims \(2\) must be less than or equal to axis \(1\)',
           lambda: tf.gather(m, ints([1, 0], [2, 1]), 1, 2))
    raises(ValueError, r'batchDims \(1\) must be less than or equal to axis \(0\)',
           lambda: tf.gather(m, ints([1, 0], [2, 1]), 0, 1))
    raises(ValueError, r'x.shape\[0\]: 2 should be equal to indices.shape\[0\]: 3',
           lambda: tf.gather(m, ints([1, 0, 0], [3, 1]), 1, 1))


@tidy_test
def test_gather_index_out_of_range(backend):
    if backend == 'gl':
        pytest.skip("tfjs' WebGL backend does not check indices either (it reads no data)")
    # tfjs' CPU backend checks every index: "GatherV2: the index value 5 is not in [0, 2]".
    raises(ValueError, r'GatherV2: the index value 5 is not in \[0, 2\]',
           lambda: tf.gather(tf.tensor1d([1, 2, 3]), [5]))
    raises(ValueError, r'the index value -1 is not in \[0, 2\]',
           lambda: tf.gather(tf.tensor1d([1, 2, 3]), [-1]))
    raises(ValueError, r'the index value 0 is not in \[0, -1\]',
           lambda: tf.gather(tf.zeros([0, 2]), [0]))


# -- gatherND / scatterND / tensorScatterUpdate -------------------------------------------

@tidy_test
def test_gather_nd(backend):
    m = tf.tensor2d([[1.0, 2.0], [3.0, 4.0]])
    assert out(lambda: tf.gatherND(m, ints([1, 0, 0, 1], [2, 2]))) == ([2], 'float32',
                                                                      [3.0, 2.0])
    assert out(lambda: tf.gatherND(m, ints([1, 0], [2, 1])))[::2] == (
        [2, 2], [3.0, 4.0, 1.0, 2.0])
    assert out(lambda: tf.gatherND(m, ints([1, 0], [2]))) == ([], 'float32', [3.0])
    assert out(lambda: tf.gatherND(arange([2, 3, 4]), ints([1, 2, 0, 1], [2, 1, 2])))[::2] == (
        [2, 1, 4], [20, 21, 22, 23, 4, 5, 6, 7])
    assert out(lambda: tf.gatherND(tf.tensor1d(['a', 'b']), ints([1], [1, 1])))[::2] == (
        [1], ['b'])
    assert out(lambda: tf.gatherND(m, tf.zeros([0, 2], 'int32')))[0] == [0]
    assert out(lambda: tf.gatherND(m, tf.zeros([2, 0], 'int32')))[::2] == (
        [2, 2, 2], [1.0, 2.0, 3.0, 4.0] * 2)
    raises(ValueError, r'invalid indices: \[2, 0\] does not index into \[2, 2\]',
           lambda: tf.gatherND(m, ints([2, 0], [1, 2])))
    raises(ValueError, r'invalid indices: \[-1, 0\]', lambda: tf.gatherND(m, ints([-1, 0],
                                                                               [1, 2])))
    raises(ValueError, r'innermost dimension of indices \(3', lambda: tf.gatherND(
        m, ints([1, 0, 0], [1, 3])))
    raises(ValueError, 'rank >= 1', lambda: tf.gatherND(m, tf.scalar(1, 'int32')))


@tidy_test
def test_scatter_nd(backend):
    assert out(lambda: tf.scatterND(ints([1, 3, 1], [3, 1]), tf.tensor1d([10.0, 20.0, 30.0]),
                                    [4])) == ([4], 'float32', [0.0, 40.0, 0.0, 20.0])
    assert out(lambda: tf.scatterND(ints([1], [1, 1]), tf.tensor2d([[10, 2]]), [4, 2])) == (
        [4, 2], 'int32', [0, 0, 10, 2, 0, 0, 0, 0])
    assert out(lambda: tf.scatterND(ints([0, 1, 1, 0, 0, 1], [3, 2]),
                                    tf.tensor2d([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]),
                                    [2, 2, 2]))[2] == [0, 0, 6, 8, 3, 4, 0, 0]
    assert out(lambda: tf.scatterND(ints([1], [1, 1]), tf.tensor1d([True]), [3])) == (
        [3], 'bool', [False, True, False])
    assert out(lambda: tf.scatterND(tf.zeros([0, 1], 'int32'), tf.zeros([0]), [2]))[2] == [
        0.0, 0.0]
    raises(ValueError, r'invalid indices: \[4\] does not index into \[4\]',
           lambda: tf.scatterND(ints([4], [1, 1]), tf.tensor1d([10.0]), [4]))
    raises(ValueError, r'invalid indices: \[-1\]',
           lambda: tf.scatterND(ints([-1], [1, 1]), tf.tensor1d([10.0]), [4]))
    raises(ValueError, r'updates must have shape .* \[1\], got \[2\]',
           lambda: tf.scatterND(ints([1], [1, 1]), tf.tensor1d([10.0, 2.0]), [4]))
    raises(TypeError, 'numeric', lambda: tf.scatterND(ints([1], [1, 1]), tf.tensor1d(['x']),
                                                      [3]))
    raises(TypeError, 'int32', lambda: tf.scatterND(tf.tensor2d([[1.0]]), tf.tensor1d([1.0]),
                                                    [3]))


@tidy_test
def test_tensor_scatter_update(backend):
    # A repeated index: the last update wins.
    assert out(lambda: tf.tensorScatterUpdate(tf.zeros([4]), ints([1, 3, 1], [3, 1]),
                                              tf.tensor1d([10.0, 20.0, 30.0]))) == (
        [4], 'float32', [0.0, 30.0, 0.0, 20.0])
    assert out(lambda: tf.tensorScatterUpdate(arange([3, 2]), ints([2, 0], [2, 1]),
                                              tf.tensor2d([[9.0, 8.0], [7.0, 6.0]])))[2] == [
        7, 6, 2, 3, 9, 8]
    assert out(lambda: tf.tensorScatterUpdate(tf.zeros([2], 'int32'), ints([0], [1, 1]),
                                              tf.tensor1d([5])))[1:] == ('int32', [5, 0])
    raises(ValueError, r'invalid indices: \[5\] does not index into \[4\]',
           lambda: tf.tensorScatterUpdate(tf.zeros([4]), ints([5], [1, 1]),
                                          tf.tensor1d([10.0])))
    raises(TypeError, 'same dtype, instead they are float32 and int32',
           lambda: tf.tensorScatterUpdate(tf.zeros([4]), ints([1], [1, 1]), tf.tensor1d([10])))
    raises(TypeError, 'numeric', lambda: tf.tensorScatterUpdate(
        tf.tensor1d(['a', 'b']), ints([1], [1, 1]), tf.tensor1d(['z'])))
    raises(ValueError, 'rank >= 1', lambda: tf.tensorScatterUpdate(
        tf.scalar(1.0), ints([1], [1, 1]), tf.tensor1d([10.0])))


# -- topk -------------------------------------------------------------------------------

@tidy_test
def test_topk_sorted_ties(backend):
    # Ties keep the lower index first.
    assert pair(lambda: tf.topk(tf.tensor1d([1.0, 3.0, 3.0, 2.0, 3.0, 1.0]), 3)) == (
        ([3], 'float32', [3.0, 3.0, 3.0]), ([3], 'int32', [1, 2, 4]))
    assert pair(lambda: tf.topk(tf.tensor2d([[2, 7, 7, 1], [5, 5, 5, 9]]), 3)) == (
        ([2, 3], 'int32', [7, 7, 2, 9, 5, 5]), ([2, 3], 'int32', [1, 2, 0, 3, 0, 1]))
    assert pair(lambda: tf.tensor3d([[[0.5, -1.0, 3.0]], [[3.0, 3.0, -0.5]]]).topk(2)) == (
        ([2, 1, 2], 'float32', [3.0, 0.5, 3.0, 3.0]), ([2, 1, 2], 'int32', [2, 0, 0, 1]))
    assert pair(lambda: tf.topk(tf.tensor2d([[1.0, 5.0], [4.0, 2.0]])))[1][2] == [1, 0]
    values, indices = pair(lambda: tf.topk(tf.tensor1d([-0.0, 0.0, -np.inf, np.inf]), 4))
    assert values[2] == [np.inf, 0.0, 0.0, -np.inf] and indices[2] == [3, 0, 1, 2]
    values, indices = pair(lambda: tf.topk(tf.tensor1d([1.0, NAN, 3.0, 2.0]), 2))
    assert same(values[2], [NAN, 3.0]) and indices[2] == [1, 2]
    assert pair(lambda: tf.topk(tf.tensor1d([True, False]), 1)) == (
        ([1], 'bool', [True]), ([1], 'int32', [0]))
    assert pair(lambda: tf.topk(tf.tensor1d([1, 2, 3]), 0)) == (
        ([0], 'int32', []), ([0], 'int32', []))
    assert pair(lambda: tf.topk(tf.zeros([0, 3]), 2))[0][0] == [0, 2]
    r = tf.topk(tf.tensor1d([4.0, 9.0]))
    values, indices = r
    assert r['values'] is values and r.indices is indices and r[1] is indices


@tidy_test
def test_topk_unsorted(backend):
    # The same k entries in input order (tfjs 4.22 gives [4, 5, 3, 2] / [2, 0, 4, 3],
    # an order left by its selection algorithm; TensorFlow leaves it unspecified).
    assert pair(lambda: tf.topk(tf.tensor1d([5.0, 1.0, 4.0, 2.0, 3.0, 1.0]), 4, False)) == (
        ([4], 'float32', [5.0, 4.0, 2.0, 3.0]), ([4], 'int32', [0, 2, 3, 4]))
    assert pair(lambda: tf.topk(tf.tensor1d([1.0, 3.0, 3.0, 2.0, 3.0, 1.0]), 6, sorted=False)
                )[1][2] == [0, 1, 2, 3, 4, 5]


@tidy_test
def test_topk_errors(backend):
    raises(ValueError, r"'k' must be <= the last dimension \(3\) but got 4",
           lambda: tf.topk(tf.tensor1d([1.0, 2.0, 3.0]), 4))
    raises(ValueError, "'k' must be >= 0", lambda: tf.topk(tf.tensor1d([1.0]), -1))
    raises(ValueError, 'rank 1 or higher', lambda: tf.topk(tf.scalar(1.0)))
    raises(TypeError, 'numeric', lambda: tf.topk(tf.tensor1d(['a'])))


# -- unique -----------------------------------------------------------------------------

@tidy_test
def test_unique(backend):
    assert pair(lambda: tf.unique(tf.tensor1d([3.0, 1.0, 3.0, 2.0, 1.0]))) == (
        ([3], 'float32', [3.0, 1.0, 2.0]), ([5], 'int32', [0, 1, 0, 2, 1]))
    assert pair(lambda: tf.unique(tf.tensor1d([4, 5, 4, 4, 7]))) == (
        ([3], 'int32', [4, 5, 7]), ([5], 'int32', [0, 1, 0, 0, 2]))
    assert pair(lambda: tf.unique(tf.tensor1d(['b', 'a', 'b']))) == (
        ([2], 'string', ['b', 'a']), ([3], 'int32', [0, 1, 0]))
    assert pair(lambda: tf.unique(tf.tensor1d([True, False, True]))) == (
        ([2], 'bool', [True, False]), ([3], 'int32', [0, 1, 0]))
    values, indices = pair(lambda: tf.unique(tf.tensor1d([NAN, NAN, 0.0, -0.0])))
    assert same(values[2], [NAN, 0.0]) and indices[2] == [0, 0, 1, 1]


@tidy_test
def test_unique_axis(backend):
    assert pair(lambda: tf.unique(tf.tensor2d([[1.0, 0.0], [1.0, 0.0], [2.0, 1.0]]), 0)) == (
        ([2, 2], 'float32', [1.0, 0.0, 2.0, 1.0]), ([3], 'int32', [0, 0, 1]))
    assert pair(lambda: tf.tensor2d([[1, 0, 1], [1, 0, 1]]).unique(1)) == (
        ([2, 2], 'int32', [1, 0, 1, 0]), ([3], 'int32', [0, 1, 0]))
    assert pair(lambda: tf.unique(tf.tensor2d([[1, 0, 1], [1, 0, 1]]), -1))[1][2] == [0, 1, 0]
    assert pair(lambda: tf.unique(tf.tensor3d([[[1.0], [2.0]], [[1.0], [2.0]]]), 1)) == (
        ([2, 2, 1], 'float32', [1.0, 2.0, 1.0, 2.0]), ([2], 'int32', [0, 1]))
    assert pair(lambda: tf.unique(tf.tensor2d([['a', 'b'], ['a', 'b'], ['c', 'b']]), 0)) == (
        ([2, 2], 'string', ['a', 'b', 'c', 'b']), ([3], 'int32', [0, 0, 1]))
    six = tf.tensor(np.array([1, 2, 1, 2] * 6, np.float32).reshape(1, 2, 1, 2, 3, 2))
    assert pair(lambda: tf.unique(six, 5))[1] == ([2], 'int32', [0, 1])
    assert pair(lambda: tf.unique(tf.zeros([0]))) == (([0], 'float32', []), ([0], 'int32', []))
    assert pair(lambda: tf.unique(tf.zeros([2, 0]), 1)) == (
        ([2, 0], 'float32', []), ([0], 'int32', []))
    assert pair(lambda: tf.unique(tf.zeros([2, 0]), 0)) == (
        ([1, 0], 'float32', []), ([2], 'int32', [0, 0]))
    raises(ValueError, 'at least 1D', lambda: tf.unique(tf.scalar(1.0)))
    raises(ValueError, 'out of range', lambda: tf.unique(tf.zeros([2]), 1))


# -- whereAsync / booleanMaskAsync / setdiff1dAsync ---------------------------------------

async def test_where_async(backend):
    async def run(condition):
        t = await tf.whereAsync(condition)
        try:
            return t.shape, t.dtype, t.dataSync().tolist()
        finally:
            t.dispose()

    assert await run(tf.tensor2d([[True, False], [False, True]])) == ([2, 2], 'int32',
                                                                      [0, 0, 1, 1])
    assert await run([True, False, True]) == ([2, 1], 'int32', [0, 2])
    assert (await run(tf.scalar(True)))[0] == [1, 0]
    assert (await run(tf.scalar(False)))[0] == [0, 0]
    assert (await run(tf.zeros([0, 3], 'bool')))[0] == [0, 2]
    assert (await run(tf.ones([1, 1, 2, 1, 1, 1], 'bool')))[2] == [0, 0, 0, 0, 0, 0,
                                                                  0, 0, 1, 0, 0, 0]
    with pytest.raises(TypeError, match="'condition' must be a bool tensor, but got a float32"):
        await tf.whereAsync(tf.tensor1d([1.0, 0.0]))


async def test_boolean_mask_async(backend):
    async def run(*args):
        t = await tf.booleanMaskAsync(*args)
        try:
            return t.shape, t.dtype, t.dataSync().tolist()
        finally:
            t.dispose()

    x = tf.tensor2d([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    sq = tf.tensor2d([[1, 2], [3, 4]])
    try:
        assert await run(x, tf.tensor1d([True, False, True])) == ([2, 2], 'float32',
                                                                   [1.0, 2.0, 5.0, 6.0])
        assert await run(sq, tf.tensor1d([True, False]), 1) == ([2, 1], 'int32', [1, 3])
        # tfjs 4.22 fails on a negative axis; it is counted from the end.
        assert await run(sq, tf.tensor1d([True, False]), -1) == ([2, 1], 'int32', [1, 3])
        assert await run(sq, tf.tensor2d([[True, False], [False, True]])) == (
            [2], 'int32', [1, 4])
        assert (await run(sq, tf.tensor1d([False, False])))[0] == [0, 2]
        with pytest.raises(ValueError, match='mask cannot be scalar'):
            await tf.booleanMaskAsync(sq, tf.scalar(True))
        with pytest.raises(ValueError, match=r"mask's shape \[2\] must match"):
            await tf.booleanMaskAsync(x, tf.tensor1d([True, False]))
        if backend == 'cpu':  # string tensors live on the CPU only (tfjs refuses this one)
            assert (await run(tf.tensor1d(['a', 'b']), tf.tensor1d([False, True])))[2] == ['b']
    finally:
        tf.dispose([x, sq])


async def test_setdiff1d_async(backend):
    async def run(x, y):
        out_, idx = await tf.setdiff1dAsync(x, y)
        try:
            return ((out_.shape, out_.dtype, out_.dataSync().tolist()),
                    (idx.shape, idx.dtype, idx.dataSync().tolist()))
        finally:
            tf.dispose([out_, idx])

    assert await run([1, 2, 3, 4, 2], [2, 4]) == (([2], 'int32', [1, 3]), ([2], 'int32', [0, 2]))
    assert await run(tf.tensor1d([1.0, 2.0]), tf.tensor1d([1.0, 2.0])) == (
        ([0], 'float32', []), ([0], 'int32', []))
    # NaN in y removes NaN from x, as tfjs' Set does.
    assert await run(tf.tensor1d([NAN, 1.0]), tf.tensor1d([NAN])) == (
        ([1], 'float32', [1.0]), ([1], 'int32', [1]))
    assert (await run(tf.tensor1d(['a', 'b']), tf.tensor1d(['b'])))[0][2] == ['a']
    with pytest.raises(TypeError, match=r'same dtype, but got x \(float32\) and y \(int32\)'):
        await tf.setdiff1dAsync(tf.tensor1d([1.0]), tf.tensor1d([2]))
    with pytest.raises(ValueError, match='y should be a 1D tensor'):
        await tf.setdiff1dAsync(tf.tensor1d([1.0]), tf.tensor2d([[2.0]]))


# -- gradients -------------------------------------------------------------------------

@tidy_test
def test_gather_grads(backend):
    check_grad(lambda x: tf.gather(x, ints([2, 0, 2], [3]), 0), [pattern(3, 2)])
    check_grad(lambda x: tf.gather(x, ints([1, 1, 0, 2], [2, 2]), 1), [pattern(2, 3, 2)])
    check_grad(lambda x: tf.gather(x, ints([1, 0, 1, 2, 2, 2], [2, 3]), 1, 1),
               [pattern(2, 3, 2)])
    check_grad(lambda x: tf.gather(x, ints([1, 0, 0, 0], [2, 2, 1]), 2, 2),
               [pattern(2, 2, 3)])
    check_grad(lambda x: tf.gather(x, ints([0, 1, 1], [1, 3]), 2, 1), [pattern(1, 2, 2)])


@tidy_test
def test_gather_grad_values(backend):
    # Repeated indices add up (hand-checked).
    x = tf.tensor1d([1.0, 2.0, 3.0])
    g = tf.grad(lambda t: tf.gather(t, ints([2, 0, 2], [3])).sum())(x)
    assert g.arraySync() == [1.0, 0.0, 2.0]


@tidy_test
def test_scatter_gather_nd_grads(backend):
    check_grad(lambda x: tf.gatherND(x, ints([1, 0, 0, 1, 1, 0], [3, 2])), [pattern(2, 2, 2)])
    check_grad(lambda u: tf.scatterND(ints([1, 3, 1], [3, 1]), u, [4, 2]), [pattern(3, 2)])
    check_grad(lambda t, u: tf.tensorScatterUpdate(t, ints([2, 0], [2, 1]), u),
               [pattern(3, 2), pattern(2, 2)])


@tidy_test
def test_one_hot_grad(backend):
    # oneHot is piecewise constant in its (int) input: the gradient is zero, as in tfjs.
    indices = tf.tensor1d([0, 2], 'int32')
    g = tf.grad(lambda i: tf.oneHot(i, 3).sum())(indices)
    assert g.shape == [2] and g.dtype == 'float32' and g.arraySync() == [0.0, 0.0]


@tidy_test
def test_results_survive_tidy_and_snake_case(backend):
    r = tf.tidy(lambda: tf.topk(tf.tensor1d([1.0, 3.0, 2.0]), 2))
    assert r.values.arraySync() == [3.0, 2.0] and r.indices.arraySync() == [1, 2]
    u = tf.tidy(lambda: tf.tensor1d([2, 2, 1]).unique())
    assert u.values.arraySync() == [2, 1] and u['indices'].arraySync() == [0, 0, 1]
    assert out(lambda: tf.tensor_scatter_update(tf.zeros([2]), ints([1], [1, 1]),
                                                tf.tensor1d([5.0])))[2] == [0.0, 5.0]
    assert out(lambda: tf.tensor2d([[1, 2]]).gather([0, 0], batch_dims=0))[0] == [2, 2]


@tidy_test
def test_tensor_scatter_update_grad_repeated_index(backend):
    # Index 1 is written twice; only the last update (30) reaches the output, so
    # only it gets a gradient (by hand).
    t, u = tf.zeros([4]), tf.tensor1d([10.0, 20.0, 30.0])
    weights = tf.tensor1d([1.0, 2.0, 3.0, 4.0])
    gt, gu = tf.grads(lambda a, b: tf.tensorScatterUpdate(a, ints([1, 3, 1], [3, 1]), b)
                      .mul(weights).sum())([t, u])
    assert gt.arraySync() == [1.0, 0.0, 3.0, 0.0]
    assert gu.arraySync() == [0.0, 4.0, 2.0]
