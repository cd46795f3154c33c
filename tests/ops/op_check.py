"""Helpers shared by the op tests: read a result without leaking tensors."""

from __future__ import annotations

import functools

import numpy as np

import tfjs_py as tf


def tidy_test(fn):
    """Run a test inside tf.tidy, so the tensors it makes are freed even when it
    stops early (a GL gap turns into an xfail mid-test)."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        tf.tidy(lambda: fn(*args, **kwargs))
    return wrapper


def out(fn):
    """(shape, dtype, flat values as a list) of fn()'s tensor; nothing leaks."""
    def read():
        t = fn()
        return t.shape, t.dtype, t.dataSync().tolist()
    return tf.tidy(read)


def check(fn, expected, shape, dtype='float32', rtol=1e-5, atol=1e-6):
    values, out_shape, out_dtype = tf.tidy(
        lambda: (lambda t: (t.numpy(), t.shape, t.dtype))(fn()))
    assert out_shape == list(shape)
    assert out_dtype == dtype
    np.testing.assert_allclose(values.reshape(-1).astype(np.float64),
                               np.asarray(expected, np.float64).reshape(-1),
                               rtol=rtol, atol=atol)
