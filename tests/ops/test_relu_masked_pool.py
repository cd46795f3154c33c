"""MaxPoolGrad's reluMasked attr and the gradient rewrite that uses it: a max
pool over a relu's output masks its gradient itself, and the relu's gradient
(Relu, or a fused convolution's relu) then skips its _ReluGrad (dy * step(y)).

Every result must be the unfused path's, bit for bit on cpu: the kernel
against MaxPoolGrad times Step, the rewritten gradients against the same
gradients with the rewrite off.
"""

from __future__ import annotations

import numpy as np
import pytest

import tfjs_py as tf
from tests.gradcheck import check_grad
from tfjs_py.engine.engine import ENGINE
from tfjs_py.engine.registry import KERNEL_IMPLS
from tfjs_py.gradients import pool as pool_gradients
from tfjs_py.gradients import relu_mask

NAN, INF = np.nan, np.inf

# (shape, filter size, strides, pad): disjoint blocks with a leftover row and
# column, the plain 2x2 blocks, overlapping windows, windows with gaps
# between them, 'same' padding, and the 1x1 identity.
GEOMETRIES = [((2, 11, 11, 3), 2, 2, 'valid'),
              ((1, 8, 6, 2), 2, 2, 'valid'),
              ((1, 6, 6, 2), 2, 1, 'valid'),
              ((1, 7, 8, 2), 2, 3, 'valid'),
              ((1, 7, 9, 2), 3, 2, 'same'),
              ((1, 4, 5, 2), 1, 1, 'valid')]


def relu_like(shape: tuple[int, ...], seed: int, nan: bool) -> np.ndarray:
    """Values as a relu gives them, with many ties: zeros, repeated small
    integers; NaN cells (the last one past the last 2x2 block) with `nan`."""
    rng = np.random.default_rng(seed)
    x = np.maximum(rng.integers(-3, 4, shape), 0).astype(np.float32)
    x[..., 1::2, :] += rng.uniform(0, 1, x[..., 1::2, :].shape).astype(np.float32)
    if nan:
        x.flat[rng.choice(x.size, 3, replace=False)] = NAN
        x[0, -1, -1, 0] = NAN
    return x


def gradient_for(shape: tuple[int, ...], seed: int, special: bool) -> np.ndarray:
    """A pooled gradient of both signs (signed zeros in the result), with
    Infinity and NaN in it when `special`."""
    dy = np.random.default_rng(seed).uniform(-1, 1, shape).astype(np.float32)
    if special:
        dy.flat[:3] = [INF, -INF, NAN]
    return dy


def same_bits(a: np.ndarray, b: np.ndarray, backend: str) -> None:
    assert a.shape == b.shape and a.dtype == b.dtype
    if backend == 'cpu':
        np.testing.assert_array_equal(a.view(np.uint32), b.view(np.uint32))
    else:
        np.testing.assert_array_equal(a, b)  # NaN in the same cells


def max_pool_grad(dy, x, filter_size, strides, pad, masked: bool) -> tf.Tensor:
    """MaxPoolGrad on maxPool's own attrs (taken from the recorded node)."""
    nodes = []

    def f(t):
        y = tf.maxPool(t, filter_size, strides, pad)
        nodes.append(ENGINE.recorded_producer(y))
        return tf.sum(y)

    tf.dispose(tf.grad(f)(x))
    attrs = {**nodes[0][3], **({'reluMasked': True} if masked else {})}
    y = tf.maxPool(x, filter_size, strides, pad)
    try:
        return ENGINE.run_kernel('MaxPoolGrad', (dy, x, y), attrs)
    finally:
        y.dispose()


@pytest.mark.parametrize('geometry', GEOMETRIES)
def test_relu_masked_kernel_is_the_gradient_times_step(backend, geometry):
    shape, k, s, pad = geometry
    for seed, (nan, special) in enumerate([(False, False), (True, False), (True, True)]):
        x = relu_like(shape, seed, nan)
        out_shape = tf.tidy(lambda x=x: tf.maxPool(tf.tensor(x), k, s, pad).shape)
        dy = gradient_for(tuple(out_shape), seed, special)

        def run(masked: bool, dy=dy, x=x) -> np.ndarray:
            def fn():
                g = max_pool_grad(tf.tensor(dy), tf.tensor(x), k, s, pad, masked)
                return g if masked else tf.mul(g, tf.step(tf.tensor(x)))
            return tf.tidy(lambda: fn().numpy())

        same_bits(run(True), run(False), backend)


def test_relu_masked_kernel_on_signed_and_negative_inputs(backend):
    # Beyond relu outputs: negative maxima and -Infinity windows mask to signed zeros.
    x = np.array([[-1, -2, 3, 0], [-3, -4, -0.0, 5], [-INF, -INF, 2, 2], [-INF, -INF, 2, 1]],
                 np.float32).reshape(1, 4, 4, 1)
    dy = np.array([-0.5, 2, -3, -4], np.float32).reshape(1, 2, 2, 1)
    got = tf.tidy(lambda: max_pool_grad(tf.tensor(dy), tf.tensor(x), 2, 2, 'valid',
                                        True).numpy())
    want = np.array([[-0.0, -0.0, 0, 0], [-0.0, -0.0, 0, 2], [-0.0, -0.0, -4, -0.0],
                     [-0.0, -0.0, -0.0, -0.0]], np.float32).reshape(1, 4, 4, 1)
    same_bits(got, want, backend)


# -- the gradient rewrite ----------------------------------------------------------------


@pytest.fixture
def rewrite(monkeypatch):
    """Switches the rewrite on or off (off: no input counts as relu-made)."""
    made_by_relu = relu_mask.made_by_relu

    def switch(on: bool) -> None:
        monkeypatch.setattr(pool_gradients, 'made_by_relu',
                            made_by_relu if on else (lambda x: False))

    return switch


@pytest.fixture
def kernel_log(monkeypatch):
    """(kernel name, reluMasked) of every _ReluGrad, Multiply and MaxPoolGrad run."""
    log: list[tuple[str, object]] = []
    for key, impl in list(KERNEL_IMPLS.items()):
        if key[0] in ('_ReluGrad', 'Multiply', 'MaxPoolGrad'):
            def logged(backend, inputs, attrs, impl=impl, name=key[0]):
                log.append((name, attrs.get('reluMasked')))
                return impl(backend, inputs, attrs)
            monkeypatch.setitem(KERNEL_IMPLS, key, logged)
    for name in ('_ReluGrad', 'Multiply', 'MaxPoolGrad'):
        tf.backend().kernels.pop(name, None)
    yield log
    for name in ('_ReluGrad', 'Multiply', 'MaxPoolGrad'):
        tf.backend().kernels.pop(name, None)


def conv_relu(t, w, pad='valid'):
    return tf.fused.conv2d({'x': t, 'filter': w, 'strides': 1, 'pad': pad, 'activation': 'relu'})


def depthwise_relu(t, w):
    return tf.fused.depthwiseConv2d({'x': t, 'filter': w, 'strides': 1, 'pad': 'same',
                                     'activation': 'relu'})


def grads(f, arrays: list[np.ndarray], dy: np.ndarray) -> list[np.ndarray]:
    def run():
        tensors = [tf.tensor(a) for a in arrays]
        return [g.numpy() for g in tf.grads(lambda *ts: tf.sum(tf.mul(f(*ts), dy)))(tensors)]
    return tf.tidy(run)


def rng_array(seed: int, *shape: int) -> np.ndarray:
    return np.random.default_rng(seed).uniform(-1, 1, shape).astype(np.float32)


MODELS = {
    # name: (f, input arrays)
    'relu, 11x11 by 2': (lambda t: tf.maxPool(tf.relu(t), 2, 2, 'valid'),
                         [rng_array(0, 2, 11, 11, 3)]),
    'relu, overlapping same': (lambda t: tf.maxPool(tf.relu(t), 3, 2, 'same'),
                               [rng_array(1, 1, 7, 9, 2)]),
    'fused conv relu': (lambda t, w: tf.maxPool(conv_relu(t, w), 2, 2, 'valid'),
                        [rng_array(2, 2, 9, 9, 2), rng_array(3, 3, 3, 2, 4)]),
    'fused conv relu, strides 1': (lambda t, w: tf.maxPool(conv_relu(t, w, 'same'), 2, 1, 'valid'),
                                   [rng_array(4, 1, 6, 5, 1), rng_array(5, 3, 3, 1, 2)]),
    'fused depthwise relu': (lambda t, w: tf.maxPool(depthwise_relu(t, w), 2, 2, 'valid'),
                             [rng_array(6, 1, 7, 7, 2), rng_array(7, 3, 3, 2, 1)]),
}


def both_ways(f, arrays, dy, rewrite, kernel_log, backend) -> list:
    """The gradients with the rewrite off, then on (kernel_log then holds the
    second run's kernels), asserted equal bit for bit; the first run's log."""
    rewrite(False)
    plain = grads(f, arrays, dy)
    first = list(kernel_log)
    kernel_log.clear()
    rewrite(True)
    fused = grads(f, arrays, dy)
    for a, b in zip(plain, fused, strict=True):
        same_bits(b, a, backend)
    return first


@pytest.mark.parametrize('name', list(MODELS))
def test_rewritten_gradient_is_the_unfused_one(backend, rewrite, kernel_log, name):
    f, arrays = MODELS[name]
    if name.startswith('relu'):  # NaN in the relu's input, ties of zeros
        arrays = [a.copy() for a in arrays]
        arrays[0].flat[[0, 5, -1]] = NAN
        arrays[0][..., 2::3, :] = 0
    out_shape = tf.tidy(lambda: f(*[tf.tensor(a) for a in arrays]).shape)
    dy = rng_array(9, *out_shape)
    plain = both_ways(f, arrays, dy, rewrite, kernel_log, backend)
    assert ('MaxPoolGrad', True) not in plain and ('_ReluGrad', None) in plain
    assert kernel_log.count(('MaxPoolGrad', True)) == 1 and ('_ReluGrad', None) not in kernel_log


def test_two_pools_in_a_row_are_both_rewritten(backend, rewrite, kernel_log):
    def f(t, w):
        return tf.maxPool(tf.relu(tf.maxPool(conv_relu(t, w, 'same'), 2, 1, 'same')), 2, 2,
                          'valid')
    arrays = [rng_array(10, 1, 6, 6, 2), rng_array(11, 3, 3, 2, 2)]
    dy = rng_array(12, 1, 3, 3, 2)
    both_ways(f, arrays, dy, rewrite, kernel_log, backend)
    assert kernel_log.count(('MaxPoolGrad', True)) == 2 and ('_ReluGrad', None) not in kernel_log


def test_a_relu_output_used_twice_is_not_rewritten(backend, rewrite, kernel_log):
    # The relu's gradient masks the sum of both uses' gradients; masking the
    # pool's term early could change a zero's sign or an overflow.
    def f(t, w):
        y = conv_relu(t, w)
        return tf.add(tf.maxPool(y, 2, 2, 'valid'), tf.slice(y, [0, 0, 0, 0], [1, 3, 3, 2]))
    arrays = [rng_array(13, 1, 8, 8, 1), rng_array(14, 3, 3, 1, 2)]
    dy = rng_array(15, 1, 3, 3, 2)
    both_ways(f, arrays, dy, rewrite, kernel_log, backend)
    assert ('MaxPoolGrad', True) not in kernel_log and ('_ReluGrad', None) in kernel_log


def test_only_a_relu_made_input_is_masked(backend, rewrite, kernel_log):
    rewrite(True)
    arrays = [rng_array(16, 1, 6, 6, 2), rng_array(17, 3, 3, 2, 2)]
    dy = rng_array(18, 1, 2, 2, 2)
    for f in (lambda t, w: tf.maxPool(tf.conv2d(t, w, 1, 'valid'), 2, 2, 'valid'),
              lambda t, w: tf.maxPool(tf.relu6(tf.conv2d(t, w, 1, 'valid')), 2, 2, 'valid'),
              lambda t, w: tf.maxPool(tf.fused.conv2d({'x': t, 'filter': w, 'strides': 1,
                                                       'pad': 'valid'}), 2, 2, 'valid')):
        grads(f, arrays, dy)
    assert ('MaxPoolGrad', True) not in kernel_log


def test_made_by_relu_reads_the_recording_tape():
    seen = []

    def f(t, w):
        a = tf.relu(t)
        b = conv_relu(t, w)
        c = tf.fused.conv2d({'x': t, 'filter': w, 'strides': 1, 'pad': 'valid'})
        d = tf.relu6(t)
        total = tf.add(tf.sum(a), tf.add(tf.sum(b), tf.add(tf.sum(c), tf.sum(d))))
        seen.extend(relu_mask.made_by_relu(v) for v in (a, b, c, d))
        seen.append(relu_mask.made_by_relu(tf.relu(t)))  # not used yet: no single use
        return total

    x, w = tf.tensor(rng_array(19, 1, 4, 4, 1)), tf.tensor(rng_array(20, 3, 3, 1, 1))
    tf.dispose(tf.grads(f)([x, w]))
    tf.dispose([x, w])
    assert seen == [True, True, False, False, False]
    # with no tape recording, nothing is known of a tensor's making
    assert tf.tidy(lambda: relu_mask.made_by_relu(tf.relu(tf.ones([2])))) is False


def test_rewritten_gradient_check(backend, rewrite):
    rewrite(True)
    x = rng_array(21, 1, 5, 5, 1)
    w = rng_array(22, 2, 2, 1, 2)
    check_grad(lambda t, v: tf.maxPool(conv_relu(t, v), 2, 2, 'valid'), [x, w])
    check_grad(lambda t: tf.maxPool(tf.relu(t), 2, 2, 'valid'), [x])


def test_the_rewrite_engages_by_default(backend, kernel_log):
    # MaxPool's gradient finds the relu through the tape being differentiated.
    f, arrays = MODELS['fused conv relu']
    grads(f, arrays, rng_array(23, 2, 3, 3, 4))
    assert ('MaxPoolGrad', True) in kernel_log and ('_ReluGrad', None) not in kernel_log
