"""Tensor creation, dtype inference, reading values and operators."""

from __future__ import annotations

import numpy as np
import pytest

import tfjs_py as tf


@pytest.mark.parametrize('values, dtype', [
    (1, 'int32'), (1.5, 'float32'), (True, 'bool'), ('a', 'string'),
    ([1, 2], 'int32'), ([1, 2.5], 'float32'), ([True, False], 'bool'),
    (np.array([1.0, 2.0]), 'float32'), (np.array([1, 2], dtype=np.int64), 'int32'),
    (np.array([1, 2], dtype=np.float32), 'float32'), ([], 'float32'),
])
def test_dtype_inference(backend, values, dtype):
    t = tf.tensor(values)
    assert t.dtype == dtype
    t.dispose()


def test_shape_rank_size_id(backend):
    t = tf.tensor([[1, 2, 3], [4, 5, 6]])
    assert t.shape == [2, 3] and t.rank == 2 and t.size == 6
    assert isinstance(t.shape, list)
    other = tf.scalar(3)
    assert other.id != t.id and other.shape == [] and other.rank == 0 and other.size == 1
    tf.dispose([t, other])


def test_flat_values_with_shape(backend):
    t = tf.tensor([1, 2, 3, 4], [2, 2], 'float32')
    assert t.arraySync() == [[1.0, 2.0], [3.0, 4.0]] and t.dtype == 'float32'
    m = tf.tensor2d([[1], [2], [3], [4]], [4, 1])
    assert m.shape == [4, 1]
    tf.dispose([t, m])


@pytest.mark.parametrize('call, match', [
    (lambda: tf.tensor([1, 2, 3], [2, 2]), 'should have 4 values but has 3'),
    (lambda: tf.tensor([[1, 2], [3]]), 'regular nesting'),
    (lambda: tf.tensor([[1, 2], [3, 4]], [1, 4]), 'does not match'),
    (lambda: tf.tensor([1], dtype='float64'), 'unknown dtype'),
    (lambda: tf.tensor2d([1, 2, 3]), 'rank 2'),
    (lambda: tf.tensor2d([[1, 2]], [1, 2, 1]), 'shape to have 2 numbers'),
    (lambda: tf.scalar([1]), 'number'),
    (lambda: tf.zeros([-1, 2]), 'negative'),
])
def test_creation_errors(backend, call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()


def test_tensor_nd_factories(backend):
    shapes = {1: [2], 2: [1, 2], 3: [1, 1, 2], 4: [1, 1, 1, 2], 5: [1] * 4 + [2], 6: [1] * 5 + [2]}
    for rank, shape in shapes.items():
        factory = getattr(tf, f'tensor{rank}d')
        t = factory([1, 2]) if rank == 1 else factory([1, 2], shape)
        assert t.shape == shape
        t.dispose()


def test_creation_ops(backend):
    z = tf.zeros([2, 3])
    o = tf.ones([2], 'int32')
    f = tf.fill([2, 2], 7)
    e = tf.eye(2, 3)
    eb = tf.eye(2, batchShape=[2])
    r = tf.range(0, 5)
    r2 = tf.range(5, 0)
    r3 = tf.range(0, 1, 0.25)
    ls = tf.linspace(0, 1, 5)
    oh = tf.oneHot(tf.tensor1d([0, 2, 5], 'int32'), 3)
    zl = tf.zerosLike(o)
    ol = tf.ones_like(z)
    assert z.arraySync() == [[0.0] * 3] * 2 and z.dtype == 'float32'
    assert o.arraySync() == [1, 1] and o.dtype == 'int32'
    assert f.arraySync() == [[7, 7], [7, 7]] and f.dtype == 'int32'
    assert e.arraySync() == [[1, 0, 0], [0, 1, 0]]
    assert eb.shape == [2, 2, 2]
    assert r.arraySync() == [0, 1, 2, 3, 4] and r.dtype == 'float32'
    assert r2.arraySync() == [5, 4, 3, 2, 1]
    assert r3.arraySync() == [0, 0.25, 0.5, 0.75]
    np.testing.assert_allclose(ls.dataSync(), [0, 0.25, 0.5, 0.75, 1])
    assert oh.arraySync() == [[1, 0, 0], [0, 0, 1], [0, 0, 0]] and oh.dtype == 'int32'
    assert zl.arraySync() == [0, 0] and zl.dtype == 'int32'
    assert ol.dtype == 'float32' and ol.shape == [2, 3]
    tf.dispose([z, o, f, e, eb, r, r2, r3, ls, oh, zl, ol])


def test_range_errors_and_empty(backend):
    with pytest.raises(ValueError, match='zero'):
        tf.range(0, 5, 0)
    empty = tf.range(0, 5, -1)
    assert empty.shape == [0]
    empty.dispose()


async def test_reading_values(backend):
    t = tf.tensor([[1, 2], [3, 4]])
    data = await t.data()
    assert data.dtype == np.int32 and data.tolist() == [1, 2, 3, 4]
    assert t.dataSync().tolist() == [1, 2, 3, 4]
    assert await t.array() == [[1, 2], [3, 4]]
    assert t.arraySync() == [[1, 2], [3, 4]]
    assert t.data_sync().tolist() == [1, 2, 3, 4]
    assert np.asarray(t).shape == (2, 2)
    assert t.numpy().tolist() == [[1, 2], [3, 4]]
    s = tf.scalar(2.5)
    assert s.arraySync() == 2.5 and float(s) == 2.5
    buf = t.bufferSync()
    assert buf.get(1, 0) == 3
    buf.set(9, 0, 0)
    changed = buf.toTensor()
    assert changed.arraySync() == [[9, 2], [3, 4]] and t.arraySync()[0][0] == 1
    tf.dispose([t, s, changed])


def test_tensor_buffer(backend):
    b = tf.buffer([2, 2], 'float32')
    b.set(5, 1, 1)
    assert b.get(1, 1) == 5 and b.locToIndex([1, 1]) == 3 and b.indexToLoc(2) == [1, 0]
    with pytest.raises(IndexError, match='out of range'):
        b.get(2, 0)
    t = b.toTensor()
    assert t.arraySync() == [[0, 0], [0, 5]]
    t.dispose()


def test_operators(backend):
    a = tf.tensor([1.0, 2.0])
    b = tf.tensor([3.0, 4.0])

    def check(t, expected):
        np.testing.assert_allclose(t.dataSync(), np.ravel(expected))
        t.dispose()

    check(a + b, [4, 6])
    check(a - b, [-2, -2])
    check(a * b, [3, 8])
    check(a / b, [1 / 3, 0.5])
    check(2 * a, [2, 4])
    check(1 + a, [2, 3])
    check(10 - a, [9, 8])
    check(1 / a, [1, 0.5])
    check(-a, [-1, -2])
    check(a.square().sum(), 5)
    m = tf.tensor([[1.0, 2.0], [3.0, 4.0]])
    check(m @ m, [[7, 10], [15, 22]])
    assert hash(a) != hash(b) and {a: 1}[a] == 1
    tf.dispose([a, b, m])


def test_mixed_dtypes_upcast(backend):
    i = tf.tensor([1, 2])
    f = tf.tensor([0.5, 0.5])
    out = i + f
    assert out.dtype == 'float32' and out.arraySync() == [1.5, 2.5]
    ii = i + 1
    assert ii.dtype == 'int32' and ii.arraySync() == [2, 3]
    tf.dispose([i, f, out, ii])


def test_variable(backend):
    v = tf.variable(tf.tensor([1, 2]), trainable=False, dtype='float32')
    assert v.dtype == 'float32' and not v.trainable
    assert isinstance(v, tf.Variable) and isinstance(v, tf.Tensor)
    v.dispose()


def test_tensors_cannot_be_constructed_directly():
    with pytest.raises(TypeError, match='tf.tensor'):
        tf.Tensor()
