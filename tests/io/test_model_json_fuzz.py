"""Property: whatever a model.json or its weights hold, tf.loadLayersModel
either gives a model that predicts, or raises ModelFormatError (FileNotFoundError
for a weight file that isn't there); it never raises anything else, never
leaks a tensor and never hangs. Inputs are the real artifacts, mutated."""

from __future__ import annotations

import asyncio
import copy
import gc
import json
import math
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tfjs_py as tf
from tfjs_py.io.errors import ModelFormatError

ARTIFACTS = Path(__file__).parent / 'artifacts'
# Small models of varied kinds (Sequential, functional, nested, RNN, conv,
# quantized, compiled, Keras-written), so a hundred examples stay quick.
SOURCES = ['tfjs/mlp', 'tfjs/seed_dense', 'tfjs/functional_shared', 'tfjs/nested_in_functional',
           'tfjs/compiled_adam', 'tfjs/merge_layers', 'tfjs/conv1d_pooling', 'tfjs/rnn_stack',
           'keras/dense', 'keras/functional_two_inputs', 'keras/quantized_uint8',
           'keras/keras3_dense', 'keras/embedding']
ALLOWED = (ModelFormatError, FileNotFoundError)
TIMEOUT_S = 30
REPLACEMENTS = ['x', '', None, -1, 0, -7.5, 10 ** 12, 2 ** 31, 1e308, math.nan, True,
                [], {}, [None], {'class_name': 'Dense'}, [[1, 2]]]
CLASS_NAMES = ['Dense', 'Model', 'Sequential', 'Functional', 'InputLayer', 'LSTM',
               'Concatenate', 'Dnese', '', 'object', '__class__', 'os.system']


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    """Every key/index path inside a JSON value, parents before children."""
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out += _paths(value, (*prefix, index))
    return out


def _get(doc: Any, path: tuple) -> Any:
    for key in path:
        doc = doc[key]
    return doc


def _set(doc: Any, path: tuple, value: Any) -> None:
    _get(doc, path[:-1])[path[-1]] = value


def _pick(data: st.DataObject, paths: list[tuple], label: str) -> tuple | None:
    return data.draw(st.sampled_from(paths), label=label) if paths else None


def _mutate(data: st.DataObject, doc: dict, weights: bytes) -> tuple[str | bytes, bytes]:
    """One mutation of the document (or of its text, or of the weight bytes)."""
    kind = data.draw(st.sampled_from(
        ['delete', 'replace', 'retype', 'truncate_list', 'manifest_shape', 'manifest_dtype',
         'class_name', 'inbound_nodes', 'garbage_text', 'cut_text', 'cut_weights', 'twice']),
        label='kind')
    paths = [p for p in _paths(doc) if p]
    if kind == 'twice':
        text, weights = _mutate(data, doc, weights)
        try:
            again = json.loads(text)
        except ValueError:
            return text, weights
        return _mutate(data, again, weights) if isinstance(again, dict) else (text, weights)
    if kind == 'delete':
        path = _pick(data, [p for p in paths if isinstance(p[-1], str)], 'path')
        if path:
            del _get(doc, path[:-1])[path[-1]]
    elif kind == 'replace' and paths:
        path = _pick(data, paths, 'path')
        _set(doc, path, data.draw(st.sampled_from(REPLACEMENTS), label='value'))
    elif kind == 'retype' and paths:
        # A number becomes its string, a string a number, a list a dict.
        path = _pick(data, paths, 'path')
        value = _get(doc, path)
        swapped = {int: str, float: str, str: lambda v: len(v), list: lambda v: dict(
            enumerate(v)), dict: lambda v: list(v.values()), bool: str}.get(type(value), str)
        _set(doc, path, json.loads(json.dumps(swapped(value), default=str)))
    elif kind == 'truncate_list':
        path = _pick(data, [p for p in paths if isinstance(_get(doc, p), list)], 'path')
        if path:
            value = _get(doc, path)
            value[:] = value[:data.draw(st.integers(0, max(len(value) - 1, 0)), label='keep')]
    elif kind in ('manifest_shape', 'manifest_dtype'):
        try:
            specs = doc['weightsManifest'][0]['weights']
            assert isinstance(specs, list) and specs and isinstance(specs[0], dict)
        except (KeyError, IndexError, TypeError, AssertionError):
            return json.dumps(doc), weights
        spec = specs[data.draw(st.integers(0, len(specs) - 1), label='spec')]
        if not isinstance(spec, dict) or not isinstance(spec.get('shape'), list):
            return json.dumps(doc), weights
        if kind == 'manifest_shape':
            shape = list(spec['shape'])
            spec['shape'] = data.draw(st.sampled_from(
                [shape[::-1], shape + [1], shape[:-1], [0], [-1], [2 ** 40], ['2'], 3]),
                label='shape')
        else:
            spec['dtype'] = data.draw(st.sampled_from(
                ['int32', 'bool', 'string', 'float16', 'complex64', 'uint8', None, 1]),
                label='dtype')
    elif kind == 'class_name':
        path = _pick(data, [p for p in paths if p[-1] == 'class_name'], 'path')
        if path:
            _set(doc, path, data.draw(st.sampled_from(CLASS_NAMES), label='name'))
    elif kind == 'inbound_nodes':
        path = _pick(data, [p for p in paths if p[-1] == 'inbound_nodes'], 'path')
        if path:
            _set(doc, path, data.draw(st.sampled_from(
                [[], [[]], [[['ghost', 0, 0, {}]]], [[['input_1', 9, 9, {}]]], [['x']], 'x',
                 [[[None, None, None, None]]], [[{'args': []}]]]), label='nodes'))
    text = json.dumps(doc)
    if kind == 'garbage_text':
        return data.draw(st.sampled_from(
            [b'', b'null', b'[]', b'"model"', b'\xff\xfe\x00', b'{"modelTopology": 1}',
             b'{"weightsManifest": {}}', b'{' * 5000]), label='garbage'), weights
    if kind == 'cut_text':
        return text[:data.draw(st.integers(0, len(text) - 1), label='cut')], weights
    if kind == 'cut_weights':
        weights = weights[:data.draw(st.integers(0, max(len(weights) - 1, 0)), label='cut')]
    return text, weights


def _predicts(model: Any) -> None:
    """A correctly shaped zero input goes through and gives finite-shaped outputs."""
    xs = [tf.zeros([2 if d is None else d for d in x.shape], x.dtype) for x in model.inputs]
    try:
        out = model.predict(xs if len(xs) > 1 else xs[0])
        outs = out if isinstance(out, list) else [out]
        for o in outs:
            assert o.shape[0] == 2
        tf.dispose(outs)
    finally:
        tf.dispose(xs)


async def _load(folder: Path) -> None:
    model = await asyncio.wait_for(tf.loadLayersModel(str(folder)), TIMEOUT_S)
    try:
        _predicts(model)
    finally:
        model.dispose()


@settings(max_examples=150, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_model_files_load_cleanly_or_raise_model_format_error(backend, data):
    name = data.draw(st.sampled_from(SOURCES), label='source')
    source = ARTIFACTS / name
    doc = json.loads((source / 'model.json').read_text())
    shard = doc['weightsManifest'][0]['paths'][0]
    text, weights = _mutate(data, copy.deepcopy(doc), (source / shard).read_bytes())
    gc.collect()
    start = tf.memory().numTensors
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / 'model.json').write_bytes(text if isinstance(text, bytes) else text.encode())
        (folder / shard).write_bytes(weights)
        try:
            asyncio.run(_load(folder))
        except ALLOWED:
            pass
    gc.collect()
    assert tf.memory().numTensors == start, 'a failed or finished load left tensors behind'


async def test_a_broken_layer_is_named_with_the_file_and_its_cause_chained(backend, tmp_path):
    source = ARTIFACTS / 'tfjs' / 'mlp'
    doc = json.loads((source / 'model.json').read_text())
    # The third layer fails after the first two made their variables.
    doc['modelTopology']['config']['layers'][2]['config']['activation'] = 5
    (tmp_path / 'model.json').write_text(json.dumps(doc))
    (tmp_path / 'weights.bin').write_bytes((source / 'weights.bin').read_bytes())
    gc.collect()
    start = tf.memory().numTensors
    with pytest.raises(ModelFormatError, match=r"model\.json: building the model from "
                       r"modelTopology failed \(layer 'dense_Dense3'\): TypeError: an "
                       r"activation") as info:
        await tf.loadLayersModel(str(tmp_path))
    assert isinstance(info.value.__cause__, TypeError)
    assert str(tmp_path / 'model.json') in str(info.value)
    gc.collect()
    assert tf.memory().numTensors == start


async def test_an_input_dtype_that_is_no_dtype_is_refused(backend, tmp_path):
    source = ARTIFACTS / 'tfjs' / 'functional_shared'
    doc = json.loads((source / 'model.json').read_text())
    doc['modelTopology']['config']['layers'][0]['config']['dtype'] = 7
    (tmp_path / 'model.json').write_text(json.dumps(doc))
    (tmp_path / 'weights.bin').write_bytes((source / 'weights.bin').read_bytes())
    with pytest.raises(ModelFormatError, match="'input_a'.* dtype 7, which is not a tfjs dtype"):
        await tf.loadLayersModel(str(tmp_path))
