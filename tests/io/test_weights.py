"""Weight encoding and decoding: dtypes, quantization, shards, bad data."""

from __future__ import annotations

import struct

import numpy as np
import pytest

from tfjs_py.io.errors import ModelFormatError
from tfjs_py.io.weights import decode_weights, encode_weights, read_manifest


def test_round_trip_every_dtype():
    named = [('f', np.array([[1.5, -2.0]], np.float32), 'float32'),
             ('i', np.array([1, -7, 2**31 - 1], np.int32), 'int32'),
             ('b', np.array([True, False]), 'bool'),
             ('s', np.array(['héllo', ''], dtype=object), 'string'),
             ('scalar', np.array(3.25, np.float32), 'float32')]
    data, specs = encode_weights(named)
    assert specs[0] == {'name': 'f', 'shape': [1, 2], 'dtype': 'float32'}
    assert len(data) == 8 + 12 + 2 + (4 + 6 + 4) + 4
    decoded = decode_weights(data, specs)
    for name, values, _ in named:
        assert decoded[name].shape == values.shape
        assert decoded[name].tolist() == values.tolist()
    assert decoded['f'].dtype == np.float32 and decoded['i'].dtype == np.int32


def test_group_is_written_into_specs():
    _, specs = encode_weights([('m', np.zeros(2, np.float32), 'float32')], group='optimizer')
    assert specs[0]['group'] == 'optimizer'


def test_uint8_uint16_quantization_dequantize_affine():
    q8 = np.array([0, 1, 255], np.uint8)
    q16 = np.array([0, 2, 65535], '<u2')
    specs = [{'name': 'a', 'shape': [3], 'dtype': 'float32',
              'quantization': {'dtype': 'uint8', 'min': -1.0, 'scale': 0.5,
                               'original_dtype': 'float32'}},
             {'name': 'b', 'shape': [3], 'dtype': 'float32',
              'quantization': {'dtype': 'uint16', 'min': 0.25, 'scale': 0.001}},
             {'name': 'c', 'shape': [3], 'dtype': 'int32',
              'quantization': {'dtype': 'uint8', 'min': 0.0, 'scale': 0.6}}]
    data = q8.tobytes() + q16.tobytes() + np.array([1, 2, 4], np.uint8).tobytes()
    out = decode_weights(data, specs)
    np.testing.assert_allclose(out['a'], [-1.0, -0.5, 126.5])
    np.testing.assert_allclose(out['b'], [0.25, 0.252, 65.785], rtol=1e-6)
    assert out['a'].dtype == np.float32
    assert out['c'].tolist() == [1, 1, 2] and out['c'].dtype == np.int32


def test_float16_quantization():
    halves = np.array([1.0, -0.5, 65504.0, np.inf], np.float16)
    spec = {'name': 'h', 'shape': [2, 2], 'dtype': 'float32', 'quantization': {'dtype': 'float16'}}
    out = decode_weights(halves.tobytes(), [spec])
    assert out['h'].dtype == np.float32
    assert out['h'].reshape(-1).tolist() == [1.0, -0.5, 65504.0, np.inf]


@pytest.mark.parametrize('spec, match', [
    ({'name': 'x', 'shape': [2], 'dtype': 'float64'}, 'unsupported dtype'),
    ({'name': 'x', 'shape': [-1], 'dtype': 'float32'}, 'invalid shape'),
    ({'shape': [1], 'dtype': 'float32'}, 'no name'),
    ({'name': 'x', 'shape': [1], 'dtype': 'float32', 'quantization': {'dtype': 'uint4'}},
     'unknown quantization'),
    ({'name': 'x', 'shape': [1], 'dtype': 'float32', 'quantization': {'dtype': 'uint8'}},
     'min and scale'),
    ({'name': 'x', 'shape': [1], 'dtype': 'int32', 'quantization': {'dtype': 'float16'}},
     'float16'),
])
def test_bad_specs(spec, match):
    with pytest.raises(ModelFormatError, match=match):
        decode_weights(b'\0' * 8, [spec])


def test_short_and_long_data_name_the_weight():
    specs = [{'name': 'dense/kernel', 'shape': [2, 2], 'dtype': 'float32'}]
    with pytest.raises(ModelFormatError, match="'dense/kernel'.*only 12 bytes"):
        decode_weights(b'\0' * 12, specs, 'model.json')
    with pytest.raises(ModelFormatError, match='20 bytes, but the manifest describes 16'):
        decode_weights(b'\0' * 20, specs)


def test_string_length_past_end():
    data = struct.pack('<I', 100) + b'abc'
    with pytest.raises(ModelFormatError, match="'s'.*past the end|'s'.*only"):
        decode_weights(data, [{'name': 's', 'shape': [1], 'dtype': 'string'}])


def test_manifest_groups_concatenate_shards_and_a_weight_may_span_them():
    values = np.arange(6, dtype=np.float32)
    raw = values.tobytes()
    shards = {'g1-shard1of2.bin': raw[:10], 'g1-shard2of2.bin': raw[10:],
              'g2.bin': np.array([7], np.int32).tobytes()}
    manifest = [{'paths': ['g1-shard1of2.bin', 'g1-shard2of2.bin'],
                 'weights': [{'name': 'w', 'shape': [2, 3], 'dtype': 'float32'}]},
                {'paths': ['g2.bin'], 'weights': [{'name': 'n', 'shape': [], 'dtype': 'int32'}]}]
    specs, data = read_manifest(manifest, shards.__getitem__, 'model.json')
    out = decode_weights(data, specs)
    assert out['w'].tolist() == values.reshape(2, 3).tolist() and out['n'].tolist() == 7
    shards['g1-shard2of2.bin'] = raw[10:-1]
    with pytest.raises(ModelFormatError, match='group 0 .*g1-shard1of2.bin.*ends before'):
        read_manifest(manifest, shards.__getitem__, 'model.json')


@pytest.mark.parametrize('manifest', [{}, [{'paths': 'x'}], [3]])
def test_malformed_manifest(manifest):
    with pytest.raises(ModelFormatError, match='weightsManifest'):
        read_manifest(manifest, lambda p: b'', 'model.json')
