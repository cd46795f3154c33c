"""Reference counting, tidy scopes, keep/dispose and garbage collection."""

from __future__ import annotations

import gc

import numpy as np
import pytest

import tfjs_py as tf


def test_reshape_and_clone_share_data(backend):
    start = tf.memory()
    a = tf.tensor([1.0, 2.0, 3.0, 4.0])
    r = a.reshape([2, 2])
    c = a.clone()
    assert tf.memory().numDataBuffers == start.numDataBuffers + 1
    assert tf.memory().numTensors == start.numTensors + 3
    a.dispose()
    assert r.arraySync() == [[1.0, 2.0], [3.0, 4.0]]
    assert c.arraySync() == [1.0, 2.0, 3.0, 4.0]
    r.dispose()
    assert tf.memory().numDataBuffers == start.numDataBuffers + 1
    c.dispose()
    assert tf.memory().numDataBuffers == start.numDataBuffers
    assert tf.memory().numBytes == start.numBytes
    assert tf.memory().numTensors == start.numTensors


def test_same_dtype_cast_shares_and_other_dtype_copies(backend):
    start = tf.memory().numDataBuffers
    a = tf.tensor([1.5, -2.5])
    same = a.cast('float32')
    assert tf.memory().numDataBuffers == start + 1
    ints = a.cast('int32')
    assert tf.memory().numDataBuffers == start + 2
    assert ints.arraySync() == [1, -2]
    tf.dispose([a, same, ints])
    assert tf.memory().numDataBuffers == start


def test_dispose_twice_is_harmless(backend):
    a = tf.tensor([1, 2])
    a.dispose()
    a.dispose()
    assert a.isDisposed


def test_disposed_tensor_raises_clear_error(backend):
    a = tf.tensor([1.0, 2.0])
    a.dispose()
    with pytest.raises(RuntimeError, match='disposed'):
        a.dataSync()
    with pytest.raises(RuntimeError, match='disposed'):
        tf.add(a, 1.0)
    assert 'disposed' in repr(a)


def test_tidy_disposes_intermediates_and_keeps_result(backend):
    start = tf.memory().numTensors
    x = tf.tensor([1.0, 2.0])

    def f():
        y = x.mul(2.0)
        z = y.add(1.0)
        return z

    z = tf.tidy(f)
    assert z.arraySync() == [3.0, 5.0]
    assert tf.memory().numTensors == start + 2
    tf.dispose([x, z])


def test_tidy_returns_containers(backend):
    x = tf.tensor([1.0])
    out = tf.tidy(lambda: {'a': [x.add(1.0), (x.mul(3.0),)], 'b': 5})
    assert out['a'][0].arraySync() == [2.0]
    assert out['a'][1][0].arraySync() == [3.0]
    assert out['b'] == 5
    tf.dispose([x, out])


def test_nested_tidy_moves_result_to_outer_scope(backend):
    start = tf.memory().numTensors
    x = tf.tensor([1.0])
    inner_results = []

    def outer():
        inner = tf.tidy(lambda: x.add(1.0).mul(2.0))
        inner_results.append(inner)
        return inner.add(1.0)

    result = tf.tidy(outer)
    assert inner_results[0].isDisposed
    assert result.arraySync() == [5.0]
    assert tf.memory().numTensors == start + 2
    tf.dispose([x, result])


def test_keep_survives_tidy(backend):
    kept = []

    def f():
        k = tf.keep(tf.tensor([7]))
        kept.append(k)
        tf.tensor([8])

    tf.tidy(f)
    assert not kept[0].isDisposed
    assert kept[0].arraySync() == [7]
    kept[0].dispose()


def test_tidy_with_name_and_errors_dispose(backend):
    start = tf.memory().numTensors

    def boom():
        tf.tensor([1.0]).add(1.0)
        raise ValueError('boom')

    with pytest.raises(ValueError, match='boom'):
        tf.tidy('named', boom)
    assert tf.memory().numTensors == start
    assert tf.tidy('named', lambda: 3) == 3


def test_tidy_refuses_coroutines(backend):
    async def coro():
        return None

    with pytest.raises(TypeError, match='plain function'):
        tf.tidy(coro)


def test_tensors_of_an_outer_scope_are_not_disposed_by_inner(backend):
    x = tf.tensor([1.0])
    out = tf.tidy(lambda: x)
    assert out is x and not x.isDisposed
    x.dispose()


def test_garbage_collection_releases_tensors(backend):
    gc.collect()
    start = tf.memory()
    for i in range(10_000):
        t = tf.tensor([float(i)])
        t.add(1.0)
    del t
    gc.collect()
    end = tf.memory()
    assert end.numTensors == start.numTensors
    assert end.numDataBuffers == start.numDataBuffers
    assert end.numBytes == start.numBytes


def test_dispose_nested_containers(backend):
    ts = [tf.tensor([1]), {'k': (tf.tensor([2]), [tf.tensor([3])])}]
    tf.dispose(ts)
    assert ts[0].isDisposed and ts[1]['k'][0].isDisposed and ts[1]['k'][1][0].isDisposed


def test_memory_reports_bytes(backend):
    start = tf.memory()
    a = tf.zeros([10, 10])
    info = tf.memory()
    assert info.numBytes - start.numBytes == 400
    assert info['numTensors'] == info.num_tensors == start.numTensors + 1
    assert info.unreliable is False
    a.dispose()


def test_variable_assign_and_dispose(backend):
    start = tf.memory()
    v = tf.variable(tf.tensor([1.0, 2.0]), name='test_memory_v')
    assert v.name == 'test_memory_v' and v.trainable
    new = tf.tensor([3.0, 4.0])
    v.assign(new)
    new.dispose()
    assert v.arraySync() == [3.0, 4.0]
    with pytest.raises(ValueError, match='shape'):
        v.assign(tf.tidy(lambda: tf.keep(tf.tensor([1.0]))))
    gc.collect()
    with pytest.raises(ValueError, match='dtype'):
        v.assign(tf.tensor([1, 2]))
    gc.collect()
    with pytest.raises(ValueError, match='already exists'):
        tf.variable(tf.tensor([1.0]), name='test_memory_v')
    gc.collect()
    v.dispose()
    assert 'test_memory_v' not in tf.engine().registeredVariables
    gc.collect()
    assert tf.memory().numDataBuffers == start.numDataBuffers


def test_variables_are_not_disposed_by_tidy(backend):
    made = tf.tidy(lambda: tf.variable(tf.tensor([1.0])))
    assert not made.isDisposed
    made.dispose()


def test_values_given_as_numpy_are_copied(backend):
    host = np.array([1.0, 2.0], dtype=np.float32)
    t = tf.tensor(host)
    host[0] = 99
    assert t.arraySync() == [1.0, 2.0]
    t.dataSync()[1] = 42
    assert t.arraySync() == [1.0, 2.0]
    t.dispose()


def test_an_update_kernel_result_of_the_wrong_shape_changes_and_leaks_nothing(backend):
    from tfjs_py.engine.engine import ENGINE
    v = tf.variable(tf.tensor([1.0, 2.0]), True, 'update_target_v')
    g = tf.tensor([0.5, 0.5, 0.5])
    start = tf.memory()
    with pytest.raises(ValueError, match=r"gave a float32 result of shape \[3\] for variable "
                                         r"'update_target_v'"):
        ENGINE.run_kernel_into('ApplyGradientDescent', (g, g), {'lr': 1.0}, (v,))
    assert tf.memory().numDataBuffers == start.numDataBuffers
    assert tf.memory().numBytes == start.numBytes
    assert v.arraySync() == [1.0, 2.0]
    step = tf.tensor([0.5, 1.0])
    ENGINE.run_kernel_into('ApplyGradientDescent', (v, step), {'lr': 2.0}, (v,))
    step.dispose()
    assert v.arraySync() == [0.0, 0.0]
    assert tf.memory().numDataBuffers == start.numDataBuffers
    tf.dispose([v, g])
