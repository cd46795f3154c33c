"""conv1d, conv2d, conv2dTranspose, conv3d, conv3dTranspose, depthwiseConv2d, separableConv2d,
tf.fused.conv2d / depthwiseConv2d, and the gradients of their kernels.

Expected values come from TensorFlow.js 4.22 (tests/ops/data/tfjs_conv_pool_cases.json, made
by tests/reference/make_conv_pool_cases.py) unless a comment says otherwise. Gradients are
also checked against finite differences, including second order (the backprop kernels'
own gradients).
"""

from __future__ import annotations

import numpy as np
import pytest

import tfjs_py as tf
from tests.gradcheck import check_grad
from tests.ops.conv_pool_cases import cases, run_case

CONV_FNS = ('conv1d', 'conv2d', 'conv2dTranspose', 'conv3d', 'conv3dTranspose',
            'depthwiseConv2d', 'separableConv2d', 'fused.conv2d', 'fused.depthwiseConv2d')


def rand(*shape: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).uniform(-1, 1, size=shape).astype(np.float32)


def run(fn) -> np.ndarray:
    return tf.tidy(lambda: fn().numpy())


# -- values and gradients from real tfjs -------------------------------------------

@pytest.mark.parametrize('case', cases(*CONV_FNS))
def test_matches_tfjs(backend, case):
    run_case(case)


@pytest.mark.parametrize('case', cases(*CONV_FNS, grad=True))
def test_gradient_matches_tfjs(backend, case):
    run_case(case)


# -- geometry where tfjs 4.22 is wrong, checked against an equivalent form -------------

def test_numeric_pad_with_non_square_filter_pads_each_side(backend):
    # tfjs sizes the width with the filter height and height stride; a number
    # pad p is the same as explicit [[0, 0], [p, p], [p, p], [0, 0]].
    x, w = rand(1, 5, 7, 2), rand(3, 1, 2, 2, seed=1)
    for strides in ([1, 2], [2, 1], 1):
        a = run(lambda s=strides: tf.conv2d(x, w, s, 1))
        b = run(lambda s=strides: tf.conv2d(x, w, s, [[0, 0], [1, 1], [1, 1], [0, 0]]))
        np.testing.assert_allclose(a, b, rtol=1e-6)
    assert run(lambda: tf.conv2d(x, w, [1, 2], 1)).shape == (1, 5, 5, 2)


def test_conv1d_numeric_pad_pads_the_width_only(backend):
    x, w = rand(2, 9, 3), rand(3, 3, 2, seed=1)
    a = run(lambda: tf.conv1d(x, w, 3, 1))
    b = run(lambda: tf.conv1d(x, w, 3, [[0, 0], [1, 1], [0, 0]]))
    assert a.shape == (2, 3, 2)
    np.testing.assert_allclose(a, b, rtol=1e-6)
    c = run(lambda: tf.conv1d(x, w, 3, 1, 'NWC', 1, 'ceil'))
    assert c.shape == (2, 4, 2)


def test_conv3d_same_pad_never_negative(backend):
    # stride 3 over 5 cells with a 1-wide filter: TensorFlow samples cells 0 and 3;
    # tfjs pads by -1 and samples 1 and 4.
    out = run(lambda: tf.conv3d(tf.range(0, 5).reshape([1, 5, 1, 1, 1]), tf.ones([1, 1, 1, 1, 1]),
                                [3, 1, 1], 'same'))
    np.testing.assert_array_equal(out.ravel(), [0, 3])


def test_channels_first_matches_channels_last(backend):
    x, w = rand(2, 5, 6, 3), rand(3, 2, 3, 2, seed=1)
    nchw = np.transpose(x, (0, 3, 1, 2))
    # depthwiseConv2d: tfjs' cpu kernel reads NCHW data as NHWC.
    a = run(lambda: tf.depthwiseConv2d(x, w, 1, 'same'))
    b = run(lambda: tf.depthwiseConv2d(nchw, w, 1, 'same', 'NCHW'))
    np.testing.assert_allclose(np.transpose(b, (0, 2, 3, 1)), a, rtol=1e-5, atol=1e-6)
    # separableConv2d (tfjs refuses NCHW)
    pw = rand(1, 1, 6, 4, seed=2)
    a = run(lambda: tf.separableConv2d(x, w, pw, 2, 'valid'))
    b = run(lambda: tf.separableConv2d(nchw, w, pw, 2, 'valid', 1, 'NCHW'))
    np.testing.assert_allclose(np.transpose(b, (0, 2, 3, 1)), a, rtol=1e-5, atol=1e-6)
    # conv1d NCW and conv3d NCDHW (tfjs refuses both)
    x1, w1 = rand(2, 9, 3), rand(3, 3, 4, seed=3)
    a = run(lambda: tf.conv1d(x1, w1, 2, 'same'))
    b = run(lambda: tf.conv1d(np.transpose(x1, (0, 2, 1)), w1, 2, 'same', 'NCW'))
    np.testing.assert_allclose(np.transpose(b, (0, 2, 1)), a, rtol=1e-5, atol=1e-6)
    x3, w3 = rand(1, 4, 5, 3, 2), rand(2, 2, 2, 2, 3, seed=4)
    a = run(lambda: tf.conv3d(x3, w3, 1, 'same'))
    b = run(lambda: tf.conv3d(np.transpose(x3, (0, 4, 1, 2, 3)), w3, 1, 'same', 'NCDHW'))
    np.testing.assert_allclose(np.transpose(b, (0, 2, 3, 4, 1)), a, rtol=1e-5, atol=1e-6)


def test_fused_leakyrelu_alpha_defaults_to_0_2(backend):
    # tfjs' cpu kernel gives NaN for negatives when leakyreluAlpha is left out.
    out = run(lambda: tf.fused.conv2d({'x': tf.tensor4d([-1.0, 2, -3, 4], [1, 2, 2, 1]),
                                       'filter': tf.ones([1, 1, 1, 1]), 'strides': 1,
                                       'pad': 'valid', 'activation': 'leakyrelu'}))
    np.testing.assert_allclose(out.ravel(), [-0.2, 2, -0.6, 4], rtol=1e-6)


# -- inputs, dtypes, edge cases ---------------------------------------------------------

def test_int_inputs_are_cast_and_arguments_take_any_spelling(backend):
    # tfjs refuses int32 tensors; Python ints make them, so they are cast to float32.
    def run_all():
        x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1])
        out = tf.conv2d(x, [[[[1]], [[1]]], [[[1]], [[1]]]], 1, 'valid')
        assert out.dtype == 'float32' and out.shape == [1, 1, 1, 1]
        assert out.dataSync()[0] == 10
        same = x.conv2d(tf.ones([2, 2, 1, 1]), strides=1, pad='valid', data_format='NHWC',
                        dim_rounding_mode=None)
        assert same.dataSync()[0] == 10
        fused = tf.fused.conv2d(x=x, filter=tf.ones([2, 2, 1, 1]), strides=1, pad='valid',
                                bias=[1.5], activation='relu')
        assert fused.dataSync()[0] == 11.5
    tf.tidy(run_all)


def test_nan_and_infinity_propagate(backend):
    x = np.ones((1, 3, 3, 1), np.float32)
    x[0, 0, 0, 0] = np.nan
    x[0, 2, 2, 0] = np.inf
    out = run(lambda: tf.conv2d(x, np.ones((2, 2, 1, 1), np.float32), 1, 'valid'))
    assert np.isnan(out[0, 0, 0, 0]) and np.isinf(out[0, 1, 1, 0])
    assert out[0, 0, 1, 0] == 4 and out[0, 1, 0, 0] == 4


def test_empty_batch_and_zero_channels(backend):
    assert run(lambda: tf.conv2d(tf.zeros([0, 4, 4, 2]), tf.ones([2, 2, 2, 3]), 1,
                                 'same')).shape == (0, 4, 4, 3)
    out = run(lambda: tf.conv2d(tf.zeros([1, 4, 4, 0]), tf.ones([2, 2, 0, 3]), 1, 'valid'))
    np.testing.assert_array_equal(out, np.zeros((1, 3, 3, 3)))
    assert run(lambda: tf.depthwiseConv2d(tf.zeros([0, 4, 4, 2]), tf.ones([2, 2, 2, 2]), 1,
                                          'same')).shape == (0, 4, 4, 4)


def test_big_inputs_are_chunked_the_same(backend, monkeypatch):
    from tfjs_py.backends.cpu.kernels import windows
    x, w = rand(3, 9, 8, 4), rand(3, 3, 4, 5, seed=1)
    whole = run(lambda: tf.conv2d(x, w, [2, 1], 'same'))
    grads = tf.tidy(lambda: [g.numpy() for g in tf.grads(
        lambda a, b: tf.conv2d(a, b, [2, 1], 'same').sum())([tf.tensor(x), tf.tensor(w)])])
    for limit in (100, 1000):  # per output row, then several samples per chunk
        monkeypatch.setattr(windows, 'CHUNK_ELEMENTS', limit)
        np.testing.assert_allclose(run(lambda: tf.conv2d(x, w, [2, 1], 'same')), whole,
                                   rtol=1e-5, atol=1e-5)
        again = tf.tidy(lambda: [g.numpy() for g in tf.grads(
            lambda a, b: tf.conv2d(a, b, [2, 1], 'same').sum())([tf.tensor(x), tf.tensor(w)])])
        for g, h in zip(grads, again, strict=True):
            np.testing.assert_allclose(g, h, rtol=1e-5, atol=1e-5)


def test_pointwise_filter_is_a_matmul(backend):
    x, w = rand(2, 4, 5, 3), rand(1, 1, 3, 6, seed=1)
    np.testing.assert_allclose(run(lambda: tf.conv2d(x, w, 1, 'valid')),
                               x @ w[0, 0], rtol=1e-5, atol=1e-6)


# -- gradients against finite differences ------------------------------------------------

@pytest.mark.parametrize('strides,pad,fmt,dil', [
    (1, 'same', 'NHWC', 1), ([2, 1], 'valid', 'NHWC', 1), (2, 1, 'NCHW', 1),
    (1, 'same', 'NHWC', [2, 1]), (1, 'valid', 'NCHW', 2),
    (2, [[0, 0], [1, 0], [0, 2], [0, 0]], 'NHWC', 1)])
def test_conv2d_grad(backend, strides, pad, fmt, dil):
    x = rand(2, 5, 4, 3) if fmt == 'NHWC' else rand(2, 3, 5, 4)
    check_grad(lambda a, b: tf.conv2d(a, b, strides, pad, fmt, dil), [x, rand(3, 2, 3, 2, seed=1)])


def test_conv1d_and_conv3d_grad(backend):
    check_grad(lambda a, b: tf.conv1d(a, b, 1, 'same', 'NWC', 2),
               [rand(2, 7, 2), rand(3, 2, 2, seed=1)])
    check_grad(lambda a, b: tf.conv3d(a, b, [1, 2, 1], 'same'),
               [rand(1, 3, 4, 3, 2), rand(2, 2, 2, 2, 2, seed=1)])
    check_grad(lambda a, b: tf.conv3d(a, b, 1, 'valid', 'NCDHW', [1, 2, 1]),
               [rand(1, 2, 3, 5, 3), rand(2, 2, 2, 2, 2, seed=1)])


def test_depthwise_and_separable_grad(backend):
    check_grad(lambda a, b: tf.depthwiseConv2d(a, b, 2, 'same'),
               [rand(1, 5, 4, 2), rand(3, 2, 2, 2, seed=1)])
    check_grad(lambda a, b: tf.depthwiseConv2d(a, b, 1, 'valid', 'NCHW', [1, 2]),
               [rand(1, 2, 5, 5), rand(2, 2, 2, 3, seed=1)])
    check_grad(lambda a, b, c: tf.separableConv2d(a, b, c, 1, 'same', 2),
               [rand(1, 5, 5, 2), rand(2, 2, 2, 2, seed=1), rand(1, 1, 4, 3, seed=2)])


def test_transpose_grads(backend):
    check_grad(lambda a, b: tf.conv2dTranspose(a, b, [1, 6, 5, 2], [2, 1], 'same'),
               [rand(1, 3, 5, 3), rand(3, 2, 2, 3, seed=1)])
    check_grad(lambda a, b: tf.conv3dTranspose(a, b, [1, 4, 3, 3, 2], 2, 'valid'),
               [rand(1, 2, 1, 1, 2), rand(2, 2, 2, 2, 2, seed=1)])


def _second_order(forward, which: str, w_shape, x_shape, dy_shape):
    """A function of two tensors whose value is a backprop kernel's output:
    the gradient of sum(forward(x, w) * dy) with respect to w or x."""
    def f(a, b):
        if which == 'filter':  # Conv*BackpropFilter(x=a, dy=b)
            w = tf.zeros(w_shape)
            return tf.grad(lambda v: tf.sum(tf.mul(forward(a, v), b)))(w)
        x = tf.zeros(x_shape)  # Conv*BackpropInput(dy=a, filter=b)
        return tf.grad(lambda v: tf.sum(tf.mul(forward(v, b), a)))(x)
    return f


@pytest.mark.parametrize('name,forward,x_shape,w_shape,dy_shape', [
    ('conv2d', lambda x, w: tf.conv2d(x, w, 2, 'same'), (1, 5, 4, 2), (3, 2, 2, 3),
     (1, 3, 2, 3)),
    ('conv2d_dilated_nchw', lambda x, w: tf.conv2d(x, w, 1, 'valid', 'NCHW', 2), (1, 2, 5, 5),
     (2, 2, 2, 2), (1, 2, 3, 3)),
    ('conv3d', lambda x, w: tf.conv3d(x, w, 1, 'same'), (1, 3, 3, 2, 2), (2, 2, 1, 2, 2),
     (1, 3, 3, 2, 2)),
    ('depthwise', lambda x, w: tf.depthwiseConv2d(x, w, [1, 2], 'same'), (1, 4, 5, 2),
     (2, 3, 2, 2), (1, 4, 3, 4)),
])
def test_backprop_kernels_grads(backend, name, forward, x_shape, w_shape, dy_shape):
    check_grad(_second_order(forward, 'filter', w_shape, x_shape, dy_shape),
               [rand(*x_shape), rand(*dy_shape, seed=1)])
    check_grad(_second_order(forward, 'input', w_shape, x_shape, dy_shape),
               [rand(*dy_shape, seed=2), rand(*w_shape, seed=3)])


@pytest.mark.parametrize('activation', ['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu'])
def test_fused_conv2d_grad(backend, activation):
    x, w, b = rand(1, 4, 4, 2), rand(2, 2, 2, 3, seed=1), rand(3, seed=2)
    check_grad(lambda a, f, c: tf.fused.conv2d({'x': a, 'filter': f, 'strides': 1,
                                                'pad': 'same', 'bias': c,
                                                'activation': activation}), [x, w, b])


def test_fused_grads_other_forms(backend):
    x, w = rand(1, 3, 4, 4), rand(2, 2, 3, 2, seed=1)
    check_grad(lambda a, f, c: tf.fused.conv2d({'x': a, 'filter': f, 'strides': 1, 'pad': 'same',
                                                'dataFormat': 'NCHW', 'bias': c,
                                                'dilations': 2}),
               [rand(1, 3, 4, 4), w, rand(2, seed=2)])
    check_grad(lambda a, f, c: tf.fused.conv2d({'x': a, 'filter': f, 'strides': 1, 'pad': 'same',
                                                'bias': c, 'activation': 'prelu',
                                                'preluActivationWeights': tf.tensor1d([0.1, 0.3])}),
               [rand(1, 4, 3, 3), w, rand(1, 1, 2, seed=2)])
    check_grad(lambda a, f, c: tf.fused.depthwiseConv2d({'x': a, 'filter': f, 'strides': 2,
                                                         'pad': 'same', 'bias': c,
                                                         'activation': 'relu'}),
               [x, rand(2, 2, 4, 1, seed=1), rand(4, seed=2)])
    # The fused kernel itself (linear, so it is the one recorded) without a bias.
    check_grad(lambda a, f: tf.fused.depthwiseConv2d(x=a, filter=f, strides=1, pad='valid'),
               [x, rand(2, 2, 4, 2, seed=1)])
    x_nchw = rand(1, 2, 4, 3)
    check_grad(lambda a, c: tf.fused.conv2d(x=a, filter=tf.ones([1, 1, 2, 3]), strides=1,
                                            pad='valid', dataFormat='NCHW', bias=c),
               [x_nchw, rand(3, seed=2)])


# -- errors -------------------------------------------------------------------------------

def test_rank_and_channel_errors(backend):
    with pytest.raises(ValueError, match='conv2d: input must be rank 4, but got rank 2'):
        tf.conv2d(tf.ones([3, 1]), tf.ones([2, 2, 1, 1]), 1, 'valid')
    with pytest.raises(ValueError, match='filter must be rank 4, but got rank 3'):
        tf.conv2d(tf.ones([1, 3, 3, 1]), tf.ones([2, 2, 1]), 1, 'valid')
    with pytest.raises(ValueError, match=r'depth of input \(2\) must match input depth for '
                                         r'filter 1'):
        tf.conv2d(tf.ones([1, 3, 3, 2]), tf.ones([2, 2, 1, 1]), 1, 'valid')
    with pytest.raises(ValueError, match=r'depth of input \(4\) must match'):
        tf.conv2d(tf.ones([1, 3, 4, 4]), tf.ones([2, 2, 3, 1]), 1, 'valid', 'NHWC')
    with pytest.raises(ValueError, match='conv1d: input must be rank 3'):
        tf.conv1d(tf.ones([3]), tf.ones([2, 1, 1]), 1, 'valid')
    with pytest.raises(ValueError, match='conv3d: filter must be rank 5'):
        tf.conv3d(tf.ones([1, 3, 3, 3, 1]), tf.ones([2, 2, 1, 1]), 1, 'valid')
    with pytest.raises(ValueError, match=r'number of input channels \(2\) must match the '
                                         r'inChannels dimension in filter 1'):
        tf.depthwiseConv2d(tf.ones([1, 3, 3, 2]), tf.ones([2, 2, 1, 1]), 1, 'valid')
    with pytest.raises(ValueError, match='the third dimension of pointwise filter must be 4'):
        tf.separableConv2d(tf.ones([1, 3, 3, 2]), tf.ones([2, 2, 2, 2]), tf.ones([1, 1, 3, 1]),
                           1, 'valid')
    with pytest.raises(ValueError, match='first dimension of pointwise filter must be 1'):
        tf.separableConv2d(tf.ones([1, 3, 3, 2]), tf.ones([2, 2, 2, 2]), tf.ones([2, 1, 4, 1]),
                           1, 'valid')
    with pytest.raises(TypeError, match="'x' passed to 'conv2d' must be a float32 tensor"):
        tf.conv2d(tf.tensor(['a']), tf.ones([1, 1, 1, 1]), 1, 'valid')


def test_strides_dilations_and_pad_errors(backend):
    x, w = tf.ones([1, 5, 5, 1]), tf.ones([2, 2, 1, 1])
    with pytest.raises(ValueError, match="conv2d: Either strides or dilations must be 1. Got "
                                         "strides 2 and dilations '2'"):
        tf.conv2d(x, w, 2, 'valid', 'NHWC', 2)
    with pytest.raises(ValueError, match='Either stride or dilation must be 1'):
        tf.conv1d(tf.ones([1, 5, 1]), tf.ones([2, 1, 1]), 2, 'valid', 'NWC', 2)
    with pytest.raises(ValueError, match='depthwiseConv2d: Either strides or dilations'):
        tf.depthwiseConv2d(x, w, [1, 2], 'valid', 'NHWC', [2, 1])
    with pytest.raises(ValueError, match='conv3d: Either strides or dilations'):
        tf.conv3d(tf.ones([1, 3, 3, 3, 1]), tf.ones([1, 1, 1, 1, 1]), 2, 'valid', 'NDHWC', 2)
    with pytest.raises(ValueError, match='Strides should be larger than 0'):
        tf.conv2d(x, w, 0, 'valid')
    with pytest.raises(ValueError, match='Dilated rates should be larger than 0'):
        tf.conv2d(x, w, 1, 'valid', 'NHWC', 0)
    with pytest.raises(ValueError, match='pad must be an integer when using dimRoundingMode '
                                         'ceil but got pad same'):
        tf.conv2d(x, w, 1, 'same', 'NHWC', 1, 'ceil')
    with pytest.raises(ValueError, match='pad must be an integer when using dimRoundingMode '
                                         'floor but got pad 1.5'):
        tf.conv2d(x, w, 1, 1.5, 'NHWC', 1, 'floor')
    with pytest.raises(ValueError, match="unknown dimRoundingMode 'up'"):
        tf.conv2d(x, w, 1, 1, 'NHWC', 1, 'up')
    with pytest.raises(ValueError, match="unknown pad 'full'"):
        tf.conv2d(x, w, 1, 'full')
    with pytest.raises(ValueError, match="unknown dataFormat 'NWHC'"):
        tf.conv2d(x, w, 1, 'valid', 'NWHC')
    with pytest.raises(ValueError, match='batch and channel pairs must be'):
        tf.conv2d(x, w, 1, [[1, 1], [1, 1], [1, 1], [0, 0]])
    with pytest.raises(ValueError, match='explicit pad must be 4 pairs'):
        tf.conv2d(x, w, 1, [[1, 1], [1, 1]])
    with pytest.raises(ValueError, match='explicit pad values must be non-negative'):
        tf.conv2d(x, w, 1, [[0, 0], [-1, 1], [1, 1], [0, 0]])
    with pytest.raises(ValueError, match='strides must have 2 values'):
        tf.conv2d(x, w, [1, 1, 1], 'valid')
    with pytest.raises(ValueError, match='filter .* is larger than the padded input'):
        tf.conv2d(tf.ones([1, 2, 2, 1]), tf.ones([5, 5, 1, 1]), 1, 'valid')
    tf.dispose([x, w])


def test_transpose_errors(backend):
    dy, w = tf.ones([1, 3, 3, 2]), tf.ones([2, 2, 1, 2])
    with pytest.raises(ValueError, match=r'x has shape \[1, 3, 3, 2\], but a convolution of '
                                         r'outputShape \[1, 8, 8, 1\]'):
        tf.conv2dTranspose(dy, w, [1, 8, 8, 1], 1, 'valid')
    with pytest.raises(ValueError, match=r'length of outputShape .* and rank of x \(4\) must '
                                         r'match'):
        tf.conv2dTranspose(dy, w, [4, 4, 1], 1, 'valid')
    with pytest.raises(ValueError, match=r'depth of output \(3\) must match input depth for '
                                         r'filter 1'):
        tf.conv2dTranspose(dy, w, [1, 4, 4, 3], 1, 'valid')
    with pytest.raises(ValueError, match=r'depth of input \(2\) must match output depth for '
                                         r'filter 3'):
        tf.conv2dTranspose(dy, tf.ones([2, 2, 1, 3]), [1, 4, 4, 1], 1, 'valid')
    tf.dispose([dy, w])


def test_fused_errors(backend):
    x, w = tf.ones([1, 3, 3, 2]), tf.ones([2, 2, 2, 3])
    base = {'x': x, 'filter': w, 'strides': 1, 'pad': 'valid'}
    with pytest.raises(ValueError, match='Unknown fused activation gelu'):
        tf.fused.conv2d({**base, 'activation': 'gelu'})
    with pytest.raises(ValueError, match="activation 'prelu' needs preluActivationWeights"):
        tf.fused.conv2d({**base, 'activation': 'prelu'})
    with pytest.raises(ValueError, match=r'bias of shape \[2\] does not broadcast'):
        tf.fused.conv2d({**base, 'bias': tf.ones([2])})
    with pytest.raises(ValueError, match='only supports scalar or 1-D Tensor bias for NCHW'):
        tf.fused.conv2d(x=tf.ones([1, 2, 3, 3]), filter=w, strides=1, pad='valid',
                        dataFormat='NCHW', bias=tf.ones([3, 1]))
    with pytest.raises(ValueError, match=r'PReLU activation weights \(2\) is not compatible'):
        tf.fused.conv2d({**base, 'activation': 'prelu', 'preluActivationWeights': tf.ones([2])})
    with pytest.raises(ValueError, match="unknown config key 'stride'; did you mean 'strides'"):
        tf.fused.conv2d(x=x, filter=w, stride=1, pad='valid')
    with pytest.raises(ValueError, match="missing required config key 'pad'"):
        tf.fused.conv2d(x=x, filter=w, strides=1)
    with pytest.raises(ValueError, match='fused depthwiseConv2d: number of input channels'):
        tf.fused.depthwiseConv2d(x=x, filter=tf.ones([2, 2, 3, 1]), strides=1, pad='valid')
    tf.dispose([x, w])


def test_none_means_the_default(backend):
    x, w = rand(1, 4, 4, 2), rand(2, 2, 2, 3, seed=1)
    a = run(lambda: tf.conv2d(x, w, 1, 'same'))
    np.testing.assert_array_equal(run(lambda: tf.conv2d(x, w, 1, 'same', None, None)), a)
    np.testing.assert_array_equal(
        run(lambda: tf.fused.conv2d(x=x, filter=w, strides=1, pad='same', dataFormat=None,
                                    dilations=None, activation=None)), a)
    assert run(lambda: tf.conv1d(x[0, 0], w[0], 1, 'valid', None, None)).shape == (3, 3)
    assert run(lambda: tf.depthwiseConv2d(x, w[..., :1], 2, 'same', None,
                                          None)).shape == (1, 2, 2, 2)
