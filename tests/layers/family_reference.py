"""Rebuilds the cases of tests/layers/data/<family>.json (written by real tfjs
4.22 with tests/reference/make_layer_families.js) and compares with them.

A case names a factory and a config (plus an inner layer or cells), its inputs,
the weights tfjs set (names and values), call arguments, and what tfjs computed:
outputs, symbolic output shapes, weights after the call, getConfig().
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np

import tfjs_py as tf
import tfjs_py.layers as tfl
from tfjs_py.layers.input_layer import input as make_input

DATA = Path(__file__).parent / 'data'

# Keys our getConfig() adds on purpose where tfjs drops or lacks them (documented
# in the layer modules).
EXTRA_KEYS = {'depthMultiplier'}


def load_cases(family: str) -> dict[str, dict[str, Any]]:
    with open(DATA / f'{family}.json') as f:
        return {c['name']: c for c in json.load(f)['cases']}


def make_layer(case: dict[str, Any]) -> Any:
    config = dict(case['inputConfig'])
    if case.get('innerLayer'):
        inner = case['innerLayer']
        config['layer'] = getattr(tfl, inner['factory'])(inner['config'])
    if case.get('cells'):
        config['cell'] = [getattr(tfl, c['factory'])(c['config']) for c in case['cells']]
    if case.get('cell'):
        config['cell'] = getattr(tfl, case['cell']['factory'])(case['cell']['config'])
    return getattr(tfl, case['factory'])(config)


def make_tensor(spec: dict[str, Any]) -> tf.Tensor:
    dtype = spec.get('dtype') or 'float32'
    return tf.tensor(np.asarray(spec['values'], dtype=np.float64).reshape(spec['shape']),
                     None, dtype)


def call_kwargs(case: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in (case.get('kwargs') or {}).items():
        if key == 'initialState':
            out[key] = [make_tensor(v) for v in value]
        elif key in ('mask', 'countWeights'):
            out[key] = make_tensor(value)
        else:
            out[key] = value
    return out


def relative_name(name: str, layer_name: str) -> str:
    """A weight name without the layer name, and inner layers' auto names
    without their process-wide counters ('forward_lstm_LSTM7/kernel' ->
    'forward_lstm_LSTM/kernel')."""
    assert name.startswith(layer_name + '/'), (name, layer_name)
    return re.sub(r'(_[A-Z][A-Za-z0-9]*[A-Za-z])\d+(?=/)', r'\1', name[len(layer_name) + 1:])


def strip_names(config: Any) -> Any:
    """A config without its auto-generated names (they hold process-wide
    counters) and without null values: the reference JSON drops the keys tfjs
    leaves undefined (seed, implementation), which its model.json writes as null,
    as ours does."""
    if isinstance(config, dict):
        return {k: strip_names(v) for k, v in config.items()
                if k != 'name' and v is not None}
    if isinstance(config, list):
        return [strip_names(v) for v in config]
    return config


def dispose_layer(layer: Any) -> None:
    """Drop every reference a test took on a layer, freeing its weights."""
    while layer.built and layer._refCount:
        layer.dispose()


def run_case(case: dict[str, Any], rtol: float = 1e-4, atol: float = 1e-5,
             expected_outputs: list[np.ndarray] | None = None,
             symbolic_shape: list[Any] | None = None) -> None:
    """Build, check symbolic shapes, set the tfjs weights, call and compare the
    outputs, the weight names and the config; then dispose the layer.
    `expected_outputs` / `symbolic_shape` replace tfjs' values where tfjs is
    wrong (documented at the test)."""
    layer = make_layer(case)
    try:
        _run(layer, case, rtol, atol, expected_outputs, symbolic_shape)
    finally:
        dispose_layer(layer)


def _run(layer: Any, case: dict[str, Any], rtol: float, atol: float,
         expected_outputs: list[np.ndarray] | None, symbolic_shape: list[Any] | None) -> None:
    inputs = case['inputs']
    if case.get('symbolicShape') is not None:
        fixed = bool(case.get('fixedBatch'))
        syms = [make_input({'batchShape': i['shape'] if fixed else [None, *i['shape'][1:]],
                           'dtype': i.get('dtype') or 'float32'}) for i in inputs]
        out = layer.apply(syms[0] if len(syms) == 1 else syms)
        shapes = [o.shape for o in (out if isinstance(out, list) else [out])]
        want_shapes = symbolic_shape or case['symbolicShape']
        assert shapes == want_shapes, (shapes, want_shapes)
    xs = [make_tensor(i) for i in inputs]
    kwargs = call_kwargs(case)
    made: list[Any] = [xs, kwargs]
    try:
        _run_eager(layer, case, xs, kwargs, made, rtol, atol, expected_outputs)
    finally:
        tf.dispose(made)


def _run_eager(layer: Any, case: dict[str, Any], xs: list[tf.Tensor], kwargs: dict[str, Any],
               made: list[Any], rtol: float, atol: float,
               expected_outputs: list[np.ndarray] | None) -> None:
    x = xs[0] if len(xs) == 1 else xs
    if not layer.built:
        made.append(layer.apply(x, kwargs))
    names = [relative_name(w.name, layer.name) for w in layer.weights]
    expected_names = [relative_name(w['name'], case['layerName']) for w in case['weights']]
    assert names == expected_names, (names, expected_names)
    layer.setWeights([np.asarray(w['values'], np.float32).reshape(w['shape'])
                      for w in case['weights']])
    outs = layer.apply(x, kwargs)
    made.append(outs)
    outs = outs if isinstance(outs, list) else [outs]
    wants = expected_outputs if expected_outputs is not None else [
        np.asarray(w['values'], np.float32).reshape(w['shape']) for w in case['outputs']]
    assert len(outs) == len(wants)
    for got, want in zip(outs, wants, strict=True):
        assert got.shape == list(want.shape), (got.shape, want.shape)
        np.testing.assert_allclose(got.numpy(), want, rtol=rtol, atol=atol)
    if case.get('secondOutputs'):
        outs2 = layer.apply(x, kwargs)
        made.append(outs2)
        outs2 = outs2 if isinstance(outs2, list) else [outs2]
        for got, want in zip(outs2, case['secondOutputs'], strict=True):
            np.testing.assert_allclose(got.dataSync(), want['values'], rtol=rtol, atol=atol)
    for w, want in zip(layer.getWeights(), case['weightsAfter'], strict=True):
        np.testing.assert_allclose(w.dataSync(), np.asarray(want, np.float32), rtol=rtol,
                                   atol=atol)
    ours = strip_names(layer.getConfig())
    theirs = strip_names(case['config'])
    for key in EXTRA_KEYS:
        if key not in theirs:
            ours.pop(key, None)
    assert ours == theirs, _config_diff(ours, theirs)


def _config_diff(ours: dict[str, Any], theirs: dict[str, Any]) -> str:
    keys = sorted(set(ours) | set(theirs))
    return '; '.join(f'{k}: ours={ours.get(k, "<missing>")!r} tfjs={theirs.get(k, "<missing>")!r}'
                     for k in keys if ours.get(k, '<m>') != theirs.get(k, '<m>'))


def case_names(family: str, exclude: tuple[str, ...] = ()) -> list[str]:
    """The cases tfjs computed (not those where tfjs threw), minus `exclude`."""
    return [name for name, case in load_cases(family).items()
            if 'error' not in case and name not in exclude]


def check_case(case: dict[str, Any], grad: bool = False, expected: Any = None,
               output_shape: list[Any] | None = None, rtol: float = 1e-4,
               atol: float = 1e-5) -> np.ndarray:
    """The same case through tests/layers/layer_check.py's check_layer: symbolic
    shape, values with the tfjs weights, getConfig round trips (fromConfig and
    the model.json spelling) and, with `grad`, the input gradient."""
    from tests.layers.layer_check import check_layer

    arrays = [np.asarray(i['values'], np.int32 if i.get('dtype') == 'int32' else np.float32)
              .reshape(i['shape']) for i in case['inputs']]
    if expected is None:
        expected = np.asarray(case['outputs'][0]['values'], np.float32).reshape(
            case['outputs'][0]['shape'])
    shape = output_shape
    if shape is None and case.get('symbolicShape') and len(case['symbolicShape']) == 1 \
            and not case.get('fixedBatch'):
        shape = case['symbolicShape'][0]
    weights = [np.asarray(w['values'], np.float32).reshape(w['shape'])
               for w in case['weights']] or None
    # The layers check_layer makes are disposed here too, should it stop half way.
    with Owned() as own:
        return check_layer(lambda: own(make_layer(case)),
                           arrays if len(arrays) > 1 else arrays[0], weights=weights,
                           expected=expected, output_shape=shape,
                           kwargs=dict(case.get('kwargs') or {}), grad=grad, rtol=rtol,
                           atol=atol)


class Owned:
    """Tensors and layers a test makes, disposed at the end even when the test
    fails half way (so the leak guard reports only real leaks):

        with Owned() as own:
            layer = own(tfl.conv2d({...}))
            y = own(layer.apply(own(tf.ones([1, 4, 4, 2]))))
    """

    def __init__(self) -> None:
        self.items: list[Any] = []

    def __call__(self, item: Any) -> Any:
        self.items.append(item)
        return item

    def __enter__(self) -> Owned:
        return self

    def __exit__(self, *exc: Any) -> None:
        for item in reversed(self.items):
            if isinstance(item, tfl.Layer):
                dispose_layer(item)
            else:
                tf.dispose(item)
