"""Weights manifests and binary shards: decode, encode, dequantize.

Bytes of a manifest group are the concatenation of its shard files in order,
little-endian, no padding; a weight may span shards. Quantized weights
(uint8/uint16 affine `q * scale + min`, or float16) keep their float32 dtype.
Decoding yields NumPy arrays, so a malformed file fails before any tensor
exists.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Callable
from typing import Any

import numpy as np

from .errors import ModelFormatError

_VALUE_BYTES = {'float32': 4, 'int32': 4, 'bool': 1, 'complex64': 8,
                'uint8': 1, 'uint16': 2, 'float16': 2}
_LITTLE = {'float32': '<f4', 'int32': '<i4', 'bool': 'u1', 'complex64': '<c8',
           'uint8': 'u1', 'uint16': '<u2', 'float16': '<f2'}
_STRING_LENGTH_BYTES = 4


def check_spec(spec: Any, where: str) -> dict:
    """Validate one manifest entry: {name, shape, dtype, quantization?, group?}."""
    if not isinstance(spec, dict):
        raise ModelFormatError(f'{where}: a weight entry must be an object, got {spec!r}')
    name = spec.get('name')
    if not isinstance(name, str) or not name:
        raise ModelFormatError(f'{where}: a weight entry has no name')
    shape = spec.get('shape')
    if not isinstance(shape, list) or not all(
            isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in shape):
        raise ModelFormatError(f'{where}: weight {name!r} has an invalid shape {shape!r}')
    dtype = spec.get('dtype')
    if dtype not in ('float32', 'int32', 'bool', 'string', 'complex64'):
        raise ModelFormatError(f'{where}: weight {name!r} has unsupported dtype {dtype!r}')
    q = spec.get('quantization')
    if q is not None:
        if not isinstance(q, dict) or q.get('dtype') not in ('uint8', 'uint16', 'float16'):
            raise ModelFormatError(f'{where}: weight {name!r} has unknown quantization {q!r}; '
                                   "supported: 'uint8', 'uint16', 'float16'")
        if q['dtype'] in ('uint8', 'uint16'):
            if not all(isinstance(q.get(k), int | float) and not isinstance(q.get(k), bool)
                       for k in ('min', 'scale')):
                raise ModelFormatError(f'{where}: weight {name!r} is quantized to {q["dtype"]} '
                                       'without numeric min and scale')
            if dtype not in ('float32', 'int32'):
                raise ModelFormatError(f'{where}: weight {name!r} of dtype {dtype} cannot be '
                                       f'quantized to {q["dtype"]}')
        elif dtype != 'float32':
            raise ModelFormatError(f'{where}: float16 quantization needs a float32 weight; '
                                   f'{name!r} is {dtype}')
    return spec


def _byte_length(spec: dict, data: memoryview, offset: int, where: str) -> int:
    size = math.prod(spec['shape'])
    q = spec.get('quantization')
    if q is not None:
        return size * _VALUE_BYTES[q['dtype']]
    if spec['dtype'] != 'string':
        return size * _VALUE_BYTES[spec['dtype']]
    length = 0
    for _ in range(size):
        start = offset + length
        if start + _STRING_LENGTH_BYTES > len(data):
            raise ModelFormatError(f'{where}: weight {spec["name"]!r} runs past the end of '
                                   'the weight data')
        (n,) = struct.unpack_from('<I', data, start)
        length += _STRING_LENGTH_BYTES + n
    return length


def _decode_one(spec: dict, chunk: memoryview) -> np.ndarray:
    shape = spec['shape']
    dtype = spec['dtype']
    q = spec.get('quantization')
    if q is not None:
        raw = np.frombuffer(chunk, dtype=_LITTLE[q['dtype']])
        if q['dtype'] == 'float16':
            return raw.astype(np.float32).reshape(shape)
        values = raw.astype(np.float32) * np.float32(q['scale']) + np.float32(q['min'])
        if dtype == 'int32':
            return np.round(values).astype(np.int32).reshape(shape)
        return values.reshape(shape)
    if dtype == 'string':
        out, offset = [], 0
        for _ in range(math.prod(shape)):
            (n,) = struct.unpack_from('<I', chunk, offset)
            offset += _STRING_LENGTH_BYTES
            out.append(bytes(chunk[offset:offset + n]).decode('utf-8', errors='replace'))
            offset += n
        return np.array(out, dtype=object).reshape(shape)
    values = np.frombuffer(chunk, dtype=_LITTLE[dtype])
    if dtype == 'bool':
        values = values != 0
    return values.astype(values.dtype.newbyteorder('='), copy=True).reshape(shape)


def decode_weights(data: bytes | memoryview, specs: list[dict],
                   where: str = 'weights') -> dict[str, np.ndarray]:
    """Arrays by weight name from the concatenated bytes of the specs, in order;
    the data must hold exactly what the specs describe."""
    view = memoryview(data).cast('B')
    out: dict[str, np.ndarray] = {}
    offset = 0
    for spec in specs:
        check_spec(spec, where)
        length = _byte_length(spec, view, offset, where)
        if offset + length > len(view):
            raise ModelFormatError(
                f'{where}: weight {spec["name"]!r} needs bytes {offset}..{offset + length}, '
                f'but the weight data has only {len(view)} bytes (a shard is short or missing)')
        out[spec['name']] = _decode_one(spec, view[offset:offset + length])
        offset += length
    if offset != len(view):
        raise ModelFormatError(f'{where}: the weight data has {len(view)} bytes, but the '
                               f'manifest describes {offset}')
    return out


def encode_weights(named: list[tuple[str, np.ndarray, str]],
                   group: str | None = None) -> tuple[bytes, list[dict]]:
    """Concatenated little-endian bytes and the specs of (name, values, dtype)."""
    chunks: list[bytes] = []
    specs: list[dict] = []
    for name, values, dtype in named:
        spec: dict[str, Any] = {'name': name, 'shape': [int(d) for d in values.shape],
                                'dtype': dtype}
        if group is not None:
            spec['group'] = group
        if dtype == 'string':
            for s in values.reshape(-1):
                raw = s if isinstance(s, bytes) else str(s).encode('utf-8')
                chunks.append(struct.pack('<I', len(raw)) + raw)
        elif dtype in _LITTLE:
            chunks.append(np.ascontiguousarray(values, dtype=_LITTLE[dtype]).tobytes())
        else:
            raise ModelFormatError(f'cannot save weight {name!r} of dtype {dtype}')
        specs.append(spec)
    return b''.join(chunks), specs


def read_manifest(manifest: Any, read_shard: Callable[[str], bytes],
                  where: str) -> tuple[list[dict], bytes]:
    """All specs and all weight bytes of a manifest, shards read by path."""
    if not isinstance(manifest, list):
        raise ModelFormatError(f'{where}: weightsManifest must be a list of groups')
    specs: list[dict] = []
    data: list[bytes] = []
    for i, group in enumerate(manifest):
        if not isinstance(group, dict) or not isinstance(group.get('paths'), list) \
                or not isinstance(group.get('weights'), list):
            raise ModelFormatError(f'{where}: weightsManifest[{i}] must have "paths" and '
                                   '"weights" lists')
        group_specs = [check_spec(s, where) for s in group['weights']]
        group_data = b''.join(read_shard(path) for path in group['paths'])
        decode_lengths(group_data, group_specs, f'{where} group {i} ({", ".join(group["paths"])})')
        specs.extend(group_specs)
        data.append(group_data)
    return specs, b''.join(data)


def decode_lengths(data: bytes, specs: list[dict], where: str) -> None:
    """Check that data holds exactly the bytes the specs describe."""
    view = memoryview(data).cast('B')
    offset = 0
    for spec in specs:
        offset += _byte_length(spec, view, offset, where)
        if offset > len(view):
            raise ModelFormatError(f'{where}: shard data ends before weight {spec["name"]!r} '
                                   f'({len(view)} bytes, {offset} needed)')
    if offset != len(view):
        raise ModelFormatError(f'{where}: shards hold {len(view)} bytes, but the manifest '
                               f'describes {offset}')
