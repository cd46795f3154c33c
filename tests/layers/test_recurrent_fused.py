"""The fused LSTM (one LSTMSequence kernel per sequence) against the per-step
path it replaces: same outputs, states and gradients, with masks, goBackwards,
returnSequences/returnState and no bias; the gradient of the op itself against
finite differences; when the layer falls back; no leaked tensors after fit."""

from __future__ import annotations

import numpy as np
import pytest

import tfjs_py as tf
import tfjs_py.backends.cpu.kernels.recurrent as cpu_recurrent
import tfjs_py.layers as tfl
import tfjs_py.layers.recurrent as recurrent
from tests.gradcheck import check_grad
from tests.layers.family_reference import Owned
from tfjs_py.gradients.recurrent import lstm_sequence_gradient
from tfjs_py.ops.op import run_kernel
from tfjs_py.ops.recurrent import lstmSequence

B, T, F, U = 3, 4, 2, 3
RNG = np.random.default_rng(11)
X = RNG.normal(size=(B, T, F)).astype(np.float32)
WEIGHTS = [RNG.normal(size=(F, 4 * U)).astype(np.float32) * 0.6,
           RNG.normal(size=(U, 4 * U)).astype(np.float32) * 0.6,
           RNG.normal(size=(4 * U,)).astype(np.float32) * 0.4]
MASK = np.array([[1, 0, 1, 1], [0, 1, 1, 0], [1, 1, 1, 1]], np.float32)


@pytest.fixture
def fused_calls(monkeypatch):
    """How many times the layers called the fused op."""
    calls = []

    def counting(*args, **kwargs):
        calls.append(1)
        return lstmSequence(*args, **kwargs)

    monkeypatch.setattr(recurrent, 'lstmSequence', counting)
    return calls


def _run(config, fused: bool, mask=None, initial=None, inputs=X):
    """Outputs and weight gradients of an lstm with the fixed weights."""
    with Owned() as own:
        layer = own(tfl.lstm(config))
        x = own(tf.tensor(inputs))
        layer.build(list(inputs.shape))
        layer.setWeights([own(tf.tensor(w)) for w in WEIGHTS[:len(layer.weights)]])
        layer._fused = fused
        kwargs = {}
        if mask is not None:
            kwargs['mask'] = own(tf.tensor(mask, None, 'bool'))
        if initial is not None:
            kwargs['initialState'] = [own(tf.tensor(s)) for s in initial]

        def outputs():
            out = layer.apply(x, dict(kwargs))
            return out if isinstance(out, list) else [out]

        values = [t.numpy() for t in own(outputs())]

        def loss():
            total = None
            for i, t in enumerate(outputs()):
                weights = tf.tensor(np.linspace(0.5, 1.5 + i, t.size, dtype=np.float32)
                                    .reshape(t.shape))
                term = tf.sum(tf.mul(t, weights))
                total = term if total is None else tf.add(total, term)
            return total

        result = own(tf.variableGrads(loss))
        grads = {name.split('/')[-1]: g.numpy() for name, g in result['grads'].items()}
        own(result['value'])
        return values, grads


CONFIGS = [
    ({'units': U}, None),
    ({'units': U, 'returnSequences': True, 'returnState': True}, MASK),
    ({'units': U, 'goBackwards': True, 'returnSequences': True}, MASK),
    ({'units': U, 'useBias': False, 'recurrentActivation': 'sigmoid', 'returnState': True},
     None),
    ({'units': U, 'activation': 'relu', 'recurrentActivation': 'sigmoid',
      'goBackwards': True}, None),
    ({'units': U, 'activation': 'linear', 'returnSequences': True}, MASK),
    ({'units': U, 'activation': 'hardSigmoid', 'recurrentActivation': 'tanh',
      'returnState': True}, MASK),
    ({'units': U, 'activation': 'sigmoid', 'recurrentActivation': 'relu',
      'returnSequences': True}, None),
]


@pytest.mark.parametrize('config,mask', CONFIGS)
def test_fused_matches_the_per_step_path(backend, fused_calls, config, mask):
    fused_values, fused_grads = _run(config, True, mask)
    assert fused_calls, 'the fused path was not taken'
    calls = len(fused_calls)
    step_values, step_grads = _run(config, False, mask)
    assert len(fused_calls) == calls
    assert len(fused_values) == len(step_values)
    for got, want in zip(fused_values, step_values, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    assert sorted(fused_grads) == sorted(step_grads)
    for name, want in step_grads.items():
        np.testing.assert_allclose(fused_grads[name], want, rtol=1e-4, atol=1e-5,
                                   err_msg=name)


@pytest.mark.parametrize('blas_threads', [1, 2])
def test_long_sequence(backend, monkeypatch, blas_threads):
    # More steps than the cpu gradient kernel takes in one block; on cpu the
    # weights' gradients per step (one BLAS thread) and over all steps (several).
    monkeypatch.setattr(cpu_recurrent, '_blas_threads', lambda: blas_threads)
    x = RNG.normal(size=(2, 23, F)).astype(np.float32)
    mask = (RNG.random((2, 23)) > 0.3).astype(np.float32)
    config = {'units': U, 'goBackwards': True, 'returnSequences': True, 'returnState': True}
    fused_values, fused_grads = _run(config, True, mask, inputs=x)
    step_values, step_grads = _run(config, False, mask, inputs=x)
    for got, want in zip(fused_values, step_values, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    for name, want in step_grads.items():
        np.testing.assert_allclose(fused_grads[name], want, rtol=1e-4, atol=1e-5,
                                   err_msg=name)


def test_initial_state_and_its_gradient(backend):
    h0 = RNG.normal(size=(B, U)).astype(np.float32)
    c0 = RNG.normal(size=(B, U)).astype(np.float32)
    config = {'units': U, 'returnState': True}
    fused_values, _ = _run(config, True, MASK, [h0, c0])
    step_values, _ = _run(config, False, MASK, [h0, c0])
    for got, want in zip(fused_values, step_values, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    # A mask that drops every step returns the initial state itself.
    values, _ = _run(config, True, np.zeros((B, T), np.float32), [h0, c0])
    np.testing.assert_allclose(values[0], h0)
    np.testing.assert_allclose(values[2], c0)


@pytest.mark.parametrize('backwards', [False, True])
def test_op_gradient_matches_finite_differences(backend, backwards):
    mask = tf.tensor(MASK)
    try:
        def f(x, kernel, rec_kernel, bias, h0, c0):
            seq, h, c = lstmSequence(x, kernel, rec_kernel, bias, h0, c0, mask,
                                     'tanh', 'sigmoid', backwards)
            return tf.concat([tf.reshape(seq, [B, T * U]), h, tf.mul(c, tf.scalar(2.0))], 1)

        check_grad(f, [X, *WEIGHTS, RNG.normal(size=(B, U)), RNG.normal(size=(B, U))])
    finally:
        mask.dispose()


def test_gradient_thunks_in_any_order(backend):
    # The kernel computes the input's gradient along when it is asked for first
    # (the tape's order); asked for after the weights', the kernel runs again.
    with Owned() as own:
        x, kernel, rec_kernel, bias = (own(tf.tensor(a)) for a in [X, *WEIGHTS])
        h0 = own(tf.zeros([B, U]))
        mask = own(tf.tensor(MASK))
        attrs = {'activation': 'tanh', 'recurrentActivation': 'hardSigmoid',
                 'goBackwards': True, 'returnSequences': False}
        inputs = (x, kernel, rec_kernel, bias, h0, h0, mask)
        h_last, c_last, state, step_inputs = own(run_kernel('LSTMSequence', inputs, attrs))
        dys = [own(tf.onesLike(h_last)), own(tf.zerosLike(c_last))]
        forward = [own(t()).numpy() for t in
                   lstm_sequence_gradient(dys, state, step_inputs, inputs, attrs)]
        thunks = lstm_sequence_gradient(dys, state, step_inputs, inputs, attrs)
        backward = [own(t()).numpy() for t in reversed(thunks)][::-1]
        for got, want in zip(backward, forward, strict=True):
            np.testing.assert_allclose(got, want, rtol=1e-6)


def test_more_features_than_units(backend):
    rng = np.random.default_rng(3)
    x = rng.normal(size=(2, 3, 5)).astype(np.float32)
    args = [x, rng.normal(size=(5, 8)).astype(np.float32), rng.normal(size=(2, 8)),
            rng.normal(size=(8,)), np.zeros((2, 2)), np.zeros((2, 2))]

    def f(x, kernel, rec_kernel, bias, h0, c0):
        seq, _, c = lstmSequence(x, kernel, rec_kernel, bias, h0, c0)
        return tf.concat([tf.reshape(seq, [2, 6]), c], 1)

    check_grad(f, args)


def test_op_errors(backend):
    with Owned() as own:
        x, w, rw = own(tf.tensor(X)), own(tf.tensor(WEIGHTS[0])), own(tf.tensor(WEIGHTS[1]))
        h = own(tf.zeros([B, U]))
        with pytest.raises(ValueError, match="activation 'elu' is not fused"):
            lstmSequence(x, w, rw, None, h, h, None, 'elu')
        with pytest.raises(ValueError, match=r'h0 must have shape \[3, 3\]'):
            lstmSequence(x, w, rw, None, own(tf.zeros([1, U])), h)
        with pytest.raises(ValueError, match=r'do not fit 2 features and 3 units'):
            lstmSequence(x, rw, rw, None, h, h)
        with pytest.raises(ValueError, match=r'mask must have shape \[3, 4\]'):
            lstmSequence(x, w, rw, None, h, h, own(tf.ones([B, T + 1])))
        with pytest.raises(TypeError, match='h0 must be float32, got int32'):
            lstmSequence(x, w, rw, None, own(tf.zeros([B, U], 'int32')), h)


def _apply(config, training=False, cell=None):
    with Owned() as own:
        layer = own(tfl.rnn({'cell': cell}) if cell is not None else tfl.lstm(config))
        own(layer.apply(own(tf.tensor(X)), {'training': training}))


def test_fallbacks_to_the_per_step_path(backend, fused_calls):
    _apply({'units': U, 'dropout': 0.5}, training=True)
    _apply({'units': U, 'recurrentDropout': 0.5}, training=True)
    _apply({'units': U, 'activation': 'elu'})
    _apply({'units': U, 'unroll': True})

    class MyCell(tfl.LSTMCell):
        pass

    _apply({}, cell=MyCell({'units': U}))
    assert not fused_calls
    # Dropout outside training, and a plain LSTMCell in tf.layers.rnn, are fused.
    _apply({'units': U, 'dropout': 0.5}, training=False)
    _apply({}, cell=tfl.lstmCell({'units': U}))
    assert len(fused_calls) == 2


def test_stateful_lstm_carries_its_state(backend, fused_calls):
    with Owned() as own:
        layer = own(tfl.lstm({'units': U, 'stateful': True, 'batchInputShape': [B, T, F]}))
        x = own(tf.tensor(X))
        first = own(layer.apply(x)).numpy()
        second = own(layer.apply(x)).numpy()
        assert not np.allclose(first, second)
        layer.resetStates()
        np.testing.assert_allclose(own(layer.apply(x)).numpy(), first, rtol=1e-6)
        assert len(fused_calls) == 3


async def test_fit_frees_its_tensors(backend, fused_calls):
    with Owned() as own:
        model = own(tf.sequential({'layers': [
            tfl.lstm({'units': U, 'inputShape': [T, F]}), tfl.dense({'units': 1})]}))
        model.compile({'optimizer': 'adam', 'loss': 'meanSquaredError'})
        xs = own(tf.tensor(X))
        ys = own(tf.tensor(RNG.normal(size=(B, 1)).astype(np.float32)))
        await model.fit(xs, ys, {'epochs': 1, 'verbose': 0})
        before = tf.memory().numTensors
        history = await model.fit(xs, ys, {'epochs': 3, 'batchSize': 2, 'verbose': 0})
        assert tf.memory().numTensors == before
        assert np.isfinite(history.history['loss']).all()
        assert fused_calls
