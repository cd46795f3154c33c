"""Traced calls (engine/trace.py): a replay gives what the eager call gives,
and anything the recording cannot vouch for keeps the function eager."""

from __future__ import annotations

import sys
import threading

import numpy as np
import pytest

import tfjs_py as tf
from tfjs_py.engine.engine import ENGINE
from tfjs_py.engine.trace import MAX_STRIKES, TraceCache


def _replaying(cache: TraceCache) -> bool:
    return any(state[0] is not None for state in cache.states.values())


def _buffers() -> tuple[int, int]:
    info = tf.memory()
    return info.numDataBuffers, info.numBytes


def _loss_and_grads(w: tf.Variable, b: tf.Variable):
    """A dense layer, relu, a mean of squares and its gradients: the shape of
    one training step."""
    def step(x: tf.Tensor, y: tf.Tensor) -> list:
        def loss() -> tf.Tensor:
            h = tf.relu(tf.add(tf.matMul(x, w), b))
            return tf.mean(tf.square(tf.sub(tf.reshape(h, [-1]), y)))
        result = tf.variableGrads(loss, [w, b])
        return [result['value'], result['grads'][w.name], result['grads'][b.name]]
    return step


def _values(tensors: list) -> list[np.ndarray]:
    out = [t.numpy() for t in tensors]
    tf.dispose(tensors)
    return out


def test_replays_give_the_eager_results_and_free_everything(backend):
    rng = np.random.default_rng(0)
    start = _buffers()
    w = tf.variable(tf.tensor(rng.standard_normal((3, 1)).astype(np.float32)))
    b = tf.variable(tf.tensor([0.5]))
    step = _loss_and_grads(w, b)
    cache = TraceCache(ENGINE)
    try:
        for call in range(6):
            x = tf.tensor(rng.standard_normal((4, 3)).astype(np.float32))
            y = tf.tensor(rng.standard_normal(4).astype(np.float32))
            traced = _values(cache.call(step, [x, y]))
            eager = _values(step(x, y))
            for a, e in zip(traced, eager, strict=True):
                np.testing.assert_array_equal(a, e)
            # The weights change between calls: a replay reads their current values.
            w.assign(tf.tensor(rng.standard_normal((3, 1)).astype(np.float32)))
            tf.dispose([x, y])
            assert _replaying(cache) == (call >= 1)
    finally:
        cache.dispose()
        tf.dispose([w, b])
    assert _buffers() == start


def test_a_host_value_that_changes_keeps_the_function_eager(backend):
    counter = [0]
    calls = []

    def step(x):
        counter[0] += 1
        calls.append(counter[0])
        return [tf.mul(x, counter[0])]

    cache = TraceCache(ENGINE)
    x = tf.tensor([1.0, 2.0])
    try:
        for n in range(1, 7):
            assert _values(cache.call(step, [x]))[0].tolist() == [n, 2.0 * n]
        assert not _replaying(cache)
        assert all(state[3] == MAX_STRIKES for state in cache.states.values())
        # Eager for good: the last recording is not kept.
        assert all(state[1] is None for state in cache.states.values())
    finally:
        cache.dispose()
        x.dispose()


def test_a_host_value_that_stays_the_same_is_a_constant(backend):
    cache = TraceCache(ENGINE)
    x = tf.tensor([[1.0, -2.0]])
    start = _buffers()
    try:
        for _ in range(4):
            result = _values(cache.call(lambda x: [tf.add(tf.mul(x, 3), tf.scalar(1))], [x]))
            assert result[0].tolist() == [[4.0, -5.0]]
        assert _replaying(cache)
    finally:
        cache.dispose()
    assert _buffers() == start
    x.dispose()


@pytest.mark.parametrize('what', ['read', 'update', 'keep', 'variable'])
def test_what_a_recording_cannot_replay_stays_eager(backend, what):
    v = tf.variable(tf.tensor([1.0, 2.0]))
    made = []

    def step(x):
        y = tf.mul(x, v)
        if what == 'read':
            y = tf.add(y, float(tf.sum(x).dataSync()[0]))
        elif what == 'update':
            tf.train.sgd(0.1).applyGradients({v.name: tf.onesLike(v)})
        elif what == 'keep':
            made.append(tf.keep(tf.neg(x)))
        else:
            made.append(tf.variable(tf.zeros([1])))
        return [y]

    cache = TraceCache(ENGINE)
    x = tf.tensor([1.0, 1.0])
    try:
        for _ in range(4):
            tf.dispose(cache.call(step, [x]))
        assert not _replaying(cache)
    finally:
        cache.dispose()
        tf.dispose([x, v, *made])


def test_a_disposed_outside_tensor_or_a_new_shape_runs_eagerly(backend):
    scale = [tf.tensor([2.0, 3.0])]

    def step(x):
        return [tf.mul(x, scale[0])]

    cache = TraceCache(ENGINE)
    x = tf.tensor([1.0, 1.0])
    try:
        for _ in range(3):
            tf.dispose(cache.call(step, [x]))
        assert _replaying(cache)
        scale[0].dispose()
        scale[0] = tf.tensor([5.0, 7.0])
        assert _values(cache.call(step, [x]))[0].tolist() == [5.0, 7.0]
        assert not _replaying(cache)
        wide = tf.tensor([[1.0, 1.0], [2.0, 2.0]])
        for _ in range(3):
            assert _values(cache.call(step, [wide]))[0].tolist() == [[5, 7], [10, 14]]
        wide.dispose()
    finally:
        cache.dispose()
        tf.dispose([x, scale[0]])


def test_a_result_of_another_shape_than_recorded_stops_the_replay(backend):
    # The first call's recorded output shape is replaced in the program, as a
    # kernel with a data-dependent shape would give.
    cache = TraceCache(ENGINE)
    x = tf.tensor([1.0, 4.0])
    start = _buffers()
    try:
        for _ in range(2):
            tf.dispose(cache.call(lambda x: [tf.sqrt(tf.exp(x))], [x]))
        (program, *_), = cache.states.values()
        name, carriers, feeds, attrs, live, outs, specs, release, multi = program.steps[0]
        program.steps[0] = (name, carriers, feeds, attrs, live, outs, ((3,), 'float32'), release,
                            multi)
        result = _values(cache.call(lambda x: [tf.sqrt(tf.exp(x))], [x]))
        np.testing.assert_allclose(result[0], np.sqrt(np.exp([1.0, 4.0])), rtol=1e-6)
        assert not _replaying(cache)
    finally:
        cache.dispose()
    assert _buffers() == start
    x.dispose()


def test_a_kernel_error_in_a_replay_frees_what_it_made(backend):
    cache = TraceCache(ENGINE)
    x = tf.tensor([1.0, 4.0])
    start = _buffers()

    def step(x):
        return [tf.sqrt(tf.exp(tf.neg(x)))]

    try:
        for _ in range(2):
            tf.dispose(cache.call(step, [x]))
        kernels = tf.backend().kernels
        sqrt = kernels['Sqrt']

        def broken(backend_, inputs, attrs):
            raise MemoryError('out of memory')

        kernels['Sqrt'] = broken
        try:
            with pytest.raises(MemoryError, match='out of memory'):
                cache.call(step, [x])
        finally:
            kernels['Sqrt'] = sqrt
    finally:
        cache.dispose()
    assert _buffers() == start
    x.dispose()


def test_arguments_sharing_data_and_results_viewing_inputs(backend):
    def step(a, b):
        s = tf.add(a, b)
        return [s, tf.reshape(s, [4]), b, None]

    cache = TraceCache(ENGINE)
    x = tf.tensor([[1.0, 2.0], [3.0, 4.0]])
    y = tf.tensor([[1.0, 1.0], [1.0, 1.0]])
    def run(a, b):
        s, flat, same, none = cache.call(step, [a, b])
        assert none is None
        return [s.numpy().tolist(), flat.numpy().tolist(), same.numpy().tolist()]

    try:
        for _ in range(4):
            # tidy frees the results, not the arguments (an eager call returns b itself).
            assert tf.tidy(lambda: run(x, x)) == [[[2, 4], [6, 8]], [2, 4, 6, 8],
                                                  [[1, 2], [3, 4]]]
            assert tf.tidy(lambda: run(x, y)) == [[[2, 3], [4, 5]], [2, 3, 4, 5],
                                                  [[1, 1], [1, 1]]]
        assert len(cache.states) == 2 and _replaying(cache)
        assert not x.isDisposed and not y.isDisposed
    finally:
        cache.dispose()
        tf.dispose([x, y])


def test_under_a_gradient_tape_the_call_is_eager(backend):
    cache = TraceCache(ENGINE)
    x = tf.tensor([1.0, 2.0])

    def f(x):
        return cache.call(lambda x: [tf.square(x)], [x])[0]

    try:
        for _ in range(3):
            g = tf.grad(f)(x)
            assert g.numpy().tolist() == [2.0, 4.0]
            g.dispose()
        assert not cache.states
    finally:
        cache.dispose()
        x.dispose()


def _adding_one_after(elsewhere):
    """A traced function that runs `elsewhere` on another thread, then adds 1."""
    def step(t):
        thread = threading.Thread(target=elsewhere)
        thread.start()
        thread.join()
        return [tf.add(t, 1)]
    return step


def test_ops_of_another_thread_are_not_recorded(backend):
    made = []
    cache = TraceCache(ENGINE)
    x = tf.tensor([1.0, 2.0])

    def elsewhere():
        made.append(tf.neg(x))

    step = _adding_one_after(elsewhere)
    try:
        for _ in range(2):
            tf.dispose(cache.call(step, [x]))
        (program, *_), = cache.states.values()
        assert 'Neg' not in [s[0] for s in program.steps]
        assert 'Add' in [s[0] for s in program.steps]
    finally:
        cache.dispose()
        tf.dispose([x, *made])


def test_a_call_from_another_thread_meanwhile_runs_eagerly(backend):
    # A program's stand-in tensors serve one caller: a second thread calling
    # while the first is inside the cache gets the eager result, unrecorded.
    cache = TraceCache(ENGINE)
    x = tf.tensor([1.0, 2.0])
    other: list = []

    def from_another_thread():
        other.extend(cache.call(lambda t: [tf.mul(t, 3)], [x]))

    step = _adding_one_after(from_another_thread)
    try:
        for _ in range(3):
            tf.dispose(cache.call(step, [x]))
        # Two recordings ran `step` (the third call replayed it), each with
        # an eager call from the other thread, which left no state behind.
        assert [t.numpy().tolist() for t in other] == [[3.0, 6.0]] * 2
        assert len(cache.states) == 1 and _replaying(cache)
    finally:
        cache.dispose()
        tf.dispose([x, *other])


def test_predict_from_several_threads_gives_each_its_own_result(backend):
    model = tf.sequential()
    model.add(tf.layers.dense({'units': 16, 'activation': 'relu', 'inputShape': [8]}))
    model.add(tf.layers.dense({'units': 4}))
    rng = np.random.default_rng(0)
    xs = [rng.standard_normal((5, 8)).astype(np.float32) for _ in range(3)]
    want = [tf.tidy(lambda x=x: model.predict(tf.tensor(x)).numpy()) for x in xs]
    wrong: list = []

    def predict(i: int) -> None:
        try:
            for _ in range(100):
                got = tf.tidy(lambda: model.predict(tf.tensor(xs[i])).numpy())
                if not np.array_equal(got, want[i]):
                    wrong.append(i)
        except Exception as e:  # reported below
            wrong.append(repr(e))

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        threads = [threading.Thread(target=predict, args=(i,)) for i in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
        model.dispose()
    assert wrong == []


async def test_a_paused_replay_holds_the_data_it_bound(backend):
    # During a pause other code may drop the program (compile) and give a
    # variable new data (setWeights): the replay goes on with what it bound
    # at its start, and frees it at its end.
    rng = np.random.default_rng(3)
    start = _buffers()
    w = tf.variable(tf.tensor(rng.standard_normal((3, 1)).astype(np.float32)))
    b = tf.variable(tf.tensor([0.5]))
    x = tf.tensor(rng.standard_normal((4, 3)).astype(np.float32))
    y = tf.tensor(rng.standard_normal(4).astype(np.float32))
    step = _loss_and_grads(w, b)
    cache = TraceCache(ENGINE)
    pauses = []

    async def meanwhile():
        cache.dispose()
        w.assign(tf.zerosLike(w))

    def pause():
        pauses.append(1)
        return meanwhile() if len(pauses) == 2 else None

    try:
        for _ in range(2):
            tf.dispose(cache.call(step, [x, y]))
        assert _replaying(cache)
        eager = _values(step(x, y))
        traced = _values(await cache.call_async(step, [x, y], (), pause))
        for a, e in zip(traced, eager, strict=True):
            np.testing.assert_array_equal(a, e)
        assert len(pauses) > 2 and not cache.states
        assert not w.numpy().any()
    finally:
        cache.dispose()
        tf.dispose([w, b, x, y])
    assert _buffers() == start


def test_a_dropped_cache_frees_its_constants(backend):
    import gc
    start = _buffers()
    cache = TraceCache(ENGINE)
    x = tf.tensor([1.0, 2.0])
    for _ in range(3):
        tf.dispose(cache.call(lambda x: [tf.add(x, tf.scalar(5))], [x]))
    assert _replaying(cache)
    x.dispose()
    assert _buffers() != start  # the program's constant 5
    del cache
    gc.collect()
    assert _buffers() == start


def test_a_view_of_a_variable_made_in_the_call_is_replayed(backend):
    v = tf.variable(tf.tensor([[1.0, 2.0], [3.0, 4.0]]))
    cache = TraceCache(ENGINE)
    x = tf.tensor([1.0, 1.0, 1.0, 1.0])

    def step(x):
        return [tf.mul(tf.reshape(v, [4]), x), tf.mul(v, 2)]

    try:
        for n in range(4):
            flat, double = cache.call(step, [x])
            assert flat.numpy().tolist() == [1.0 + n, 2, 3, 4]
            assert double.numpy().tolist() == [[2.0 + 2 * n, 4], [6, 8]]
            tf.dispose([flat, double])
            v.assign(tf.tensor([[2.0 + n, 2.0], [3.0, 4.0]]))
        assert _replaying(cache)
    finally:
        cache.dispose()
        tf.dispose([x, v])


def test_assignments_are_replayed_once_the_kernels_ran(backend):
    v = tf.variable(tf.tensor([0.0, 0.0]))
    x = tf.tensor([1.0, 2.0])

    def step(x):
        before = tf.mul(x, v)
        v.assign(tf.add(v, x))  # as a moving average is updated
        return [before, tf.mul(x, v)]

    cache = TraceCache(ENGINE)
    start = _buffers()
    try:
        for n in range(5):
            before, after = _values(cache.call(step, [x]))
            assert before.tolist() == [n, 4 * n] and after.tolist() == [n + 1, 4 * (n + 1)]
        assert _replaying(cache)
        # A replay stopped after its kernels ran assigns nothing: the eager call does, once.
        (program, *_), = cache.states.values()
        name, carriers, feeds, attrs, live, outs, specs, release, multi = program.steps[-1]
        program.steps[-1] = (name, carriers, feeds, attrs, live, outs, ((3,), 'float32'), release,
                             multi)
        before, after = _values(cache.call(step, [x]))
        assert before.tolist() == [5, 20] and after.tolist() == [6, 24]
        assert v.numpy().tolist() == [6, 12]
    finally:
        cache.dispose()
    assert _buffers() == start
    tf.dispose([x, v])


def test_random_values_are_drawn_again_at_every_replay(backend):
    cache = TraceCache(ENGINE)
    x = tf.tensor([1.0, 2.0, 3.0])
    start = _buffers()

    def step(x):
        return [tf.add(x, tf.randomUniform([3])),
                tf.add(x, tf.randomNormal([3], 0, 1, 'float32', 5))]

    try:
        results = [_values(cache.call(step, [x])) for _ in range(5)]
        assert _replaying(cache)
        fresh = {tuple(r[0].tolist()) for r in results}
        assert len(fresh) == 5
        assert all((r[0] >= x.numpy()).all() and (r[0] < x.numpy() + 1).all() for r in results)
        # Seeded: the same values at every call, replayed or not.
        assert all(np.array_equal(r[1], results[0][1]) for r in results)
    finally:
        cache.dispose()
    assert _buffers() == start
    x.dispose()


def test_a_kernel_with_several_outputs_is_replayed(backend):
    cache = TraceCache(ENGINE)
    start = _buffers()

    def step(x):
        values, indices = tf.topk(x, 2)
        return [tf.mul(values, 2), indices]

    try:
        for n in range(4):
            x = tf.tensor([[1.0, 5.0 + n, 3.0], [4.0, 0.0, 2.0]])
            doubled, indices = _values(cache.call(step, [x]))
            assert doubled.tolist() == [[10.0 + 2 * n, 6.0], [8.0, 4.0]]
            assert indices.tolist() == [[1, 2], [0, 2]]
            x.dispose()
        assert _replaying(cache)
    finally:
        cache.dispose()
    assert _buffers() == start
