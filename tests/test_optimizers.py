"""tf.train optimizers: three update steps of each against real tfjs 4.22
(tests/reference/training_optimizers.json), state I/O, configs."""

from __future__ import annotations

import asyncio
import itertools
import json
import math
from pathlib import Path

import numpy as np
import pytest

import tfjs_py as tf
from tfjs_py.optimizers import deserializeOptimizer, getOptimizer

REF = json.loads((Path(__file__).parent / 'reference' / 'training_optimizers.json').read_text())

# The optimizers of the reference cases, in order.
CASES = {
    'sgd': lambda: tf.train.sgd(0.1),
    'momentum': lambda: tf.train.momentum(0.1, 0.9),
    'nesterov': lambda: tf.train.momentum(0.1, 0.9, True),
    'adagrad': lambda: tf.train.adagrad(0.1),
    'adadelta': lambda: tf.train.adadelta(0.1),
    'adadelta_def': lambda: tf.train.adadelta(),
    'adam': lambda: tf.train.adam(0.1),
    'adam_def': lambda: tf.train.adam(),
    'adamax': lambda: tf.train.adamax(0.1, 0.9, 0.999, None, 0.1),
    'rmsprop': lambda: tf.train.rmsprop(0.1),
    'rmsprop_mom': lambda: tf.train.rmsprop(0.1, 0.8, 0.5),
}
_names = itertools.count()


def make_vars(tag):
    n = next(_names)
    init_a, init_b = tf.tensor1d([1.5, -2.0, 0.5]), tf.tensor2d([[0.3, -0.7]])
    a = tf.variable(init_a, True, f'opt_{tag}_a_{n}')
    b = tf.variable(init_b, True, f'opt_{tag}_b_{n}')
    tf.dispose([init_a, init_b])
    return a, b


def cost_fn(a, b, c3):
    return lambda: tf.add(tf.sum(tf.square(tf.mul(a, c3))), tf.sum(tf.mul(tf.tanh(b), b)))


@pytest.mark.parametrize('index, name', list(enumerate(CASES)))
def test_three_steps_match_tfjs(backend, index, name):
    ref = REF[index]
    opt = CASES[name]()
    assert opt.getClassName() == ref['cls']
    assert opt.getConfig() == pytest.approx(ref['config'])
    a, b = make_vars(name)
    c3 = tf.tensor1d([1.0, 2.0, 3.0])
    try:
        for step in range(3):
            cost = opt.minimize(cost_fn(a, b, c3), True)
            exp_a, exp_b, exp_cost = ref['steps'][step]
            np.testing.assert_allclose(a.dataSync(), exp_a, rtol=1e-5, atol=1e-6)
            np.testing.assert_allclose(b.dataSync(), exp_b, rtol=1e-5, atol=1e-6)
            assert float(cost) == pytest.approx(exp_cost, rel=1e-5)
            cost.dispose()
        assert opt.iterations == 3
        weights = asyncio.run(opt.getWeights())
        if isinstance(ref['weights'], list):
            assert [w['name'] for w in weights] == [
                w[0].replace(f'opt_{name}_a', a.name).replace(f'opt_{name}_b', b.name)
                for w in ref['weights']]
            for w, (_, values) in zip(weights, ref['weights'], strict=True):
                np.testing.assert_allclose(w['tensor'].dataSync(), values, rtol=1e-5,
                                           atol=1e-6)
        else:
            # tfjs has no getWeights for Adamax; ours gives iter, m, v.
            assert [w['name'] for w in weights] == ['iter', f'{a.name}/m', f'{b.name}/m',
                                                    f'{a.name}/v', f'{b.name}/v']
        weights[0]['tensor'].dispose()
    finally:
        opt.dispose()
        a.dispose()
        b.dispose()
        c3.dispose()


def test_set_weights_restores_state(backend):
    """An optimizer restored from getWeights continues exactly like the original."""
    a, b = make_vars('restore')
    a2, b2 = make_vars('restore2')
    c3 = tf.tensor1d([1.0, 2.0, 3.0])
    opt, opt2 = tf.train.adam(0.1), tf.train.adam(0.1)
    try:
        opt.minimize(cost_fn(a, b, c3))
        a2.assign(a)
        b2.assign(b)
        weights = asyncio.run(opt.getWeights())
        asyncio.run(opt2.setWeights(weights))
        weights[0]['tensor'].dispose()
        assert opt2.iterations == 1
        opt.minimize(cost_fn(a, b, c3))
        opt2.minimize(cost_fn(a2, b2, c3))
        np.testing.assert_allclose(a2.dataSync(), a.dataSync(), rtol=1e-6)
        np.testing.assert_allclose(b2.dataSync(), b.dataSync(), rtol=1e-6)
    finally:
        for t in (opt, opt2, a, b, a2, b2, c3):
            t.dispose()


def test_apply_gradients_forms_and_varlist(backend):
    a, b = make_vars('apply')
    opt = tf.train.sgd(0.5)
    try:
        g = tf.tensor1d([1.0, 1.0, 1.0])
        opt.applyGradients({a.name: g})
        np.testing.assert_allclose(a.dataSync(), [1.0, -2.5, 0.0])
        opt.applyGradients([{'name': a.name, 'tensor': g}, {'name': b.name, 'tensor': None}])
        np.testing.assert_allclose(a.dataSync(), [0.5, -3.0, -0.5])
        np.testing.assert_allclose(b.dataSync(), [0.3, -0.7])
        # varList restricts the update to its variables.
        before_b = b.dataSync().copy()
        result = opt.minimize(lambda: tf.add(tf.sum(a), tf.sum(b)), False, [a])
        assert result is None
        np.testing.assert_allclose(b.dataSync(), before_b)
        np.testing.assert_allclose(a.dataSync(), [0.0, -3.5, -1.0])
        grads = opt.computeGradients(lambda: tf.sum(tf.square(a)), [a])
        np.testing.assert_allclose(grads['grads'][a.name].dataSync(), [0.0, -7.0, -2.0])
        tf.dispose([grads['value'], grads['grads'], g])
        with pytest.raises(ValueError, match="no variable named 'nope'"):
            opt.applyGradients({'nope': a})
        with pytest.raises(TypeError, match='applyGradients takes'):
            opt.applyGradients(3)
    finally:
        for t in (opt, a, b):
            t.dispose()


def test_learning_rate_settable_and_lr_alias(backend):
    a, _b = make_vars('lr')
    _b.dispose()
    opt = tf.train.sgd({'lr': 0.2})
    try:
        assert opt.learningRate == 0.2 and opt.lr == 0.2
        opt.learningRate = 1.0
        g = tf.ones([3])
        opt.applyGradients({a.name: g})
        g.dispose()
        np.testing.assert_allclose(a.dataSync(), [0.5, -3.0, -0.5])
        opt.lr = 0.5
        assert opt.getConfig() == {'learningRate': 0.5}
        assert tf.train.adam(learning_rate=0.01).learningRate == 0.01
        assert tf.train.rmsprop(lr=0.3, centered=True).getConfig()['centered'] is True
    finally:
        opt.dispose()
        a.dispose()
    with pytest.raises(ValueError, match="missing required config key 'learningRate'"):
        tf.train.sgd()
    with pytest.raises(ValueError, match="unknown config key 'beta'; did you mean 'beta[12]'"):
        tf.train.adam({'beta': 0.5})
    with pytest.raises(ValueError, match='either lr or learningRate'):
        tf.train.sgd({'lr': 0.1, 'learningRate': 0.2})


def test_centered_rmsprop_zero_gradient_is_finite(backend):
    """tfjs computes sqrt(ms - mg^2 - eps): NaN when the gradient is 0."""
    a, b = make_vars('centered')
    b.dispose()
    opt = tf.train.rmsprop(0.1, 0.9, 0.0, None, True)
    try:
        g = tf.zeros([3])
        opt.applyGradients({a.name: g})
        g.dispose()
        assert np.all(np.isfinite(a.dataSync()))
        np.testing.assert_allclose(a.dataSync(), [1.5, -2.0, 0.5])
        # A constant gradient g: ms = 0.1 g^2, mg = 0.1 g, so the step is
        # lr * g / sqrt(0.1 g^2 - 0.01 g^2 + eps) = lr / sqrt(0.09) for g = 1.
        g = tf.ones([3])
        opt.applyGradients({a.name: g})
        g.dispose()
        np.testing.assert_allclose(a.dataSync(), np.array([1.5, -2.0, 0.5]) - 0.1 / 0.3,
                                   rtol=1e-5)
        names = [w['name'] for w in asyncio.run(opt.getWeights())]
        assert names == ['iter', f'{a.name}/rms', f'{a.name}/momentum', f'{a.name}/mg']
    finally:
        opt.dispose()
        a.dispose()


def test_config_round_trip_and_strings():
    for make in CASES.values():
        opt = make()
        again = type(opt).fromConfig(opt.getConfig())
        assert again.getConfig() == opt.getConfig()
        assert type(opt).fromConfig(type(opt), opt.getConfig()).getConfig() == opt.getConfig()
        restored = deserializeOptimizer({'class_name': opt.getClassName(),
                                         'config': opt.getConfig()})
        assert type(restored) is type(opt)
    assert isinstance(deserializeOptimizer({'className': 'Custom>Adam', 'config': {
        'learning_rate': 0.5}}), tf.AdamOptimizer)
    # Keras configs carry keys tfjs ignores; the shared registry knows optimizers.
    keras = tf.serialization.deserialize({'class_name': 'RMSProp',
                                          'config': {'name': 'RMSprop', 'lr': 0.25,
                                                     'rho': 0.9, 'clipnorm': None}})
    assert keras.getConfig()['learningRate'] == 0.25
    defaults = {'sgd': 0.01, 'adam': 0.001, 'adagrad': 0.01, 'adadelta': 1.0, 'adamax': 0.002,
                'rmsprop': 0.001, 'RMSProp': 0.001, 'SGD': 0.01}
    for name, lr in defaults.items():
        assert getOptimizer(name).learningRate == lr
    with pytest.raises(ValueError, match='Unknown Optimizer'):
        getOptimizer('lbfgs')
    assert math.isclose(tf.train.adamax().getConfig()['epsilon'], 1e-7)
    assert isinstance(tf.train.sgd(0.1), tf.Optimizer)
