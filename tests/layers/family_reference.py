"""Rebuilds the cases of tests/layers/data/<family>.json (written by real tfjs
4.22 with tests/reference/make_layer_families.js) and compares with them.

A case names a factory and a config (plus an inner layer or cells), its inputs,
the weights tfjs set (names and values), call arguments, and what tfjs computed:
outputs, symbolic output shapes, weights after the call, getConfig().
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

import tfjs_py as tf
import tfjs_py.layers as tfl

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
    """A weight name without the (process-dependent) layer name and the
    '_N' suffix a reused name gets."""
    assert name.startswith(layer_name + '/'), (name, layer_name)
    return name[len(layer_name) + 1:]


def strip_names(config: Any) -> Any:
    """A config without its auto-generated names (they hold process-wide
    counters) and without null seeds (our Orthogonal lists `seed: null`, which
    tfjs' leaves out)."""
    if isinstance(config, dict):
        return {k: strip_names(v) for k, v in config.items()
                if k != 'name' and not (k == 'seed' and v is None)}
    if isinstance(config, list):
        return [strip_names(v) for v in config]
    return config


def run_case(case: dict[str, Any], rtol: float = 1e-4, atol: float = 1e-5) -> Any:
    """Build, check symbolic shapes, set the tfjs weights, call and compare the
    outputs, the weight names and the config. Returns the layer."""
    layer = make_layer(case)
    inputs = case['inputs']
    if case.get('symbolicShape') is not None:
        fixed = bool(case.get('fixedBatch'))
        syms = [tfl.input({'batchShape': i['shape'] if fixed else [None, *i['shape'][1:]],
                           'dtype': i.get('dtype') or 'float32'}) for i in inputs]
        out = layer.apply(syms[0] if len(syms) == 1 else syms)
        shapes = [o.shape for o in (out if isinstance(out, list) else [out])]
        assert shapes == case['symbolicShape'], (shapes, case['symbolicShape'])
    xs = [make_tensor(i) for i in inputs]
    x = xs[0] if len(xs) == 1 else xs
    kwargs = call_kwargs(case)
    if not layer.built:
        tf.dispose(layer.apply(x, kwargs))
    names = [relative_name(w.name, layer.name) for w in layer.weights]
    expected_names = [relative_name(w['name'], case['layerName']) for w in case['weights']]
    assert names == expected_names, (names, expected_names)
    layer.setWeights([np.asarray(w['values'], np.float32).reshape(w['shape'])
                      for w in case['weights']])
    if case.get('resetStates'):
        layer.resetStates()
    outs = layer.apply(x, kwargs)
    outs = outs if isinstance(outs, list) else [outs]
    assert len(outs) == len(case['outputs'])
    for got, want in zip(outs, case['outputs'], strict=True):
        assert got.shape == want['shape'], (got.shape, want['shape'])
        np.testing.assert_allclose(got.dataSync(), np.asarray(want['values'], np.float32),
                                   rtol=rtol, atol=atol)
    if case.get('secondOutputs'):
        outs2 = layer.apply(x, kwargs)
        outs2 = outs2 if isinstance(outs2, list) else [outs2]
        for got, want in zip(outs2, case['secondOutputs'], strict=True):
            np.testing.assert_allclose(got.dataSync(), want['values'], rtol=rtol, atol=atol)
        tf.dispose(outs2)
    for w, want in zip(layer.getWeights(), case['weightsAfter'], strict=True):
        np.testing.assert_allclose(w.dataSync(), np.asarray(want, np.float32), rtol=rtol,
                                   atol=atol)
    ours = strip_names(layer.getConfig())
    theirs = strip_names(case['config'])
    for key in EXTRA_KEYS:
        if key not in theirs:
            ours.pop(key, None)
    assert ours == theirs, _config_diff(ours, theirs)
    tf.dispose(outs)
    tf.dispose(xs)
    tf.dispose([v for v in kwargs.values() if isinstance(v, tf.Tensor)])
    tf.dispose([t for v in kwargs.values() if isinstance(v, list) for t in v])
    return layer


def _config_diff(ours: dict[str, Any], theirs: dict[str, Any]) -> str:
    keys = sorted(set(ours) | set(theirs))
    return '; '.join(f'{k}: ours={ours.get(k, "<missing>")!r} tfjs={theirs.get(k, "<missing>")!r}'
                     for k in keys if ours.get(k, '<m>') != theirs.get(k, '<m>'))
