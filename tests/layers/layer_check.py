"""check_layer: the one helper every layer test uses.

    check_layer(make, inputs, *, weights=None, expected=None, output_shape=None,
                weight_shapes=None, kwargs=None, grad=True, rtol=1e-5, atol=1e-5)

- make: a no-argument function returning a fresh layer (called twice: the
  second layer comes from the first one's config, through fromConfig and
  through the snake_case JSON of model.json).
- inputs: an ndarray (or a list of them for multi-input layers), batch first.
- weights: ndarrays set with setWeights before evaluating (both layers).
- expected: the expected output values (from real tfjs where possible).
- output_shape: the symbolic output shape for a tf.input of the input shapes
  with batch None (e.g. [None, 8]).
- weight_shapes: {'kernel': [3, 2], ...}: names (after '<layer name>/') and
  shapes, in the layer's weights order.
- kwargs: call arguments (e.g. {'training': True}).
- grad: check the input gradient against finite differences (float inputs).
Returns the eager output as an ndarray. Every tensor made is disposed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import numpy as np

import tfjs_py as tf
from tests.gradcheck import check_grad
from tfjs_py.io.model_json import from_pythonic, to_pythonic
from tfjs_py.serialization import deserialize, serialize


def _tensors(arrays: list[np.ndarray]) -> list[tf.Tensor]:
    return [tf.tensor(a) for a in arrays]


def check_layer(make: Callable[[], Any], inputs: Any, *, weights: list | None = None,
                expected: Any = None, output_shape: list | None = None,
                weight_shapes: dict[str, list[int]] | None = None,
                kwargs: dict | None = None, grad: bool = True, rtol: float = 1e-5,
                atol: float = 1e-5) -> np.ndarray:
    multi = isinstance(inputs, list)
    arrays = [np.asarray(a) for a in (inputs if multi else [inputs])]
    kwargs = kwargs or {}

    # Symbolic: shapes with a None batch.
    layer = make()
    syms = [tf.input({'batchShape': [None, *a.shape[1:]],
                      'dtype': 'int32' if a.dtype.kind in 'iu' else 'float32'})
            for a in arrays]
    out_sym = layer.apply(syms if multi else syms[0])
    if output_shape is not None:
        assert out_sym.shape == list(output_shape), (out_sym.shape, output_shape)

    def run(target: Any) -> np.ndarray:
        def go() -> np.ndarray:
            ts = _tensors(arrays)
            y = target.apply(ts if multi else ts[0], dict(kwargs))
            return np.asarray(y)
        return tf.tidy(go)

    if weights is not None:
        layer.setWeights([tf.tensor(np.asarray(w, np.float32)) for w in weights])
    got = run(layer)
    if output_shape is not None:
        assert list(got.shape) == [arrays[0].shape[0], *output_shape[1:]]
    if expected is not None:
        np.testing.assert_allclose(got, np.asarray(expected), rtol=rtol, atol=atol)
    if weight_shapes is not None:
        names = [w.name.split('/', 1)[1] if '/' in w.name else w.name for w in layer.weights]
        assert [n.rsplit('_', 1)[0] if n not in weight_shapes else n for n in names] == list(
            weight_shapes), names
        assert [w.shape for w in layer.weights] == list(weight_shapes.values())
        for w in layer.weights:
            assert w.originalName.startswith(layer.name + '/')

    # getConfig round trips: fromConfig, then the snake_case JSON of model.json.
    config = layer.getConfig()
    again = type(layer).fromConfig(config)
    assert again.getConfig() == config
    text = json.dumps(to_pythonic(serialize(layer)))
    from_json = deserialize(from_pythonic(json.loads(text)), kind='layer')
    assert from_json.getConfig() == config
    if layer.weights and weights is not None:
        got_again = run(again) if again.built else None
        if got_again is None:
            _ = run(again)  # builds it
            again.setWeights([tf.tensor(np.asarray(w, np.float32)) for w in weights])
            got_again = run(again)
        np.testing.assert_allclose(got_again, got, rtol=rtol, atol=atol)

    if grad and all(a.dtype.kind == 'f' for a in arrays):
        def f(*ts: tf.Tensor) -> tf.Tensor:
            return layer.apply(list(ts) if multi else ts[0], dict(kwargs))
        check_grad(f, arrays)

    for la in (layer, again, from_json):
        if la.built and la._refCount:
            while la._refCount:
                la.dispose()
    return got
