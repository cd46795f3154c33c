"""fit() replays its traced gradient step (engine/trace.py): the same numbers
as an eager fit, and changes made between batches still take effect."""

from __future__ import annotations

import numpy as np
import pytest

import tfjs_py as tf
from tfjs_py.engine import trace
from tfjs_py.optimizers import AdamOptimizer

RNG = np.random.default_rng(3)
X = RNG.standard_normal((24, 5)).astype(np.float32)
Y = np.eye(3, dtype=np.float32)[RNG.integers(0, 3, 24)]
W0 = [RNG.standard_normal((5, 8)).astype(np.float32) * 0.5, np.zeros(8, np.float32),
      RNG.standard_normal((8, 3)).astype(np.float32) * 0.5, np.full(3, 0.1, np.float32)]


def small_model(dropout: float = 0.0, seed: int | None = None) -> tf.LayersModel:
    model = tf.sequential()
    model.add(tf.layers.dense({'units': 8, 'activation': 'relu', 'inputShape': [5],
                               'kernelRegularizer': tf.regularizers.l2({'l2': 0.01})}))
    if dropout:
        model.add(tf.layers.dropout({'rate': dropout, 'seed': seed}))
    model.add(tf.layers.dense({'units': 3, 'activation': 'softmax'}))
    weights = [tf.tensor(w) for w in W0]
    model.setWeights(weights)
    tf.dispose(weights)
    model.compile({'optimizer': 'adam', 'loss': 'categoricalCrossentropy',
                   'metrics': ['acc']})
    model.optimizer.learningRate = 0.01
    return model


@pytest.fixture
def replays(monkeypatch):
    """How many batches each fit replayed."""
    counts = []
    replay = trace.Program.replay

    async def counted(self, args, pause):
        counts.append(1)
        return await replay(self, args, pause)

    monkeypatch.setattr(trace.Program, 'replay', counted)
    return counts


async def fit_values(model, run_eagerly: bool, **extra) -> tuple[dict, list[np.ndarray]]:
    model.runEagerly = run_eagerly
    xs, ys = tf.tensor(X), tf.tensor(Y)
    try:
        history = await model.fit(xs, ys, {'epochs': 4, 'batchSize': 5, 'shuffle': False,
                                           'verbose': 0, **extra})
    finally:
        tf.dispose([xs, ys])
    return history.history, [w.numpy() for w in model.getWeights()]


async def test_a_traced_fit_gives_the_eager_fit_bit_for_bit(backend, replays):
    info = tf.memory()
    buffers = info.numDataBuffers
    traced, eager = small_model(), small_model()
    try:
        extra = {'classWeight': {0: 1.0, 1: 2.0, 2: 0.5}, 'validationSplit': 0.25}
        h1, w1 = await fit_values(traced, False, **extra)
        assert len(replays) > 0
        replays.clear()
        h2, w2 = await fit_values(eager, True, **extra)
        assert not replays
        assert h1 == h2
        assert set(h1) == {'loss', 'acc', 'val_loss', 'val_acc'}
        for a, b in zip(w1, w2, strict=True):
            np.testing.assert_array_equal(a, b)
    finally:
        traced.dispose()
        eager.dispose()
    # The traces' constants went with the fit.
    assert tf.memory().numDataBuffers == buffers


async def test_a_replay_makes_the_optimizer_attrs_once(backend, replays, monkeypatch):
    # As an eager step: one _step_attrs per step, not one per variable updated.
    calls = []
    step_attrs = AdamOptimizer._step_attrs

    def counted(self):
        calls.append(1)
        return step_attrs(self)

    monkeypatch.setattr(AdamOptimizer, '_step_attrs', counted)
    model = small_model()
    try:
        await fit_values(model, False)
        assert len(replays) > 0
        calls.clear()
        replays.clear()
        await fit_values(model, False)
        assert len(replays) > 0 and len(calls) == len(replays)
    finally:
        model.dispose()


async def test_dropout_draws_a_new_mask_at_every_replay(backend, replays):
    model = small_model(dropout=0.5)
    losses = []
    try:
        history, _ = await fit_values(model, False)
        assert replays
        assert all(np.isfinite(history['loss']))
        # Unseeded: every replayed batch drew its own mask.
        model.optimizer.learningRate = 0.0
        xs, ys = tf.tensor(X[:5]), tf.tensor(Y[:5])
        for _ in range(6):
            losses.append(tuple(await model.trainOnBatch(xs, ys)))
        assert len(set(losses)) == 6
        tf.dispose([xs, ys])
    finally:
        model.dispose()


async def test_a_seeded_dropout_replays_its_mask_as_eager_calls_draw_it(backend, replays):
    traced, eager = small_model(0.5, seed=7), small_model(0.5, seed=7)
    try:
        h1, w1 = await fit_values(traced, False)
        assert replays
        h2, w2 = await fit_values(eager, True)
        assert h1 == h2
        for a, b in zip(w1, w2, strict=True):
            np.testing.assert_array_equal(a, b)
    finally:
        traced.dispose()
        eager.dispose()


async def test_changes_between_batches_take_effect(backend, replays):
    model = small_model()
    first = model.layers[0]
    seen = {}

    def on_epoch_end(epoch, logs):
        if epoch == 1:
            # Frozen layer: the step's variables change, so it is traced anew.
            first.trainable = False
            seen['kernel'] = first.getWeights()[0].numpy()
            # A learning rate of 0 stops the update, which is not traced.
            model.optimizer.learningRate = 0.0
            seen['last'] = model.layers[1].getWeights()[0].numpy()

    try:
        await fit_values(model, False, callbacks={'onEpochEnd': on_epoch_end})
        assert replays
        np.testing.assert_array_equal(first.getWeights()[0].numpy(), seen['kernel'])
        np.testing.assert_array_equal(model.layers[1].getWeights()[0].numpy(), seen['last'])
    finally:
        model.dispose()


async def test_set_weights_between_batches_is_seen(backend, replays):
    """A replay reads the weights' current values: restoring the starting
    weights after each epoch makes every epoch's first loss the same."""
    model = small_model()

    def on_epoch_end(epoch, logs):
        weights = [tf.tensor(w) for w in W0]
        model.setWeights(weights)
        tf.dispose(weights)

    try:
        xs, ys = tf.tensor(X), tf.tensor(Y)
        losses = []
        await model.fit(xs, ys, {'epochs': 5, 'batchSize': 24, 'shuffle': False, 'verbose': 0,
                                 'callbacks': {'onEpochEnd': on_epoch_end,
                                               'onBatchEnd': lambda b, logs:
                                               losses.append(logs['loss'])}})
        tf.dispose([xs, ys])
        # The first step makes Adam's slots (not replayable), two more record.
        assert len(replays) == 2
        assert losses[1:] == losses[:1] * 4
    finally:
        model.dispose()


async def test_a_popped_layer_is_not_replayed(backend, replays):
    """pop() changes the model without changing its variables."""
    model = small_model()
    model.add(tf.layers.activation({'activation': 'tanh'}))
    model.compile({'optimizer': 'sgd', 'loss': 'meanSquaredError'})
    xs, ys = tf.tensor(X), tf.tensor(Y - 0.5)
    try:
        for _ in range(3):
            await model.trainOnBatch(xs, ys)
        assert replays
        model.pop()
        kernel = model.layers[0].getWeights()[0].numpy()
        expected = tf.tidy(lambda: tf.losses.meanSquaredError(ys, model.predict(xs)).arraySync())
        expected += 0.01 * float(np.sum(np.square(kernel)))  # the l2 regularizer
        assert await model.trainOnBatch(xs, ys) == pytest.approx(expected, rel=1e-6)
    finally:
        tf.dispose([xs, ys])
        model.dispose()


async def test_predict_is_traced_and_sees_new_weights(backend, replays):
    model = small_model()
    xs = tf.tensor(X[:4])
    try:
        first = [model.predict(xs).numpy() for _ in range(3)]
        assert len(replays) == 1
        np.testing.assert_array_equal(first[2], first[0])
        await model.fit(tf.tensor(X), tf.tensor(Y), {'epochs': 1, 'verbose': 0})
        model.runEagerly = True
        eager = model.predict(xs).numpy()
        model.runEagerly = False
        np.testing.assert_array_equal(model.predict(xs).numpy(), eager)
        assert not np.array_equal(eager, first[0])
    finally:
        xs.dispose()
        model.dispose()


def test_evaluate_is_traced(backend, replays):
    model = small_model()
    xs, ys = tf.tensor(X), tf.tensor(Y)
    try:
        traced = [[t.numpy() for t in model.evaluate(xs, ys, {'batchSize': 8})]
                  for _ in range(3)]
        assert replays
        model.runEagerly = True
        eager = [t.numpy() for t in model.evaluate(xs, ys, {'batchSize': 8})]
        assert [v.tolist() for v in traced[2]] == [v.tolist() for v in eager]
    finally:
        tf.dispose([xs, ys])
        model.dispose()


async def test_a_new_optimizer_between_batches_is_used(backend, replays):
    model = small_model()
    frozen = tf.train.sgd(0.0)
    seen = {}

    def on_epoch_end(epoch, logs):
        if epoch == 1:
            model.optimizer = frozen
            seen['weights'] = [w.numpy() for w in model.getWeights()]

    try:
        await fit_values(model, False, callbacks={'onEpochEnd': on_epoch_end})
        assert replays
        for w, before in zip(model.getWeights(), seen['weights'], strict=True):
            np.testing.assert_array_equal(w.numpy(), before)
        assert frozen.iterations == 10
    finally:
        model.dispose()
        frozen.dispose()


async def test_a_recurrent_model_fits_as_eagerly(backend, replays):
    """The fused LSTM's custom gradient (several outputs) and a GRU's per-step
    kernels, replayed."""
    rng = np.random.default_rng(5)
    x = rng.standard_normal((8, 4, 3)).astype(np.float32)
    y = rng.standard_normal((8, 1)).astype(np.float32)
    results = []
    for eager in (False, True):
        model = tf.sequential()
        model.add(tf.layers.lstm({'units': 4, 'inputShape': [4, 3], 'returnSequences': True,
                                  'kernelInitializer': 'glorotNormal'}))
        model.add(tf.layers.gru({'units': 2}))
        model.add(tf.layers.dense({'units': 1}))
        if not results:
            start = [w.numpy() for w in model.getWeights()]
        weights = [tf.tensor(w) for w in start]
        model.setWeights(weights)
        tf.dispose(weights)
        model.compile({'optimizer': 'adam', 'loss': 'meanSquaredError'})
        model.runEagerly = eager
        xs, ys = tf.tensor(x), tf.tensor(y)
        history = await model.fit(xs, ys, {'epochs': 4, 'batchSize': 4, 'shuffle': False,
                                           'verbose': 0})
        results.append((history.history['loss'], [w.numpy() for w in model.getWeights()]))
        tf.dispose([xs, ys])
        model.dispose()
    assert replays
    assert results[0][0] == results[1][0]
    for a, b in zip(results[0][1], results[1][1], strict=True):
        np.testing.assert_array_equal(a, b)
