"""Texture storage: layout, the pool, memory accounting, reads and frees."""

from __future__ import annotations

import gc
import threading

import anyio
import numpy as np
import pytest

import tfjs_py as tf
from tfjs_py.backends.gl import textures
from tfjs_py.backends.gl.textures import physical_shape, tex_shift


def test_physical_shape():
    shift = tex_shift(16384)
    assert shift == 14
    assert physical_shape(0, shift) == (1, 1)
    assert physical_shape(7, shift) == (7, 1)
    assert physical_shape(16384, shift) == (16384, 1)
    assert physical_shape(16385, shift) == (16384, 2)
    assert tex_shift(16000) == 13
    with pytest.raises(ValueError, match='does not fit'):
        physical_shape(1 << 29, shift)


@pytest.mark.parametrize('dtype, values', [
    ('float32', [1.5, -2.0, np.nan, np.inf, -0.0]),
    ('int32', [0, -1, 2**31 - 1, -2**31, 7]),
    ('bool', [True, False, True, True, False]),
])
def test_round_trip(gl, dtype, values):
    x = tf.tensor(values, [5], dtype)
    got = x.dataSync()
    assert got.dtype == np.dtype(dtype if dtype != 'bool' else np.bool_)
    np.testing.assert_array_equal(got, np.array(values, dtype))
    x.dispose()


def test_large_and_empty_and_string(gl):
    values = np.arange(3 * 16384 + 5, dtype=np.float32)  # several texture rows
    x = tf.tensor(values)
    y = tf.add(x, 1)
    np.testing.assert_array_equal(y.dataSync(), values + 1)
    e = tf.tensor(np.zeros((0, 3), np.float32))
    assert e.dataSync().size == 0 and e.arraySync() == []
    s = tf.tensor(['a', 'bc'])
    assert list(s.dataSync()) == ['a', 'bc']
    tf.dispose([x, y, e, s])


def test_big_dispatch_runs_in_chunks(gl):
    from tfjs_py.backends.gl.program import LOCAL_SIZE, MAX_GROUPS
    n = LOCAL_SIZE * MAX_GROUPS * 2 + 3
    x = tf.tensor(np.ones(n, np.float32))
    y = tf.mul(x, 3)
    got = y.dataSync()
    assert got.shape == (n,) and got.min() == 3 and got.max() == 3
    tf.dispose([x, y])


def test_pool_recycles_and_counts(gl):
    gl.pool.clear()
    start = tf.memory()
    assert start.numTexturesInPool == 0
    x = tf.tensor(np.ones(1000, np.float32))
    tex = x.dataId.rec.texture
    used = tf.memory()
    assert used.numBytesInGPU == start.numBytesInGPU + 4000
    assert used.numBytes == start.numBytes + 4000
    x.dispose()
    freed = tf.memory()
    assert freed.numTexturesInPool == 1
    assert freed.numBytesInGPU == used.numBytesInGPU  # pooled, not deleted
    assert freed.numBytesInGPUFree == 4000
    y = tf.tensor(np.zeros(1000, np.float32))
    assert y.dataId.rec.texture is tex  # same (shape, format): reused
    assert tf.memory().numTexturesInPool == 0
    z = tf.tensor(np.zeros(1000, np.int32))  # another format: a new texture
    assert z.dataId.rec.texture is not tex
    tf.dispose([y, z])
    gl.pool.clear()
    assert tf.memory().numBytesInGPU == start.numBytesInGPU


def test_pool_deletes_beyond_its_limit(gl):
    gl.pool.clear()
    limit = gl.pool.max_free_bytes
    gl.pool.max_free_bytes = 8000
    try:
        xs = [tf.tensor(np.ones(1000, np.float32)) for _ in range(3)]
        tf.dispose(xs)
        assert tf.memory().numTexturesInPool == 2
        assert tf.memory().numBytesInGPUFree == 8000
    finally:
        gl.pool.max_free_bytes = limit
        gl.pool.clear()


def test_reshape_shares_the_texture(gl):
    x = tf.tensor([[1.0, 2.0], [3.0, 4.0]])
    y = x.reshape([4])
    assert y.dataId is x.dataId
    np.testing.assert_array_equal(tf.add(y, y).dataSync(), [2, 4, 6, 8])
    tf.dispose([x, y])
    gc.collect()


def test_garbage_collected_tensor_frees_from_another_thread(gl):
    before = tf.memory()
    done = threading.Event()

    def work():
        tf.tensor(np.ones(333, np.float32))  # dropped at once: released by GC
        gc.collect()
        done.set()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert done.is_set()
    after = tf.memory()
    assert after.numTensors == before.numTensors
    assert after.numBytesInGPUAllocated == before.numBytesInGPUAllocated
    gl.sync()  # the owner thread is still healthy


async def test_async_read_keeps_the_loop_running(gl):
    x = tf.tensor(np.random.rand(2_000_000).astype(np.float32))
    y = tf.tanh(tf.exp(tf.sin(x)))
    ticks = 0
    reading = True

    async def ticker():
        nonlocal ticks
        while reading:
            ticks += 1
            await anyio.sleep(0)

    async with anyio.create_task_group() as tg:
        tg.start_soon(ticker)
        values = await y.data()
        reading = False
    assert values.shape == (2_000_000,)
    assert ticks > 1
    tf.dispose([x, y])


async def test_concurrent_reads_share_one_transfer(gl, monkeypatch):
    calls = []
    original = textures.download

    def counted(tex, size):
        calls.append(size)
        return original(tex, size)

    monkeypatch.setattr('tfjs_py.backends.gl.backend.download', counted)
    x = tf.tensor(np.arange(10000, dtype=np.float32))
    y = tf.sqrt(x)
    results = []

    async def read():
        results.append(await y.data())

    async with anyio.create_task_group() as tg:
        for _ in range(3):
            tg.start_soon(read)
    assert len(calls) == 1
    for r in results:
        np.testing.assert_allclose(r, np.sqrt(np.arange(10000, dtype=np.float32)), rtol=1e-6)
    tf.dispose([x, y])


async def test_trio_read(gl):
    x = tf.tensor([1.0, 4.0, 9.0])
    y = tf.sqrt(x)

    async def main():
        return await y.data()

    result = await anyio.to_thread.run_sync(lambda: anyio.run(main, backend='trio'))
    np.testing.assert_array_equal(result, [1, 2, 3])
    tf.dispose([x, y])
