"""Conv2D runs through tf.fused.conv2d (as tfjs' conv2dWithBiasActivation):
the output and the gradients equal conv2d + bias + activation, relu and linear
stay one FusedConv2D kernel even while a gradient is recorded, and the config
is unchanged."""

from __future__ import annotations

import numpy as np
import pytest

import tfjs_py as tf
import tfjs_py.layers as tfl
from tests.layers.family_reference import Owned


def rand(*shape: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).uniform(-1, 1, size=shape).astype(np.float32)


def count_kernels(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Counts, by name, the kernels the current backend runs from now on."""
    counts: dict[str, int] = {}
    kernels = tf.backend().kernels
    for name, impl in list(kernels.items()):
        def counted(backend, inputs, attrs, _impl=impl, _name=name):
            counts[_name] = counts.get(_name, 0) + 1
            return _impl(backend, inputs, attrs)
        monkeypatch.setitem(kernels, name, counted)
    return counts


def unfused(layer, x: tf.Tensor) -> tf.Tensor:
    """The layer's output with public unfused ops."""
    channels_first = layer.dataFormat == 'channelsFirst'
    if channels_first:
        x = tf.transpose(x, [0, 2, 3, 1])
    y = tf.conv2d(x, layer.kernel.read(), layer.strides, layer.padding, 'NHWC',
                  layer.dilationRate)
    if layer.bias is not None:
        y = tf.add(y, layer.bias.read())
    if channels_first:
        y = tf.transpose(y, [0, 3, 1, 2])
    return layer.activation.apply(y)


def gradients(layer, x: tf.Tensor, f) -> list[np.ndarray]:
    """d sum(f(x)^2) with respect to x and to each weight of the layer."""
    def loss(t: tf.Tensor) -> tf.Tensor:
        return tf.sum(tf.square(f(t)))

    def run() -> list[np.ndarray]:
        dx = tf.grad(loss)(x)
        dw = tf.variableGrads(lambda: loss(x))['grads']
        return [dx.numpy(), *(dw[w.name].numpy() for w in layer.trainableWeights)]
    return tf.tidy(run)


CASES = [
    ({'activation': 'relu'}, (2, 5, 5, 3)),
    ({'activation': 'linear', 'strides': 2, 'padding': 'same'}, (2, 5, 5, 3)),
    ({'activation': 'elu', 'dilationRate': 2}, (1, 6, 6, 3)),
    ({'activation': 'tanh'}, (1, 4, 4, 3)),
    ({'activation': 'relu', 'useBias': False}, (1, 4, 4, 3)),
    ({'activation': 'relu', 'dataFormat': 'channelsFirst'}, (2, 3, 5, 4)),
    ({'activation': 'sigmoid', 'dataFormat': 'channelsFirst', 'padding': 'same'}, (1, 3, 4, 4)),
]


@pytest.mark.parametrize('config,shape', CASES)
def test_output_and_gradients_equal_the_unfused_ops(backend, config, shape):
    with Owned() as own:
        layer = own(tfl.conv2d({'filters': 4, 'kernelSize': 2,
                                'biasInitializer': 'randomNormal', **config}))
        x = own(tf.tensor(rand(*shape, seed=3)))
        fused = tf.tidy(lambda: layer.apply(x).numpy())
        plain = tf.tidy(lambda: unfused(layer, x).numpy())
        np.testing.assert_allclose(fused, plain, rtol=1e-5, atol=1e-5)
        got = gradients(layer, x, layer.apply)
        want = gradients(layer, x, lambda t: unfused(layer, t))
        assert len(got) == (3 if layer.useBias else 2)
        for a, b in zip(got, want, strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize('activation,fused', [('relu', True), ('linear', True),
                                              ('elu', False), ('tanh', False)])
def test_relu_and_linear_stay_one_kernel_under_a_tape(backend, monkeypatch, activation, fused):
    with Owned() as own:
        layer = own(tfl.conv2d({'filters': 2, 'kernelSize': 2, 'activation': activation}))
        x = own(tf.tensor(rand(1, 3, 3, 1)))
        own(layer.apply(x))
        counts = count_kernels(monkeypatch)
        tf.tidy(lambda: tf.variableGrads(lambda: tf.sum(layer.apply(x)))['grads'][
            layer.kernel.name].numpy())
        assert counts.get('FusedConv2D', 0) == (1 if fused else 0)
        assert counts.get('Conv2D', 0) == (0 if fused else 1)
        # relu's gradient from the output: dy * step(y) in one kernel, no comparisons.
        assert counts.get('Greater', 0) == 0
        if activation == 'relu':
            assert counts.get('_ReluGrad', 0) == 1 and counts.get('Step', 0) == 0


def test_config_is_unchanged():
    layer = tfl.conv2d({'filters': 3, 'kernelSize': [2, 3], 'activation': 'relu',
                        'padding': 'same', 'name': 'c'})
    config = layer.getConfig()
    assert config['activation'] == 'relu'
    assert config['filters'] == 3 and config['kernelSize'] == [2, 3]
    assert config['useBias'] is True and config['padding'] == 'same'
    assert config['dataFormat'] == 'channelsLast' and config['dilationRate'] == [1, 1]
    assert tfl.conv2d(config).getConfig() == config
