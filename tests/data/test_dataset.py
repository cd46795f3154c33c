"""tf.data sources and transformations, with tfjs semantics."""

from __future__ import annotations

import math

import anyio
import numpy as np
import pytest

import tfjs_py as tf


async def values(ds):
    """Elements as plain values, disposing tensors."""
    out = []
    for element in await ds.toArray():
        out.append(_plain(element))
        tf.dispose(element)
    return out


def _plain(element):
    if isinstance(element, tf.Tensor):
        return element.arraySync()
    if isinstance(element, dict):
        return {k: _plain(v) for k, v in element.items()}
    if isinstance(element, list | tuple):
        return [_plain(v) for v in element]
    return element


async def test_array_map_filter_skip_take():
    ds = tf.data.array([1, 2, 3, 4, 5, 6])
    assert ds.size == 6
    assert await values(ds.map(lambda x: x * 10)) == [10, 20, 30, 40, 50, 60]
    assert await values(ds.filter(lambda x: x % 2 == 0)) == [2, 4, 6]
    assert await values(ds.skip(4)) == [5, 6] and ds.skip(4).size == 2
    assert await values(ds.take(2)) == [1, 2] and ds.take(2).size == 2
    assert await values(ds.take(0)) == [] and ds.take(-1).size == 0


async def test_array_of_tensors_is_cloned_per_pass(backend):
    a = tf.tensor([1.0, 2.0])
    ds = tf.data.array([a, a])
    for _ in range(2):
        assert await values(ds) == [[1.0, 2.0], [1.0, 2.0]]
    assert not a.isDisposed
    a.dispose()


async def test_batch_stacks_nested_elements(backend):
    rows = [{'xs': [i, i + 0.5], 'ys': tf.tensor([i])} for i in range(5)]
    ds = tf.data.array(rows).batch(2)
    assert ds.size == 3
    batches = await values(ds)
    # As tfjs 4.22: a list of numbers is one row of a tensor.
    assert batches[0] == {'xs': [[0, 0.5], [1, 1.5]], 'ys': [[0], [1]]}
    assert batches[2] == {'xs': [[4, 4.5]], 'ys': [[4]]}
    dropped = tf.data.array(rows).batch(2, smallLastBatch=False)
    assert dropped.size == 2 and len(await values(dropped)) == 2
    tf.dispose(rows)


async def test_batch_of_number_rows_is_one_tensor_and_tensor_pairs_stay_pairs(backend):
    # tfjs 4.22: [[0.1, 0.9], [0.2, 0.8], [0.3, 0.7]] batched by 2 gives shapes [2, 2], [1, 2].
    rows = tf.data.array([[0.1, 0.9], [0.2, 0.8], [0.3, 0.7]]).batch(2)
    batches = await rows.toArray()
    assert [t.shape for t in batches] == [[2, 2], [1, 2]]
    assert batches[1].arraySync() == [[np.float32(0.3), np.float32(0.7)]]
    tf.dispose(batches)
    pairs = tf.data.zip([tf.data.array([1.0, 2.0, 3.0]).map(lambda v: tf.tensor([v])),
                         tf.data.array([4.0, 5.0, 6.0]).map(lambda v: tf.scalar(v))]).batch(3)
    (xs, ys), = await pairs.toArray()
    assert xs.shape == [3, 1] and ys.shape == [3]
    tf.dispose([xs, ys])


async def test_map_disposes_consumed_tensors(backend):
    start = tf.memory().numTensors
    ds = tf.data.array([1.0, 2.0, 3.0]).map(lambda x: tf.scalar(x)).map(lambda t: t.mul(2.0))
    assert await values(ds) == [2.0, 4.0, 6.0]
    assert tf.memory().numTensors == start


async def test_map_async_and_for_each():
    async def slow_double(x):
        await anyio.sleep(0)
        return x * 2

    seen = []
    await tf.data.array([1, 2, 3]).mapAsync(slow_double).forEachAsync(seen.append)
    assert seen == [2, 4, 6]

    async def record(x):
        await anyio.sleep(0)
        seen.append(-x)

    await tf.data.array([1]).forEachAsync(record)
    assert seen[-1] == -1


async def test_repeat_concatenate_and_sizes():
    ds = tf.data.array([1, 2])
    assert await values(ds.repeat(3)) == [1, 2, 1, 2, 1, 2] and ds.repeat(3).size == 6
    assert ds.repeat().size == math.inf
    assert await values(ds.repeat().take(5)) == [1, 2, 1, 2, 1]
    assert await values(ds.concatenate(tf.data.array([9]))) == [1, 2, 9]
    assert ds.concatenate(tf.data.array([9])).size == 3
    with pytest.raises(ValueError, match='infinite'):
        await ds.repeat().toArray()


async def test_shuffle_is_a_permutation_reproducible_with_a_seed():
    items = list(range(20))
    first = await values(tf.data.array(items).shuffle(5, seed=42))
    second = await values(tf.data.array(items).shuffle(5, seed=42))
    assert sorted(first) == items and first == second and first != items
    ds = tf.data.array(items).shuffle(20, seed=7)
    assert await values(ds) != await values(ds)
    fixed = tf.data.array(items).shuffle(20, seed=7, reshuffleEachIteration=False)
    assert await values(fixed) == await values(fixed)


async def test_generator_sources_are_reinvoked():
    calls = []

    def gen():
        calls.append(1)
        yield from range(3)

    async def agen():
        for i in range(2):
            await anyio.sleep(0)
            yield i

    ds = tf.data.generator(gen)
    assert ds.size is None
    assert await values(ds) == [0, 1, 2] and await values(ds) == [0, 1, 2]
    assert len(calls) == 2
    assert await values(tf.data.generator(agen)) == [0, 1]
    assert await values(tf.data.generator(lambda: iter([5, 6]))) == [5, 6]
    with pytest.raises(TypeError, match='generator'):
        await tf.data.generator(lambda: 3).toArray()


async def test_func_and_iterator_next():
    state = {'i': 0}

    def f():
        state['i'] += 1
        return {'value': state['i'], 'done': state['i'] > 2}

    assert await values(tf.data.func(f)) == [1, 2]
    it = await tf.data.array([7]).iterator()
    first = await it.next()
    assert first.value == 7 and first.done is False
    assert (await it.next()).done is True


async def test_zip_lists_and_dicts():
    a = tf.data.array([1, 2, 3])
    b = tf.data.array(['x', 'y'])
    assert await values(tf.data.zip([a, b])) == [[1, 'x'], [2, 'y']]
    assert await values(tf.data.zip({'n': a, 's': b})) == [{'n': 1, 's': 'x'},
                                                          {'n': 2, 's': 'y'}]
    assert tf.data.zip([a, b]).size == 2
    with pytest.raises(TypeError, match='datasets'):
        tf.data.zip([1, 2])


async def test_prefetch_runs_ahead_inside_iterate():
    produced = []

    async def agen():
        for i in range(5):
            produced.append(i)
            yield i

    ds = tf.data.generator(agen).prefetch(3)
    async with ds.iterate() as it:
        first = await it.next()
        for _ in range(5):
            await anyio.sleep(0)
        assert first.value == 0 and len(produced) >= 3
    assert await values(ds) == [0, 1, 2, 3, 4]


async def test_prefetch_disposes_buffered_tensors_when_stopped_early(backend):
    start = tf.memory().numTensors
    ds = tf.data.generator(lambda: (tf.scalar(float(i)) for i in range(10))).prefetch(4)
    async with ds.iterate() as it:
        first = await it.next()
        for _ in range(5):
            await anyio.sleep(0)
        first.value.dispose()
    assert tf.memory().numTensors == start


async def test_async_generator_keeps_the_loop_responsive():
    ticks = []

    async def ticker():
        while True:
            ticks.append(1)
            await anyio.sleep(0.001)

    async def rows():
        for i in range(20):
            await anyio.sleep(0.002)
            yield i

    async with anyio.create_task_group() as tg:
        tg.start_soon(ticker)
        total = sum(await values(tf.data.generator(rows).batch(4).map(lambda b: b.sum())))
        tg.cancel_scope.cancel()
    assert total == sum(range(20)) and len(ticks) >= 5


async def test_csv(tmp_path):
    path = tmp_path / 'data.csv'
    path.write_text('a,b,label\n1,2.5,0\n3,"4",1\n\n5,,1\n')
    ds = tf.data.csv(str(path), {'columnConfigs': {'label': {'isLabel': True},
                                                   'b': {'default': -1}}})
    assert await ds.columnNames() == ['a', 'b', 'label']
    rows = await values(ds)
    assert rows == [{'xs': {'a': 1.0, 'b': 2.5}, 'ys': {'label': 0.0}},
                    {'xs': {'a': 3.0, 'b': 4.0}, 'ys': {'label': 1.0}},
                    {'xs': {'a': 5.0, 'b': -1}, 'ys': {'label': 1.0}}]
    only = tf.data.csv(f'file://{path}', columnConfigs={'a': {'dtype': 'int32'}},
                       configuredColumnsOnly=True)
    assert await values(only) == [{'a': 1}, {'a': 3}, {'a': 5}]
    headless = tf.data.csv(path, hasHeader=False, columnNames=['p', 'q', 'r'])
    assert (await values(headless))[0] == {'p': 'a', 'q': 'b', 'r': 'label'}


async def test_csv_errors(tmp_path):
    path = tmp_path / 'bad.csv'
    path.write_text('a,b\n1,2,3\n')
    with pytest.raises(ValueError, match='line 2: 3 fields for 2 columns'):
        await tf.data.csv(path).toArray()
    with pytest.raises(ValueError, match="required column 'b' is empty"):
        path.write_text('a,b\n1,\n')
        await tf.data.csv(path, columnConfigs={'b': {'required': True}}).toArray()
    with pytest.raises(ValueError, match='does not have'):
        await tf.data.csv(path, columnConfigs={'zzz': {}}).toArray()
    with pytest.raises(ValueError, match="unknown config key 'hasHeadr'"):
        tf.data.csv(path, {'hasHeadr': True})
