"""Activation functions against TensorFlow.js 4.22 values (tfjs_eval.js)."""

from __future__ import annotations

import numpy as np
import pytest

import tfjs_py as tf
from tests.gradcheck import check_grad
from tfjs_py.activations import getActivation, serializeActivation

X = [-3, -1, -0.5, 0, 0.5, 1, 3]
TFJS = {'elu': [-0.9502129554748535, -0.6321205496788025, -0.39346933364868164, 0, 0.5, 1, 3],
        'gelu': [-0.004049867391586304, -0.15865525603294373, -0.1542687714099884, 0,
                 0.3457312285900116, 0.8413447141647339, 2.995950222015381],
        'gelu_new': [-0.0036374330520629883, -0.15880802273750305, -0.1542859971523285, 0,
                     0.3457140028476715, 0.8411920070648193, 2.9963626861572266],
        'hardSigmoid': [0, 0.30000001192092896, 0.4000000059604645, 0.5, 0.6000000238418579,
                        0.699999988079071, 1],
        'linear': [-3, -1, -0.5, 0, 0.5, 1, 3],
        'mish': [-0.14564746618270874, -0.30340147018432617, -0.22074377536773682, 0,
                 0.37524521350860596, 0.8650983572006226, 2.98653507232666],
        'relu': [0, 0, 0, 0, 0.5, 1, 3],
        'relu6': [0, 0, 0, 0, 0.5, 1, 3],
        'selu': [-1.6705687046051025, -1.1113307476043701, -0.6917582154273987, 0,
                 0.5253505110740662, 1.0507010221481323, 3.1521029472351074],
        'sigmoid': [0.04742587357759476, 0.2689414322376251, 0.3775406777858734, 0.5,
                    0.622459352016449, 0.7310585975646973, 0.9525741338729858],
        'softplus': [0.04858735203742981, 0.3132616877555847, 0.4740769863128662,
                     0.6931471824645996, 0.9740769863128662, 1.31326162815094, 3.0485873222351074],
        'softsign': [-0.75, -0.5, -0.3333333432674408, 0, 0.3333333432674408, 0.5, 0.75],
        'swish': [-0.14227762818336487, -0.2689414322376251, -0.1887703388929367, 0,
                  0.3112296760082245, 0.7310585975646973, 2.857722282409668],
        'tanh': [-0.9950547814369202, -0.7615941762924194, -0.46211716532707214, 0,
                 0.46211716532707214, 0.7615941762924194, 0.9950547814369202]}
TFJS_2D = {'logSoftmax': [-2.4076058864593506, -1.4076058864593506, -0.40760594606399536,
                          -5.024744987487793, -4.024744987487793, -0.024744924157857895],
           'softmax': [0.09003057330846786, 0.2447284758090973, 0.6652409434318542,
                       0.006573263090103865, 0.017867982387542725, 0.9755586981773376]}


@pytest.mark.parametrize('name', sorted(TFJS))
def test_activation_values_match_tfjs(backend, name):
    fn = getActivation(name)
    got = tf.tidy(lambda: fn.apply(tf.tensor1d(X)).numpy())
    np.testing.assert_allclose(got, TFJS[name], rtol=1e-5, atol=1e-6)
    assert serializeActivation(fn) == name


@pytest.mark.parametrize('name', ['softmax', 'logSoftmax'])
def test_softmax_family_match_tfjs(backend, name):
    got = tf.tidy(lambda: getActivation(name).apply(
        tf.tensor2d([[1, 2, 3], [-1, 0, 4]])).numpy())
    np.testing.assert_allclose(got.reshape(-1), TFJS_2D[name], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize('name', ['elu', 'selu', 'sigmoid', 'softplus', 'softsign', 'tanh',
                                  'swish', 'mish', 'gelu', 'gelu_new', 'hardSigmoid'])
def test_activation_gradients(backend, name):
    fn = getActivation(name)
    check_grad(lambda t: fn.apply(t), [np.array([-2.1, -0.7, 0.3, 1.9], np.float32)])


def test_spellings():
    assert getActivation('hard_sigmoid').getClassName() == 'hardSigmoid'
    assert getActivation('log_softmax').getClassName() == 'logSoftmax'
    # tfjs writes gelu_new and reads it back as geluNew: both work here
    assert getActivation('geluNew').getClassName() == 'gelu_new'
    assert getActivation(None).getClassName() == 'linear'
    with pytest.raises(ValueError, match="unknown activation: 'relux'; did you mean 'relu'"):
        getActivation('relux')


def test_gelu_new_layer_reloads_from_model_json():
    from tfjs_py.io.model_json import from_pythonic, to_pythonic
    from tfjs_py.serialization import deserialize, serialize
    layer = tf.layers.dense({'units': 2, 'activation': 'gelu_new'})
    back = deserialize(from_pythonic(to_pythonic(serialize(layer))))
    assert back.getConfig()['activation'] == 'gelu_new'
