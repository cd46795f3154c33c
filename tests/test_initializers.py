"""Initializers, regularizers and constraints; values from TensorFlow.js 4.22."""

from __future__ import annotations

import numpy as np
import pytest

import tfjs_py as tf
from tfjs_py.constraints import getConstraint
from tfjs_py.initializers import getInitializer
from tfjs_py.regularizers import getRegularizer
from tfjs_py.serialization import deserialize, serialize

W = [[3, -4], [1, 2]]
TFJS_CONSTRAINTS = {'maxNorm': [1.8973665237426758, -1.7888543605804443, 0.6324555277824402,
                                0.8944271802902222],
                    'minMax': [2.448683261871338, -2.8944270610809326, 0.8162277340888977,
                               1.4472135305404663],
                    'nonNeg': [3, 0, 1, 2],
                    'unitNorm': [0.6000000238418579, -0.800000011920929, 0.4472135901451111,
                                 0.8944271802902222]}


def _values(make):
    return tf.tidy(lambda: make().numpy())


def test_constraints_match_tfjs(backend):
    w = tf.tensor2d(W)
    cases = {'maxNorm': tf.constraints.maxNorm({'maxValue': 2, 'axis': 0}),
             'unitNorm': tf.constraints.unitNorm({'axis': 1}),
             'nonNeg': tf.constraints.nonNeg(),
             'minMax': tf.constraints.minMaxNorm(min_value=1, max_value=2, rate=0.5, axis=0)}
    for key, c in cases.items():
        got = _values(lambda c=c: c.apply(w))
        np.testing.assert_allclose(got.reshape(-1), TFJS_CONSTRAINTS[key], rtol=1e-6)
        assert deserialize(serialize(c)).getConfig() == c.getConfig()
    w.dispose()
    assert getConstraint('max_norm').getClassName() == 'MaxNorm'


def test_regularizers_match_tfjs(backend):
    w = tf.tensor2d(W)
    assert _values(lambda: tf.regularizers.l1l2({'l1': 0.1, 'l2': 0.2}).apply(w)) == \
        pytest.approx(7)
    assert _values(lambda: tf.regularizers.l1().apply(w)) == pytest.approx(0.1)
    assert _values(lambda: tf.regularizers.l2(l2=0.5).apply(w)) == pytest.approx(15)
    w.dispose()
    assert serialize(tf.regularizers.l2({'l2': 0.5})) == {'className': 'L1L2',
                                                          'config': {'l1': 0, 'l2': 0.5}}
    # Keras writes L1 / L2 classes
    assert getRegularizer({'className': 'L2', 'config': {'l2': 0.25}}).getConfig() == {
        'l1': 0, 'l2': 0.25}
    with pytest.raises(ValueError, match="unknown regularizer: 'L3'"):
        getRegularizer({'className': 'L3', 'config': {}})


def test_deterministic_initializers_match_tfjs(backend):
    np.testing.assert_array_equal(
        _values(lambda: tf.initializers.identity({'gain': 2}).apply([3, 3])), 2 * np.eye(3))
    np.testing.assert_array_equal(
        _values(lambda: tf.initializers.constant({'value': 1.5}).apply([2])), [1.5, 1.5])
    np.testing.assert_array_equal(_values(lambda: tf.initializers.zeros().apply([2, 2])), 0)
    np.testing.assert_array_equal(_values(lambda: tf.initializers.ones().apply([3])), 1)
    with pytest.raises(ValueError, match='2D square'):
        tf.initializers.identity().apply([2, 3])


def test_initializer_configs_match_tfjs():
    assert tf.initializers.glorotUniform({'seed': 1}).getConfig() == {
        'scale': 1, 'mode': 'fanAvg', 'distribution': 'uniform', 'seed': 1}
    assert tf.initializers.heNormal({}).getClassName() == 'VarianceScaling'
    assert tf.initializers.orthogonal({}).getConfig() == {'gain': 1.0, 'seed': None}
    # tfjs turns minval 0 into -0.05 (it uses ||); zero is kept here
    assert tf.initializers.randomUniform({'minval': 0, 'maxval': 1}).getConfig()[
        'minval'] == 0
    assert getInitializer('glorot_normal').getConfig()['distribution'] == 'normal'
    assert getInitializer('lecun_uniform').getConfig()['mode'] == 'fanIn'
    with pytest.raises(ValueError, match="unknown config key 'sed'"):
        tf.initializers.randomNormal({'sed': 1})
    with pytest.raises(ValueError, match='Invalid FanMode'):
        tf.initializers.varianceScaling({'mode': 'fanSideways'})


@pytest.mark.parametrize('name, scale, mode, uniform', [
    ('glorotUniform', 1, 'avg', True), ('glorotNormal', 1, 'avg', False),
    ('heUniform', 2, 'in', True), ('heNormal', 2, 'in', False),
    ('leCunUniform', 1, 'in', True), ('leCunNormal', 1, 'in', False)])
def test_variance_scaling_statistics(backend, name, scale, mode, uniform):
    fan_in, fan_out = 200, 300
    values = _values(lambda: getInitializer(name).apply([fan_in, fan_out]))
    fan = (fan_in + fan_out) / 2 if mode == 'avg' else fan_in
    if uniform:
        limit = np.sqrt(3 * scale / fan)
        assert np.abs(values).max() <= limit
        assert values.std() == pytest.approx(limit / np.sqrt(3), rel=0.05)
    else:
        stddev = np.sqrt(scale / fan)
        assert np.abs(values).max() <= 2 * stddev + 1e-6  # truncated at 2 stddev
        assert values.std() == pytest.approx(stddev * 0.8796, rel=0.05)


def test_seeded_initializers_repeat(backend):
    for name in ('randomUniform', 'randomNormal', 'truncatedNormal', 'glorotNormal'):
        init = getattr(tf.initializers, name)({'seed': 42})
        a = _values(lambda init=init: init.apply([4, 5]))
        b = _values(lambda init=init: init.apply([4, 5]))
        np.testing.assert_array_equal(a, b)


def test_orthogonal(backend):
    init = tf.initializers.orthogonal({'seed': 3, 'gain': 2})
    q = _values(lambda: init.apply([6, 4]))
    np.testing.assert_allclose(q.T @ q, 4 * np.eye(4), atol=1e-5)
    wide = _values(lambda: init.apply([3, 5]))
    np.testing.assert_allclose(wide @ wide.T, 4 * np.eye(3), atol=1e-5)
    np.testing.assert_array_equal(q, _values(lambda: init.apply([6, 4])))  # seeded
