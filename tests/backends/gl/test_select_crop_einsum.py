"""GL TopK, Unique, CropAndResize, Multinomial, Einsum and batched GatherV2
give the cpu backend's values exactly, on inputs chosen to hit their corner
cases (ties, NaN, samples half way between pixels, draws near cdf steps, every
operand layout of the matrix product)."""

from __future__ import annotations

import numpy as np
import pytest

import tfjs_py as tf
from tfjs_py.backends.gl.kernels import select

rng = np.random.default_rng(8)


def on_both(fn):
    """fn's results (a tensor or a list of them) as (values, shape, dtype), on
    cpu and on gl; nothing leaks."""
    eng = tf.engine()
    results = []
    for name in ('cpu', 'gl'):
        eng.set_backend_sync(name)
        results.append(tf.tidy(lambda: [(t.numpy(), t.shape, t.dtype) for t in
                                        (lambda r: r if isinstance(r, list | tuple) else [r])(
                                            fn())]))
    eng.set_backend_sync('gl')
    return results


def assert_same(fn):
    cpu, gl = on_both(fn)
    assert len(cpu) == len(gl)
    for (a, sa, da), (b, sb, db) in zip(cpu, gl, strict=True):
        assert (sa, da) == (sb, db)
        np.testing.assert_array_equal(a, b)


def ragged_floats(shape) -> np.ndarray:
    x = rng.integers(-3, 4, size=shape).astype(np.float32)
    flat = x.reshape(-1)
    flat[::7], flat[::5], flat[::11], flat[::13] = np.nan, -0.0, np.inf, -np.inf
    return x


@pytest.mark.parametrize('rank_max', [select._RANK_MAX, 1], ids=['rank', 'bitonic'])
def test_topk(gl, monkeypatch, rank_max):
    monkeypatch.setattr(select, '_RANK_MAX', rank_max)
    for x in (ragged_floats((3, 9)), rng.integers(-4, 4, (2, 1, 6)).astype(np.int32),
              rng.integers(0, 2, (5,)).astype(bool)):
        n = x.shape[-1]
        for k in (0, 1, n // 2, n):
            for is_sorted in (True, False):
                assert_same(lambda x=x, k=k, s=is_sorted: list(tf.topk(x, k, s)))


def test_topk_long_rows(gl):
    x = ragged_floats((2, 700))  # beyond _RANK_MAX: the bitonic sort, padded to 1024
    assert_same(lambda: list(tf.topk(x, 700)))
    assert_same(lambda: list(tf.topk(x, 5, False)))


def test_unique(gl):
    floats, ints = ragged_floats((12,)), rng.integers(0, 2, (2, 5, 2)).astype(np.int32)
    assert_same(lambda: list(tf.unique(floats)))
    assert_same(lambda: list(tf.unique(ints, 1)))
    # strings live on the host on gl; Unique reads its input back anyway
    assert_same(lambda: list(tf.unique(tf.tensor(['b', 'a', 'b', 'c']))))


def test_crop_and_resize(gl):
    image = rng.normal(size=(2, 5, 6, 2)).astype(np.float32)
    # tenths: many samples fall on pixels or half way between them
    boxes = np.round(rng.uniform(-0.3, 1.3, (12, 4)), 1).astype(np.float32)
    box_ind = rng.integers(-1, 3, 12).astype(np.int32)
    for method in ('bilinear', 'nearest'):
        for size in ([3, 4], [1, 1]):
            assert_same(lambda m=method, s=size: tf.image.cropAndResize(
                image, boxes, box_ind, s, m, 0.5))
    assert_same(lambda: tf.image.cropAndResize(tf.tensor(np.arange(24).reshape(1, 4, 6, 1)),
                                               boxes, np.zeros(12, np.int32), [4, 5]))
    assert_same(lambda: tf.image.cropAndResize(tf.zeros([1, 0, 3, 1]), [[0, 0, 1, 1]], [0],
                                               [2, 2], 'bilinear', 3))


def test_multinomial(gl):
    logits = (rng.normal(size=(3, 7)) * 3).astype(np.float32)
    logits[2, 4] = np.nan
    assert_same(lambda: tf.multinomial(logits, 200, 5))
    probs = np.array([[0.1, 0.0, 0.6, 0.3], [0.25, 0.25, 0.25, 0.25]], np.float32)
    assert_same(lambda: tf.multinomial(probs, 200, 6, True))
    assert_same(lambda: tf.multinomial([1.0, 2.0, 3.0], 50, 7))
    assert_same(lambda: tf.multinomial(logits, 0, 8))


@pytest.mark.parametrize('equation', [
    'ij,jk->ik', 'ij,kj->ik', 'ji,jk->ki', 'bij,bkj->bki', 'ibj,jbk->kbi', 'abc,bd->db',
    'ab,ab->ba', 'abcd,cdef->afbe', 'ijk->kji', 'ijk->', 'ij->ij', 'a,->a', ',->'])
def test_einsum(gl, equation):
    sizes = dict(zip('abcdefijk', [2, 3, 4, 2, 3, 2, 3, 4, 2], strict=True))
    terms = equation.split('->')[0].split(',')
    for dtype in ('float32', 'int32'):
        operands = [rng.integers(-3, 4, [sizes[label] for label in term]).astype(dtype)
                    for term in terms]
        assert_same(lambda ops=operands: tf.einsum(equation, *ops))
    sizes['j'] = sizes['b'] = 0
    operands = [np.ones([sizes[label] for label in term], np.float32) for term in terms]
    assert_same(lambda: tf.einsum(equation, *operands))


def test_einsum_frees_its_intermediates(gl):
    a, b = tf.ones([2, 3, 4]), tf.ones([4, 2, 5])
    before = tf.memory()['numBytesInGPUAllocated']
    tf.einsum('ijk,kil->lj', a, b).dispose()
    assert tf.memory()['numBytesInGPUAllocated'] == before
    tf.dispose([a, b])


def test_gather_batch_dims(gl):
    x = rng.normal(size=(2, 3, 4, 5)).astype(np.float32)
    for axis, batch_dims, index_shape in ((2, 1, (2, 3)), (2, 2, (2, 3, 2)), (3, 1, (2, 4)),
                                          (1, 1, (2, 0))):
        indices = rng.integers(0, x.shape[axis], index_shape).astype(np.int32)
        assert_same(lambda i=indices, a=axis, b=batch_dims: tf.gather(x, i, a, b))


def test_gather_checks_indices_in_debug_mode_only(gl):
    # tfjs' WebGL backend: out-of-range indices gather zeros, except in debug
    # mode, which reads them back and raises as the cpu backend always does
    x = tf.tensor1d([1.0, 2.0, 3.0])
    assert tf.tidy(lambda: tf.gather(x, [2, 5]).arraySync()) == [3.0, 0.0]
    tf.env().set('DEBUG', True)
    try:
        with pytest.raises(ValueError, match=r'GatherV2: the index value 5 is not in \[0, 2\]'):
            tf.tidy(lambda: tf.gather(x, [2, 5]))
    finally:
        tf.env().set('DEBUG', False)
        x.dispose()
