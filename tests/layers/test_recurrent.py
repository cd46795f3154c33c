"""Recurrent layers against real tfjs 4.22 (tests/layers/data/recurrent.json), and
the Keras GRU (resetAfter: true, which tfjs refuses) against NumPy."""

from __future__ import annotations

import numpy as np
import pytest

import tfjs_py as tf
import tfjs_py.layers as tfl
from tests.layers.family_reference import Owned, case_names, check_case, load_cases, run_case
from tfjs_py.serialization import deserialize

CASES = load_cases('recurrent')
# Single-output cases without tensor call arguments also go through check_layer.
CHECK = [n for n in case_names('recurrent') if len(CASES[n]['outputs']) == 1
         and not CASES[n].get('kwargs') and not CASES[n]['fixedBatch']]
GRAD = {'simpleRNN_last', 'lstm_last', 'gru_last', 'rnn_stacked_lstm'}


@pytest.mark.parametrize('name', case_names('recurrent'))
def test_matches_tfjs(backend, name):
    run_case(CASES[name])


@pytest.mark.parametrize('name', CHECK)
def test_check_layer(backend, name):
    check_case(CASES[name], grad=name in GRAD, rtol=1e-4, atol=1e-5)


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _gru_reset_after(x, kernel, rec, bias, units):
    h = np.zeros((x.shape[0], units))
    for t in range(x.shape[1]):
        mx = x[:, t] @ kernel + bias[0]
        mh = h @ rec + bias[1]
        z = _sigmoid(mx[:, :units] + mh[:, :units])
        r = _sigmoid(mx[:, units:2 * units] + mh[:, units:2 * units])
        cand = np.tanh(mx[:, 2 * units:] + r * mh[:, 2 * units:])
        h = z * h + (1 - z) * cand
    return h


def test_gru_reset_after_as_keras(backend):
    # tfjs throws on resetAfter: true; Keras GRUs have it by default (bias [2, 3 * units]).
    with Owned() as own:
        layer = own(tfl.gru({'units': 2, 'resetAfter': True, 'recurrentActivation': 'sigmoid'}))
        rng = np.random.default_rng(0)
        x = rng.normal(size=(2, 4, 3)).astype(np.float32)
        xt = own(tf.tensor(x))
        own(layer.apply(xt))
        assert [w.name.rsplit('/', 1)[1] for w in layer.weights] == ['kernel', 'recurrent_kernel',
                                                                     'bias']
        assert [w.shape for w in layer.weights] == [[3, 6], [2, 6], [2, 6]]
        weights = [rng.normal(size=w.shape).astype(np.float32) * 0.5 for w in layer.weights]
        layer.setWeights(weights)
        y = own(layer.apply(xt))
        np.testing.assert_allclose(y.numpy(), _gru_reset_after(x, *weights, 2), rtol=1e-5,
                                   atol=1e-5)
        assert layer.getConfig()['resetAfter'] is True


def test_keras_gru_config_loads():
    config = {'class_name': 'GRU', 'config': {
        'name': 'gru', 'trainable': True, 'dtype': 'float32', 'return_sequences': False,
        'return_state': False, 'go_backwards': False, 'stateful': False, 'unroll': False,
        'time_major': False, 'units': 4, 'activation': 'tanh', 'recurrent_activation': 'sigmoid',
        'use_bias': True, 'kernel_initializer': {'class_name': 'GlorotUniform',
                                                 'config': {'seed': None}},
        'recurrent_initializer': {'class_name': 'Orthogonal', 'config': {'gain': 1.0,
                                                                         'seed': None}},
        'bias_initializer': {'class_name': 'Zeros', 'config': {}}, 'kernel_regularizer': None,
        'recurrent_regularizer': None, 'bias_regularizer': None, 'activity_regularizer': None,
        'kernel_constraint': None, 'recurrent_constraint': None, 'bias_constraint': None,
        'dropout': 0.0, 'recurrent_dropout': 0.0, 'implementation': 2, 'reset_after': True}}
    layer = deserialize(config, kind='layer')
    assert layer.getClassName() == 'GRU'
    assert layer.cell.resetAfter and layer.cell.units == 4
    assert layer.getConfig()['implementation'] == 2
    assert layer.getConfig()['recurrentActivation'] == 'sigmoid'


def test_default_initializers_and_unit_forget_bias(backend):
    with Owned() as own:
        layer = own(tfl.lstm({'units': 3, 'unitForgetBias': True}))
        own(layer.apply(own(tf.ones([1, 2, 4]))))
        config = layer.getConfig()
        assert config['recurrentInitializer']['className'] == 'Orthogonal'
        assert config['kernelInitializer']['className'] == 'VarianceScaling'
        assert config['recurrentActivation'] == 'hardSigmoid'
        assert config['unitForgetBias'] is True
        bias = layer.getWeights()[2].numpy()
        np.testing.assert_array_equal(bias, [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0])
        rec = layer.getWeights()[1].numpy()  # [3, 12]: orthonormal rows
        np.testing.assert_allclose(rec @ rec.T, np.eye(3), atol=1e-5)


def test_dropout_only_in_training(backend):
    with Owned() as own:
        plain = own(tfl.lstm({'units': 3, 'returnSequences': True}))
        dropped = own(tfl.lstm({'units': 3, 'returnSequences': True, 'dropout': 0.5,
                                'recurrentDropout': 0.5}))
        x = own(tf.tensor(np.random.default_rng(1).normal(size=(4, 5, 2)).astype(np.float32)))
        own(plain.apply(x))
        own(dropped.apply(x))
        dropped.setWeights(plain.getWeights())
        base = own(plain.apply(x)).numpy()
        np.testing.assert_allclose(own(dropped.apply(x)).numpy(), base, rtol=1e-6)
        np.testing.assert_allclose(own(dropped.apply(x, {'training': False})).numpy(), base,
                                   rtol=1e-6)
        trained = own(dropped.apply(x, {'training': True})).numpy()
        assert trained.shape == base.shape
        assert not np.allclose(trained, base)
        # The masks of one call do not outlive it.
        assert dropped.cell.dropoutMask is None and dropped.cell.recurrentDropoutMask is None
        assert dropped.getConfig()['dropout'] == 0.5


def test_stateful_keeps_and_resets_states(backend):
    with Owned() as own:
        layer = own(tfl.simpleRNN({'units': 2, 'stateful': True, 'batchInputShape': [1, 3, 2]}))
        x = own(tf.tensor(np.random.default_rng(2).normal(size=(1, 3, 2)).astype(np.float32)))
        first = own(layer.apply(x)).numpy()
        second = own(layer.apply(x)).numpy()
        assert not np.allclose(first, second)
        np.testing.assert_allclose(layer.states[0].numpy(), second)
        layer.resetStates()
        np.testing.assert_array_equal(layer.states[0].numpy(), np.zeros((1, 2)))
        np.testing.assert_allclose(own(layer.apply(x)).numpy(), first, rtol=1e-6)
        value = own(tf.tensor([[0.5, -0.5]]))
        layer.resetStates([value])
        np.testing.assert_allclose(layer.states[0].numpy(), [[0.5, -0.5]])
        with pytest.raises(ValueError, match='expected shape'):
            layer.resetStates([own(tf.zeros([2, 2]))])


def test_stateful_needs_a_batch_size_and_reset_needs_stateful(backend):
    with Owned() as own:
        with pytest.raises(ValueError, match='batch size'):
            tfl.lstm({'units': 2, 'stateful': True}).apply(tf.input({'shape': [3, 2]}))
        layer = own(tfl.lstm({'units': 2}))
        with pytest.raises(RuntimeError, match='not stateful'):
            layer.resetStates()


def test_symbolic_initial_state_in_a_model(backend):
    with Owned() as own:
        x, h, c = tf.input({'shape': [3, 2]}), tf.input({'shape': [2]}), tf.input({'shape': [2]})
        layer = tfl.lstm({'units': 2})
        y = layer.apply(x, {'initialState': [h, c]})
        assert y.shape == [None, 2]
        model = own(tf.model({'inputs': [x, h, c], 'outputs': y}))
        xs = own(tf.tensor(np.random.default_rng(3).normal(size=(2, 3, 2)).astype(np.float32)))
        h0 = own(tf.tensor([[0.1, 0.2], [0.3, -0.4]]))
        c0 = own(tf.tensor([[0.5, 0.0], [-0.2, 0.1]]))
        got = own(model.predict([xs, h0, c0]))
        direct = own(layer.apply(xs, {'initialState': [h0, c0]}))
        listed = own(layer.apply([xs, h0, c0]))
        snake = own(layer.apply(xs, initial_state=[h0, c0]))
        np.testing.assert_allclose(snake.numpy(), direct.numpy(), rtol=1e-6)
        np.testing.assert_allclose(got.numpy(), direct.numpy(), rtol=1e-6)
        np.testing.assert_allclose(listed.numpy(), direct.numpy(), rtol=1e-6)
        with pytest.raises(ValueError, match='initial state'):
            layer.apply(xs, {'initialState': [h0]})


def test_masking_layer_feeds_the_mask(backend):
    with Owned() as own:
        x = np.array([[[1, 2], [0, 0], [3, 4]], [[0, 0], [5, 6], [0, 0]]], np.float32)
        masking = tfl.masking({'maskValue': 0})
        gru = own(tfl.gru({'units': 2, 'returnSequences': True}))
        xt = own(tf.tensor(x))
        masked = own(masking.apply(xt))
        via_layer = own(gru.apply(masked)).numpy()
        mask = own(tf.tensor([[1, 0, 1], [0, 1, 0]], None, 'bool'))
        explicit = own(gru.apply(xt, {'mask': mask})).numpy()
        np.testing.assert_allclose(via_layer, explicit, rtol=1e-6)
        # A masked step repeats the previous output (zeros before the first real step).
        np.testing.assert_allclose(via_layer[0, 1], via_layer[0, 0])
        np.testing.assert_allclose(via_layer[1, 0], [0, 0])
        np.testing.assert_allclose(via_layer[1, 2], via_layer[1, 1])


def test_weight_gradients(backend):
    with Owned() as own:
        layer = own(tfl.gru({'units': 2, 'resetAfter': True}))
        x = own(tf.tensor(np.random.default_rng(4).normal(size=(2, 3, 2)).astype(np.float32)))
        own(layer.apply(x))
        result = own(tf.variableGrads(lambda: tf.sum(tf.square(layer.apply(x)))))
        assert sorted(result['grads']) == sorted(w.name for w in layer.weights)
        assert all(np.isfinite(g.numpy()).all() and np.abs(g.numpy()).sum() > 0
                   for g in result['grads'].values())


def test_rnn_config_round_trip_with_cells(backend):
    with Owned() as own:
        layer = own(tfl.rnn({'cell': [tfl.simpleRNNCell({'units': 3}),
                                      tfl.lstmCell({'units': 2})], 'returnState': True}))
        x = own(tf.ones([1, 2, 4]))
        outs = own(layer.apply(x))
        # States last cell first, as tfjs: [output, h2, c2, h1].
        assert [o.shape for o in outs] == [[1, 2], [1, 2], [1, 2], [1, 3]]
        copy = own(deserialize({'className': 'RNN', 'config': layer.getConfig()}))
        own(copy.apply(x))
        copy.setWeights(layer.getWeights())
        for a, b in zip(own(copy.apply(x)), outs, strict=True):
            np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-6)


@pytest.mark.parametrize('factory,config,match', [
    ('lstm', {}, 'units'),
    ('gru', {'units': 0}, 'units'),
    ('simpleRNN', {'units': 2, 'timeMajor': True}, 'timeMajor'),
    ('rnn', {}, 'cell'),
    ('lstm', {'units': 2, 'cell': None, 'unitsx': 1}, 'units'),
])
def test_bad_configs(factory, config, match):
    with pytest.raises(ValueError, match=match):
        getattr(tfl, factory)(config)


def test_bad_inputs(backend):
    with Owned() as own:
        layer = tfl.simpleRNN({'units': 2})
        with pytest.raises(ValueError, match='ndim=3'):
            layer.apply(own(tf.ones([2, 3])))
        with pytest.raises(ValueError, match='cell'):
            tfl.lstm({'units': 2, 'cell': tfl.lstmCell({'units': 2})})
        with pytest.raises(ValueError, match='expects 3 input'):
            cell = own(tfl.lstmCell({'units': 2}))
            cell.apply([own(tf.ones([1, 2])), own(tf.ones([1, 2]))])


async def test_fit_trains_recurrent_models(backend):
    with Owned() as own:
        rng = np.random.default_rng(5)
        xs = own(tf.tensor(rng.normal(size=(8, 4, 2)).astype(np.float32)))
        ys = own(tf.tensor(rng.normal(size=(8, 1)).astype(np.float32)))
        for rnn in (tfl.lstm({'units': 3, 'inputShape': [4, 2], 'dropout': 0.2,
                              'recurrentDropout': 0.2}),
                    tfl.bidirectional({'layer': tfl.gru({'units': 2, 'resetAfter': True}),
                                       'inputShape': [4, 2]})):
            model = own(tf.sequential({'layers': [rnn, tfl.dense({'units': 1})]}))
            model.compile({'optimizer': tf.train.adam(0.05), 'loss': 'meanSquaredError'})
            history = await model.fit(xs, ys, {'epochs': 8, 'verbose': 0})
            # Dropout makes single epochs noisy (the last alone rose above the first
            # about once in ten runs).
            loss = history.history['loss']
            assert min(loss[-3:]) < loss[0]


def test_regularizers_reach_the_layer_losses(backend):
    with Owned() as own:
        layer = own(tfl.lstm({'units': 2, 'kernelRegularizer': 'l2',
                              'recurrentRegularizer': {'className': 'L1L2',
                                                       'config': {'l1': 0.1, 'l2': 0}},
                              'activityRegularizer': 'l1'}))
        x = own(tf.ones([2, 3, 2]))
        y = own(layer.apply(x))
        assert len(layer.losses) == 2
        penalties = own(layer.calculateLosses())
        kernel, rec = (w.numpy() for w in layer.getWeights()[:2])
        values = sorted(float(p.numpy()) for p in penalties)
        # Two weight penalties, then the activity penalty (mean over the batch).
        np.testing.assert_allclose(sorted(values), sorted([
            0.01 * float((kernel ** 2).sum()), 0.1 * float(np.abs(rec).sum()),
            0.01 * float(np.abs(y.numpy()).sum()) / 2]), rtol=1e-5)


def test_input_dim_and_length_give_the_input_shape():
    # Keras' inputDim / inputLength; tfjs accepts them and ignores them.
    layer = tfl.simpleRNN({'units': 2, 'inputDim': 3, 'inputLength': 4})
    assert layer.batchInputShape == [None, 4, 3]
    assert layer.getConfig()['batchInputShape'] == [None, 4, 3]
