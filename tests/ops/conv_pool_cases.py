"""Replays the TensorFlow.js reference cases of tests/ops/data/tfjs_conv_pool_cases.json
(made by tests/reference/make_conv_pool_cases.py, which describes the format)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np

import tfjs_py as tf

CASES = json.loads((Path(__file__).parent / 'data' / 'tfjs_conv_pool_cases.json').read_text())


def cases(*fns: str, grad: bool = False) -> list[Any]:
    """The cases of these tf functions (gradient cases when grad), as pytest params."""
    import pytest
    return [pytest.param(c, id=c['name']) for c in CASES
            if c['fn'] in fns and (c['grad'] is not None) == grad]


def pattern(p: dict, shape: list[int] | None = None) -> np.ndarray:
    shape = p['shape'] if shape is None else shape
    n = math.prod(shape)
    return (((np.arange(n) * p['a']) % p['m'] - p['offset']) / p['div']).astype(
        np.float32).reshape(shape)


def _fn(path: str):
    f: Any = tf
    for part in path.split('.'):
        f = getattr(f, part)
    return f


def _args(args: list[Any], tensors: list[tf.Tensor]) -> list[Any]:
    def sub(v: Any) -> Any:
        if isinstance(v, dict) and set(v) == {'t'}:
            return tensors[v['t']]
        if isinstance(v, dict):
            return {k: sub(x) for k, x in v.items()}
        return v
    return [sub(a) for a in args]


def _values(values: list[Any]) -> np.ndarray:
    return np.array([float(v) if isinstance(v, str) else v for v in values], np.float64)


def assert_matches(actual: Any, expected: Any, rtol: float = 1e-4, atol: float = 1e-4) -> None:
    if isinstance(expected, list):
        assert len(actual) == len(expected)
        for a, e in zip(actual, expected, strict=True):
            assert_matches(a, e, rtol, atol)
    elif 'shape' in expected:
        assert actual.shape == expected['shape']
        assert actual.dtype == expected['dtype']
        np.testing.assert_allclose(actual.numpy().reshape(-1).astype(np.float64),
                                   _values(expected['values']), rtol=rtol, atol=atol)
    else:
        assert set(actual) == set(expected)
        for key, e in expected.items():
            assert_matches(actual[key], e, rtol, atol)


def run_case(case: dict) -> None:
    """Run one case and compare with what tfjs gave; disposes everything."""
    f = _fn(case['fn'])
    tensors = [tf.tensor(pattern(p)) for p in case['tensors']]
    try:
        if case['grad'] is None:
            out = f(*_args(case['args'], tensors))
            try:
                assert_matches(out, case['expected'])
            finally:
                tf.dispose(out)
            return
        w = case['grad']

        def loss(*ts: tf.Tensor) -> tf.Tensor:
            y = f(*_args(case['args'], list(ts)))
            return tf.sum(tf.mul(y, tf.tensor(pattern(w, y.shape))))

        # Forward once without a tape first: a kernel missing on this backend
        # then fails before any tape holds tensors.
        tf.tidy(lambda: f(*_args(case['args'], tensors)))
        grads = tf.grads(loss)(tensors)
        try:
            assert_matches(grads, case['expected'])
        finally:
            tf.dispose(grads)
    finally:
        tf.dispose(tensors)
