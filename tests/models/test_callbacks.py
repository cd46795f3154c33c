"""tf.callbacks (earlyStopping, reduceLROnPlateau, modelCheckpoint, csvLogger),
History, CustomCallback, and the yieldEvery policy of _yield."""

from __future__ import annotations

import asyncio
import csv

import numpy as np
import pytest

import tfjs_py as tf
from tfjs_py._yield import YieldPolicy, normalize_yield_every
from tfjs_py.models.callbacks import (
    BaseLogger,
    CustomCallback,
    ProgbarLogger,
    standardize_callbacks,
)


class FakeModel:
    def __init__(self):
        self.stopTraining = False
        self.optimizer = tf.train.sgd(1.0)


async def run_epochs(callback, values, key='val_loss'):
    """Feed epoch logs to a callback; the epochs it saw before stopping."""
    model = FakeModel()
    callback.setModel(model)
    await asyncio.sleep(0)
    callback.onTrainBegin({})
    seen = []
    for epoch, value in enumerate(values):
        result = callback.onEpochEnd(epoch, {key: value})
        if asyncio.iscoroutine(result):
            await result
        seen.append(epoch)
        if model.stopTraining:
            break
    callback.onTrainEnd({})
    return seen, model


async def test_early_stopping_patience_and_modes():
    seen, _ = await run_epochs(tf.callbacks.earlyStopping({'patience': 2}),
                               [1.0, 0.8, 0.9, 0.85, 0.7])
    assert seen == [0, 1, 2, 3]
    # minDelta: improvements smaller than it do not count.
    seen, _ = await run_epochs(tf.callbacks.earlyStopping(patience=1, min_delta=0.1),
                               [1.0, 0.95, 0.5])
    assert seen == [0, 1]
    # 'acc' in the name: higher is better in mode 'auto'.
    seen, _ = await run_epochs(tf.callbacks.earlyStopping({'monitor': 'val_acc'}),
                               [0.5, 0.6, 0.55], key='val_acc')
    assert seen == [0, 1, 2]
    seen, _ = await run_epochs(tf.callbacks.earlyStopping({'mode': 'max'}), [0.5, 0.4])
    assert seen == [0, 1]
    # A baseline that is never beaten stops after patience epochs.
    seen, _ = await run_epochs(tf.callbacks.earlyStopping({'baseline': 0.1, 'patience': 2}),
                               [0.5, 0.4, 0.3])
    assert seen == [0, 1]
    with pytest.raises(ValueError, match="mode must be 'auto', 'min' or 'max'"):
        tf.callbacks.earlyStopping({'mode': 'up'})
    with pytest.raises(ValueError, match="unknown config key 'patiense'"):
        tf.callbacks.earlyStopping({'patiense': 3})


async def test_early_stopping_missing_metric_warns(capsys):
    seen, _ = await run_epochs(tf.callbacks.earlyStopping(), [1.0, 2.0], key='loss')
    assert seen == [0, 1]
    assert "metric 'val_loss' is not available" in capsys.readouterr().err


async def test_early_stopping_in_fit_restores_best_weights(backend):
    model = tf.sequential()
    model.add(tf.layers.dense({'units': 1, 'inputShape': [1]}))
    init = [tf.tensor2d([[0.0]]), tf.tensor1d([0.0])]
    model.setWeights(init)
    tf.dispose(init)
    model.compile({'optimizer': tf.train.sgd(0.1), 'loss': 'meanSquaredError'})
    xs = tf.tensor2d([[1], [2], [3], [4]])
    ys = tf.tensor2d([[1], [2], [3], [4]])
    val_ys = tf.tensor2d([[0.5], [1], [1.5], [2]])
    snapshots = []

    class Snap(tf.Callback):
        def onEpochEnd(self, epoch, logs=None):
            snapshots.append((logs['val_loss'], [w.dataSync().copy()
                                                 for w in self.model.getWeights()]))

    try:
        stopper = tf.callbacks.earlyStopping({'patience': 2, 'restoreBestWeights': True})
        history = await model.fit(xs, ys, {'epochs': 50, 'verbose': 0, 'shuffle': False,
                                           'validationData': [xs, val_ys],
                                           'callbacks': [Snap(), stopper]})
        val = history.history['val_loss']
        assert len(val) < 50
        best = int(np.argmin(val))
        assert len(val) == best + 3
        for w, expected in zip(model.getWeights(), snapshots[best][1], strict=True):
            np.testing.assert_array_equal(w.dataSync(), expected)
        assert stopper.stoppedEpoch == best + 2
    finally:
        tf.dispose([xs, ys, val_ys])
        model.dispose()
        model.optimizer.dispose()


async def test_reduce_lr_on_plateau():
    callback = tf.callbacks.reduceLROnPlateau({'patience': 1, 'factor': 0.5, 'cooldown': 1,
                                               'minLr': 0.2})
    _, model = await run_epochs(callback, [1.0, 1.0, 1.0, 1.0, 1.0, 1.0])
    # Halved at epochs 1 and 2 (the cooldown ends before each check, as Keras),
    # then held at minLr.
    assert model.optimizer.learningRate == 0.2
    callback2 = tf.callbacks.reduce_lr_on_plateau(patience=2, factor=0.1)
    _, model2 = await run_epochs(callback2, [1.0, 0.5, 0.6, 0.7])
    assert model2.optimizer.learningRate == pytest.approx(0.1)
    with pytest.raises(ValueError, match='factor must be < 1'):
        tf.callbacks.reduceLROnPlateau({'factor': 2})


async def test_csv_logger(tmp_path):
    path = tmp_path / 'log.csv'
    logger = tf.callbacks.csvLogger(str(path))
    await run_epochs(logger, [1.0, 0.5])
    rows = list(csv.reader(path.open()))
    assert rows == [['epoch', 'val_loss'], ['0', '1.0'], ['1', '0.5']]
    appender = tf.callbacks.csvLogger({'filename': str(path), 'append': True,
                                       'separator': ';'})
    await run_epochs(appender, [0.25])
    assert path.read_text().splitlines()[-1] == '0;0.25'
    with pytest.raises(ValueError, match="missing required config key 'filename'"):
        tf.callbacks.csvLogger()


async def test_model_checkpoint_saves_when_improving():
    saved = []

    class Saver(FakeModel):
        async def save(self, path):
            saved.append(path)

    checkpoint = tf.callbacks.modelCheckpoint('file://ckpt-{epoch}-{val_loss:.1f}',
                                              {'saveBestOnly': True})
    model = Saver()
    checkpoint.setModel(model)
    for epoch, value in enumerate([1.0, 2.0, 0.5]):
        await checkpoint.onEpochEnd(epoch, {'val_loss': value})
    assert saved == ['file://ckpt-1-1.0', 'file://ckpt-3-0.5']
    every = tf.callbacks.modelCheckpoint({'filepath': 'file://m'})
    every.setModel(model)
    await every.onEpochEnd(0, {})
    assert saved[-1] == 'file://m'
    with pytest.raises(ValueError, match="missing required config key 'filepath'"):
        tf.callbacks.modelCheckpoint()


async def test_history_and_base_logger():
    logger, history = BaseLogger(), tf.History()
    params = {'metrics': ['loss', 'acc']}
    logger.setParams(params)
    history.onTrainBegin()
    logger.onEpochBegin(0)
    logger.onBatchEnd(0, {'batch': 0, 'size': 3, 'loss': 1.0, 'acc': 0.0})
    logger.onBatchEnd(1, {'batch': 1, 'size': 1, 'loss': 5.0, 'acc': 1.0})
    logs = {}
    logger.onEpochEnd(0, logs)
    history.onEpochEnd(0, logs)
    # The epoch value is the batch-size-weighted mean.
    assert logs == {'loss': 2.0, 'acc': 0.25}
    assert history.history == {'loss': [2.0], 'acc': [0.25]} and history.epoch == [0]
    await history.syncData()


async def test_custom_callback_and_standardize():
    calls = []

    async def on_epoch(epoch, logs):
        calls.append(epoch)

    cb = tf.CustomCallback({'onEpochEnd': on_epoch})
    await cb.onEpochEnd(3, {})
    await cb.onBatchEnd(0, {})
    assert calls == [3] and cb.onYield is None
    assert isinstance(standardize_callbacks({'on_train_end': print})[0], CustomCallback)
    with pytest.raises(ValueError, match="unknown config key 'onEpochEnds'"):
        tf.CustomCallback({'onEpochEnds': on_epoch})
    with pytest.raises(TypeError, match='onEpochEnd must be a function'):
        tf.CustomCallback({'onEpochEnd': 3})
    with pytest.raises(TypeError, match='callbacks\\[0\\] must be a tf.Callback'):
        standardize_callbacks([3])
    lst = tf.CallbackList([cb])
    await lst.onEpochEnd(4)
    assert calls == [3, 4]


async def test_yield_policy_with_a_clock():
    now = [0.0]
    yields = []
    policy = YieldPolicy('auto', [lambda e, b, logs: yields.append((e, b))],
                         now=lambda: now[0])
    for batch in range(10):
        now[0] += 50.0
        await policy.batch_end(0, batch, {})
    # 'auto' yields once 4 ms passed since the last yield (tfjs waits 125 ms):
    # here after every 50 ms batch.
    assert yields == [(0, b) for b in range(10)]
    assert normalize_yield_every('auto') == 4.0
    assert normalize_yield_every(None) == 4.0
    assert normalize_yield_every(125) == 125.0
    assert normalize_yield_every(10) == 10.0
    for bad in ('always', -1, True):
        with pytest.raises(ValueError, match='yieldEvery must be one of'):
            normalize_yield_every(bad)


async def test_progbar_logger_lines():
    import io
    out = io.StringIO()
    bar = ProgbarLogger(out)
    bar.setParams({'epochs': 2, 'samples': 5, 'batchSize': 2, 'steps': None})
    bar.onEpochBegin(0)
    for b, size in enumerate((2, 2, 1)):
        bar.onBatchEnd(b, {'batch': b, 'size': size, 'loss': 0.5})
    bar.onEpochEnd(0, {'val_loss': 0.25, 'loss': 0.5})
    lines = out.getvalue().splitlines()
    assert lines[0] == 'Epoch 1/2'
    assert lines[1].startswith('3/3 [==============================] - ')
    assert lines[1].endswith(' - loss: 0.5000 - val_loss: 0.2500')


async def test_callback_list_calls_only_hooks_that_do_something():
    calls = []

    class Snake(tf.Callback):
        def on_batch_end(self, batch, logs=None):
            calls.append(('snake', batch))

    only_end = tf.CustomCallback({'onBatchEnd': lambda b, logs: calls.append(('dict', b))})
    history = tf.History()
    lst = tf.CallbackList([Snake(), only_end])
    # BaseCallback's no-ops and hooks a dict did not give are skipped; order is kept.
    assert lst.hooks('onBatchBegin') == []
    assert [h.__self__ for h in lst.hooks('onBatchEnd')] == lst.callbacks
    assert lst.hooks('onEpochBegin') == [only_end.onEpochBegin]  # keeps currentEpoch
    await lst.onBatchBegin(0)
    await lst.onBatchEnd(1)
    assert calls == [('snake', 1), ('dict', 1)]
    lst.append(history)
    assert history.onEpochEnd in lst.hooks('onEpochEnd')
    await lst.onEpochBegin(2)
    assert only_end.currentEpoch == 2
