"""Convolutional layers against real tfjs 4.22 (tests/layers/data/convolutional.json)
and where tfjs is wrong, against NumPy."""

from __future__ import annotations

import numpy as np
import pytest

import tfjs_py as tf
import tfjs_py.layers as tfl
from tests.layers.family_reference import (
    Owned,
    case_names,
    check_case,
    load_cases,
    make_tensor,
    run_case,
)
from tfjs_py.layers.input_layer import input as make_input
from tfjs_py.serialization import deserialize

CASES = load_cases('convolutional')


@pytest.mark.parametrize('name', case_names('convolutional'))
def test_matches_tfjs(backend, name):
    run_case(CASES[name])


def _conv1d_numpy(x, kernel, bias, dilation=1):
    """Valid 1D convolution (cross-correlation) of x [b, steps, in]."""
    k = kernel.shape[0]
    span = (k - 1) * dilation + 1
    out = np.zeros((x.shape[0], x.shape[1] - span + 1, kernel.shape[2]), np.float64)
    for t in range(out.shape[1]):
        window = x[:, t:t + span:dilation, :]
        out[:, t, :] = np.einsum('bki,kio->bo', window, kernel)
    return out + bias


def test_conv1d_causal_pads_on_the_left(backend):
    # tfjs throws on causal padding; Keras pads (k - 1) * dilation zeros on the left.
    with Owned() as own:
        layer = own(tfl.conv1d({'filters': 2, 'kernelSize': 3, 'padding': 'causal',
                                'dilationRate': 2}))
        x = np.random.default_rng(0).normal(size=(2, 6, 3)).astype(np.float32)
        y = own(layer.apply(own(tf.tensor(x))))
        kernel, bias = (w.numpy() for w in layer.getWeights())
        padded = np.concatenate([np.zeros((2, 4, 3), np.float32), x], axis=1)
        np.testing.assert_allclose(y.numpy(), _conv1d_numpy(padded, kernel, bias, 2),
                                   rtol=1e-5, atol=1e-5)
        assert y.shape == [2, 6, 2]
        sym = layer.apply(make_input({'shape': [None, 3]}))
        assert sym.shape == [None, None, 2]


def test_conv1d_channels_first_returns_channels_first(backend):
    # tfjs returns NWC for a channelsFirst conv1d; the output is NCW here, as its shape says.
    with Owned() as own:
        last = own(tfl.conv1d({'filters': 2, 'kernelSize': 2}))
        first = own(tfl.conv1d({'filters': 2, 'kernelSize': 2, 'dataFormat': 'channelsFirst'}))
        x = np.random.default_rng(1).normal(size=(1, 5, 3)).astype(np.float32)
        xt, xf = own(tf.tensor(x)), own(tf.tensor(x.transpose(0, 2, 1)))
        y_last = own(last.apply(xt))
        own(first.apply(xf))
        first.setWeights(last.getWeights())
        y_first = own(first.apply(xf))
        assert first.getConfig()['dataFormat'] == 'channelsFirst'
        assert 'dataFormat' not in last.getConfig()
        np.testing.assert_allclose(y_first.numpy(), y_last.numpy().transpose(0, 2, 1),
                                   rtol=1e-5, atol=1e-6)


def test_separable_conv2d_channels_first_with_bias(backend):
    # tfjs adds the bias on the wrong axis and throws; here it matches channelsLast.
    config = {'filters': 2, 'kernelSize': 3, 'strides': 2, 'padding': 'same',
              'activation': 'relu', 'depthMultiplier': 2}
    with Owned() as own:
        last = own(tfl.separableConv2d(config))
        first = own(tfl.separableConv2d({**config, 'dataFormat': 'channelsFirst'}))
        x = np.random.default_rng(2).normal(size=(1, 5, 5, 3)).astype(np.float32)
        xt, xf = own(tf.tensor(x)), own(tf.tensor(x.transpose(0, 3, 1, 2)))
        own(last.apply(xt))
        own(first.apply(xf))
        rng = np.random.default_rng(3)
        weights = [rng.normal(size=w.shape).astype(np.float32) for w in last.getWeights()]
        last.setWeights(weights)
        first.setWeights(weights)
        y_last, y_first = own(last.apply(xt)), own(first.apply(xf))
        np.testing.assert_allclose(y_first.numpy(), y_last.numpy().transpose(0, 3, 1, 2),
                                   rtol=1e-5, atol=1e-5)


def test_separable_conv2d_config_keeps_depth_multiplier_and_pointwise_initializer():
    # tfjs drops depthMultiplier from getConfig() and ignores pointwiseInitializer.
    layer = tfl.separableConv2d({'filters': 3, 'kernelSize': 2, 'depthMultiplier': 2,
                                 'pointwiseInitializer': 'ones'})
    config = layer.getConfig()
    assert config['depthMultiplier'] == 2
    assert config['pointwiseInitializer'] == {'className': 'Ones', 'config': {}}
    with Owned() as own:
        copy = own(deserialize({'className': 'SeparableConv2D', 'config': config}))
        y = own(copy.apply(own(tf.ones([1, 3, 3, 2]))))
        assert [w.shape for w in copy.weights] == [[2, 2, 2, 2], [1, 1, 4, 3], [3]]
        np.testing.assert_array_equal(copy.getWeights()[1].numpy(), np.ones([1, 1, 4, 3]))
        assert y.shape == [1, 2, 2, 3]


def test_depthwise_conv2d_honours_dilation(backend):
    # tfjs ignores dilationRate in depthwiseConv2d (and in its output shape).
    with Owned() as own:
        layer = own(tfl.depthwiseConv2d({'kernelSize': 2, 'dilationRate': 2, 'useBias': False}))
        x = np.random.default_rng(4).normal(size=(1, 5, 5, 2)).astype(np.float32)
        y = own(layer.apply(own(tf.tensor(x))))
        k = layer.getWeights()[0].numpy()  # [2, 2, 2, 1]
        want = np.zeros((1, 3, 3, 2))
        for i in range(3):
            for j in range(3):
                patch = x[0, i:i + 3:2, j:j + 3:2, :]
                want[0, i, j] = np.einsum('hwc,hwc->c', patch, k[..., 0])
        np.testing.assert_allclose(y.numpy(), want, rtol=1e-5, atol=1e-5)
        assert layer.computeOutputShape([None, 5, 5, 2]) == [None, 3, 3, 2]


def test_depthwise_conv2d_serializes_its_constraint():
    layer = tfl.depthwiseConv2d({'kernelSize': 2, 'depthwiseConstraint': 'nonNeg'})
    assert layer.getConfig()['depthwiseConstraint']['className'] == 'NonNeg'


# Input gradients on a selection (finite differences are slow); values, shapes and
# config round trips on every case.
GRAD = {'conv1d_same_stride_dil', 'conv2d_same_stride', 'conv2d_channels_first',
        'conv2dTranspose_same_stride2', 'conv3d_valid', 'conv3dTranspose_valid',
        'separableConv2d_dm2', 'depthwiseConv2d_same_stride_cf', 'cropping2D_pairs',
        'upSampling2d_bilinear', 'upSampling2d_cf'}


@pytest.mark.parametrize('name', case_names('convolutional'))
def test_check_layer(backend, name):
    check_case(CASES[name], grad=name in GRAD)


def test_weight_gradients_train_a_conv2d(backend):
    with Owned() as own:
        layer = own(tfl.conv2d({'filters': 2, 'kernelSize': 2, 'activation': 'relu'}))
        x = own(tf.tensor(np.random.default_rng(6).normal(size=(2, 3, 3, 2)).astype(
            np.float32)))
        out = own(layer.apply(x))
        result = own(tf.variableGrads(lambda: tf.sum(tf.square(layer.apply(x)))))
        grads = result['grads']
        assert sorted(grads) == sorted(w.name for w in layer.weights)
        # d sum(y^2) / d bias = sum over positions of 2 y (relu passes where y > 0).
        np.testing.assert_allclose(grads[layer.weights[1].name].numpy(),
                                   (2 * out.numpy()).sum((0, 1, 2)), rtol=1e-4, atol=1e-4)


def test_symbolic_shapes_with_unknown_sizes():
    layer = tfl.conv2d({'filters': 4, 'kernelSize': 3, 'strides': 2})
    out = layer.apply(make_input({'shape': [None, None, 3]}))
    assert out.shape == [None, None, None, 4]
    up = tfl.upSampling2d({'size': [2, 3], 'dataFormat': 'channelsFirst'})
    assert up.apply(make_input({'shape': [3, None, 5]})).shape == [None, 3, None, 15]
    crop = tfl.cropping2D({'cropping': [[1, 2], [0, 1]]})
    assert crop.apply(make_input({'shape': [None, 6, 2]})).shape == [None, None, 5, 2]


@pytest.mark.parametrize('factory,config,match', [
    ('conv2d', {'kernelSize': 3}, "filters"),
    ('conv2d', {'filters': 0, 'kernelSize': 3}, 'filters'),
    ('conv2d', {'filters': 2, 'kernelSize': [3, 3, 3]}, 'kernelSize'),
    ('conv2d', {'filters': 2, 'kernelSize': 3, 'padding': 'causal'}, 'causal'),
    ('conv2d', {'filters': 2, 'kernelSize': 3, 'padding': 'full'}, 'padding'),
    ('conv2d', {'filters': 2, 'kernelSize': 3, 'dataFormat': 'nchw'}, 'dataFormat'),
    ('conv2d', {'filters': 2, 'kernelSize': 3, 'strides': 2, 'dilationRate': 2}, 'dilationRate'),
    ('conv2d', {'filters': 2, 'kernelSize': 3, 'filter': 2}, 'filters'),
    ('conv2dTranspose', {'filters': 2, 'kernelSize': 3, 'padding': 'causal'}, 'causal'),
    ('conv2dTranspose', {'filters': 2, 'kernelSize': 3, 'outputPadding': [1, 1]},
     'outputPadding'),
    ('conv2d', {'filters': 2, 'kernelSize': 3, 'groups': 2}, 'groups'),
    ('separableConv2d', {'filters': 2, 'kernelSize': 3, 'kernelInitializer': 'ones'},
     'depthwiseInitializer'),
    ('depthwiseConv2d', {'kernelSize': 3, 'depthMultiplier': 0}, 'depthMultiplier'),
    ('cropping2D', {'cropping': [1, 2, 3]}, 'cropping'),
    ('upSampling2d', {'interpolation': 'bicubic'}, 'interpolation'),
])
def test_bad_configs(factory, config, match):
    with pytest.raises(ValueError, match=match):
        getattr(tfl, factory)(config)


def test_keras_conv_config_loads_and_refuses_groups():
    keras = {'class_name': 'Conv2D', 'config': {
        'name': 'conv2d', 'trainable': True, 'dtype': 'float32', 'filters': 4,
        'kernel_size': [3, 3], 'strides': [1, 1], 'padding': 'same', 'data_format': 'channels_last',
        'dilation_rate': [1, 1], 'groups': 1, 'activation': 'relu', 'use_bias': True,
        'kernel_initializer': {'class_name': 'GlorotUniform', 'config': {'seed': None}},
        'bias_initializer': {'class_name': 'Zeros', 'config': {}}, 'kernel_regularizer': None,
        'bias_regularizer': None, 'activity_regularizer': None, 'kernel_constraint': None,
        'bias_constraint': None}}
    layer = deserialize(keras, kind='layer')
    assert layer.getConfig()['padding'] == 'same' and layer.filters == 4
    keras['config']['groups'] = 2
    with pytest.raises(ValueError, match='groups'):
        deserialize(keras, kind='layer')


def test_bad_input_shapes(backend):
    with Owned() as own:
        layer = tfl.conv2d({'filters': 2, 'kernelSize': 2})
        with pytest.raises(ValueError, match='ndim=4'):
            layer.apply(own(tf.ones([2, 3, 3])))
        with pytest.raises(ValueError, match='channel dimension'):
            tfl.conv2d({'filters': 2, 'kernelSize': 2}).apply(
                make_input({'shape': [4, 4, None]}))
        crop = tfl.cropping2D({'cropping': 2})
        with pytest.raises(ValueError, match='removes all'):
            crop.apply(own(tf.ones([1, 4, 6, 1])))


def test_keras_style_snake_case_config(backend):
    with Owned() as own:
        layer = own(tfl.conv2d(filters=2, kernel_size=[2, 2], data_format='channels_first',
                               kernel_initializer='glorot_uniform', use_bias=False))
        assert layer.getConfig()['dataFormat'] == 'channelsFirst'
        y = own(layer.apply(own(tf.ones([1, 3, 4, 4]))))
        assert y.shape == [1, 2, 3, 3]


def test_reference_input_is_rebuilt_exactly():
    # The stored inputs make the same tensors as in tfjs.
    case = CASES['conv2d_valid']
    t = make_tensor(case['inputs'][0])
    assert t.shape == case['inputs'][0]['shape']
    np.testing.assert_array_equal(t.dataSync(), np.float32(case['inputs'][0]['values']))
    t.dispose()
