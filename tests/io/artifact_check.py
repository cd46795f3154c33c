"""Inputs and predictions of the reference artifacts, read from expected.json."""

from __future__ import annotations

import numpy as np

import tfjs_py as tf


def tensors(entries: list[dict]) -> list[tf.Tensor]:
    return [tf.tensor(e['values'], e['shape'], e['dtype']) for e in entries]


def predict(model, inputs: list[dict]) -> list[np.ndarray]:
    xs = tensors(inputs)
    out = model.predict(xs if len(xs) > 1 else xs[0])
    outs = out if isinstance(out, list) else [out]
    values = [o.numpy() for o in outs]
    tf.dispose([*xs, *outs])
    return values
