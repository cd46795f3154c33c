"""compile / fit / evaluate / predict / fitDataset against real tfjs 4.22
(tests/reference/training_fit.json: the JS of each case and its result)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import tfjs_py as tf

REF = json.loads((Path(__file__).parents[1] / 'reference' / 'training_fit.json').read_text())
RESULTS = REF['results']


def values(t):
    return np.asarray(t.dataSync(), dtype=np.float64)


def close(actual, expected, rtol=1e-4, atol=1e-5):
    np.testing.assert_allclose(np.asarray(actual, dtype=np.float64),
                               np.asarray(expected, dtype=np.float64), rtol=rtol, atol=atol)


def dense_model(units, input_dim, weights, activation=None, hidden=None):
    model = tf.sequential()
    if hidden is not None:
        model.add(tf.layers.dense({'units': hidden[0], 'activation': hidden[1],
                                   'inputShape': [input_dim]}))
        model.add(tf.layers.dense({'units': units, 'activation': activation}))
    else:
        model.add(tf.layers.dense({'units': units, 'inputShape': [input_dim],
                                   'activation': activation}))
    tensors = [tf.tensor(w) for w in weights]
    model.setWeights(tensors)
    tf.dispose(tensors)
    return model


async def test_seed_example_matches_tfjs(backend):
    """The seed doc's example, with fixed initial weights: 1000 epochs of SGD."""
    ref = RESULTS[0]
    model = dense_model(1, 1, [[[0.5]], [0.1]])
    model.compile({'optimizer': 'sgd', 'loss': 'meanSquaredError'})
    xs = tf.tensor2d([[1], [2], [3], [4]], [4, 1])
    ys = tf.tensor2d([[1], [3], [5], [7]], [4, 1])
    try:
        history = await model.fit(xs, ys, {'epochs': 1000, 'verbose': 0})
        close(history.history['loss'][:3], ref['loss0'], rtol=1e-6)
        close(history.history['loss'][999], ref['lossEnd'], rtol=1e-3)
        pred = model.predict(tf.tensor2d([[5]], [1, 1]))
        close(values(pred), ref['pred']['values'], rtol=1e-5)
        # tfjs' own 8.9496: 0.0504 short of 9, as gradient descent by hand gives.
        assert abs(ref['pred']['values'][0] - gradient_descent_prediction(0.5, 0.1)) < 2e-5
        assert abs(values(pred)[0] - 9) < 0.1
        for w, expected in zip(model.getWeights(), ref['w'], strict=True):
            close(values(w), expected['values'], rtol=1e-5)
        assert history.epoch == list(range(1000))
        pred.dispose()
    finally:
        tf.dispose([xs, ys])
        model.dispose()


def gradient_descent_prediction(w0: float, b0: float, epochs: int = 1000) -> float:
    """The seed example's fit worked out by hand in float64: full-batch gradient
    descent on mean((w x + b - y)^2) with sgd's default rate 0.01."""
    x = np.array([[1, 1], [2, 1], [3, 1], [4, 1]], np.float64)
    y = np.array([1, 3, 5, 7], np.float64)
    theta = np.array([w0, b0])
    for _ in range(epochs):
        theta -= 0.01 * (2 / 4) * x.T @ (x @ theta - y)
    return float(theta @ [5, 1])


@pytest.mark.parametrize('w0', [-1.732, 0.0, 1.732])
async def test_seed_example_prediction_depends_on_the_glorot_start(backend, w0):
    """From a random start (glorot-uniform kernel in [-1.732, 1.732], zero
    bias) 1000 epochs leave the prediction for x = 5 between 8.929 and 8.966,
    as gradient descent worked out by hand does (and tfjs: 8.9496 from w 0.5,
    b 0.1 above). The slowest direction of this problem shrinks by only 0.95
    in 1000 steps; the prediction is within 0.05 of 9 only for a start above
    w = 0.246."""
    model = dense_model(1, 1, [[[w0]], [0.0]])
    model.compile({'optimizer': 'sgd', 'loss': 'meanSquaredError'})
    xs = tf.tensor2d([[1], [2], [3], [4]], [4, 1])
    ys = tf.tensor2d([[1], [3], [5], [7]], [4, 1])
    try:
        await model.fit(xs, ys, {'epochs': 1000, 'verbose': 0})
        pred = model.predict(tf.tensor2d([[5]], [1, 1]))
        got = values(pred)[0]
        pred.dispose()
        want = gradient_descent_prediction(w0, 0.0)
        assert abs(got - want) < 2e-4
        assert 8.928 < got < 8.967
        assert (abs(got - 9) < 0.05) == (w0 > 0.246)
    finally:
        tf.dispose([xs, ys])
        model.dispose()


CLS_WEIGHTS = [[[0.5, -0.3, 0.8], [-0.6, 0.9, 0.2]], [0.1, 0.0, -0.1],
               [[0.7, -0.4], [-0.5, 0.6], [0.3, 0.2]], [0.05, -0.05]]
CLS_X = [[0.1, 0.9], [0.8, 0.2], [0.4, 0.5], [0.9, 0.9], [0.2, 0.1], [0.6, 0.7], [0.3, 0.8],
         [0.7, 0.3]]
CLS_Y = [[0, 1], [1, 0], [0, 1], [1, 0], [1, 0], [0, 1], [0, 1], [1, 0]]


async def test_history_evaluate_train_on_batch_match_tfjs(backend):
    ref = RESULTS[1]
    model = dense_model(2, 2, CLS_WEIGHTS, 'softmax', hidden=(3, 'relu'))
    optimizer = tf.train.adam(0.05)
    model.compile({'optimizer': optimizer, 'loss': 'categoricalCrossentropy',
                   'metrics': ['accuracy']})
    xs, ys = tf.tensor2d(CLS_X), tf.tensor2d(CLS_Y)
    try:
        history = await model.fit(xs, ys, {'epochs': 4, 'batchSize': 3, 'shuffle': False,
                                           'validationSplit': 0.25, 'verbose': 0})
        assert set(history.history) == {'loss', 'acc', 'val_loss', 'val_acc'}
        for key, expected in ref['history'].items():
            close(history.history[key], expected)
        assert history.epoch == ref['epoch']
        assert history.params == ref['params']
        assert model.metricsNames == ref['names']
        ev = model.evaluate(xs, ys, {'batchSize': 5})
        close([values(t)[0] for t in ev], [e['values'][0] for e in ref['ev']])
        assert all(t.shape == [] for t in ev)
        tf.dispose(ev)
        close(await model.trainOnBatch(xs, ys), ref['tob'])
        for w, expected in zip(model.getWeights(), ref['w'], strict=True):
            close(values(w), expected['values'])
        pred = model.predict(xs, {'batchSize': 3})
        assert pred.shape == [8, 2]
        close(values(pred), ref['pred']['values'])
        on_batch = model.predictOnBatch(xs)
        close(values(on_batch), values(pred), rtol=1e-6)
        tf.dispose([pred, on_batch])
    finally:
        tf.dispose([xs, ys])
        model.dispose()
        optimizer.dispose()


async def test_multi_output_names_and_values(backend):
    ref = RESULTS[2]
    inp = tf.input({'shape': [2], 'name': 'inp'})
    a = tf.layers.dense({'units': 1, 'name': 'outA'}).apply(inp)
    b = tf.layers.dense({'units': 2, 'activation': 'softmax', 'name': 'outB'}).apply(inp)
    model = tf.model({'inputs': inp, 'outputs': [a, b]})
    init = [tf.tensor(w) for w in ([[0.3], [-0.2]], [0.1], [[0.5, -0.5], [0.2, 0.4]], [0, 0.1])]
    model.setWeights(init)
    tf.dispose(init)
    optimizer = tf.train.sgd(0.1)
    model.compile({'optimizer': optimizer,
                   'loss': ['meanSquaredError', 'categoricalCrossentropy'],
                   'metrics': {'outB': ['accuracy', 'mse']}})
    xs = tf.tensor2d([[0.1, 0.9], [0.8, 0.2], [0.4, 0.5], [0.9, 0.9], [0.2, 0.1]])
    ya = tf.tensor2d([[1], [0], [0.5], [2], [0.3]])
    yb = tf.tensor2d([[0, 1], [1, 0], [0, 1], [1, 0], [1, 0]])
    try:
        history = await model.fit(xs, [ya, yb], {'epochs': 3, 'batchSize': 2, 'shuffle': False,
                                                 'validationData': [xs, [ya, yb]],
                                                 'verbose': 0})
        assert model.metricsNames == ref['names']
        for key in ref['names']:
            close(history.history[key], ref['history'][key])
        # tfjs shifts the validation values of multi-output models; ours line up.
        h = history.history
        close(h['val_loss'], np.add(h['val_outA_loss'], h['val_outB_loss']), rtol=1e-6)
        ev = model.evaluate(xs, {'outA': ya, 'outB': yb})
        assert len(ev) == 5
        close([values(t)[0] for t in ev], [h['val_' + n][-1] for n in ref['names']], rtol=1e-5)
        # tfjs' evaluate gives [lossA, lossA + lossB, lossA, lossB, acc, mse].
        close([values(t)[0] for t in ev], [ref['ev'][i]['values'][0] for i in (1, 0, 3, 4, 5)])
        tf.dispose(ev)
        preds = model.predict(xs)
        assert [p.shape for p in preds] == [[5, 1], [5, 2]]
        tf.dispose(preds)
    finally:
        tf.dispose([xs, ya, yb])
        model.dispose()
        optimizer.dispose()


async def test_class_weight_and_crossentropy_metric_match_tfjs(backend):
    ref = RESULTS[3]
    model = dense_model(1, 2, [[[0.5], [-0.3]], [0.1]], 'sigmoid')
    model.compile({'optimizer': 'rmsprop', 'loss': 'binaryCrossentropy',
                   'metrics': ['accuracy', 'ce']})
    xs = tf.tensor2d([[0.1, 0.9], [0.8, 0.2], [0.4, 0.5], [0.9, 0.9], [0.2, 0.1], [0.6, 0.7]])
    ys = tf.tensor2d([[0], [1], [0], [1], [1], [0]])
    try:
        history = await model.fit(xs, ys, {'epochs': 3, 'batchSize': 4, 'shuffle': False,
                                           'classWeight': {0: 1, 1: 3}, 'verbose': 0})
        assert model.metricsNames == ref['names']
        for key, expected in ref['history'].items():
            close(history.history[key], expected)
    finally:
        tf.dispose([xs, ys])
        model.dispose()


async def test_sample_weight_equals_class_weight(backend):
    xs = tf.tensor2d([[0.1, 0.9], [0.8, 0.2], [0.4, 0.5], [0.9, 0.9]])
    ys = tf.tensor2d([[0], [1], [0], [1]])
    histories = []
    try:
        for config in ({'classWeight': {0: 1, 1: 3}},
                       {'sampleWeight': tf.tensor1d([1, 3, 1, 3])},
                       {'sampleWeight': np.array([1, 3, 1, 3], np.float32)}):
            model = dense_model(1, 2, [[[0.5], [-0.3]], [0.1]], 'sigmoid')
            model.compile({'optimizer': 'sgd', 'loss': 'binaryCrossentropy'})
            h = await model.fit(xs, ys, {'epochs': 2, 'shuffle': False, 'verbose': 0, **config})
            histories.append(h.history['loss'])
            model.dispose()
            if isinstance(config.get('sampleWeight'), tf.Tensor):
                config['sampleWeight'].dispose()
        close(histories[1], histories[0], rtol=1e-6)
        close(histories[2], histories[0], rtol=1e-6)
    finally:
        tf.dispose([xs, ys])


async def test_fit_dataset_and_evaluate_dataset_match_tfjs(backend):
    ref = RESULTS[4]
    model = dense_model(3, 2, [[[0.5, -0.3, 0.2], [-0.6, 0.9, 0.1]], [0.1, 0.0, -0.1]],
                        'softmax')
    optimizer = tf.train.momentum(0.1, 0.9)
    model.compile({'optimizer': optimizer, 'loss': 'sparseCategoricalCrossentropy',
                   'metrics': ['acc']})
    x = [[0.1, 0.9], [0.8, 0.2], [0.4, 0.5], [0.9, 0.9], [0.2, 0.1], [0.6, 0.7]]
    y = [[1], [0], [2], [1], [0], [2]]
    rows = [(tf.tensor1d(a), tf.tensor1d(b)) for a, b in zip(x, y, strict=True)]
    ds = tf.data.array([{'xs': a, 'ys': b} for a, b in rows]).batch(4)
    try:
        history = await model.fitDataset(ds, {'epochs': 3, 'verbose': 0, 'validationData': ds})
        assert model.metricsNames == ref['names']
        for key, expected in ref['history'].items():
            close(history.history[key], expected)
        ev = await model.evaluateDataset(ds)
        close([values(t)[0] for t in ev], [e['values'][0] for e in ref['ev']])
        tf.dispose(ev)
        # [xs, ys] elements and tensor validation data work too.
        pairs = tf.data.array([[a, b] for a, b in rows]).batch(3).repeat()
        vx, vy = tf.tensor2d(x), tf.tensor2d(y)
        h2 = await model.fitDataset(pairs, {'epochs': 2, 'batchesPerEpoch': 2, 'verbose': 0,
                                            'validationData': [vx, vy]})
        assert set(h2.history) == {'loss', 'acc', 'val_loss', 'val_acc'}
        assert len(h2.history['loss']) == 2
        tf.dispose([vx, vy])
        one = await model.evaluateDataset(pairs, {'batches': 1})
        assert len(one) == 2
        tf.dispose(one)
    finally:
        tf.dispose(rows)
        model.dispose()
        optimizer.dispose()


async def test_fit_options(backend):
    model = dense_model(1, 1, [[[0.5]], [0.1]])
    model.compile({'optimizer': tf.train.sgd(0.01), 'loss': 'mse', 'metrics': ['mae']})
    xs = tf.tensor1d([1, 2, 3, 4, 5, 6, 7])
    ys = tf.tensor1d([1, 3, 5, 7, 9, 11, 13])
    try:
        h = await model.fit(xs, ys, {'epochs': 3, 'batchSize': 2, 'stepsPerEpoch': 3,
                                     'verbose': 0, 'shuffle': 'batch'})
        assert len(h.history['loss']) == 3 and h.params['steps'] == 3
        assert set(h.history) == {'loss', 'mae'}
        h = await model.fit(xs, ys, {'epochs': 4, 'initialEpoch': 2, 'verbose': 0,
                                     'validationSplit': 0.3, 'validationBatchSize': 1})
        assert h.epoch == [2, 3]
        assert set(h.history) == {'loss', 'mae', 'val_loss', 'val_mae'}
        # Python lists and NumPy arrays are accepted beside tensors.
        h = await model.fit(np.array([[1.0], [2.0]]), [[1.0], [3.0]], {'verbose': 0})
        assert len(h.history['loss']) == 1
        loss, mae = model.evaluate(xs, ys)
        assert loss.shape == [] and mae.shape == []
        tf.dispose([loss, mae])
        await model.fit(xs, ys, batch_size=4, epochs=1, verbose=0)
    finally:
        tf.dispose([xs, ys])
        model.dispose()


async def test_fit_and_compile_errors(backend):
    model = dense_model(1, 1, [[[0.5]], [0.1]])
    xs = tf.tensor2d([[1], [2]])
    ys = tf.tensor2d([[1], [3]])
    wide, long = tf.ones([2, 2]), tf.ones([3, 1])
    try:
        with pytest.raises(RuntimeError, match='You must compile a model'):
            await model.fit(xs, ys)
        with pytest.raises(ValueError, match='Unknown Optimizer'):
            model.compile({'optimizer': 'nesterov', 'loss': 'mse'})
        with pytest.raises(ValueError, match="unknown config key 'los'; did you mean 'loss'"):
            model.compile({'optimizer': 'sgd', 'los': 'mse'})
        model.compile({'optimizer': 'sgd', 'loss': 'mse'})
        with pytest.raises(ValueError, match="expected dense_.* to have shape \\[null,1\\] but "
                                             "got array with shape \\[2,2\\]"):
            await model.fit(wide, ys, {'verbose': 0})
        with pytest.raises(ValueError, match='same number of samples'):
            await model.fit(xs, long, {'verbose': 0})
        with pytest.raises(ValueError, match='batchSize is required to be a positive integer'):
            await model.fit(xs, ys, {'batchSize': 0})
        with pytest.raises(ValueError, match="unknown config key 'epoch'; did you mean "
                                             "'epochs'"):
            await model.fit(xs, ys, {'epoch': 3})
        with pytest.raises(ValueError, match='yieldEvery must be one of'):
            await model.fit(xs, ys, {'yieldEvery': 'sometimes', 'verbose': 0})
        with pytest.raises(ValueError, match='validationSteps'):
            await model.fit(xs, ys, {'validationSteps': 1, 'verbose': 0})
        with pytest.raises(ValueError, match='categorical_crossentropy'):
            model.compile({'optimizer': 'sgd', 'loss': 'categoricalCrossentropy'})
            await model.fit(xs, ys, {'verbose': 0})
        assert not model.isTraining
    finally:
        tf.dispose([xs, ys, wide, long])
        model.dispose()


async def test_owned_optimizer_disposed_with_model(backend):
    model = dense_model(1, 1, [[[0.5]], [0.1]])
    model.compile({'optimizer': 'adam', 'loss': 'mse'})
    xs, ys = tf.tensor2d([[1], [2]]), tf.tensor2d([[1], [3]])
    await model.fit(xs, ys, {'verbose': 0})
    assert model.optimizer.iterations == 1
    result = model.dispose()
    # 2 weights, plus Adam's m and v of each.
    assert result['numDisposedVariables'] == 6
    tf.dispose([xs, ys])


async def test_training_config_round_trip(backend):
    model = dense_model(1, 1, [[[0.5]], [0.1]])
    try:
        model.compile({'optimizer': tf.train.adam(0.01), 'loss': 'meanSquaredError',
                       'metrics': ['mae', tf.metrics.binaryAccuracy]})
        config = model.getTrainingConfig()
        assert config == {'loss': 'mean_squared_error',
                          'metrics': ['mae', 'binary_accuracy'],
                          'optimizer_config': {'class_name': 'Adam', 'config': {
                              'learningRate': 0.01, 'beta1': 0.9, 'beta2': 0.999,
                              'epsilon': 1e-7}}}
        model.optimizer.dispose()
        model.loadTrainingConfig(config)
        assert isinstance(model.optimizer, tf.AdamOptimizer)
        assert model.metricsNames == ['loss', 'mae', 'binaryAccuracy']
    finally:
        model.dispose()


async def test_regularizers_in_the_loss_match_tfjs(backend):
    ref = RESULTS[5]
    model = tf.sequential()
    model.add(tf.layers.dense({'units': 2, 'inputShape': [2], 'activation': 'tanh',
                               'kernelRegularizer': tf.regularizers.l2({'l2': 0.1})}))
    model.add(tf.layers.dropout({'rate': 0.0}))
    model.add(tf.layers.dense({'units': 1, 'biasRegularizer': tf.regularizers.l1({'l1': 0.05})}))
    init = [tf.tensor(w) for w in ([[0.5, -0.3], [0.2, 0.8]], [0.1, -0.2], [[0.7], [-0.4]],
                                   [0.3])]
    model.setWeights(init)
    tf.dispose(init)
    optimizer = tf.train.adagrad(0.1)
    model.compile({'optimizer': optimizer, 'loss': 'meanAbsoluteError', 'metrics': ['mse']})
    xs = tf.tensor2d([[0.1, 0.9], [0.8, 0.2], [0.4, 0.5], [0.9, 0.9], [0.2, 0.1]])
    ys = tf.tensor2d([[1], [0], [0.5], [2], [0.3]])
    try:
        history = await model.fit(xs, ys, {'epochs': 3, 'batchSize': 2, 'shuffle': False,
                                           'verbose': 0})
        for key, expected in ref['history'].items():
            close(history.history[key], expected)
        ev = model.evaluate(xs, ys)
        close([values(t)[0] for t in ev], [e['values'][0] for e in ref['ev']])
        tf.dispose(ev)
    finally:
        tf.dispose([xs, ys])
        model.dispose()
        optimizer.dispose()


async def test_constraints_hold_after_every_update(backend):
    # tfjs leaves constraints unapplied during fit (tensorflow/tfjs#3345); Keras
    # projects after each step, and so do we.
    model = tf.sequential()
    model.add(tf.layers.dense({'units': 1, 'inputShape': [1], 'useBias': False,
                               'kernelInitializer': 'ones', 'kernelConstraint': 'maxNorm'}))
    model.compile({'optimizer': tf.train.sgd(0.01), 'loss': 'meanSquaredError'})
    xs, ys = tf.tensor2d([[1], [2], [3]]), tf.tensor2d([[10], [20], [30]])
    try:
        await model.fit(xs, ys, {'epochs': 20, 'verbose': 0})
        kernel = model.getWeights()[0].arraySync()
        assert abs(kernel[0][0]) <= 2.0 + 1e-6  # maxNorm's default maxValue is 2
    finally:
        tf.dispose([xs, ys])
        model.dispose()


def test_batch_order_slices_in_order_and_gathers_only_shuffled_batches():
    from tfjs_py.models.training import _BatchOrder
    assert _BatchOrder(5, 2, False, None).epoch() == [range(0, 2), range(2, 4), range(4, 5)]
    blocks = _BatchOrder(5, 2, 'batch', None).epoch()
    assert sorted(blocks, key=lambda r: r.start) == [range(0, 2), range(2, 4), range(4, 5)]
    # One batch holding every sample: order does not change a step, no gather.
    assert _BatchOrder(4, 32, True, None).epoch() == [range(0, 4)]
    shuffled = _BatchOrder(7, 3, True, None).epoch()
    assert [b.dtype for b in shuffled] == ['int32'] * 3 and [len(b) for b in shuffled] == [3, 3, 1]
    assert sorted(np.concatenate(shuffled).tolist()) == list(range(7))
    steps = _BatchOrder(5, 2, False, 4)
    assert steps.epoch() == [range(0, 2), range(2, 4), range(4, 5), range(0, 2)]
    assert steps.epoch()[0] == range(2, 4)
