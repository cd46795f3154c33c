"""Pooling layers against real tfjs 4.22 (tests/layers/data/pooling.json)."""

from __future__ import annotations

import numpy as np
import pytest

import tfjs_py as tf
import tfjs_py.layers as tfl
from tests.layers.family_reference import Owned, case_names, check_case, load_cases, run_case
from tfjs_py.layers.input_layer import input as make_input

CASES = load_cases('pooling')
GRAD = {'maxPooling1d_same_stride1', 'averagePooling1d_same', 'maxPooling2d_same_stride_cf',
        'averagePooling2d_same', 'averagePooling3d_same', 'globalAveragePooling1d',
        'globalMaxPooling2d_cf'}


@pytest.mark.parametrize('name', case_names('pooling'))
def test_matches_tfjs(backend, name):
    run_case(CASES[name])


@pytest.mark.parametrize('name', case_names('pooling'))
def test_check_layer(backend, name):
    check_case(CASES[name], grad=name in GRAD)


def test_factory_aliases():
    # tfjs exports each pooling under several names.
    assert tfl.avgPool2d({}).getClassName() == 'AveragePooling2D'
    assert tfl.avgPooling1d({}).getClassName() == 'AveragePooling1D'
    assert tfl.maxPool1d({}).getClassName() == 'MaxPooling1D'
    assert tfl.globalMaxPool2d({}).getClassName() == 'GlobalMaxPooling2D'
    assert tfl.average_pooling3d({}).getClassName() == 'AveragePooling3D'


def test_pooling1d_channels_first_and_keras_keys(backend):
    # Keras writes data_format for 1D poolings and keepdims for global ones.
    with Owned() as own:
        x = np.arange(12, dtype=np.float32).reshape(1, 2, 6)
        layer = own(tfl.maxPooling1d({'poolSize': 2, 'dataFormat': 'channels_first'}))
        y = own(layer.apply(own(tf.tensor(x))))
        np.testing.assert_array_equal(y.numpy(), x.reshape(1, 2, 3, 2).max(-1))
        assert layer.getConfig()['dataFormat'] == 'channelsFirst'
        glob = own(tfl.globalAveragePooling2d({'keepdims': True}))
        x4 = own(tf.ones([2, 3, 4, 5]))
        assert own(glob.apply(x4)).shape == [2, 1, 1, 5]
        assert glob.apply(make_input({'shape': [3, 4, 5]})).shape == [None, 1, 1, 5]
        assert glob.getConfig()['keepdims'] is True


def test_symbolic_shapes_with_unknown_sizes():
    assert tfl.maxPooling2d({'poolSize': 3, 'strides': 2, 'padding': 'same'}).apply(
        make_input({'shape': [None, 7, 2]})).shape == [None, None, 4, 2]
    assert tfl.globalMaxPooling1d({}).apply(make_input({'shape': [None, 3]})).shape == [None, 3]


@pytest.mark.parametrize('factory,config,match', [
    ('maxPooling2d', {'poolSize': [2, 2, 2]}, 'poolSize'),
    ('maxPooling2d', {'strides': [1]}, 'strides'),
    ('maxPooling1d', {'poolSize': 0}, 'poolSize'),
    ('averagePooling2d', {'padding': 'causal'}, 'padding'),
    ('maxPooling3d', {'dataFormat': 'ncdhw'}, 'dataFormat'),
    ('globalMaxPooling2d', {'poolSize': 2}, 'poolSize'),
])
def test_bad_configs(factory, config, match):
    with pytest.raises(ValueError, match=match):
        getattr(tfl, factory)(config)


def test_bad_input_rank(backend):
    with Owned() as own:
        with pytest.raises(ValueError, match='ndim=4'):
            tfl.maxPooling2d({}).apply(own(tf.ones([1, 4, 4])))
        with pytest.raises(ValueError, match='ndim=3'):
            tfl.globalAveragePooling1d({}).apply(own(tf.ones([1, 4])))


def test_global_average_pooling1d_with_a_mask(backend):
    # Keras averages the unmasked steps; tfjs refuses the mask.
    with Owned() as own:
        x = np.arange(12, dtype=np.float32).reshape(2, 3, 2)
        layer = own(tfl.globalAveragePooling1d({}))
        xt = own(tf.tensor(x))
        mask = own(tf.tensor([[1, 1, 0], [1, 0, 0]], None, 'bool'))
        y = own(layer.apply(xt, {'mask': mask}))
        np.testing.assert_allclose(y.numpy(), [x[0, :2].mean(0), x[1, :1].mean(0)])
        assert layer.computeMask(xt, mask) is None
        first = own(tfl.globalAveragePooling1d({'dataFormat': 'channelsFirst'}))
        y2 = own(first.apply(own(tf.tensor(x.transpose(0, 2, 1))), {'mask': mask}))
        np.testing.assert_allclose(y2.numpy(), y.numpy())
        model = own(tf.sequential({'layers': [
            tfl.embedding({'inputDim': 5, 'outputDim': 2, 'maskZero': True, 'inputLength': 3}),
            tfl.globalAveragePooling1d({})]}))
        table = model.layers[0].getWeights()[0].numpy()
        got = own(model.predict(own(tf.tensor([[1, 2, 0]], None, 'int32')))).numpy()
        np.testing.assert_allclose(got[0], (table[1] + table[2]) / 2, rtol=1e-6)
