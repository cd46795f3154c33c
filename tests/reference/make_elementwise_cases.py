"""Regenerates tests/ops/data/tfjs_elementwise_cases.json: values and gradients of the
elementwise ops as real TensorFlow.js 4.22 computes them, for tests/ops/test_elementwise.py.

    NODE_PATH=/tmp/tfjs-ref/node_modules python tests/reference/make_elementwise_cases.py

(see tfjs_eval.js for installing tfjs 4.22.0 there; NODE_PATH defaults to that folder).

A case is {name, kind ('value' or 'grad'), op, args, diff?, float_in_tfjs?, expected}.
An arg is a number, or a tensor {values (flat), shape, dtype}; non-finite numbers are the
strings "NaN", "Infinity", "-Infinity". `diff` lists the args a 'grad' case differentiates.
`float_in_tfjs` marks a float function given int32 or bool input: tfjs refuses it or truncates
the result to int32, tfjs_py casts it to float32 first, so tfjs gets the input cast to float32.
`expected` is a tensor {shape, dtype, values}, a list of them (grads), or {error}.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
EVAL_SCRIPT = HERE / 'tfjs_eval.js'
FIXTURE = HERE.parent / 'ops' / 'data' / 'tfjs_elementwise_cases.json'
DEFAULT_NODE_PATH = '/tmp/tfjs-ref/node_modules'

NAN, INF = 'NaN', 'Infinity'
NINF = '-Infinity'


def t(values: list, shape: list[int] | None = None, dtype: str = 'float32') -> dict:
    return {'values': values, 'shape': [len(values)] if shape is None else shape, 'dtype': dtype}


# Inputs shared by many cases (every float is exact in float32).
F_EDGE = t([-3.5, -1, -0.5, 0, 0.5, 1, 2.5, NAN, INF, NINF], [2, 5])
F_UNIT = t([-1, -0.75, -0.25, 0, 0.25, 0.5, 1, 1.5, NAN, NINF], [2, 5])
F_POS = t([0.125, 0.5, 1, 1.5, 2, 4, 100, 0, INF, NAN], [10])
HALVES = t([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5, 2.4375, -0.375, -3.75])
I_EDGE = t([-7, -2, -1, 0, 1, 3, 8], dtype='int32')
I_POS = t([0, 1, 2, 3, 4, 9], dtype='int32')
B_EDGE = t([True, False], dtype='bool')
F_TINY = t([-20, -1e-5, 1e-5, 15, 20, -15], dtype='float32')

FLOAT_UNARY = ('acos acosh asin asinh atan atanh cos cosh elu erf exp expm1 log log1p '
               'logSigmoid reciprocal rsqrt selu sigmoid sin sinh softplus sqrt tan tanh '
               'leakyRelu').split()
NUMERIC_UNARY = 'abs neg square relu relu6 sign round floor ceil step'.split()
PREDICATES = 'isNaN isInf isFinite'.split()

# Binary inputs: broadcast [2, 3] with [3]; int32 pairs with zeros and negatives; bools.
A23 = t([-7.5, -1, 0, 2, 5.5, NAN], [2, 3])
B3 = t([2, -2, 0], [3])
A_SPECIAL = t([-5, 5, -5, 5, 0, INF, NINF, 1, 1, -1, NAN, 2], [12])
B_SPECIAL = t([INF, INF, NINF, NINF, 0, 2, 3, NAN, INF, NINF, 0, NAN], [12])
IA = t([-7, 7, -7, 7, 0, 5, -6, 6, 2, -2], dtype='int32')
IB = t([2, 2, -2, -2, 0, 0, 3, -3, -1, 3], dtype='int32')
BA = t([True, False, True, False], dtype='bool')
BB = t([True, True, False, False], dtype='bool')
MIX_I = t([-3, 0, 4], [3], 'int32')
MIX_F = t([1.5, -0.5, 2], [1, 3])

ARITH = ('add sub mul div floorDiv mod pow maximum minimum squaredDifference divNoNan '
         'equal notEqual greater greaterEqual less lessEqual').split()


def value_cases() -> list[dict]:
    cases: list[dict] = []

    def add(name: str, op: str, args: list, float_in_tfjs: bool = False) -> None:
        cases.append({'name': name, 'kind': 'value', 'op': op, 'args': args,
                      'float_in_tfjs': float_in_tfjs})

    for op in FLOAT_UNARY:
        add(f'{op}_float', op, [F_EDGE])
        add(f'{op}_int32', op, [I_EDGE], float_in_tfjs=True)
        add(f'{op}_bool', op, [B_EDGE], float_in_tfjs=True)
    for op in ('acos', 'asin', 'atanh', 'acosh', 'atan', 'asinh'):
        add(f'{op}_unit', op, [F_UNIT])
    for op in ('sqrt', 'rsqrt', 'log', 'log1p', 'reciprocal', 'acosh'):
        add(f'{op}_positive', op, [F_POS])
    for op in ('exp', 'expm1', 'log1p', 'softplus', 'sigmoid', 'logSigmoid', 'elu', 'selu',
               'tanh', 'erf'):
        add(f'{op}_tails', op, [F_TINY])
    add('leakyRelu_alpha', 'leakyRelu', [F_EDGE, 0.5])
    add('leakyRelu_alpha_int32', 'leakyRelu', [I_EDGE, -1.5], float_in_tfjs=True)
    for op in NUMERIC_UNARY:
        add(f'{op}_float', op, [F_EDGE])
        add(f'{op}_halves', op, [HALVES])
        if op not in ('floor', 'ceil'):  # tfjs refuses int32 there; tfjs_py returns a copy
            add(f'{op}_int32', op, [I_EDGE])
    for op in ('abs', 'neg', 'square', 'relu', 'relu6', 'sign', 'round', 'step'):
        add(f'{op}_bool', op, [B_EDGE])
    add('step_alpha', 'step', [F_EDGE, -0.5])
    add('step_alpha_int32', 'step', [I_EDGE, 2.75])
    add('relu6_big', 'relu6', [t([-1, 0, 3, 6, 7, 1e6, NAN])])
    add('relu6_int32_big', 'relu6', [t([-1, 0, 3, 6, 7, 100], dtype='int32')])
    for op in PREDICATES:
        add(f'{op}_float', op, [F_EDGE])
        add(f'{op}_int32', op, [I_EDGE])
        add(f'{op}_bool', op, [B_EDGE])
    add('clipByValue_float', 'clipByValue', [F_EDGE, -1, 1.5])
    add('clipByValue_int32', 'clipByValue', [I_EDGE, -2, 3])
    add('clipByValue_int32_float_bounds', 'clipByValue', [I_EDGE, -2.5, 3.5])
    add('clipByValue_equal_bounds', 'clipByValue', [F_EDGE, 2, 2])
    add('clipByValue_scalar', 'clipByValue', [t([7.25], []), 0, 5])
    add('logicalNot', 'logicalNot', [t([True, False, True], [3], 'bool')])

    for op in ARITH:
        add(f'{op}_broadcast', op, [A23, B3])
        add(f'{op}_special', op, [A_SPECIAL, B_SPECIAL])
        add(f'{op}_int32', op, [IA, IB])
        add(f'{op}_bool', op, [BA, BB])
        add(f'{op}_mixed', op, [MIX_I, MIX_F])
    add('pow_int32_negative_exponent', 'pow',
        [t([2, -2, 1, -1, 0, 3, 10], dtype='int32'), t([-1, -1, -3, -3, -1, 19, 2], dtype='int32')])
    add('pow_float_fractional', 'pow', [t([-8, 8, 0, 0, 2, 0.25]), t([1 / 3, 1 / 3, -1, 0, 0.5,
                                                                           -0.5])])
    add('mod_float_small_negative', 'mod', [t([-1e-8, -0.25, 1e-8]), t([1, 1, -1])])
    add('floorDiv_float_big', 'floorDiv', [t([3e9, -3e9, 7]), t([1, 1, 1e-30])])
    add('atan2_broadcast', 'atan2', [A23, B3])
    add('atan2_special', 'atan2', [A_SPECIAL, B_SPECIAL])
    add('atan2_int32', 'atan2', [IA, IB], float_in_tfjs=True)
    add('atan2_mixed', 'atan2', [MIX_I, MIX_F])
    for op in ('logicalAnd', 'logicalOr', 'logicalXor'):
        add(f'{op}', op, [BA, BB])
        add(f'{op}_broadcast', op, [t([True, False], [2, 1], 'bool'),
                                    t([True, False, True], [3], 'bool')])
        add(f'{op}_int32_error', op, [IA, IB])
    add('prelu_broadcast', 'prelu', [A23, t([0.5, -2, 0.25], [3])])
    add('prelu_scalar_alpha', 'prelu', [F_EDGE, t([0.1], [])])
    add('where_same_shape', 'where', [t([True, False, True, False], [4], 'bool'),
                                      t([1, 2, 3, 4]), t([-1, -2, -3, -4])])
    add('where_broadcast_condition', 'where',
        [t([True, False], [2, 1], 'bool'), t([1, 2, 3, 4, 5, 6], [2, 3]), t([0, -1, -2], [3])])
    add('where_broadcast_all', 'where',
        [t([True, False, True], [3], 'bool'), t([10], [1, 1]), t([-1, -2], [2, 1])])
    add('where_rank1_condition_2d', 'where',
        [t([True, False], [2], 'bool'), t([1, 2, 3, 4], [2, 2]), t([5, 6, 7, 8], [2, 2])])
    add('where_int32', 'where', [t([False, True, True], [3], 'bool'),
                                 t([1, 2, 3], [3], 'int32'), t([-1, -2, -3], [3], 'int32')])
    add('where_mixed', 'where', [t([False, True], [2], 'bool'),
                                 t([1, 2], [2], 'int32'), t([0.5, 1.5], [2])])
    add('addN_float', 'addN', [[t([1, 2, NAN]), t([0.5, INF, 1]), t([-1, 1, 2])]])
    add('addN_int32', 'addN', [[t([1, 2], dtype='int32'), t([3, -5], dtype='int32')]])
    add('addN_bool', 'addN', [[t([True, False, False], dtype='bool'),
                              t([True, True, False], dtype='bool')]])
    add('addN_single', 'addN', [[t([1.5, -2], [1, 2])]])
    add('addN_scalars', 'addN', [[t([1.5], []), t([2], []), t([3], []), t([4], [])]])
    add('high_rank_add', 'add', [t(list(range(32)), [2, 2, 2, 2, 2]), t([1, -1], [2])])
    add('empty_mul', 'mul', [t([], [0, 3]), t([1, 2, 3], [3])])
    add('empty_exp', 'exp', [t([], [2, 0])])
    return cases


GRAD_X = t([-2.5, -1, -0.25, 0, 0.75, 1.5, 3], [7])
GRAD_UNIT = t([-0.75, -0.25, 0, 0.3, 0.6], [5])
GRAD_POS = t([0.25, 0.5, 1, 2, 4.5], [5])
GRAD_BIG = t([1.25, 2, 3, 5.5], [4])


def grad_cases() -> list[dict]:
    cases: list[dict] = []

    def add(name: str, op: str, args: list, diff: list[int]) -> None:
        cases.append({'name': f'grad_{name}', 'kind': 'grad', 'op': op, 'args': args,
                      'diff': diff})

    for op in ('abs neg square relu relu6 sign round floor ceil step exp expm1 sin cos tan '
               'atan sinh cosh tanh asinh sigmoid softplus logSigmoid erf elu selu '
               'leakyRelu').split():
        add(op, op, [GRAD_X], [0])
    for op in ('asin', 'acos', 'atanh'):
        add(op, op, [GRAD_UNIT], [0])
    for op in ('log', 'log1p', 'sqrt', 'rsqrt', 'reciprocal'):
        add(op, op, [GRAD_POS], [0])
    add('acosh', 'acosh', [GRAD_BIG], [0])
    # Kinks and ties, where tfjs makes a choice.
    add('abs_kink', 'abs', [t([0, -0.5, 0.5])], [0])
    add('relu_kink', 'relu', [t([0, -1, 1])], [0])
    add('relu6_kinks', 'relu6', [t([0, 6, 5.5, 6.5, -1])], [0])
    add('leakyRelu_kink', 'leakyRelu', [t([0, -1, 1]), 0.3], [0])
    add('elu_kink', 'elu', [t([0, -1, 1])], [0])
    add('selu_kink', 'selu', [t([0, -1, 1])], [0])
    add('step_alpha', 'step', [t([0, -1, 1]), 0.5], [0])
    add('clipByValue_bounds', 'clipByValue', [t([-2, -1, 0, 1.5, 2, 3]), -1, 1.5], [0])
    add('maximum_ties', 'maximum', [t([1, 2, 3, NAN]), t([1, 3, 2, 0])], [0, 1])
    add('minimum_ties', 'minimum', [t([1, 2, 3, NAN]), t([1, 3, 2, 0])], [0, 1])
    add('pow', 'pow', [t([0.5, 1.5, 2, 3]), t([2, 0.5, -1, 3])], [0, 1])
    add('pow_base_zero', 'pow', [t([0, 0, 0, -2, -2]), t([2, 1, 0.5, 2, 3])], [0, 1])
    add('pow_broadcast', 'pow', [t([1.5, 2, 2.5, 3], [2, 2]), t([2], [])], [0, 1])
    add('mod', 'mod', [t([5.5, -5.5, 7, -2]), t([2, 2, -3, 1.5])], [0, 1])
    add('floorDiv', 'floorDiv', [t([5.5, -5.5, 7, -2]), t([2, 2, -3, 1.5])], [0, 1])
    add('atan2', 'atan2', [t([1, -2, 0.5, 3], [2, 2]), t([2, 0.5], [2])], [0, 1])
    # tfjs does not sum broadcast gradients of squaredDifference (tfjs_py does): same shapes.
    add('squaredDifference', 'squaredDifference', [t([1, -2, 0.5, 3]), t([2, 0.5, 0.5, -1])],
        [0, 1])
    add('add_broadcast', 'add', [t([1, -2, 0.5, 3, 4, 5], [2, 3]), t([2], [1, 1])], [0, 1])
    add('sub_broadcast', 'sub', [t([1, -2, 0.5, 3, 4, 5], [2, 3]), t([2, 1, 0], [3])], [0, 1])
    add('mul_broadcast', 'mul', [t([1, -2, 0.5, 3, 4, 5], [2, 3]), t([2, 1], [2, 1])], [0, 1])
    add('div_broadcast', 'div', [t([1, -2, 0.5, 3, 4, 5], [2, 3]), t([2, -4, 0.5], [3])], [0, 1])
    add('prelu', 'prelu', [t([-1, 2, -3, 0, 0.5, -0.5], [2, 3]), t([0.25, 0.5, -1], [3])], [0, 1])
    add('where', 'where', [t([True, False, True], [3], 'bool'), t([1, 2, 3]), t([4, 5, 6])],
        [1, 2])
    add('where_broadcast', 'where', [t([True, False], [2, 1], 'bool'), t([1, 2, 3], [3]),
                                     t([4, 5, 6, 7, 8, 9], [2, 3])], [1, 2])
    add('addN', 'addN', [[t([1, 2]), t([3, 4]), t([5, 6])]], [0])
    return cases


def _js_number(v: Any) -> str:
    if v == NAN:
        return 'NaN'
    if v == INF:
        return 'Infinity'
    if v == NINF:
        return '-Infinity'
    if isinstance(v, bool):
        return 'true' if v else 'false'
    return repr(float(v)) if isinstance(v, float) else str(v)


def _js_arg(arg: Any, to_float: bool) -> str:
    if isinstance(arg, list):
        return '[' + ', '.join(_js_arg(a, to_float) for a in arg) + ']'
    if isinstance(arg, dict):
        values = ', '.join(_js_number(v) for v in arg['values'])
        expr = f"tf.tensor([{values}], {arg['shape']}, '{arg['dtype']}')"
        if to_float and arg['dtype'] != 'float32':
            expr += '.toFloat()'
        return expr
    return _js_number(arg)


def js_expression(case: dict) -> str:
    args = [_js_arg(a, case.get('float_in_tfjs', False)) for a in case['args']]
    if case['kind'] == 'value':
        return f"tf.{case['op']}({', '.join(args)})"
    diff = case['diff']
    if case['op'] == 'addN':
        return f"tf.grads((...ts) => tf.addN(ts))({args[0]})"
    params = [f'p{i}' for i in diff]
    call = ', '.join(f'p{i}' if i in diff else a for i, a in enumerate(args))
    sources = ', '.join(args[i] for i in diff)
    return f"tf.grads(({', '.join(params)}) => tf.{case['op']}({call}))([{sources}])"


def main() -> None:
    cases = value_cases() + grad_cases()
    names = [c['name'] for c in cases]
    assert len(names) == len(set(names)), 'duplicate case names'
    env = dict(os.environ)
    env.setdefault('NODE_PATH', DEFAULT_NODE_PATH)
    out = subprocess.run(['node', str(EVAL_SCRIPT)], input=json.dumps(
        [js_expression(c) for c in cases]), capture_output=True, text=True, env=env, check=True)
    results = json.loads(out.stdout)
    for case, result in zip(cases, results, strict=True):
        case['expected'] = result
        if not case.get('float_in_tfjs'):
            case.pop('float_in_tfjs', None)
    FIXTURE.parent.mkdir(exist_ok=True)
    FIXTURE.write_text(json.dumps(cases, indent=None, separators=(',', ':')).replace(
        '},{"name"', '},\n{"name"') + '\n')
    errors = sum(1 for c in cases if isinstance(c['expected'], dict) and 'error' in c['expected'])
    print(f'wrote {len(cases)} cases ({errors} errors) to {FIXTURE}', file=sys.stderr)


if __name__ == '__main__':
    main()
