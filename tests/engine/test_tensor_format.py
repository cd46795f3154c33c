"""format_tensor against the text real TensorFlow.js 4.22 prints (tests/engine/data, made by
tests/reference/make_print_cases.py)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tfjs_py.engine.tensor_format import format_tensor

CASES = json.loads(
    (Path(__file__).parent / 'data' / 'tfjs_print_cases.json').read_text(encoding='utf-8'))
_NON_FINITE = {'NaN': math.nan, 'Infinity': math.inf, '-Infinity': -math.inf}
_NUMPY_DTYPES = {'float32': np.float32, 'int32': np.int32, 'bool': np.bool_,
                 'complex64': np.complex64, 'string': object}


def _flatten(nested: Any, rank: int) -> list[Any]:
    if rank == 0:
        return [nested]
    return [v for item in nested for v in _flatten(item, rank - 1)]


def _element(value: Any, dtype: str) -> Any:
    if dtype == 'complex64':
        real, imag = (_element(v, 'float32') for v in value)
        return complex(real, imag)
    if dtype == 'float32' and isinstance(value, str):
        return _NON_FINITE[value]
    return value


def _array(spec: dict[str, Any]) -> np.ndarray:
    dtype, shape = spec['dtype'], spec['shape']
    flat = [_element(v, dtype) for v in _flatten(spec['values'], len(shape))]
    array = np.empty(len(flat), dtype=_NUMPY_DTYPES[dtype])
    array[:] = flat
    return array.reshape(shape)


@pytest.mark.parametrize('case', CASES, ids=[case['name'] for case in CASES])
def test_matches_tfjs(case: dict[str, Any]) -> None:
    values = _array(case['input'])
    assert format_tensor(values, case['input']['dtype'], case['verbose']) == case['expected']


def test_float64_input_prints_as_float32() -> None:
    assert format_tensor(np.array(0.1), 'float32') == 'Tensor\n    0.10000000149011612'


def test_unknown_dtype_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown dtype 'float64'"):
        format_tensor(np.zeros(2), 'float64')
