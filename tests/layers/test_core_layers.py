"""Core, advanced-activation, merge, embedding, noise and padding layers;
expected values from TensorFlow.js 4.22 (tests/reference/tfjs_eval.js)."""

from __future__ import annotations

import numpy as np
import pytest

import tfjs_py as tf
from tests.layers.layer_check import check_layer


def test_dense_values_match_tfjs(backend):
    x = np.array([[1, -2, 3], [0.5, 0.1, -1]], np.float32)
    check_layer(lambda: tf.layers.dense({'units': 2, 'activation': 'tanh',
                                         'kernelInitializer': tf.initializers.constant(
                                             {'value': 0.5}),
                                         'biasInitializer': 'ones'}),
                x, expected=[[0.9640275835990906] * 2, [0.664036750793457] * 2],
                output_shape=[None, 2], weight_shapes={'kernel': [3, 2], 'bias': [2]})


def test_dense_set_weights_and_rank3(backend):
    k = np.arange(6, dtype=np.float32).reshape(3, 2) / 10
    b = np.array([0.5, -0.5], np.float32)
    x = np.random.default_rng(0).normal(size=(2, 4, 3)).astype(np.float32)
    check_layer(lambda: tf.layers.dense(units=2, use_bias=True), x, weights=[k, b],
                expected=x @ k + b, output_shape=[None, 4, 2])


def test_flatten_seed_doc_example(backend):
    flatten = tf.layers.flatten()
    assert flatten.apply(tf.input({'shape': [2, 4]})).shape == [None, 8]
    y = flatten.apply(tf.ones([2, 3, 4]))
    assert y.shape == [2, 12]
    y.dispose()
    x = np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 24
    check_layer(lambda: tf.layers.flatten({'dataFormat': 'channels_first'}), x,
                expected=x.transpose(0, 2, 1).reshape(2, 12))


def test_reshape_permute_repeat(backend):
    x = np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 24
    check_layer(lambda: tf.layers.reshape({'targetShape': [-1, 2]}), x,
                expected=x.reshape(2, 6, 2), output_shape=[None, 6, 2])
    check_layer(lambda: tf.layers.permute({'dims': [2, 1]}), x,
                expected=x.transpose(0, 2, 1), output_shape=[None, 4, 3])
    check_layer(lambda: tf.layers.repeatVector({'n': 3}), x[:, 0],
                expected=np.repeat(x[:, None, 0], 3, 1), output_shape=[None, 3, 4])


def test_activation_layers_match_tfjs(backend):
    check_layer(lambda: tf.layers.reLU({'maxValue': 2}), np.array([[-1, 1, 3]], np.float32),
                expected=[[0, 1, 2]], grad=False)
    check_layer(lambda: tf.layers.thresholdedReLU({'theta': 0.5}),
                np.array([[-1, 0.5, 0.7]], np.float32), expected=[[0, 0, 0.7]], grad=False)
    check_layer(lambda: tf.layers.prelu({'sharedAxes': [1], 'alphaInitializer':
                                         tf.initializers.constant({'value': 0.25})}),
                np.array([[[1, -2], [-3, 4]]], np.float32),
                expected=[[[1, -0.5], [-0.75, 4]]], weight_shapes={'alpha': [1, 2]})
    x = np.array([[-2.0, -0.5, 0.3, 2.0]], np.float32)
    check_layer(lambda: tf.layers.leakyReLU({'alpha': 0.1}), x,
                expected=np.where(x > 0, x, 0.1 * x))
    check_layer(lambda: tf.layers.elu({'alpha': 0.5}), x,
                expected=np.where(x > 0, x, 0.5 * (np.exp(x) - 1)))
    e = np.exp(x - x.max())
    check_layer(lambda: tf.layers.softmax(), x, expected=e / e.sum())
    check_layer(lambda: tf.layers.activation({'activation': 'hard_sigmoid'}), x,
                expected=np.clip(0.2 * x + 0.5, 0, 1), grad=False)


def test_merge_layers(backend):
    rng = np.random.default_rng(1)
    a, b = (rng.normal(size=(2, 3)).astype(np.float32) for _ in range(2))
    for make, want in [(tf.layers.add, a + b), (tf.layers.subtract, a - b),
                       (tf.layers.multiply, a * b), (tf.layers.average, (a + b) / 2),
                       (tf.layers.maximum, np.maximum(a, b)),
                       (tf.layers.minimum, np.minimum(a, b))]:
        check_layer(make, [a, b], expected=want, output_shape=[None, 3],
                    grad=make not in (tf.layers.maximum, tf.layers.minimum))
    check_layer(lambda: tf.layers.concatenate({'axis': -1}), [a, b],
                expected=np.concatenate([a, b], -1), output_shape=[None, 6])


def test_dot_matches_tfjs(backend):
    check_layer(lambda: tf.layers.dot({'axes': [2, 2], 'normalize': True}),
                [np.array([[[1, 2], [3, 4]]], np.float32),
                 np.array([[[5, 6], [7, -8], [1, 1]]], np.float32)],
                expected=[[[0.9734171628952026, -0.3786328434944153, 0.9486832618713379],
                           [0.9986876845359802, -0.2069585919380188, 0.9899495244026184]]],
                output_shape=[None, 2, 3])
    a = np.array([[1, 2, 3]], np.float32)
    check_layer(lambda: tf.layers.dot({'axes': 1}), [a, a], expected=[[14]],
                output_shape=[None, 1])


def test_embedding_mask_zero_matches_tfjs(backend):
    layer = tf.layers.embedding({'inputDim': 4, 'outputDim': 2,
                                 'embeddingsInitializer': 'ones', 'maskZero': True})
    x = tf.tensor2d([[0, 1, 3]], [1, 3], 'int32')
    y = layer.apply(x)
    assert y.shape == [1, 3, 2]
    np.testing.assert_array_equal(y.numpy(), np.ones((1, 3, 2)))
    mask = layer.computeMask(x)
    assert mask.dtype == 'bool' and mask.arraySync() == [[False, True, True]]
    tf.dispose([x, y, mask])
    layer.dispose()
    check_layer(lambda: tf.layers.embedding(input_dim=4, output_dim=2),
                np.array([[0, 1, 3], [2, 2, 0]], np.int32), output_shape=[None, 3, 2],
                weight_shapes={'embeddings': [4, 2]}, grad=False)


def test_masking(backend):
    layer = tf.layers.masking({'maskValue': 0})
    x = tf.tensor3d([[[0, 0], [1, 0]]])
    mask = layer.computeMask(x)
    assert mask.arraySync() == [[False, True]]
    tf.dispose([x, mask])
    # the gradient is checked away from masked steps (finite differences jump there)
    check_layer(lambda: tf.layers.masking(), np.array([[[0, 0], [1, 2]]], np.float32),
                expected=[[[0, 0], [1, 2]]], grad=False)
    check_layer(lambda: tf.layers.masking({'maskValue': 5}),
                np.array([[[0.5, 0.2], [1, 2]]], np.float32), expected=[[[0.5, 0.2], [1, 2]]])


def test_dropout_and_noise_only_in_training(backend):
    x = np.ones((4, 10), np.float32)
    check_layer(lambda: tf.layers.dropout({'rate': 0.5}), x, expected=x)
    for make in (lambda: tf.layers.gaussianNoise({'stddev': 1}),
                 lambda: tf.layers.gaussianDropout({'rate': 0.5}),
                 lambda: tf.layers.alphaDropout({'rate': 0.5})):
        check_layer(make, x, expected=x)
    layer = tf.layers.dropout({'rate': 0.5, 'seed': 7, 'noiseShape': [None, 1]})
    y = layer.apply(tf.ones([4, 10]), {'training': True})
    values = y.numpy()
    assert set(np.unique(values)) <= {0.0, 2.0}
    assert all(len(set(row)) == 1 for row in values)  # one draw per row
    y.dispose()


def test_zero_padding_2d(backend):
    x = np.arange(8, dtype=np.float32).reshape(1, 2, 2, 2) / 8
    got = check_layer(lambda: tf.layers.zeroPadding2d({'padding': [1, 2]}), x,
                      expected=np.pad(x, [[0, 0], [1, 1], [2, 2], [0, 0]]),
                      output_shape=[None, 4, 6, 2])
    assert got.shape == (1, 4, 6, 2)
    assert tf.layers.zeroPadding2d({'padding': [1, 2]}).getConfig()['padding'] == [[1, 1],
                                                                                   [2, 2]]


def test_config_errors_name_the_key():
    with pytest.raises(ValueError, match="unknown config key 'unit'.*'units'"):
        tf.layers.dense({'unit': 3})
    with pytest.raises(ValueError, match="missing required config key 'units'"):
        tf.layers.dense({})
    with pytest.raises(ValueError, match='unknown activation'):
        tf.layers.dense({'units': 1, 'activation': 'nope'})
    with pytest.raises(ValueError, match='expected min_ndim=2, found ndim=1'):
        tf.layers.dense({'units': 1}).apply(tf.input({'batchShape': [3]}))


def test_names_and_snake_case(backend):
    d = tf.layers.dense(units=2, input_shape=[3])
    assert d.name.startswith('dense_Dense')
    assert d.get_config()['batchInputShape'] == [None, 3]

    class Twice(tf.layers.Layer):
        def call(self, inputs, training=None):
            return tf.mul(inputs, 2)

        def compute_output_shape(self, input_shape):
            return input_shape

        def get_config(self):
            return {**super().get_config(), 'extra': 1}

    layer = Twice()
    assert layer.name.startswith('twice_Twice')
    assert layer.apply(tf.input({'shape': [2]})).shape == [None, 2]
    assert layer.getConfig()['extra'] == 1
    y = layer(tf.ones([1, 2]))
    assert y.arraySync() == [[2, 2]]
    y.dispose()


def test_dispose_returns_tfjs_counts(backend):
    d = tf.layers.dense({'units': 2})
    y = d.apply(tf.ones([1, 3]))
    y.dispose()
    assert d.dispose() == {'refCountAfterDispose': 0, 'numDisposedVariables': 2}
    with pytest.raises(RuntimeError, match='already disposed'):
        d.apply(tf.ones([1, 3]))
