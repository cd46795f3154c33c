"""bidirectional and timeDistributed against real tfjs 4.22
(tests/layers/data/wrappers.json)."""

from __future__ import annotations

import numpy as np
import pytest

import tfjs_py as tf
import tfjs_py.layers as tfl
from tests.layers.family_reference import Owned, case_names, check_case, load_cases, run_case
from tfjs_py.serialization import deserialize

CASES = load_cases('wrappers')
CHECK = [n for n in case_names('wrappers') if len(CASES[n]['outputs']) == 1
         and not CASES[n].get('kwargs')]


@pytest.mark.parametrize('name', case_names('wrappers'))
def test_matches_tfjs(backend, name):
    run_case(CASES[name])


@pytest.mark.parametrize('name', CHECK)
def test_check_layer(backend, name):
    check_case(CASES[name], grad=name in ('bidirectional_gru_sum_seq', 'timeDistributed_dense'))


def test_bidirectional_weight_names_and_merge_modes(backend):
    with Owned() as own:
        x = own(tf.tensor(np.random.default_rng(0).normal(size=(2, 3, 2)).astype(np.float32)))
        outs: dict = {}
        weights: list = []
        for mode in ('concat', 'sum', 'mul', 'ave', None):
            layer = own(tfl.bidirectional({'layer': tfl.simpleRNN({'units': 2,
                                                                   'returnSequences': True}),
                                           'mergeMode': mode}))
            if outs:
                own(layer.apply(x))
                layer.setWeights(weights)
            y = own(layer.apply(x))
            if not outs:
                weights = [w.numpy() for w in layer.getWeights()]
                names = [w.name.split('/', 1)[1] for w in layer.weights]
                assert names[0].startswith('forward_simple_rnn_SimpleRNN')
                assert names[3].startswith('backward_simple_rnn_SimpleRNN')
                assert [n.rsplit('/', 1)[1] for n in names] == ['kernel', 'recurrent_kernel',
                                                                 'bias'] * 2
            outs[mode] = [t.numpy() for t in y] if isinstance(y, list) else y.numpy()
        fwd, bwd = outs[None]
        np.testing.assert_allclose(outs['concat'], np.concatenate([fwd, bwd], -1), rtol=1e-6)
        np.testing.assert_allclose(outs['sum'], fwd + bwd, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(outs['mul'], fwd * bwd, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(outs['ave'], (fwd + bwd) / 2, rtol=1e-5, atol=1e-6)


def test_bidirectional_symbolic_shapes_and_config(backend):
    layer = tfl.bidirectional({'layer': tfl.lstm({'units': 3, 'returnState': True}),
                               'mergeMode': None})
    outs = layer.apply(tf.input({'shape': [4, 2]}))
    assert [o.shape for o in outs] == [[None, 3], [None, 3]] + [[None, 3]] * 4
    config = layer.getConfig()
    assert config['mergeMode'] is None and config['layer']['className'] == 'LSTM'
    copy = deserialize({'className': 'Bidirectional', 'config': config})
    assert copy.getConfig()['layer'] == config['layer']


def test_bidirectional_initial_state(backend):
    with Owned() as own:
        layer = own(tfl.bidirectional({'layer': tfl.gru({'units': 2})}))
        x = own(tf.tensor(np.random.default_rng(1).normal(size=(1, 3, 2)).astype(np.float32)))
        zeros = own(tf.zeros([1, 2]))
        base = own(layer.apply(x)).numpy()
        np.testing.assert_allclose(own(layer.apply(x, {'initialState': [zeros, zeros]})).numpy(),
                                   base, rtol=1e-6)
        state = own(tf.tensor([[0.5, -0.5]]))
        moved = own(layer.apply(x, {'initialState': [state, zeros]})).numpy()
        assert not np.allclose(moved[:, :2], base[:, :2])
        np.testing.assert_allclose(moved[:, 2:], base[:, 2:], rtol=1e-6)
        with pytest.raises(ValueError, match='states of the underlying RNNs'):
            layer.apply(x, {'initialState': [state]})


def test_bidirectional_trainable_and_keras_backward_layer(backend):
    with Owned() as own:
        layer = own(tfl.bidirectional({'layer': tfl.lstm({'units': 2})}))
        own(layer.apply(own(tf.ones([1, 2, 2]))))
        assert len(layer.trainableWeights) == 6
        layer.trainable = False
        assert layer.trainableWeights == [] and len(layer.nonTrainableWeights) == 6
        keras = own(deserialize({'class_name': 'Bidirectional', 'config': {
            'name': 'bidi', 'merge_mode': 'sum',
            'layer': {'class_name': 'LSTM', 'config': {'name': 'fwd', 'units': 2}},
            'backward_layer': {'class_name': 'LSTM', 'config': {'name': 'bwd', 'units': 2,
                                                                'go_backwards': True}}}},
            kind='layer'))
        own(keras.apply(own(tf.ones([1, 2, 3]))))
        assert [w.name for w in keras.weights][3].startswith('bidi/bwd/')
        assert keras.mergeMode == 'sum'


def test_time_distributed_names_and_shapes(backend):
    with Owned() as own:
        layer = own(tfl.timeDistributed({'layer': tfl.dense({'units': 3})}))
        y = layer.apply(tf.input({'shape': [5, 4]}))
        assert y.shape == [None, 5, 3]
        assert [w.name.split('/', 1)[1] for w in layer.weights] == ['kernel', 'bias']
        x = np.random.default_rng(2).normal(size=(2, 5, 4)).astype(np.float32)
        out = own(layer.apply(own(tf.tensor(x)))).numpy()
        kernel, bias = (w.numpy() for w in layer.getWeights())
        np.testing.assert_allclose(out, x @ kernel + bias, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize('factory,config,match', [
    ('bidirectional', {}, 'layer'),
    ('bidirectional', {'layer': 'lstm'}, 'layer'),
    ('bidirectional', {'mergeMode': 'max'}, 'mergeMode'),
])
def test_bad_configs(factory, config, match):
    if 'mergeMode' in config:
        config = {**config, 'layer': tfl.lstm({'units': 2})}
    with pytest.raises(ValueError, match=match):
        getattr(tfl, factory)(config)


def test_bad_wrapped_layers(backend):
    with pytest.raises(ValueError, match='must be an RNN'):
        tfl.bidirectional({'layer': tfl.dense({'units': 2})})
    with Owned() as own:
        with pytest.raises(ValueError, match='>= 3D'):
            tfl.timeDistributed({'layer': tfl.dense({'units': 2})}).apply(own(tf.ones([2, 3])))


def test_inner_regularizers_reach_the_wrapper(backend):
    with Owned() as own:
        bidi = own(tfl.bidirectional({'layer': tfl.gru({'units': 2, 'kernelRegularizer': 'l2'})}))
        dist = own(tfl.timeDistributed({'layer': tfl.dense({'units': 2,
                                                            'biasRegularizer': 'l1'})}))
        x = own(tf.ones([1, 3, 2]))
        own(bidi.apply(x))
        own(dist.apply(x))
        assert len(bidi.losses) == 2 and len(dist.losses) == 1
        own(bidi.calculateLosses())
