"""The gradient API over the tape."""

from __future__ import annotations

import numpy as np
import pytest

import tfjs_py as tf
from tests.gradcheck import check_grad


def test_grad_of_composite_function_matches_finite_differences(backend):
    def f(x, w):
        h = tf.sigmoid(tf.matMul(x, w))
        return tf.mean(tf.square(tf.sub(tf.tanh(h), 0.5)), 1) + tf.exp(tf.div(x, 4.0)).sum(1)

    rng = np.random.default_rng(1)
    check_grad(f, [rng.normal(size=(3, 4)), rng.normal(size=(4, 4))])


def test_grad_known_values(backend):
    x = tf.tensor([1.0, 2.0, 3.0])
    g = tf.grad(lambda t: t.square().sum())(x)
    assert g.arraySync() == [2.0, 4.0, 6.0]
    dy = tf.tensor([1.0, 1.0, 1.0])
    g2 = tf.grad(lambda t: t.mul(3.0))(x, dy)
    assert g2.arraySync() == [3.0, 3.0, 3.0]
    tf.dispose([x, g, dy, g2])


def test_grads_and_value_and_grads(backend):
    a = tf.tensor([2.0])
    b = tf.tensor([3.0])
    ga, gb = tf.grads(lambda x, y: x.mul(y))([a, b])
    assert ga.arraySync() == [3.0] and gb.arraySync() == [2.0]
    out = tf.valueAndGrads(lambda x, y: x.mul(y).sum())([a, b])
    assert out.value.arraySync() == 6.0
    assert [g.arraySync() for g in out.grads] == [[3.0], [2.0]]
    one = tf.valueAndGrad(lambda x: x.square().sum())(a)
    assert one['value'].arraySync() == 4.0 and one['grad'].arraySync() == [4.0]
    tf.dispose([a, b, ga, gb, out, one])


def test_second_order_gradient(backend):
    x = tf.tensor([3.0])
    d2 = tf.grad(tf.grad(lambda t: t.mul(t).mul(t)))(x)
    assert d2.arraySync() == [18.0]
    tf.dispose([x, d2])


def test_gradients_survive_inner_tidy(backend):
    x = tf.tensor([2.0])

    def f(t):
        return tf.tidy(lambda: t.square().mul(3.0))

    g = tf.grad(f)(x)
    assert g.arraySync() == [12.0]
    tf.dispose([x, g])


def test_unconnected_gradient_raises(backend):
    x = tf.tensor([1.0])
    y = tf.tensor([2.0])
    with pytest.raises(ValueError, match='encloses every operation'):
        tf.grad(lambda t: y.mul(2.0))(x)
    with pytest.raises(TypeError, match='must return a Tensor'):
        tf.grad(lambda t: 3)(x)
    with pytest.raises(TypeError, match='must be a Tensor'):
        tf.grad(lambda t: t)([1.0])
    tf.dispose([x, y])


def test_variable_grads(backend):
    w = tf.variable(tf.tensor([[2.0]]), name='tape_w')
    b = tf.variable(tf.tensor([1.0]), name='tape_b')
    frozen = tf.variable(tf.tensor([5.0]), trainable=False, name='tape_frozen')
    x = tf.tensor([[3.0]])
    out = tf.variableGrads(lambda: tf.matMul(x, w).add(b).add(frozen).square().sum(),
                           [w, b, frozen])
    assert out.value.arraySync() == 144.0
    assert out.grads['tape_w'].arraySync() == [[72.0]]
    assert out.grads['tape_b'].arraySync() == [24.0]
    assert 'tape_frozen' not in out.grads
    with pytest.raises(ValueError, match='scalar'):
        tf.variableGrads(lambda: tf.matMul(x, w), [w])
    tf.dispose([w, b, frozen, x, out])


def test_gradient_follows_variable_after_assign(backend):
    v = tf.variable(tf.tensor([1.0]), name='tape_assign')
    new = tf.tensor([4.0])
    v.assign(new)
    g = tf.grad(lambda _: v.square().sum())(v)
    assert g.arraySync() == [8.0]
    tf.dispose([v, new, g])


def test_custom_grad(backend):
    def f(x, save):
        save([x])
        return {'value': x.square(), 'gradFunc': lambda dy, saved: [dy.mul(saved[0]).mul(10.0)]}

    custom = tf.customGrad(f)
    x = tf.tensor([1.0, 2.0])
    value = custom(x)
    assert value.arraySync() == [1.0, 4.0]
    g = tf.grad(lambda t: custom(t))(x)
    assert g.arraySync() == [10.0, 20.0]
    tf.dispose([x, value, g])


def test_gradient_leaves_no_tensors(backend):
    start = tf.memory().numTensors
    x = tf.tensor([1.0, 2.0])
    g = tf.grad(lambda t: tf.tanh(t.mul(2.0)).sum())(x)
    tf.dispose([x, g])
    assert tf.memory().numTensors == start


def test_function_that_raises_leaves_no_tensors(backend):
    start = tf.memory().numTensors
    x = tf.tensor([1.0, 2.0])

    def f(t):
        t.square().mul(3.0)  # saved by the tape before the failure
        raise RuntimeError('no kernel here')

    with pytest.raises(RuntimeError, match='no kernel here'):
        tf.grad(f)(x)
    x.dispose()
    assert tf.memory().numTensors == start


def test_gradient_stops_at_bool_results(backend):
    # greater/notEqual/any have no gradient; where() and masks still differentiate.
    x = tf.tensor([-1.0, 0.5, 2.0])

    def f(t):
        mask = tf.logicalAnd(tf.greater(t, 0), tf.notEqual(t, 2.0))
        return tf.where(mask, t.square(), t.mul(3.0)).sum()

    g = tf.grad(f)(x)
    assert g.arraySync() == [3.0, 1.0, 3.0]
    tf.dispose([x, g])


def test_custom_grad_computes_lazy_gradients_only_when_needed(backend):
    """Beyond tfjs: gradFunc may give a function for a gradient; it runs only
    if that input's gradient is needed."""
    called = []

    def f(a, b, save):
        def grad(dy, saved):
            def db():
                called.append('b')
                return dy.mul(a)
            return [dy.mul(b), db]
        return {'value': a.mul(b), 'gradFunc': grad}

    custom = tf.customGrad(f)
    a, b = tf.tensor([2.0, 3.0]), tf.tensor([5.0, 7.0])
    ga = tf.grad(lambda t: custom(t, b))(a)
    assert ga.arraySync() == [5.0, 7.0] and called == []
    gb = tf.grad(lambda t: custom(a, t))(b)
    assert gb.arraySync() == [2.0, 3.0] and called == ['b']
    tf.dispose([a, b, ga, gb])


@pytest.mark.parametrize('takes_none', [False, True])
def test_custom_grad_unused_outputs_get_zeros_or_none(backend, takes_none):
    """A multi-output node's gradFunc gets zeros for an output no gradient
    reached (tfjs), or None with 'gradFuncTakesNone' (beyond tfjs)."""
    seen = []

    def f(x, save):
        def grad(dys, saved):
            seen.append([None if d is None else d.arraySync() for d in dys])
            return [dys[0].mul(2.0)]
        out = {'value': [x.mul(2.0), x.mul(3.0)], 'gradFunc': grad}
        if takes_none:
            out['gradFuncTakesNone'] = True
        return out

    custom = tf.customGrad(f)
    x = tf.tensor([1.0, 2.0])
    g = tf.grad(lambda t: custom(t)[0].sum())(x)
    assert g.arraySync() == [2.0, 2.0]
    assert seen == [[[1.0, 1.0], None if takes_none else [0.0, 0.0]]]
    tf.dispose([x, g])
