"""stack and unstack."""

from __future__ import annotations

import numpy as np
import pytest

import tfjs_py as tf
from tests.gradcheck import check_grad


def test_stack_and_unstack_values(backend):
    a = tf.tensor([1, 2])
    b = tf.tensor([3, 4])
    s0 = tf.stack([a, b])
    s1 = tf.stack([a, b], 1)
    parts = tf.unstack(s1, 1)
    assert s0.arraySync() == [[1, 2], [3, 4]] and s1.arraySync() == [[1, 3], [2, 4]]
    assert [p.arraySync() for p in parts] == [[1, 2], [3, 4]]
    mixed = tf.stack([a, tf.tensor([0.5, 1.5])])
    assert mixed.dtype == 'float32'
    tf.dispose([a, b, s0, s1, parts, mixed])


def test_stack_errors(backend):
    a = tf.tensor([1, 2])
    c = tf.tensor([1, 2, 3])
    with pytest.raises(ValueError, match='shapes must match'):
        tf.stack([a, c])
    with pytest.raises(ValueError, match='at least one'):
        tf.stack([])
    tf.dispose([a, c])


def test_stack_unstack_gradients(backend):
    rng = np.random.default_rng(0)
    check_grad(lambda x, y: tf.stack([x, y], 1).square(), [rng.normal(size=(2, 3)),
                                                          rng.normal(size=(2, 3))])
    check_grad(lambda x: tf.unstack(x, 0)[1].mul(3.0), [rng.normal(size=(3, 2))])
