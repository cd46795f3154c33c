"""camelCase/snake_case aliases and config normalisation."""

from __future__ import annotations

import pytest

import tfjs_py as tf
from tfjs_py._naming import (
    REQUIRED,
    SnakeAliases,
    SnakeSettable,
    camel_to_snake,
    camel_value,
    normalize_config,
    snake_to_camel,
)


@pytest.mark.parametrize('camel, snake', [
    ('batchInputShape', 'batch_input_shape'), ('conv2dTranspose', 'conv2d_transpose'),
    ('loadLayersModel', 'load_layers_model'), ('units', 'units'), ('dataSync', 'data_sync'),
    ('maxPooling2d', 'max_pooling2d'), ('useBias', 'use_bias'),
])
def test_case_conversion(camel, snake):
    assert camel_to_snake(camel) == snake
    assert snake_to_camel(snake) == camel


SCHEMA = {'units': REQUIRED, 'useBias': True, 'inputShape': None,
          'kernelInitializer': 'glorotNormal'}


def test_config_as_dict_or_keywords_in_either_case():
    a = normalize_config('dense', SCHEMA, {'units': 1, 'inputShape': [1]})
    b = normalize_config('dense', SCHEMA, None, {'units': 1, 'inputShape': [1]})
    c = normalize_config('dense', SCHEMA, None, {'units': 1, 'input_shape': [1]})
    assert a == b == c == {'units': 1, 'inputShape': [1], 'useBias': True,
                           'kernelInitializer': 'glorotNormal'}


def test_unknown_key_names_closest():
    with pytest.raises(ValueError, match="unknown config key 'unitz'.*did you mean 'units'"):
        normalize_config('dense', SCHEMA, {'unitz': 1})
    with pytest.raises(ValueError, match="'use_bais'.*did you mean 'useBias'"):
        normalize_config('dense', SCHEMA, None, {'units': 1, 'use_bais': False})


def test_missing_required_key():
    with pytest.raises(ValueError, match="missing required config key 'units'"):
        normalize_config('dense', SCHEMA, {'useBias': False})


def test_key_given_twice():
    with pytest.raises(ValueError, match='both in the config and as a keyword'):
        normalize_config('dense', SCHEMA, {'units': 1}, {'units': 2})


def test_option_values_accept_snake_case():
    assert camel_value('glorot_normal') == 'glorotNormal'
    assert camel_value('channels_first') == 'channelsFirst'
    assert camel_value('meanSquaredError') == 'meanSquaredError'


def test_module_and_tensor_snake_aliases():
    assert tf.zeros_like is tf.zerosLike
    assert tf.value_and_grad is tf.valueAndGrad
    assert tf.Tensor.dataSync is not None
    with pytest.raises(AttributeError, match='no attribute'):
        tf.not_a_function  # noqa: B018
    t = tf.tensor([1, 2])
    assert t.array_sync() == [1, 2]
    zeros = t.zeros_like()
    assert zeros.arraySync() == [0, 0]
    zeros.dispose()
    t.dispose()


def test_subclass_snake_override_is_called_by_camel_name():
    class Base(SnakeAliases):
        def computeOutputShape(self, shape):
            return shape

        def describe(self, shape):
            return self.computeOutputShape(shape)

    class Custom(Base):
        def compute_output_shape(self, shape):
            return [None, *shape]

    assert Custom().describe([3]) == [None, 3]
    assert Custom().compute_output_shape([3]) == [None, 3]


def test_snake_assignment_sets_the_camel_attribute():
    class Model(SnakeSettable):
        def __init__(self):
            self.stopTraining = False

    m = Model()
    m.stop_training = True
    assert m.stopTraining is True and m.stop_training is True
    m.other_thing = 1  # no camel twin: an ordinary attribute
    assert vars(m) == {'stopTraining': True, 'other_thing': 1}


def test_snake_spellings_that_are_not_word_by_word():
    assert tf.is_nan is tf.isNaN and tf.gather_nd is tf.gatherND
    t = tf.tensor([1.0, float('nan')])
    nan = t.is_nan()
    assert nan.arraySync() == [False, True]
    tf.dispose([t, nan])
    with pytest.raises(AttributeError, match='no_such_op'):
        tf.no_such_op  # noqa: B018


def test_null_keys_from_newer_keras_are_tolerated_only_in_model_files():
    from tfjs_py._naming import tolerating_null_keys
    with pytest.raises(ValueError, match="unknown config key 'quantizationConfig'"):
        tf.layers.dense({'units': 1, 'quantizationConfig': None})
    with tolerating_null_keys():
        layer = tf.layers.dense({'units': 1, 'quantization_config': None})
        with pytest.raises(ValueError, match="unknown config key 'quantization_config'"):
            tf.layers.dense({'units': 1, 'quantization_config': 'int8'})
    assert layer.units == 1
