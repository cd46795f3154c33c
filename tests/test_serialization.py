"""The one serialization registry: register, serialize, deserialize."""

from __future__ import annotations

import pytest

import tfjs_py as tf
from tfjs_py.serialization import deserialize, registerClass, serialize


def test_round_trip_of_layers_and_nested_objects():
    layer = tf.layers.dense({'units': 2, 'kernelRegularizer': tf.regularizers.l1l2(),
                             'biasConstraint': tf.constraints.maxNorm({'maxValue': 3})})
    data = serialize(layer)
    assert data['className'] == 'Dense'
    again = deserialize(data)
    assert again.getConfig() == layer.getConfig()
    assert deserialize({'class_name': 'Zeros', 'config': {}}).getClassName() == 'Zeros'


def test_unknown_class_names_a_close_match():
    with pytest.raises(ValueError, match="unknown layer: 'Dence'; did you mean 'Dense'"):
        deserialize({'className': 'Dence', 'config': {}}, kind='layer', base=tf.layers.Layer)
    with pytest.raises(ValueError, match="'L1L2' is not a layer"):
        deserialize({'className': 'L1L2', 'config': {}}, kind='layer', base=tf.layers.Layer)


def test_custom_objects_and_registration():
    class Doubler(tf.layers.Layer):
        def call(self, inputs, kwargs):
            return tf.mul(inputs, 2)

    made = deserialize({'className': 'Doubler', 'config': {'name': 'dbl'}},
                       {'Doubler': Doubler})
    assert isinstance(made, Doubler) and made.name == 'dbl'
    registerClass(Doubler)
    assert isinstance(deserialize({'className': 'Doubler', 'config': {}}), Doubler)

    class Other(tf.layers.Layer):
        className = 'Doubler'

    with pytest.raises(ValueError, match="'Doubler' is already registered"):
        registerClass(Other)
