"""convLstm2d against real tfjs 4.22 (tests/layers/data/convolutional_recurrent.json)."""

from __future__ import annotations

import numpy as np
import pytest

import tfjs_py as tf
import tfjs_py.layers as tfl
from tests.layers.family_reference import Owned, case_names, check_case, load_cases, run_case
from tfjs_py.serialization import deserialize

CASES = load_cases('convolutional_recurrent')


@pytest.mark.parametrize('name', case_names('convolutional_recurrent'))
def test_matches_tfjs(backend, name):
    run_case(CASES[name])


@pytest.mark.parametrize('name', ['convLstm2d_valid', 'convLstm2d_cf_stride'])
def test_check_layer(backend, name):
    check_case(CASES[name], grad=name == 'convLstm2d_valid')


def test_stateful_conv_lstm(backend):
    with Owned() as own:
        layer = own(tfl.convLstm2d({'filters': 2, 'kernelSize': 2, 'padding': 'same',
                                    'stateful': True, 'batchInputShape': [1, 2, 3, 3, 1]}))
        x = own(tf.tensor(np.random.default_rng(0).normal(size=(1, 2, 3, 3, 1)).astype(
            np.float32)))
        first = own(layer.apply(x)).numpy()
        assert [s.shape for s in layer.states] == [[1, 3, 3, 2], [1, 3, 3, 2]]
        second = own(layer.apply(x)).numpy()
        assert not np.allclose(first, second)
        layer.resetStates()
        np.testing.assert_allclose(own(layer.apply(x)).numpy(), first, rtol=1e-5)


def test_config_round_trip_and_cell(backend):
    with Owned() as own:
        layer = own(tfl.convLstm2d({'filters': 3, 'kernelSize': [2, 3], 'strides': [1, 2],
                                    'returnSequences': True}))
        config = layer.getConfig()
        assert 'units' not in config and config['filters'] == 3
        assert config['kernelSize'] == [2, 3] and config['strides'] == [1, 2]
        copy = own(deserialize({'className': 'ConvLSTM2D', 'config': config}))
        assert copy.getConfig() == config
        x = own(tf.ones([2, 4, 5, 6, 2]))
        y = own(copy.apply(x))
        assert y.shape == [2, 4, 4, 2, 3]
        cell = tfl.convLstm2dCell({'filters': 2, 'kernelSize': 3})
        assert cell.getClassName() == 'ConvLSTM2DCell' and cell.stateSize == [2, 2]


@pytest.mark.parametrize('config,match', [
    ({'kernelSize': 2}, 'filters'),
    ({'filters': 2}, 'kernelSize'),
    ({'filters': 2, 'kernelSize': 2, 'unroll': True}, 'unroll'),
    ({'filters': 2, 'kernelSize': 2, 'padding': 'causal'}, 'padding'),
])
def test_bad_configs(config, match):
    with pytest.raises(ValueError, match=match):
        tfl.convLstm2d(config)


def test_bad_input_rank(backend):
    with Owned() as own:
        with pytest.raises(ValueError, match='ndim=5'):
            tfl.convLstm2d({'filters': 2, 'kernelSize': 2}).apply(own(tf.ones([1, 2, 3, 3])))
