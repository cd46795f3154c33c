"""fit as a coroutine: the event loop keeps running, cancellation lands between
batches, callbacks may be plain or async, yieldEvery holds, trio works."""

from __future__ import annotations

import asyncio

import anyio
import numpy as np
import pytest

import tfjs_py as tf
from tfjs_py._yield import normalize_yield_every


def make_model(optimizer='sgd'):
    model = tf.sequential()
    model.add(tf.layers.dense({'units': 1, 'inputShape': [1]}))
    init = [tf.tensor2d([[0.5]]), tf.tensor1d([0.1])]
    model.setWeights(init)
    tf.dispose(init)
    model.compile({'optimizer': optimizer, 'loss': 'meanSquaredError'})
    return model


def data(n=16):
    xs = tf.tensor2d([[i / n] for i in range(n)])
    ys = tf.tensor2d([[2 * i / n - 1] for i in range(n)])
    return xs, ys


def weights(model):
    return [w.dataSync().copy() for w in model.getWeights()]


async def test_ticker_runs_while_fit_runs(backend):
    """Structure, not speed: ticks happen between the first and the last batch."""
    model = make_model()
    xs, ys = data()
    ticks = []
    batches = []
    done = asyncio.Event()

    async def ticker():
        while not done.is_set():
            ticks.append(len(batches))
            await asyncio.sleep(0)

    task = asyncio.create_task(ticker())
    try:
        await model.fit(xs, ys, {'epochs': 3, 'batchSize': 4, 'verbose': 0,
                                 'yieldEvery': 'batch',
                                 'callbacks': {'onBatchEnd': lambda b, logs:
                                               batches.append(b)}})
        done.set()
        await task
        assert len(batches) == 12
        # The ticker saw training in progress, at many different points.
        seen = {t for t in ticks if 0 < t < 12}
        assert len(seen) >= 10
    finally:
        done.set()
        tf.dispose([xs, ys])
        model.dispose()


async def test_cancel_stops_between_batches(backend):
    model = make_model()
    xs, ys = data()
    after_batch = []
    started = asyncio.Event()

    def on_batch_end(batch, logs):
        after_batch.append(weights(model))
        if len(after_batch) == 3:
            started.set()

    task = asyncio.create_task(model.fit(xs, ys, {
        'epochs': 100, 'batchSize': 4, 'verbose': 0, 'yieldEvery': 'batch',
        'callbacks': {'onBatchEnd': on_batch_end}}))
    try:
        await started.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert len(after_batch) < 400
        # The weights are those of the last full batch.
        for w, expected in zip(weights(model), after_batch[-1], strict=True):
            np.testing.assert_array_equal(w, expected)
        assert not model.isTraining
        # The model trains again afterwards.
        h = await model.fit(xs, ys, {'epochs': 1, 'verbose': 0})
        assert len(h.history['loss']) == 1
    finally:
        tf.dispose([xs, ys])
        model.dispose()


async def test_cancel_with_anyio_cancel_scope(backend):
    model = make_model('adam')
    xs, ys = data()
    count = []
    try:
        with anyio.move_on_after(0.2) as scope:
            await model.fit(xs, ys, {'epochs': 100000, 'batchSize': 4, 'verbose': 0,
                                     'yieldEvery': 'batch',
                                     'callbacks': {'onBatchEnd': lambda b, logs: count.append(b)}})
        assert scope.cancelled_caught
        assert count and not model.isTraining
    finally:
        tf.dispose([xs, ys])
        model.dispose()


class Recorder(tf.Callback):
    def __init__(self, calls):
        super().__init__()
        self.calls = calls

    def on_train_begin(self, logs=None):  # snake_case hooks are called too
        self.calls.append(('obj', 'trainBegin'))

    async def onEpochBegin(self, epoch, logs=None):
        await asyncio.sleep(0)
        self.calls.append(('obj', 'epochBegin', epoch))

    def onBatchEnd(self, batch, logs=None):
        self.calls.append(('obj', 'batchEnd', batch, sorted(logs)))

    async def on_epoch_end(self, epoch, logs=None):
        self.calls.append(('obj', 'epochEnd', epoch, sorted(logs)))

    def onTrainEnd(self, logs=None):
        self.calls.append(('obj', 'trainEnd'))


async def test_callbacks_objects_and_dicts_sync_and_async(backend):
    model = make_model()
    xs, ys = data(8)
    calls = []

    async def async_epoch_end(epoch, logs):
        await asyncio.sleep(0)
        calls.append(('dict', 'epochEnd', epoch, round(logs['loss'], 6) > 0))

    try:
        history = await model.fit(xs, ys, {
            'epochs': 2, 'batchSize': 4, 'verbose': 0, 'validationSplit': 0.25,
            'shuffle': False,
            'callbacks': [Recorder(calls), {'onEpochEnd': async_epoch_end,
                                            'on_batch_begin': lambda b, logs: calls.append(
                                                ('dict', 'batchBegin', b))}]})
        assert calls[0] == ('obj', 'trainBegin')
        assert calls[1] == ('obj', 'epochBegin', 0)
        assert calls[2] == ('dict', 'batchBegin', 0)
        assert calls[3] == ('obj', 'batchEnd', 0, ['batch', 'loss', 'size'])
        assert ('obj', 'epochEnd', 0, ['loss', 'val_loss']) in calls
        assert ('dict', 'epochEnd', 1, True) in calls
        assert calls[-1] == ('obj', 'trainEnd')
        assert history.params['metrics'] == ['loss', 'val_loss']
        # 6 training samples in batches of 4: sizes 4 and 2.
        assert [c[2] for c in calls if c[:2] == ('dict', 'batchBegin')] == [0, 1, 0, 1]
    finally:
        tf.dispose([xs, ys])
        model.dispose()


async def test_stop_training_from_callback(backend):
    model = make_model()
    xs, ys = data(8)
    seen = []

    class Stopper(tf.Callback):
        def onBatchEnd(self, batch, logs=None):
            seen.append(batch)
            if batch == 0:
                self.model.stopTraining = True

    try:
        history = await model.fit(xs, ys, {'epochs': 5, 'batchSize': 2, 'verbose': 0,
                                           'callbacks': [Stopper()]})
        assert seen == [0]
        assert history.epoch == [0]
        assert model.stopTraining is True
    finally:
        tf.dispose([xs, ys])
        model.dispose()


@pytest.mark.parametrize('mode, expected', [('batch', 6), ('epoch', 3), ('never', 0),
                                            (0, 6), (10 ** 9, 0)])
async def test_yield_every_with_any_callbacks(backend, mode, expected):
    """onYield fires once per yield; yieldEvery holds with callback objects too."""
    model = make_model()
    xs, ys = data(8)
    yields = []

    class Obj(tf.Callback):
        async def onYield(self, epoch, batch, logs):
            yields.append((epoch, batch))

    try:
        callbacks = [Obj()] if mode != 'never' else []
        await model.fit(xs, ys, {'epochs': 3, 'batchSize': 4, 'verbose': 0, 'yieldEvery': mode,
                                 'callbacks': callbacks})
        assert len(yields) == expected
        if mode == 'epoch':
            assert yields == [(0, 1), (1, 1), (2, 1)]
    finally:
        tf.dispose([xs, ys])
        model.dispose()


async def test_dict_on_yield_async(backend):
    model = make_model()
    xs, ys = data(8)
    yields = []

    async def on_yield(epoch, batch, logs):
        await asyncio.sleep(0)
        yields.append((epoch, batch, sorted(logs)))

    try:
        await model.fit(xs, ys, {'epochs': 2, 'batchSize': 4, 'verbose': 0,
                                 'yieldEvery': 'batch', 'callbacks': {'onYield': on_yield}})
        assert yields == [(e, b, ['batch', 'loss', 'size']) for e in (0, 1) for b in (0, 1)]
    finally:
        tf.dispose([xs, ys])
        model.dispose()


async def test_now_func_and_next_frame_func(backend):
    """tfjs' CustomCallback clock hooks: nowFunc in ms, nextFrameFunc awaited."""
    model = make_model()
    xs, ys = data(16)
    clock = [0.0]
    frames = []

    def on_batch_end(batch, logs):
        clock[0] += 50.0

    async def next_frame():
        frames.append(clock[0])

    try:
        await model.fit(xs, ys, {'epochs': 1, 'batchSize': 2, 'verbose': 0, 'yieldEvery': 100,
                                 'callbacks': {'onBatchEnd': on_batch_end,
                                               'nowFunc': lambda: clock[0],
                                               'nextFrameFunc': next_frame}})
        # 8 batches of 50 ms on the fake clock: a frame every 100 ms.
        assert frames == [100.0, 200.0, 300.0, 400.0]
    finally:
        tf.dispose([xs, ys])
        model.dispose()


async def test_auto_yields_once_4_ms_have_passed(backend):
    """The default 'auto' (unlike tfjs' 125 ms): a yield at the first batch end
    at least 4 ms after the last one; none while less time has passed."""
    model = make_model()
    xs, ys = data(16)
    clock = [0.0]
    frames = []

    def on_batch_end(batch, logs):
        clock[0] += 3.0 if batch < 4 else 5.0

    async def next_frame():
        frames.append(clock[0])

    try:
        await model.fit(xs, ys, {'epochs': 1, 'batchSize': 2, 'verbose': 0,
                                 'callbacks': {'onBatchEnd': on_batch_end,
                                               'nowFunc': lambda: clock[0],
                                               'nextFrameFunc': next_frame}})
        # 3 ms batches yield every other batch; 5 ms batches every batch.
        assert frames == [6.0, 12.0, 17.0, 22.0, 27.0, 32.0]
        assert normalize_yield_every('auto') == normalize_yield_every(None) == 4.0
    finally:
        tf.dispose([xs, ys])
        model.dispose()


async def test_on_yield_with_never_is_an_error(backend):
    model = make_model()
    xs, ys = data(4)
    try:
        with pytest.raises(ValueError, match='yieldEvery is "never" but an onYield'):
            await model.fit(xs, ys, {'yieldEvery': 'never', 'verbose': 0,
                                     'callbacks': {'onYield': lambda e, b, logs: None}})
    finally:
        tf.dispose([xs, ys])
        model.dispose()


async def test_second_fit_while_training_is_refused(backend):
    model = make_model()
    xs, ys = data(8)
    running, checked = asyncio.Event(), asyncio.Event()

    async def on_batch_end(batch, logs):
        # The first fit waits inside its first batch hook until the check is done.
        running.set()
        await checked.wait()

    try:
        first = asyncio.create_task(model.fit(xs, ys, {
            'epochs': 2, 'batchSize': 2, 'verbose': 0,
            'callbacks': {'onBatchEnd': on_batch_end}}))
        await running.wait()
        with pytest.raises(RuntimeError, match='another fit\\(\\) call is ongoing'):
            await model.fit(xs, ys, {'verbose': 0})
        checked.set()
        await first
    finally:
        tf.dispose([xs, ys])
        model.dispose()


@pytest.fixture
def replaying(monkeypatch):
    """state['on'] is True while a traced step's replay is in progress."""
    from tfjs_py.engine import trace
    state = {'on': False}
    replay = trace.Program.replay

    async def flagged(self, args, pause):
        state['on'] = True
        try:
            return await replay(self, args, pause)
        finally:
            state['on'] = False

    monkeypatch.setattr(trace.Program, 'replay', flagged)
    return state


def _same(a, b):
    return all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))


async def test_a_traced_step_lets_the_loop_run_between_its_kernels(backend, replaying):
    """A long step need not hold the loop: a replay pauses between kernels when
    the throttle says (yieldEvery 0: at every one). Meanwhile other tasks see
    the weights of the last full batch: the step updates them all at its end."""
    model = make_model('adam')
    xs, ys = data(16)
    ends = [weights(model)]
    seen = []
    running = True

    async def watcher():
        while running:
            if replaying['on']:
                seen.append((len(ends), weights(model)))
            await asyncio.sleep(0)

    task = asyncio.create_task(watcher())
    try:
        await model.fit(xs, ys, {'epochs': 3, 'batchSize': 4, 'verbose': 0, 'yieldEvery': 0,
                                 'callbacks': {'onBatchEnd': lambda b, logs:
                                               ends.append(weights(model))}})
        # Batches 1-3 run eagerly (the first makes Adam's slots, the next two
        # record the step); the other nine replay it.
        assert {n for n, _ in seen} == set(range(4, 13))
        for n, w in seen:
            assert _same(w, ends[n - 1])
    finally:
        running = False
        await task
        tf.dispose([xs, ys])
        model.dispose()


async def test_cancel_inside_a_step_keeps_the_last_full_batch(backend, replaying):
    model = make_model('adam')
    xs, ys = data(16)
    ends = [weights(model)]
    fit = asyncio.create_task(model.fit(xs, ys, {
        'epochs': 100, 'batchSize': 4, 'verbose': 0, 'yieldEvery': 0,
        'callbacks': {'onBatchEnd': lambda b, logs: ends.append(weights(model))}}))
    try:
        while not (replaying['on'] and len(ends) > 4):
            await asyncio.sleep(0)
        fit.cancel()
        with pytest.raises(asyncio.CancelledError):
            await fit
        assert not replaying['on'] and not model.isTraining
        # No update of the cancelled step: weights and optimizer steps of the last full batch.
        assert _same(weights(model), ends[-1])
        assert model.optimizer.iterations == len(ends) - 1
        h = await model.fit(xs, ys, {'epochs': 1, 'verbose': 0})
        assert len(h.history['loss']) == 1
    finally:
        tf.dispose([xs, ys])
        model.dispose()


async def test_train_on_batch_inside_a_paused_step(backend, replaying):
    # Another task's step on the same model, with the same shapes, while fit's
    # replay of that step is paused: it replays the same program in one go (a
    # replay binds its stand-in tensors before each kernel), and nothing leaks
    # or breaks.
    model = make_model('adam')
    xs, ys = data(16)
    x4, y4 = xs.slice([0, 0], [4, 1]), ys.slice([0, 0], [4, 1])
    losses = []

    async def other():
        while not replaying['on']:
            await asyncio.sleep(0)
        losses.append(await model.trainOnBatch(x4, y4))

    try:
        task = asyncio.create_task(other())
        history = await model.fit(xs, ys, {'epochs': 4, 'batchSize': 4, 'verbose': 0,
                                           'shuffle': False, 'yieldEvery': 0})
        await task
        assert len(losses) == 1 and np.isfinite(losses[0])
        assert all(np.isfinite(history.history['loss']))
    finally:
        tf.dispose([xs, ys, x4, y4])
        model.dispose()


def test_fit_under_trio(backend):
    async def main():
        model = make_model()
        xs, ys = data(8)
        ticks = []
        try:
            async with anyio.create_task_group() as tg:
                async def ticker():
                    while True:
                        ticks.append(1)
                        await anyio.sleep(0)

                tg.start_soon(ticker)
                history = await model.fit(xs, ys, {'epochs': 5, 'batchSize': 2, 'verbose': 0,
                                                   'yieldEvery': 'batch'})
                tg.cancel_scope.cancel()
            return len(history.history['loss']), len(ticks)
        finally:
            tf.dispose([xs, ys])
            model.dispose()

    epochs, ticks = anyio.run(main, backend='trio')
    assert epochs == 5 and ticks >= 10


async def test_progress_bar_verbose(backend, capsys):
    model = make_model()
    xs, ys = data(8)
    try:
        await model.fit(xs, ys, {'epochs': 2, 'batchSize': 4, 'validationSplit': 0.25})
        out = capsys.readouterr().out
        assert 'Epoch 1/2' in out and 'Epoch 2/2' in out
        assert '2/2 [' in out and ' - loss: ' in out and ' - val_loss: ' in out
        await model.fit(xs, ys, {'epochs': 1, 'verbose': 0})
        assert capsys.readouterr().out == ''
    finally:
        tf.dispose([xs, ys])
        model.dispose()


async def test_cancel_from_a_callback_lands_at_the_batch_end(backend):
    """A scope cancelled by a callback stops fit at that batch's end, even
    with yieldEvery 'never' (no yield would deliver it)."""
    model = make_model()
    xs, ys = data()
    seen = []
    try:
        with anyio.CancelScope() as scope:
            def on_batch_end(batch, logs):
                seen.append(batch)
                if batch == 1:
                    scope.cancel()

            await model.fit(xs, ys, {'epochs': 5, 'batchSize': 4, 'verbose': 0,
                                     'yieldEvery': 'never',
                                     'callbacks': {'onBatchEnd': on_batch_end}})
        assert scope.cancelled_caught and seen == [0, 1] and not model.isTraining
    finally:
        tf.dispose([xs, ys])
        model.dispose()
