"""The camelCase <-> snake_case boundary of model.json, as tfjs converts it."""

from __future__ import annotations

import pytest

from tfjs_py.io.model_json import from_pythonic, to_pythonic

TS = {'className': 'Model', 'config': {
    'name': 'myModel_1', 'layers': [{
        'className': 'Dense', 'name': 'dense_Dense1',
        'config': {'name': 'dense_Dense1', 'units': 3, 'activation': 'hardSigmoid',
                   'kernelInitializer': {'className': 'GlorotNormal', 'config': {'seed': None}},
                   'kernelRegularizer': {'className': 'L1L2',
                                         'config': {'l1': 0.009999999776482582, 'l2': 0}},
                   'batchInputShape': [None, 4], 'dataFormat': 'channelsLast', 'useBias': True},
        'inboundNodes': [[['input_1', 0, 0, {}], ['input_2', 1, 0, {'training': True}]]]}],
    'inputLayers': [['input_1', 0, 0]], 'outputLayers': [['dense_Dense1', 0, 0]]}}

PY = {'class_name': 'Model', 'config': {
    'name': 'myModel_1', 'layers': [{
        'class_name': 'Dense', 'name': 'dense_Dense1',
        'config': {'name': 'dense_Dense1', 'units': 3, 'activation': 'hard_sigmoid',
                   'kernel_initializer': {'class_name': 'GlorotNormal', 'config': {'seed': None}},
                   'kernel_regularizer': {'class_name': 'L1L2',
                                          'config': {'l1': 0.009999999776482582, 'l2': 0}},
                   'batch_input_shape': [None, 4], 'data_format': 'channels_last',
                   'use_bias': True},
        'inbound_nodes': [[['input_1', 0, 0, {}], ['input_2', 1, 0, {'training': True}]]]}],
    'input_layers': [['input_1', 0, 0]], 'output_layers': [['dense_Dense1', 0, 0]]}}


def test_to_pythonic_matches_tfjs():
    assert to_pythonic(TS) == PY
    assert to_pythonic('TensorFlow.js') == 'tensor_flow.js'


def test_from_pythonic_round_trips():
    assert from_pythonic(PY) == TS


def test_unserializable_values():
    with pytest.raises(TypeError, match='cannot serialize a set'):
        to_pythonic({'a': {1}})
