"""The fused optimizer update kernels (ApplyAdam, ...) against tfjs' composed
update (the chain of elementwise ops tfjs-core's optimizers run), on both
backends; the optimizers' memory stays flat over many steps."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest

import tfjs_py as tf
from tfjs_py.engine.engine import ENGINE

EPS = 1e-7


def _sgd(var, grad, a):
    return [tf.add(tf.mul(grad, -a['lr']), var)]


def _momentum(var, accum, grad, a):
    new_acc = tf.add(tf.mul(accum, a['momentum']), grad)
    step = tf.add(grad, tf.mul(new_acc, a['momentum'])) if a['useNesterov'] else new_acc
    return [tf.add(tf.mul(step, -a['lr']), var), new_acc]


def _adagrad(var, accum, grad, a):
    new_acc = tf.add(accum, tf.square(grad))
    step = tf.div(grad, tf.sqrt(tf.add(new_acc, a['epsilon'])))
    return [tf.add(tf.mul(step, -a['lr']), var), new_acc]


def _adadelta(var, accum, accum_update, grad, a):
    rho, eps = a['rho'], a['epsilon']
    new_acc = tf.add(tf.mul(accum, rho), tf.mul(tf.square(grad), 1 - rho))
    updates = tf.mul(tf.div(tf.sqrt(tf.add(accum_update, eps)), tf.sqrt(tf.add(accum, eps))),
                     grad)
    new_update = tf.add(tf.mul(accum_update, rho), tf.mul(tf.square(updates), 1 - rho))
    return [tf.add(tf.mul(updates, -a['lr']), var), new_acc, new_update]


def _adam(var, m, v, grad, a):
    b1, b2 = a['beta1'], a['beta2']
    new_m = tf.add(tf.mul(m, b1), tf.mul(grad, 1 - b1))
    new_v = tf.add(tf.mul(v, b2), tf.mul(tf.square(grad), 1 - b2))
    c1 = tf.scalar(np.float32(1) - np.float32(a['beta1Power']))
    c2 = tf.scalar(np.float32(1) - np.float32(a['beta2Power']))
    step = tf.div(tf.div(new_m, c1), tf.add(tf.sqrt(tf.div(new_v, c2)), a['epsilon']))
    return [tf.add(tf.mul(step, -a['lr']), var), new_m, new_v]


def _adamax(var, m, u, grad, a):
    b1 = a['beta1']
    new_m = tf.add(tf.mul(m, b1), tf.mul(grad, 1 - b1))
    new_u = tf.maximum(tf.mul(u, a['beta2']), tf.abs(grad))
    scale = np.float32(-a['lr']) / (np.float32(1) - np.float32(a['beta1Power']))
    step = tf.mul(tf.scalar(scale), tf.div(new_m, tf.add(new_u, a['epsilon'])))
    return [tf.add(step, var), new_m, new_u]


def _rmsprop(var, ms, mom, grad, a, mg=None):
    rho = a['rho']
    new_ms = tf.add(tf.mul(ms, rho), tf.mul(tf.square(grad), 1 - rho))
    if mg is None:
        denom = tf.sqrt(tf.add(new_ms, a['epsilon']))
    else:
        mg = tf.add(tf.mul(mg, rho), tf.mul(grad, 1 - rho))
        denom = tf.sqrt(tf.add(tf.sub(new_ms, tf.square(mg)), a['epsilon']))
    new_mom = tf.add(tf.mul(mom, a['momentum']), tf.div(tf.mul(grad, a['lr']), denom))
    out = [tf.sub(var, new_mom), new_ms, new_mom]
    return out if mg is None else [out[0], mg, new_ms, new_mom]


def _centered(var, mg, ms, mom, grad, a):
    return _rmsprop(var, ms, mom, grad, a, mg)


_ADAM = {'lr': 0.1, 'beta1': 0.9, 'beta2': 0.999, 'epsilon': EPS, 'beta1Power': 0.729,
         'beta2Power': 0.997003}
# (kernel, composed reference, number of accumulators, attrs)
CASES = [
    ('ApplyGradientDescent', _sgd, 0, {'lr': 0.1}),
    ('ApplyMomentum', _momentum, 1, {'lr': 0.1, 'momentum': 0.9, 'useNesterov': False}),
    ('ApplyMomentum', _momentum, 1, {'lr': 0.1, 'momentum': 0.9, 'useNesterov': True}),
    ('ApplyAdagrad', _adagrad, 1, {'lr': 0.1, 'epsilon': EPS}),
    ('ApplyAdadelta', _adadelta, 2, {'lr': 1.0, 'rho': 0.95, 'epsilon': EPS}),
    ('ApplyAdam', _adam, 2, _ADAM),
    ('ApplyAdaMax', _adamax, 2, {**_ADAM, 'lr': 0.002 / 1.3}),
    ('ApplyRMSProp', _rmsprop, 2, {'lr': 0.1, 'rho': 0.9, 'momentum': 0.5, 'epsilon': EPS}),
    ('ApplyCenteredRMSProp', _centered, 3,
     {'lr': 0.1, 'rho': 0.9, 'momentum': 0.0, 'epsilon': EPS}),
]


def _inputs(shape, accumulators, special=False):
    rng = np.random.default_rng(7)
    var = rng.standard_normal(shape).astype(np.float32)
    grad = rng.standard_normal(shape).astype(np.float32)
    # Positive accumulators: every kernel's square roots then see values it meets in training.
    accs = [np.abs(rng.standard_normal(shape)).astype(np.float32) + 0.5
            for _ in range(accumulators)]
    if special and grad.size >= 4:
        flat = grad.reshape(-1)
        flat[:4] = [np.nan, np.inf, 0.0, -1e-30]
    return [tf.tensor(var)] + [tf.tensor(a) for a in accs] + [tf.tensor(grad)]


def _run(name, inputs, attrs):
    out = ENGINE.run_kernel(name, tuple(inputs), attrs)
    return out if isinstance(out, list) else [out]


@pytest.mark.parametrize('shape', [[2, 1, 4], [], [0]], ids=str)
@pytest.mark.parametrize('name, ref, accumulators, attrs', CASES,
                         ids=[f'{c[0]}{"_nesterov" if c[3].get("useNesterov") else ""}'
                              for c in CASES])
def test_kernel_matches_composed_update(backend, name, ref, accumulators, attrs, shape):
    inputs = _inputs(shape, accumulators, special=shape == [2, 1, 4])
    try:
        got = tf.tidy(lambda: [t.dataSync() for t in _run(name, inputs, attrs)])
        want = tf.tidy(lambda: [t.dataSync() for t in ref(*inputs, attrs)])
    finally:
        tf.dispose(inputs)
    assert len(got) == len(want) == accumulators + 1
    for g, w in zip(got, want, strict=True):
        assert g.dtype == np.float32 and g.shape == w.shape
        if backend == 'cpu' and name != 'ApplyAdam':
            # Same operations in the same order in float32: the same bits.
            np.testing.assert_array_equal(g, w)
        else:
            np.testing.assert_allclose(g, w, rtol=2e-6, atol=1e-7)


def test_kernels_are_listed_and_not_differentiable():
    from tfjs_py.engine.kernel_table import KERNELS

    optimizers = {k: s for k, s in KERNELS.items() if s.family == 'optimizers'}
    assert set(optimizers) == {c[0] for c in CASES}
    for name, _, accumulators, _ in CASES:
        spec = optimizers[name]
        assert not spec.differentiable
        assert len(spec.inputs) == spec.outputs + 1 == accumulators + 2


OPTIMIZERS = {
    'sgd': lambda: tf.train.sgd(0.1),
    'momentum': lambda: tf.train.momentum(0.1, 0.9, True),
    'adagrad': lambda: tf.train.adagrad(0.1),
    'adadelta': lambda: tf.train.adadelta(0.1),
    'adam': lambda: tf.train.adam(0.1),
    'adamax': lambda: tf.train.adamax(0.1, 0.9, 0.999, None, 0.1),
    'rmsprop': lambda: tf.train.rmsprop(0.1, 0.9, 0.5),
    'centered': lambda: tf.train.rmsprop(0.1, 0.9, 0.5, None, True),
}


@pytest.mark.parametrize('which', list(OPTIMIZERS))
def test_minimize_keeps_memory_flat(backend, which):
    """Each step swaps the kernel's results into the variables and slots and
    frees the old data: tensor and buffer counts stop growing after step 1."""
    init = tf.tensor2d([[0.5, -1.0], [2.0, 0.25]])
    w = tf.variable(init, True, f'flat_{which}_{backend}')
    init.dispose()
    opt = OPTIMIZERS[which]()
    try:
        opt.minimize(lambda: tf.sum(tf.square(w)))
        start = tf.memory()
        for _ in range(4):
            opt.minimize(lambda: tf.sum(tf.square(w)))
        end = tf.memory()
        assert end.numTensors == start.numTensors
        assert end.numDataBuffers == start.numDataBuffers
        assert end.numBytes == start.numBytes
        assert np.all(np.isfinite(w.dataSync()))
    finally:
        opt.dispose()
        w.dispose()


def test_learning_rate_change_between_steps(backend):
    """Attrs are read every step: a new learningRate applies at once."""
    init = tf.tensor1d([1.0, -2.0])
    w = tf.variable(init, True, f'lr_step_{backend}')
    init.dispose()
    opt = tf.train.adam(0.1)
    try:
        g = tf.tensor1d([0.5, -0.25])
        opt.applyGradients({w.name: g})
        # Adam's first step moves each value by lr (m_hat / sqrt(v_hat) = sign(g)).
        np.testing.assert_allclose(w.dataSync(), [0.9, -1.9], rtol=1e-6)
        opt.learningRate = 0.0
        opt.applyGradients({w.name: g})
        np.testing.assert_allclose(w.dataSync(), [0.9, -1.9], rtol=1e-6)
        g.dispose()
    finally:
        opt.dispose()
        w.dispose()


def test_gradient_is_broadcast_and_cast_like_the_elementwise_update(backend):
    init = tf.tensor1d([1.0, 2.0, 3.0])
    w = tf.variable(init, True, f'bcast_{backend}')
    init.dispose()
    opt = tf.train.sgd(0.5)
    try:
        g = tf.tensor1d([2], 'int32')
        opt.applyGradients({w.name: g})
        np.testing.assert_allclose(w.dataSync(), [0.0, 1.0, 2.0])
        g.dispose()
        ints = tf.tensor1d([1, 2], 'int32')
        iv = tf.variable(ints, True, f'int_var_{backend}')
        ints.dispose()
        g = tf.tensor1d([1, 1], 'int32')
        with pytest.raises(ValueError, match=f"variable 'int_var_{backend}' is int32"):
            opt.applyGradients({iv.name: g})
        tf.dispose([g, iv])
    finally:
        opt.dispose()
        w.dispose()


def test_centered_rmsprop_state_lands_in_its_named_slots(backend):
    """The centered kernel takes TensorFlow's (mg, ms, mom) order; the slots
    keep tfjs' getWeights order (rms, momentum, mg)."""
    init = tf.tensor1d([1.0, -1.0])
    w = tf.variable(init, True, f'centered_slots_{backend}')
    init.dispose()
    opt = tf.train.rmsprop(0.1, 0.9, 0.5, None, True)
    try:
        g = tf.fill([2], 2.0)
        opt.applyGradients({w.name: g})
        g.dispose()
        # ms = 0.1 * 4, mg = 0.1 * 2, mom = 0.1 * 2 / sqrt(0.4 - 0.04) = 1/3
        weights = asyncio.run(opt.getWeights())
        got = {x['name']: x['tensor'].dataSync() for x in weights}
        weights[0]['tensor'].dispose()
        np.testing.assert_allclose(got[f'{w.name}/rms'], [0.4, 0.4], rtol=1e-6)
        np.testing.assert_allclose(got[f'{w.name}/mg'], [0.2, 0.2], rtol=1e-6)
        np.testing.assert_allclose(got[f'{w.name}/momentum'], [1 / 3, 1 / 3], rtol=1e-6)
        np.testing.assert_allclose(w.dataSync(), [1 - 1 / 3, -1 - 1 / 3], rtol=1e-6)
    finally:
        opt.dispose()
        w.dispose()
