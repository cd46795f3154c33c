"""Regenerates tests/ops/data/tfjs_reduce_linalg_cases.json: reductions and matrix products
(and their gradients) computed by real TensorFlow.js 4.22, for tests/ops/test_reduce.py and
tests/ops/test_linalg.py.

    NODE_PATH=/tmp/tfjs-ref/node_modules python tests/reference/make_reduce_linalg_cases.py

Each case is {name, fn, tensors, args, grad, expected}. `fn` is a tf function name; `tensors`
are {values, shape, dtype} with non-finite values as the strings "NaN", "Infinity",
"-Infinity"; `args` follow the tensors in the call, with the same strings for non-finite
numbers. With `grad`, expected holds the gradient of sum(fn(...)) with respect to tensor 0.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
EVAL_SCRIPT = HERE / 'tfjs_eval.js'
FIXTURE = HERE.parent / 'ops' / 'data' / 'tfjs_reduce_linalg_cases.json'
DEFAULT_NODE_PATH = '/tmp/tfjs-ref/node_modules'


def values(shape: list[int], seed: int, special: bool = False, ints: bool = False) -> list:
    """Small exact numbers (multiples of 1/4), with ties; NaN and +-Infinity if `special`."""
    rng = np.random.default_rng(seed)
    n = int(np.prod(shape))
    out: list[Any] = (rng.integers(-6, 7, n) if ints else rng.integers(-12, 13, n) / 4).tolist()
    if special and n >= 6:
        out[1], out[4], out[n - 1] = 'NaN', 'Infinity', '-Infinity'
    return out


def tensor(shape: list[int], seed: int, dtype: str = 'float32', special: bool = False) -> dict:
    if dtype == 'bool':
        vals = (np.random.default_rng(seed).random(int(np.prod(shape))) > 0.4).tolist()
    else:
        vals = values(shape, seed, special, ints=dtype == 'int32')
    return {'values': vals, 'shape': shape, 'dtype': dtype}


def cases() -> list[dict]:
    out = []

    def add(name: str, fn: str, tensors: list[dict], args: list, grad: bool = False) -> None:
        out.append({'name': name, 'fn': fn, 'tensors': tensors, 'args': args, 'grad': grad})

    axes_list: list[Any] = [None, 0, 1, -1, [0, 2], [2, 0, 1]]
    for fn in ('sum', 'mean', 'prod', 'max', 'min', 'logSumExp'):
        for i, axis in enumerate(axes_list):
            for keep in (False, True):
                # tfjs' Prod gradient fails on a negative axis
                add(f'{fn} axis={axis} keepDims={keep}', fn, [tensor([2, 3, 4], i)],
                    [axis, keep], grad=not (fn == 'prod' and axis == -1))
        add(f'{fn} NaN/Infinity', fn, [tensor([2, 3, 4], 9, special=True)], [1])
        add(f'{fn} int32', fn, [tensor([3, 4], 10, 'int32')], [0])
        add(f'{fn} rank 5', fn, [tensor([2, 1, 3, 2, 2], 11)], [[1, 3, 4], True])
    for fn in ('sum', 'prod', 'max', 'min', 'mean'):
        add(f'{fn} bool', fn, [tensor([3, 4], 12, 'bool')], [1])
    for fn in ('all', 'any'):
        for axis in (None, 0, [0, 1]):
            add(f'{fn} axis={axis}', fn, [tensor([3, 4], 13, 'bool')], [axis, True])
    for fn in ('argMax', 'argMin'):
        for axis in (0, 1, -1):
            add(f'{fn} axis={axis}', fn, [tensor([2, 3, 4], 14)], [axis])
        add(f'{fn} NaN/Infinity', fn, [tensor([4, 6], 15, special=True)], [1])
        add(f'{fn} int32', fn, [tensor([4, 5], 16, 'int32')], [0])
    for fn in ('cumsum', 'cumprod'):
        for axis in (0, 1, 2):
            for exclusive in (False, True):
                for reverse in (False, True):
                    add(f'{fn} axis={axis} exclusive={exclusive} reverse={reverse}', fn,
                        [tensor([2, 3, 4], 17 + axis)], [axis, exclusive, reverse],
                        # tfjs' Cumsum gradient has the wrong shape unless axis is last
                        grad=fn == 'cumsum' and axis == 2)
        add(f'{fn} int32', fn, [tensor([3, 4], 20, 'int32')], [1])
    for ord_, axis in (('euclidean', None), (1, None), ('Infinity', None), ('-Infinity', None),
                       (2, 1), (1, 0), ('Infinity', -1), ('fro', [0, 1]), (1, [0, 1]),
                       ('Infinity', [0, 1]), ('-Infinity', [0, 1]), ('euclidean', [1, 2])):
        shape = [3, 4] if axis != [1, 2] else [2, 3, 4]
        for keep in (False, True):
            add(f'norm ord={ord_} axis={axis} keepDims={keep}', 'norm', [tensor(shape, 21)],
                [ord_, axis, keep], grad=ord_ in ('euclidean', 'fro', 2))
    add('unsortedSegmentSum', 'unsortedSegmentSum',
        [tensor([5, 3], 22), {'values': [2, 0, 2, 1, 0], 'shape': [5], 'dtype': 'int32'}], [4],
        grad=True)
    for ta in (False, True):
        for tb in (False, True):
            sa = [2, 4, 3] if ta else [2, 3, 4]
            sb = [5, 4] if tb else [4, 5]
            add(f'matMul transposeA={ta} transposeB={tb}', 'matMul',
                [tensor(sa, 23), tensor(sb, 24)], [ta, tb], grad=True)
    add('matMul int32', 'matMul', [tensor([2, 3], 25, 'int32'), tensor([3, 2], 26, 'int32')], [])
    for eq, shapes in (('ij,jk->ik', ([2, 3], [3, 4])), ('bij,bjk->bik', ([2, 2, 3], [2, 3, 2])),
                       ('ij,kj->ki', ([2, 3], [4, 3])), ('ijk->kij', ([2, 3, 4],)),
                       ('ijk->j', ([2, 3, 4],)), ('i,j->ji', ([3], [2])), ('ij,ij->', ([2, 3],
                                                                                       [2, 3]))):
        add(f'einsum {eq}', 'einsum', [tensor(s, 27 + i) for i, s in enumerate(shapes)], [eq])
    return out


def js_number(v: Any) -> str:
    return v if v in ('NaN', 'Infinity', '-Infinity') else json.dumps(v)


def js_tensor(t: dict) -> str:
    vals = '[' + ','.join(js_number(v) if t['dtype'] != 'bool' else json.dumps(v)
                          for v in t['values']) + ']'
    return f"tf.tensor({vals}, {json.dumps(t['shape'])}, '{t['dtype']}')"


def js_expr(case: dict) -> str:
    args = ', '.join(js_number(a) if isinstance(a, str) and a in ('NaN', 'Infinity', '-Infinity')
                     else json.dumps(a) for a in case['args'])
    tensors = [js_tensor(t) for t in case['tensors']]
    if case['fn'] == 'einsum':
        return f"tf.einsum({args}, {', '.join(tensors)})"
    if case['grad']:
        rest = ''.join(f', {t}' for t in tensors[1:])
        return f"tf.grad(x => tf.{case['fn']}(x{rest}{', ' + args if args else ''}))({tensors[0]})"
    return f"tf.{case['fn']}({', '.join(tensors)}{', ' + args if args else ''})"


def main() -> None:
    all_cases = cases()
    env = dict(os.environ)
    env.setdefault('NODE_PATH', DEFAULT_NODE_PATH)
    run = subprocess.run(['node', str(EVAL_SCRIPT)], input=json.dumps([js_expr(c) for c in
                                                                       all_cases]),
                         capture_output=True, text=True, env=env, check=True)
    results = json.loads(run.stdout)
    for case, result in zip(all_cases, results, strict=True):
        if isinstance(result, dict) and 'error' in result:
            raise SystemExit(f"{case['name']}: tfjs failed: {result['error']}")
        case['expected'] = result
    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    FIXTURE.write_text(json.dumps(all_cases, indent=None, separators=(',', ':')) + '\n')
    print(f'wrote {len(all_cases)} cases to {FIXTURE}')


if __name__ == '__main__':
    main()
