"""Regenerates tests/ops/data/tfjs_conv_pool_cases.json: convolution and pooling results (and
gradients) computed by real TensorFlow.js 4.22, for tests/ops/test_conv.py and test_pool.py.

    NODE_PATH=/tmp/tfjs-ref/node_modules python tests/reference/make_conv_pool_cases.py

Each case is {name, fn, tensors, args, grad, expected}. `fn` is a tf function path
('conv2d', 'fused.conv2d'); `tensors` are input patterns {shape, a, m, offset, div}, whose
flat values are ((i * a) % m - offset) / div (exact in float32, made the same way here and in
the tests); `args` are the call's arguments, where {"t": k} stands for tensors[k] and a dict
is one config argument (tf.fused.*). With `grad`, expected holds the gradients of
sum(fn(...) * w) with respect to every tensor, w being the pattern `grad`.
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
FIXTURE = HERE.parent / 'ops' / 'data' / 'tfjs_conv_pool_cases.json'
DEFAULT_NODE_PATH = '/tmp/tfjs-ref/node_modules'


def pat(shape: list[int], a: int = 7, m: int = 11, offset: float = 5, div: float = 4) -> dict:
    return {'shape': shape, 'a': a, 'm': m, 'offset': offset, 'div': div}


def t(k: int) -> dict:
    return {'t': k}


def _case(name: str, fn: str, tensors: list[dict], args: list[Any], grad: dict | None = None
          ) -> dict:
    return {'name': name, 'fn': fn, 'tensors': tensors, 'args': args, 'grad': grad}


def _conv_cases() -> list[dict]:
    x = pat([2, 5, 6, 3])
    x_nchw = pat([2, 3, 5, 6])
    w = pat([3, 2, 3, 4], 5, 7, 3, 3)
    out = []
    # tfjs sizes a numeric pad with the filter height and height stride for both
    # dimensions, so numeric pads are compared with square filters and strides only.
    w_sq = pat([3, 3, 3, 2], 5, 7, 3, 3)
    for strides in (1, 2, [2, 1]):
        for pad in ('same', 'valid', [[0, 0], [1, 0], [2, 1], [0, 0]]):
            out.append(_case(f'conv2d_s{strides}_p{pad}', 'conv2d', [x, w],
                             [t(0), t(1), strides, pad]))
    for strides in (1, 2):
        out.append(_case(f'conv2d_s{strides}_p1', 'conv2d', [x, w_sq], [t(0), t(1), strides, 1]))
    for pad in ('same', 'valid', [[0, 0], [0, 0], [1, 2], [0, 1]]):
        out.append(_case(f'conv2d_nchw_p{pad}', 'conv2d', [x_nchw, w],
                         [t(0), t(1), [1, 2], pad, 'NCHW']))
    for dil in (2, [1, 2]):
        for pad in ('same', 'valid'):
            out.append(_case(f'conv2d_d{dil}_p{pad}', 'conv2d', [pat([1, 7, 7, 3]), w],
                             [t(0), t(1), 1, pad, 'NHWC', dil]))
    out.append(_case('conv2d_dil_nchw', 'conv2d', [pat([1, 3, 7, 6]), w],
                     [t(0), t(1), 1, 'same', 'NCHW', [2, 1]]))
    for mode in ('floor', 'round', 'ceil'):
        out.append(_case(f'conv2d_round_{mode}', 'conv2d', [pat([1, 6, 6, 3]), w_sq],
                         [t(0), t(1), 2, 1, 'NHWC', 1, mode]))
    out.append(_case('conv2d_unbatched', 'conv2d', [pat([5, 6, 3]), w],
                     [t(0), t(1), 1, 'same']))
    out.append(_case('conv2d_square_numeric_pad', 'conv2d', [pat([1, 5, 5, 3]), pat([3, 3, 3, 2])],
                     [t(0), t(1), 2, 1]))
    # conv1d
    x1 = pat([2, 9, 3])
    w1 = pat([3, 3, 2], 5, 7, 3, 3)
    for stride, pad, dil in ((1, 'same', 1), (2, 'valid', 1), (1, 'same', 2), (3, 'same', 1),
                             (1, 'valid', 3), (2, [[0, 0], [0, 0], [2, 1], [0, 0]], 1)):
        out.append(_case(f'conv1d_s{stride}_p{pad}_d{dil}', 'conv1d', [x1, w1],
                         [t(0), t(1), stride, pad, 'NWC', dil]))
    out.append(_case('conv1d_unbatched', 'conv1d', [pat([9, 3]), w1], [t(0), t(1), 2, 'same']))
    # conv2dTranspose
    wt = pat([3, 3, 2, 4], 5, 7, 3, 3)
    for dy_shape, shape, strides, pad in (([2, 6, 6, 4], [2, 6, 6, 2], 1, 'same'),
                                          ([2, 6, 6, 4], [2, 8, 8, 2], 1, 'valid'),
                                          ([2, 5, 5, 4], [2, 11, 11, 2], 2, 'valid'),
                                          ([2, 6, 6, 4], [2, 12, 12, 2], 2, 'same'),
                                          ([2, 6, 5, 4], [2, 6, 5, 2], 1, 1),
                                          ([2, 3, 3, 4], [2, 6, 6, 2], 2, 1)):
        out.append(_case(f'conv2dTranspose_{shape}_s{strides}_p{pad}', 'conv2dTranspose',
                         [pat(dy_shape), wt], [t(0), t(1), shape, strides, pad]))
    out.append(_case('conv2dTranspose_unbatched', 'conv2dTranspose', [pat([3, 3, 4]), wt],
                     [t(0), t(1), [6, 6, 2], 2, 'same']))
    # conv3d / conv3dTranspose
    x3 = pat([2, 4, 5, 3, 2])
    w3 = pat([2, 3, 2, 2, 3], 5, 7, 3, 3)
    for strides, pad, dil in ((1, 'same', 1), (2, 'valid', 1), ([1, 2, 1], 'same', 1),
                              (1, 'valid', [2, 1, 1]), (1, 'same', 2)):
        out.append(_case(f'conv3d_s{strides}_p{pad}_d{dil}', 'conv3d', [x3, w3],
                         [t(0), t(1), strides, pad, 'NDHWC', dil]))
    out.append(_case('conv3d_unbatched', 'conv3d', [pat([4, 5, 3, 2]), w3],
                     [t(0), t(1), 1, 'valid']))
    out.append(_case('conv3dTranspose_same', 'conv3dTranspose',
                     [pat([2, 2, 3, 2, 3]), w3], [t(0), t(1), [2, 4, 5, 3, 2], 2, 'same']))
    out.append(_case('conv3dTranspose_valid', 'conv3dTranspose',
                     [pat([2, 3, 3, 2, 3]), w3], [t(0), t(1), [2, 4, 5, 3, 2], 1, 'valid']))
    # depthwise / separable
    wd = pat([3, 2, 3, 2], 5, 7, 3, 3)
    for strides, pad, dil in ((1, 'same', 1), (2, 'valid', 1), ([2, 1], 'same', 1),
                              (1, 'same', [2, 2]), (1, [[0, 0], [1, 1], [0, 2], [0, 0]], 1)):
        out.append(_case(f'depthwise_s{strides}_p{pad}_d{dil}', 'depthwiseConv2d', [x, wd],
                         [t(0), t(1), strides, pad, 'NHWC', dil]))
    out.append(_case('depthwise_round', 'depthwiseConv2d', [x, pat([3, 3, 3, 2], 5, 7, 3, 3)],
                     [t(0), t(1), 2, 1, 'NHWC', 1, 'round']))
    out.append(_case('depthwise_unbatched', 'depthwiseConv2d', [pat([5, 6, 3]), wd],
                     [t(0), t(1), 1, 'valid']))
    pw = pat([1, 1, 6, 4], 3, 5, 2, 2)
    for strides, pad, dil in ((1, 'same', 1), (2, 'valid', 1), (1, 'same', 2)):
        out.append(_case(f'separable_s{strides}_p{pad}_d{dil}', 'separableConv2d', [x, wd, pw],
                         [t(0), t(1), t(2), strides, pad, dil]))
    # fused
    bias = pat([4], 3, 5, 2, 2)
    for act in ('linear', 'relu', 'relu6', 'elu', 'sigmoid'):
        out.append(_case(f'fused_conv2d_{act}', 'fused.conv2d', [x, w, bias],
                         [{'x': t(0), 'filter': t(1), 'strides': 1, 'pad': 'same',
                           'bias': t(2), 'activation': act}]))
    out.append(_case('fused_conv2d_leakyrelu', 'fused.conv2d', [x, w, bias],
                     [{'x': t(0), 'filter': t(1), 'strides': 2, 'pad': 'valid', 'bias': t(2),
                       'activation': 'leakyrelu', 'leakyreluAlpha': 0.3}]))
    out.append(_case('fused_conv2d_prelu', 'fused.conv2d', [x, w, bias, pat([4], 1, 4, 0, 4)],
                     [{'x': t(0), 'filter': t(1), 'strides': 1, 'pad': 'valid', 'bias': t(2),
                       'activation': 'prelu', 'preluActivationWeights': t(3)}]))
    out.append(_case('fused_conv2d_nobias_dil', 'fused.conv2d', [pat([1, 7, 7, 3]), w],
                     [{'x': t(0), 'filter': t(1), 'strides': 1, 'pad': 'same',
                       'dilations': 2, 'activation': 'relu'}]))
    out.append(_case('fused_conv2d_nchw', 'fused.conv2d', [x_nchw, w, bias],
                     [{'x': t(0), 'filter': t(1), 'strides': 1, 'pad': 'same',
                       'dataFormat': 'NCHW', 'bias': t(2)}]))
    out.append(_case('fused_conv2d_bias3d', 'fused.conv2d', [x, w, pat([1, 1, 4], 3, 5, 2, 2)],
                     [{'x': t(0), 'filter': t(1), 'strides': 1, 'pad': 'same', 'bias': t(2)}]))
    bias_d = pat([6], 3, 5, 2, 2)
    for act in ('linear', 'relu', 'relu6'):
        out.append(_case(f'fused_depthwise_{act}', 'fused.depthwiseConv2d', [x, wd, bias_d],
                         [{'x': t(0), 'filter': t(1), 'strides': 1, 'pad': 'same',
                           'bias': t(2), 'activation': act}]))
    out.append(_case('fused_depthwise_prelu', 'fused.depthwiseConv2d',
                     [x, wd, bias_d, pat([6], 1, 4, 0, 4)],
                     [{'x': t(0), 'filter': t(1), 'strides': 2, 'pad': 'valid', 'bias': t(2),
                       'activation': 'prelu', 'preluActivationWeights': t(3)}]))
    return out


def _pool_cases() -> list[dict]:
    x = pat([2, 5, 6, 3], 7, 13, 6, 4)
    out = []
    for fn in ('maxPool', 'avgPool'):
        for size, strides, pad in ((2, 2, 'valid'), (3, 1, 'same'), ([2, 3], [1, 2], 'same'),
                                   (3, 2, 1), (2, 2, [[0, 0], [1, 0], [0, 1], [0, 0]]),
                                   (3, 2, 'same'), (1, 1, 'valid')):
            out.append(_case(f'{fn}_f{size}_s{strides}_p{pad}', fn, [x],
                             [t(0), size, strides, pad]))
        for mode in ('floor', 'round', 'ceil'):
            out.append(_case(f'{fn}_round_{mode}', fn, [pat([1, 6, 6, 2])],
                             [t(0), 3, 2, 0, mode]))
        out.append(_case(f'{fn}_unbatched', fn, [pat([5, 6, 3])], [t(0), 2, 1, 'same']))
    for fn in ('maxPool3d', 'avgPool3d'):
        x3 = pat([2, 4, 5, 3, 2], 7, 13, 6, 4)
        for size, strides, pad in ((2, 1, 'valid'), (2, 2, 'same'), ([2, 3, 1], [1, 2, 1], 'same'),
                                   (3, 2, 1)):
            out.append(_case(f'{fn}_f{size}_s{strides}_p{pad}', fn, [x3],
                             [t(0), size, strides, pad]))
        out.append(_case(f'{fn}_round', fn, [x3], [t(0), 2, 2, 0, 'ceil']))
        out.append(_case(f'{fn}_unbatched', fn, [pat([4, 5, 3, 2])], [t(0), 2, 1, 'same']))
    for ptype in ('max', 'avg'):
        for size, pad, dil, strides in ((2, 'valid', 1, 2), (3, 'same', 2, 1), (2, 'valid', 2, 1),
                                        ([2, 3], 'same', [1, 2], 1), (3, 'same', [3, 2], 1)):
            out.append(_case(f'pool_{ptype}_f{size}_p{pad}_d{dil}_s{strides}', 'pool', [x],
                             [t(0), size, ptype, pad, dil, strides]))
    for size, strides, pad in ((2, 2, 'valid'), (3, 1, 'same'), (2, 1, 'same')):
        for batch in (False, True):
            out.append(_case(f'argmax_f{size}_s{strides}_p{pad}_b{batch}', 'maxPoolWithArgmax',
                             [x], [t(0), size, strides, pad, batch]))
    return out


def _grad_cases() -> list[dict]:
    x = pat([2, 5, 6, 3])
    w = pat([3, 2, 3, 4], 5, 7, 3, 3)
    wd = pat([3, 2, 3, 2], 5, 7, 3, 3)
    out = []
    for strides, pad in ((1, 'same'), (2, 'same'), ([2, 1], 'valid')):
        out.append(_case(f'grad_conv2d_s{strides}_p{pad}', 'conv2d', [x, w],
                         [t(0), t(1), strides, pad], pat([1], 3, 7, 2, 2)))
    out.append(_case('grad_conv2d_s2_p1', 'conv2d', [x, pat([3, 3, 3, 2], 5, 7, 3, 3)],
                     [t(0), t(1), 2, 1], pat([1], 3, 7, 2, 2)))
    out.append(_case('grad_conv2d_nchw', 'conv2d', [pat([2, 3, 5, 6]), w],
                     [t(0), t(1), 2, 'same', 'NCHW'], pat([1], 3, 7, 2, 2)))
    for strides, pad in ((1, 'same'), (2, 'valid')):
        out.append(_case(f'grad_depthwise_s{strides}_p{pad}', 'depthwiseConv2d', [x, wd],
                         [t(0), t(1), strides, pad], pat([1], 3, 7, 2, 2)))
    out.append(_case('grad_conv2dTranspose', 'conv2dTranspose',
                     [pat([2, 3, 3, 4]), pat([3, 3, 2, 4], 5, 7, 3, 3)],
                     [t(0), t(1), [2, 6, 6, 2], 2, 'same'], pat([1], 3, 7, 2, 2)))
    out.append(_case('grad_conv3d', 'conv3d', [pat([1, 4, 5, 3, 2]), pat([2, 3, 2, 2, 3])],
                     [t(0), t(1), [1, 2, 1], 'same'], pat([1], 3, 7, 2, 2)))
    out.append(_case('grad_conv1d', 'conv1d', [pat([2, 9, 3]), pat([3, 3, 2], 5, 7, 3, 3)],
                     [t(0), t(1), 2, 'same'], pat([1], 3, 7, 2, 2)))
    out.append(_case('grad_fused_conv2d_bias', 'fused.conv2d', [x, w, pat([4], 3, 5, 2, 2)],
                     [{'x': t(0), 'filter': t(1), 'strides': 2, 'pad': 'same', 'bias': t(2),
                       'activation': 'relu'}], pat([1], 3, 7, 2, 2)))
    out.append(_case('grad_fused_conv2d_linear', 'fused.conv2d', [x, w, pat([4], 3, 5, 2, 2)],
                     [{'x': t(0), 'filter': t(1), 'strides': 1, 'pad': 'valid', 'bias': t(2)}],
                     pat([1], 3, 7, 2, 2)))
    out.append(_case('grad_fused_depthwise', 'fused.depthwiseConv2d',
                     [x, wd, pat([6], 3, 5, 2, 2)],
                     [{'x': t(0), 'filter': t(1), 'strides': 1, 'pad': 'same', 'bias': t(2)}],
                     pat([1], 3, 7, 2, 2)))
    # Pools: ties (the pattern repeats values) decide where max gradients go.
    xp = pat([2, 5, 6, 3], 7, 5, 2, 1)
    for size, strides, pad in ((2, 2, 'valid'), (3, 1, 'same'), (3, 2, 1)):
        out.append(_case(f'grad_maxPool_f{size}_s{strides}_p{pad}', 'maxPool', [xp],
                         [t(0), size, strides, pad], pat([1], 3, 7, 2, 2)))
    for size, strides in ((2, 2), (3, 1)):
        out.append(_case(f'grad_avgPool_f{size}_s{strides}_valid', 'avgPool', [xp],
                         [t(0), size, strides, 'valid'], pat([1], 3, 7, 2, 2)))
    out.append(_case('grad_maxPool3d', 'maxPool3d', [pat([1, 4, 5, 3, 2], 7, 5, 2, 1)],
                     [t(0), 2, 1, 'same'], pat([1], 3, 7, 2, 2)))
    out.append(_case('grad_avgPool3d_valid', 'avgPool3d', [pat([1, 4, 5, 3, 2], 7, 5, 2, 1)],
                     [t(0), 2, 1, 'valid'], pat([1], 3, 7, 2, 2)))
    out.append(_case('grad_pool_max_dilated', 'pool', [xp], [t(0), 2, 'max', 'valid', 2, 1],
                     pat([1], 3, 7, 2, 2)))
    return out


def _js_tensor(p: dict) -> str:
    n = 1
    for d in p['shape']:
        n *= d
    return (f"tf.tensor(Float32Array.from({{length: {n}}}, (_, i) => ((i * {p['a']}) % {p['m']} "
            f"- {p['offset']}) / {p['div']}), {json.dumps(p['shape'])})")


def _js_value(v: Any) -> str:
    if isinstance(v, dict) and set(v) == {'t'}:
        return f"T[{v['t']}]"
    if isinstance(v, dict):
        return '{' + ', '.join(f'{k}: {_js_value(x)}' for k, x in v.items()) + '}'
    if v is None:
        return 'undefined'
    return json.dumps(v)


def _js(case: dict) -> str:
    tensors = ', '.join(_js_tensor(p) for p in case['tensors'])
    args = ', '.join(_js_value(a) for a in case['args'])
    fn = f"tf.{case['fn']}"
    if case['grad'] is None:
        return f'(() => {{ const T = [{tensors}]; return {fn}({args}); }})()'
    # The weight pattern is laid over the output whatever its shape.
    g = case['grad']
    weight = (f"((y) => tf.tensor(Float32Array.from({{length: y.size}}, (_, i) => ((i * {g['a']}) "
              f"% {g['m']} - {g['offset']}) / {g['div']}), y.shape))")
    names = ', '.join(f'a{i}' for i in range(len(case['tensors'])))
    body = args
    for i in range(len(case['tensors'])):
        body = body.replace(f'T[{i}]', f'a{i}')
    return (f'(() => {{ const T = [{tensors}]; const W = {weight}; '
            f'return tf.grads(({names}) => {{ const y = {fn}({body}); '
            f'return y.mul(W(y)).sum(); }})(T); }})()')


def main() -> None:
    cases = _conv_cases() + _pool_cases() + _grad_cases()
    env = dict(os.environ)
    env.setdefault('NODE_PATH', DEFAULT_NODE_PATH)
    proc = subprocess.run(['node', str(EVAL_SCRIPT)], input=json.dumps([_js(c) for c in cases]),
                          capture_output=True, text=True, env=env, check=True)
    results = json.loads(proc.stdout)
    for case, result in zip(cases, results, strict=True):
        if isinstance(result, dict) and 'error' in result:
            sys.exit(f"tfjs failed on {case['name']}: {result['error']}")
        case['expected'] = result
    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    FIXTURE.write_text(json.dumps(cases, separators=(',', ':')) + '\n')
    print(f'wrote {len(cases)} cases to {FIXTURE}')


if __name__ == '__main__':
    main()
