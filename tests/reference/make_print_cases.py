"""Regenerates tests/engine/data/tfjs_print_cases.json: tensor.toString() as real TensorFlow.js
prints it, for tests/engine/test_tensor_format.py.

    NODE_PATH=/tmp/tfjs-ref/node_modules python tests/reference/make_print_cases.py

(see tfjs_eval.js for installing tfjs 4.22.0 there; NODE_PATH defaults to that folder).

Each fixture case is {name, input: {values, shape, dtype}, verbose, expected}. `values` is
nested like the shape; non-finite numbers are the strings "NaN", "Infinity", "-Infinity" so the
file stays plain JSON, and a complex64 element is a pair [re, im].
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
EVAL_SCRIPT = HERE / 'tfjs_eval.js'
FIXTURE = HERE.parent / 'engine' / 'data' / 'tfjs_print_cases.json'
DEFAULT_NODE_PATH = '/tmp/tfjs-ref/node_modules'

NAN, INF = math.nan, math.inf


def _f32(values: Any) -> list[float]:
    """Python floats that are exactly float32 values, so tfjs and numpy store the same."""
    return np.asarray(values, dtype=np.float32).astype(np.float64).ravel().tolist()


def _cases() -> list[tuple[str, Any, list[int], str, bool]]:
    """(name, flat values, shape, dtype, verbose) for every case."""
    rng = np.random.default_rng(7)
    normal = _f32(rng.standard_normal(24))
    cases: list[tuple[str, Any, list[int], str, bool]] = [
        ('scalar_float', [3.14159], [], 'float32', False),
        ('scalar_float_tenth', [0.1], [], 'float32', True),
        ('scalar_float_tiny', [1e-7], [], 'float32', False),
        ('scalar_float_big', [123456.789], [], 'float32', False),
        ('scalar_float_neg_zero', [-0.0], [], 'float32', False),
        ('scalar_float_nan', [NAN], [], 'float32', False),
        ('scalar_float_neg_inf', [-INF], [], 'float32', True),
        ('scalar_float_huge', [3e38], [], 'float32', False),
        ('scalar_int', [42], [], 'int32', False),
        ('scalar_int_negative', [-7], [], 'int32', True),
        ('scalar_bool_true', [True], [], 'bool', False),
        ('scalar_bool_false', [False], [], 'bool', True),
        ('scalar_string', ['hello'], [], 'string', False),
        ('scalar_string_verbose', ["it's"], [], 'string', True),
        ('scalar_complex', [(1.5, -2.0)], [], 'complex64', False),
        ('vector_float_mixed', [1, -2.5, 0.1, 1e-7, 123456.789, NAN, INF, -INF], [8], 'float32',
         False),
        ('vector_float_mixed_verbose', [1, -2.5, 0.1, 1e-7, 123456.789, NAN, INF, -INF], [8],
         'float32', True),
        ('vector_float_extremes', [1e-8, 3e-7, -5e-7, 1.5e-6, 1e21, -1e22, 3.4e38, 1.1754944e-38],
         [8], 'float32', False),
        ('vector_float_halfway', [0.00390625, -0.00390625, 0.01171875, 1.00390625, 2.5, -0.0],
         [6], 'float32', False),
        ('vector_float_rounding', [1 / 3, 2 / 3, -1 / 3, 1e-5, 0.123456789, 9.99999999], [6],
         'float32', False),
        ('vector_float_normal', normal[:8], [8], 'float32', False),
        ('vector_int', [1, -20, 300, 2147483647, -2147483648], [5], 'int32', False),
        ('vector_bool', [True, False, True], [3], 'bool', True),
        ('vector_string', ['a', 'bc', "it's", 'ünï', '😀x'], [5], 'string', False),
        ('vector_complex', [(1, 2), (-0.5, 0.1), (1e-8, -3)], [3], 'complex64', False),
        ('vector_one', [5.5], [1], 'float32', False),
        ('matrix_float', [1.5, -2, 3.25, 100, 0.001, -0.5], [2, 3], 'float32', False),
        ('matrix_float_verbose', [1.5, -2, 3.25, 100, 0.001, -0.5], [2, 3], 'float32', True),
        ('matrix_float_normal', normal[:12], [4, 3], 'float32', False),
        ('matrix_int', [1, -22, 333, 4444, 5, -6], [3, 2], 'int32', False),
        ('matrix_bool', [True, False, False, True, True, True], [2, 3], 'bool', False),
        ('matrix_string', ['a', 'long one', '😀', 'bb', 'c', "d'"], [3, 2], 'string', True),
        ('matrix_complex', [(1, 2), (-10.25, 0.5), (0, 0), (3, -4)], [2, 2], 'complex64', False),
        ('matrix_one_row', [1, 2], [1, 2], 'float32', False),
        ('matrix_one_by_one', [7], [1, 1], 'int32', True),
        ('matrix_one_column', [1, 22, 333], [3, 1], 'int32', False),
        ('rank3', list(range(12)), [2, 2, 3], 'int32', False),
        ('rank3_float', [v / 4 - 1 for v in range(12)], [3, 2, 2], 'float32', True),
        ('rank3_one', [1.5, 2.5], [1, 1, 2], 'float32', False),
        ('rank4', [v * 1.5 - 7 for v in range(16)], [2, 2, 2, 2], 'float32', False),
        ('rank4_bool', [v % 3 == 0 for v in range(8)], [2, 1, 2, 2], 'bool', True),
        ('rank5', list(range(8)), [2, 1, 2, 1, 2], 'int32', False),
        ('rank5_verbose', normal[:8], [1, 2, 2, 1, 2], 'float32', True),
        ('rank6', list(range(-8, 8)), [1, 2, 1, 2, 2, 2], 'int32', False),
        ('rank6_ones', [0.25], [1, 1, 1, 1, 1, 1], 'float32', True),
        ('empty_vector', [], [0], 'float32', False),
        ('empty_vector_verbose', [], [0], 'int32', True),
        ('empty_rows', [], [2, 0], 'float32', False),
        ('empty_columns', [], [0, 2], 'float32', True),
        ('empty_rank3', [], [2, 0, 3], 'float32', False),
        ('empty_rank3_inner', [], [2, 3, 0], 'bool', False),
        ('empty_string', [], [0], 'string', False),
        ('long_vector_float', [i * 0.25 - 100 for i in range(1000)], [1000], 'float32', False),
        ('long_vector_int_verbose', list(range(-500, 500)), [1000], 'int32', True),
        ('vector_21', normal[:21], [21], 'float32', False),
        ('vector_20', normal[:20], [20], 'float32', False),
        ('long_vector_bool', [i % 2 == 0 for i in range(25)], [25], 'bool', False),
        ('long_vector_string', [f's{i}' for i in range(22)], [22], 'string', False),
        ('long_vector_complex', [(i, -i / 2) for i in range(23)], [23], 'complex64', False),
        ('big_matrix_float', [((i * 7919) % 2001 - 1000) / 8 for i in range(10000)],
         [100, 100], 'float32', True),
        ('tall_matrix', [i * 1.5 for i in range(50)], [25, 2], 'float32', False),
        ('wide_matrix', [(i * 37 % 101) - 50 for i in range(75)], [3, 25], 'int32', False),
        ('wide_matrix_float', [((i * 13) % 17) / 3 for i in range(50)], [2, 25], 'float32',
         False),
        ('long_rank3', list(range(100)), [25, 2, 2], 'int32', False),
        ('long_rank3_middle', [i / 10 for i in range(66)], [1, 22, 3], 'float32', True),
    ]
    return cases


def _js_literal(value: Any) -> str:
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, int):
        return str(value)
    if math.isnan(value):
        return 'NaN'
    if math.isinf(value):
        return 'Infinity' if value > 0 else '-Infinity'
    return repr(float(value))


def _js_array(values: list[Any]) -> str:
    return '[' + ','.join(_js_literal(v) for v in values) + ']'


def _expression(values: list[Any], shape: list[int], dtype: str, verbose: bool) -> str:
    to_string = f'.toString({"true" if verbose else "false"})'
    if dtype == 'complex64':
        real = _js_array([v[0] for v in values])
        imag = _js_array([v[1] for v in values])
        return f'tf.complex(tf.tensor({real}, {shape}), tf.tensor({imag}, {shape})){to_string}'
    if not shape:
        return f"tf.scalar({_js_literal(values[0])}, '{dtype}'){to_string}"
    return f"tf.tensor({_js_array(values)}, {shape}, '{dtype}'){to_string}"


def _json_value(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return 'NaN' if math.isnan(value) else ('Infinity' if value > 0 else '-Infinity')
    return value


def _nest(flat: list[Any], shape: list[int]) -> Any:
    if not shape:
        return flat[0]
    if len(shape) == 1:
        return flat
    step = math.prod(shape[1:])
    return [_nest(flat[i * step:(i + 1) * step], shape[1:]) for i in range(shape[0])]


def _run_tfjs(expressions: list[str]) -> list[Any]:
    env = dict(os.environ)
    env.setdefault('NODE_PATH', DEFAULT_NODE_PATH)
    done = subprocess.run(['node', str(EVAL_SCRIPT)], input=json.dumps(expressions),
                          capture_output=True, text=True, env=env, check=True)
    return json.loads(done.stdout)


def main() -> None:
    cases = _cases()
    results = _run_tfjs([_expression(v, s, d, verbose) for _, v, s, d, verbose in cases])
    fixture = []
    for (name, values, shape, dtype, verbose), result in zip(cases, results, strict=True):
        if not isinstance(result, str):
            sys.exit(f'{name}: tfjs did not return a string: {result}')
        flat = [_json_value(v) for v in values]
        fixture.append({'name': name,
                        'input': {'values': _nest(flat, shape), 'shape': shape, 'dtype': dtype},
                        'verbose': verbose, 'expected': result})
    text = '[\n' + ',\n'.join(json.dumps(case, ensure_ascii=False) for case in fixture) + '\n]\n'
    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    FIXTURE.write_text(text, encoding='utf-8')
    print(f'wrote {len(fixture)} cases, {len(text.encode())} bytes, to {FIXTURE}')


if __name__ == '__main__':
    main()
