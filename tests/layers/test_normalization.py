"""batchNormalization and layerNormalization against real tfjs 4.22
(tests/layers/data/normalization.json), and NumPy where tfjs is wrong."""

from __future__ import annotations

import numpy as np
import pytest

import tfjs_py as tf
import tfjs_py.layers as tfl
from tests.gradcheck import check_grad
from tests.layers.family_reference import Owned, case_names, check_case, load_cases, run_case
from tfjs_py.serialization import deserialize

CASES = load_cases('normalization')
# tfjs' cpu batchNorm kernel reads parameters by flat index modulo their length, so a
# non-last axis gets the wrong channel's statistics; these are checked against NumPy.
CHANNEL_AXIS_1 = ('batchNormalization_axis1_4d_training', 'batchNormalization_axis1_4d_inference')


def _arrays(case):
    x = np.asarray(case['inputs'][0]['values'], np.float64).reshape(case['inputs'][0]['shape'])
    weights = {w['name'].rsplit('/', 1)[1]: np.asarray(w['values'], np.float64)
               for w in case['weights']}
    return x, weights


def _batch_norm(x, mean, var, gamma, beta, eps, shape):
    return (x - mean.reshape(shape)) / np.sqrt(var.reshape(shape) + eps) * \
        gamma.reshape(shape) + beta.reshape(shape)


@pytest.mark.parametrize('name', case_names('normalization', exclude=CHANNEL_AXIS_1))
def test_matches_tfjs(backend, name):
    run_case(CASES[name])


@pytest.mark.parametrize('name', CHANNEL_AXIS_1)
def test_channel_axis_1(backend, name):
    case = CASES[name]
    x, w = _arrays(case)
    shape = [1, 3, 1, 1]
    if name.endswith('training'):
        mean, var = x.mean((0, 2, 3)), x.var((0, 2, 3))
        want = _batch_norm(x, mean, var, w['gamma'], w['beta'], 1e-3, shape)
        # The moving statistics tfjs updated are right (they do not go through the kernel).
        after = case['weightsAfter']
        np.testing.assert_allclose(after[2], w['moving_mean'] * 0.99 + mean * 0.01, rtol=1e-5)
        np.testing.assert_allclose(after[3], w['moving_variance'] * 0.99 + var * 0.01,
                                   rtol=1e-5)
    else:
        want = _batch_norm(x, w['moving_mean'], w['moving_variance'], w['gamma'], w['beta'],
                           1e-3, shape)
    run_case(case, expected_outputs=[want.astype(np.float32)])


@pytest.mark.parametrize('name', case_names('normalization', exclude=CHANNEL_AXIS_1))
def test_check_layer(backend, name):
    check_case(CASES[name], grad=name in ('batchNormalization_training',
                                          'layerNormalization_axes',
                                          'batchNormalization_3d_no_scale'))


def test_training_updates_moving_statistics_and_inference_uses_them(backend):
    with Owned() as own:
        layer = own(tfl.batchNormalization({'momentum': 0.5}))
        x = np.array([[1, 10], [3, 30], [5, 20]], np.float32)
        xt = own(tf.tensor(x))
        y = own(layer.apply(xt, {'training': True}))
        mean, var = x.mean(0), x.var(0)
        np.testing.assert_allclose(y.numpy(), (x - mean) / np.sqrt(var + 1e-3), rtol=1e-5,
                                   atol=1e-5)
        moving_mean, moving_var = (w.numpy() for w in layer.getWeights()[2:])
        np.testing.assert_allclose(moving_mean, 0.5 * mean, rtol=1e-6)
        np.testing.assert_allclose(moving_var, 0.5 + 0.5 * var, rtol=1e-6)
        # Inference uses the moving statistics and changes nothing.
        y2 = own(layer.apply(xt))
        np.testing.assert_allclose(y2.numpy(), (x - moving_mean) / np.sqrt(moving_var + 1e-3),
                                   rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(layer.getWeights()[2].numpy(), moving_mean)
        assert [w.trainable for w in layer.weights] == [True, True, False, False]
        assert len(layer.trainableWeights) == 2


def test_keras_axis_list_and_rank_5(backend):
    # Keras writes axis as a list; tfjs stops at rank 4, any rank works here.
    with Owned() as own:
        layer = own(deserialize({'class_name': 'BatchNormalization',
                                 'config': {'axis': [4], 'momentum': 0.9, 'epsilon': 0.01,
                                            'renorm': False, 'name': 'bn_keras'}}))
        x = np.random.default_rng(0).normal(size=(2, 2, 2, 2, 3)).astype(np.float32)
        y = own(layer.apply(own(tf.tensor(x)), {'training': True}))
        mean, var = x.mean((0, 1, 2, 3)), x.var((0, 1, 2, 3))
        np.testing.assert_allclose(y.numpy(), (x - mean) / np.sqrt(var + 0.01), rtol=1e-4,
                                   atol=1e-5)
        assert layer.getConfig()['axis'] == [4]
        assert [w.shape for w in layer.weights] == [[3]] * 4


def test_center_and_scale_off_in_training(backend):
    # tfjs reads the missing gamma/beta in training and throws.
    with Owned() as own:
        layer = own(tfl.batchNormalization({'center': False, 'scale': False}))
        x = np.array([[1.0], [3.0]], np.float32)
        y = own(layer.apply(own(tf.tensor(x)), {'training': True}))
        np.testing.assert_allclose(y.numpy(), [[-1 / np.sqrt(1.001)], [1 / np.sqrt(1.001)]],
                                   rtol=1e-5)
        assert [w.name.rsplit('/', 1)[1] for w in layer.weights] == ['moving_mean',
                                                                      'moving_variance']


def test_gradient_of_batch_norm_in_training(backend):
    with Owned() as own:
        layer = own(tfl.batchNormalization({}))
        x = np.random.default_rng(1).normal(size=(4, 3)).astype(np.float32)
        own(layer.apply(own(tf.tensor(x))))
        check_grad(lambda t: layer.apply(t, {'training': True}), [x], rtol=5e-2, atol=5e-3)


def test_layer_normalization_config_resolves_axes(backend):
    with Owned() as own:
        layer = own(tfl.layerNormalization({'axis': [-2, -1]}))
        assert layer.getConfig()['axis'] == [-2, -1]
        own(layer.apply(own(tf.ones([2, 3, 4]))))
        # As tfjs: once built, the config holds the resolved axes.
        assert layer.getConfig()['axis'] == [1, 2]
        assert [w.shape for w in layer.weights] == [[3, 4], [3, 4]]


@pytest.mark.parametrize('factory,config,match', [
    ('batchNormalization', {'axis': 'last'}, 'axis'),
    ('layerNormalization', {'axis': [1.5]}, 'axis'),
    ('batchNormalization', {'momentun': 0.9}, 'momentum'),
])
def test_bad_configs(factory, config, match):
    with pytest.raises(ValueError, match=match):
        getattr(tfl, factory)(config)


def test_bad_axes(backend):
    with Owned() as own:
        with pytest.raises(ValueError, match='invalid axis 3'):
            tfl.batchNormalization({'axis': 3}).apply(own(tf.ones([2, 3])))
        with pytest.raises(ValueError, match='duplicate'):
            tfl.layerNormalization({'axis': [1, -1]}).apply(own(tf.ones([2, 3])))


async def test_fit_trains_through_conv_and_batch_norm(backend):
    # fit calls layers with training: True, so the moving statistics move; predict
    # (inference) then uses them.
    with Owned() as own:
        model = own(tf.sequential({'layers': [
            tfl.conv2d({'filters': 3, 'kernelSize': 3, 'inputShape': [5, 5, 1],
                        'activation': 'relu'}),
            tfl.batchNormalization({'momentum': 0.5}),
            tfl.maxPooling2d({}),
            tfl.flatten({}),
            tfl.dense({'units': 1})]}))
        model.compile({'optimizer': tf.train.sgd(0.05), 'loss': 'meanSquaredError'})
        rng = np.random.default_rng(0)
        xs = own(tf.tensor(rng.normal(size=(8, 5, 5, 1)).astype(np.float32)))
        ys = own(tf.tensor(rng.normal(size=(8, 1)).astype(np.float32)))
        bn = model.layers[1]
        before = [w.numpy().copy() for w in bn.getWeights()]
        history = await model.fit(xs, ys, {'epochs': 4, 'batchSize': 8, 'verbose': 0})
        losses = history.history['loss']
        assert losses[-1] < losses[0]
        after = [w.numpy() for w in bn.getWeights()]
        assert all(not np.allclose(a, b) for a, b in zip(after, before, strict=True))
        own(model.predict(xs))
        np.testing.assert_array_equal(bn.getWeights()[2].numpy(), after[2])
