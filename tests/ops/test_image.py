"""tf.image: resizeBilinear, resizeNearestNeighbor (and their gradients),
cropAndResize, flipLeftRight.

Expected values come from TensorFlow.js 4.22 (tfjs-backend-cpu). tfjs' resize
gradients are only used as references where they are right: batch 1 (its
nearest-neighbour gradient mixes batches), square images (its bilinear
gradient swaps height and width) and no halfPixelCenters (both ignore it);
check_grad covers the rest.
"""

from __future__ import annotations

import numpy as np
import pytest

import tfjs_py as tf
from tests.gradcheck import check_grad


def pattern(n: int, a: int, m: int, offset: float, div: float = 1) -> np.ndarray:
    """((i * a) % m - offset) / div: exact in float32, the same in the tfjs scripts."""
    return ((np.arange(n) * a) % m - offset) / div


def check(fn, expected, shape, dtype='float32', rtol=1e-5, atol=1e-5):
    values, out_shape, out_dtype = tf.tidy(lambda: (lambda t: (t.numpy(), t.shape, t.dtype))(
        fn()))
    assert out_shape == list(shape)
    assert out_dtype == dtype
    np.testing.assert_allclose(values.reshape(-1), np.asarray(expected, np.float64).reshape(-1),
                               rtol=rtol, atol=atol)


IMG = pattern(12, 7, 11, 3.5).reshape(1, 2, 3, 2)

BILINEAR = {
    (False, False): [-3.5, 3.5, -1.7, 5.3, 0.1, 4.9, 1.9, 0.1, 2.5, -1.5, 2.5, 2.1666667, -0.1,
                     3.9666667, -1.2333333, 3.5666666, 0.5666667, -1.2333333, 1.1666666,
                     -2.8333333, 5.5, 1.5, 0.7, 3.3, -1.9, 2.9, -0.1, -1.9, 0.5, -3.5],
    (True, False): [-3.5, 3.5, -2, 5, -0.5, 6.5, 1, 2.5, 2.5, -1.5, 1, 2.5, -0.25, 4, -1.5, 5.5,
                    0, 1.5, 1.5, -2.5, 5.5, 1.5, 1.5, 3, -2.5, 4.5, -1, 0.5, 0.5, -3.5],
    (False, True): [-3.5, 3.5, -2.3, 4.7, -0.5, 6.5, 1.3, 1.7, 2.5, -1.5, 1, 2.5, 0, 3.7, -1.5,
                    5.5, 0.3, 0.7, 1.5, -2.5, 5.5, 1.5, 2.3, 2.7, -2.5, 4.5, -0.7, -0.3, 0.5,
                    -3.5],
}
NEAREST = {
    (False, False): [-3.5, 3.5, -3.5, 3.5, -0.5, 6.5, -0.5, 6.5, 2.5, -1.5, -3.5, 3.5, -3.5,
                     3.5, -0.5, 6.5, -0.5, 6.5, 2.5, -1.5, 5.5, 1.5, 5.5, 1.5, -2.5, 4.5, -2.5,
                     4.5, 0.5, -3.5],
    (True, False): [-3.5, 3.5, -0.5, 6.5, -0.5, 6.5, 2.5, -1.5, 2.5, -1.5, 5.5, 1.5, -2.5, 4.5,
                    -2.5, 4.5, 0.5, -3.5, 0.5, -3.5, 5.5, 1.5, -2.5, 4.5, -2.5, 4.5, 0.5, -3.5,
                    0.5, -3.5],
    (False, True): [-3.5, 3.5, -3.5, 3.5, -0.5, 6.5, 2.5, -1.5, 2.5, -1.5, 5.5, 1.5, 5.5, 1.5,
                    -2.5, 4.5, 0.5, -3.5, 0.5, -3.5, 5.5, 1.5, 5.5, 1.5, -2.5, 4.5, 0.5, -3.5,
                    0.5, -3.5],
}
FLAGS = [(False, False), (True, False), (False, True)]


@pytest.mark.parametrize('flags', FLAGS)
def test_resize_bilinear(backend, flags):
    check(lambda: tf.image.resizeBilinear(IMG, [3, 5], *flags), BILINEAR[flags], [1, 3, 5, 2])


@pytest.mark.parametrize('flags', FLAGS)
def test_resize_nearest_neighbor(backend, flags):
    check(lambda: tf.image.resizeNearestNeighbor(IMG, [3, 5], *flags), NEAREST[flags],
          [1, 3, 5, 2])


def test_resize_down_and_chained(backend):
    img = pattern(24, 7, 11, 3.5).reshape(1, 4, 6, 1)
    check(lambda: tf.tensor(img).resizeBilinear([3, 4]),
          [-3.5, 1.5, 6.5, 0.5, 4.8333335, 0.6666667, 3.8333333, -0.3333333, 2.1666667,
           1.6666666, 1.1666666, 0.6666667], [1, 3, 4, 1])
    check(lambda: tf.tensor(img).resize_nearest_neighbor([3, 4]),
          [-3.5, 3.5, 6.5, 2.5, 5.5, 1.5, 4.5, 0.5, 3.5, -0.5, 2.5, -1.5], [1, 3, 4, 1])


def test_resize_rank3_dtypes_and_empty(backend):
    # A [2, 2, 1] image, by hand: the rows and columns of [[1, 2], [3, 4]] at 0, 2/3, 4/3.
    by_hand = [1, 5 / 3, 2, 7 / 3, 3, 10 / 3, 3, 11 / 3, 4]
    check(lambda: tf.image.resizeBilinear(tf.tensor3d([[[1.0], [2.0]], [[3.0], [4.0]]]),
                                          [3, 3]), by_hand, [3, 3, 1])
    check(lambda: tf.image.resizeBilinear(tf.tensor3d([[[1], [2]], [[3], [4]]]), [3, 3]),
          by_hand, [3, 3, 1])
    check(lambda: tf.image.resizeNearestNeighbor(tf.tensor3d([[[1], [2]], [[3], [4]]]), [3, 3]),
          [1, 1, 2, 1, 1, 2, 3, 3, 4], [3, 3, 1], dtype='int32')
    check(lambda: tf.image.resizeBilinear(IMG, [0, 3]), [], [1, 0, 3, 2])
    check(lambda: tf.image.resizeNearestNeighbor(tf.zeros([0, 2, 2, 1]), [3, 3]), [],
          [0, 3, 3, 1])


def test_resize_errors(backend):
    with pytest.raises(ValueError, match='rank 3 or 4'):
        tf.image.resizeBilinear(tf.zeros([2, 2]), [3, 3])
    with pytest.raises(ValueError, match='alignCorners must be false'):
        tf.image.resizeBilinear(IMG, [3, 3], True, True)
    with pytest.raises(ValueError, match='size must be two integers'):
        tf.image.resizeNearestNeighbor(IMG, [3])
    with pytest.raises(ValueError, match='size must be two integers'):
        tf.image.resizeBilinear(IMG, [3, -1])
    with pytest.raises(TypeError, match='int32 or float32'):
        tf.image.resizeNearestNeighbor(tf.zeros([2, 2, 1], 'bool'), [3, 3])
    with pytest.raises(ValueError, match='height 0'):
        tf.image.resizeBilinear(tf.zeros([1, 0, 2, 1]), [3, 3])


SQUARE = pattern(18, 7, 11, 3.5).reshape(1, 3, 3, 2)
DY_WEIGHTS = pattern(40, 1, 1000, -10, 10).reshape(1, 4, 5, 2)
RESIZE_GRADS = {
    ('bilinear', False): [2.2, 2.375, 3.1, 3.3, 4.7, 4.95, 4.3, 4.475, 5.5, 5.7, 7.7, 7.95,
                          7.82, 8.03, 9.64, 9.88, 13.04, 13.34],
    ('bilinear', True): [2.6333332, 2.8333335, 4.4, 4.6666665, 3.9666667, 4.166667, 5.1333332,
                         5.333333, 7.7333336, 8, 6.4666667, 6.6666665, 7.6333332, 7.8333335,
                         11.0666666, 11.333334, 8.9666672, 9.166666],
    ('nearest', False): [6.4, 6.8, 8, 8.4, 4.6, 4.8, 6.2, 6.4, 7, 7.2, 3.8, 3.9, 8.2, 8.4, 9,
                         9.2, 4.8, 4.9],
    ('nearest', True): [1, 1.1, 2.6, 2.8, 3.4, 3.6, 5, 5.2, 11.2, 11.6, 12.8, 13.2, 4, 4.1, 8.6,
                        8.8, 9.4, 9.6],
}


def _resize(method: str):
    return tf.image.resizeBilinear if method == 'bilinear' else tf.image.resizeNearestNeighbor


@pytest.mark.parametrize('method, align', list(RESIZE_GRADS))
def test_resize_grad_values(backend, method, align):
    resize = _resize(method)
    check(lambda: tf.grad(lambda x: resize(x, [4, 5], align).mul(tf.tensor(DY_WEIGHTS)).sum())(
        tf.tensor(SQUARE)), RESIZE_GRADS[(method, align)], [1, 3, 3, 2])


@pytest.mark.parametrize('method', ['bilinear', 'nearest'])
@pytest.mark.parametrize('flags', FLAGS)
@pytest.mark.parametrize('size', [(5, 7), (2, 3), (1, 1)])
def test_resize_grad_check(backend, method, flags, size):
    resize = _resize(method)
    images = pattern(2 * 3 * 4 * 2, 7, 11, 3.5, 2).reshape(2, 3, 4, 2)
    check_grad(lambda x: resize(x, list(size), *flags), [images])
    check_grad(lambda x: resize(x, list(size), *flags), [images[0]])


CROP_IMAGE = pattern(24, 7, 11, 3.5).reshape(2, 3, 4, 1)
BOXES = [[0, 0, 1, 1], [0.1, 0.2, 0.7, 0.9], [-0.2, -0.1, 0.5, 1.3], [0.9, 0.8, 0.2, 0.1]]
BOX_IND = [0, 1, 0, 1]


def test_crop_and_resize_bilinear(backend):
    check(lambda: tf.image.cropAndResize(CROP_IMAGE, BOXES, BOX_IND, [2, 3], 'bilinear', -1),
          [-3.5, 1.5, 6.5, -2.5, 2.5, -3.5, 1.42, 3.82, 2.7, 2.46, 0.9, -0.22, -1, -1, -1, -1,
           4.1, -1, -0.58, 0.1, 2.76, 2.9, 2.81, 1.62], [4, 2, 3, 1])
    check(lambda: tf.image.cropAndResize(CROP_IMAGE, BOXES, BOX_IND, [1, 1]),
          [2, 3.13, 1.44, 3.6], [4, 1, 1, 1])


def test_crop_and_resize_nearest(backend):
    check(lambda: tf.image.cropAndResize(CROP_IMAGE, BOXES, BOX_IND, [2, 3], 'nearest', -1),
          [-3.5, -0.5, 6.5, -2.5, 0.5, -3.5, -0.5, 6.5, 2.5, 5.5, 1.5, -2.5, -1, -1, -1, -1,
           5.5, -1, -3.5, 0.5, 4.5, 6.5, -0.5, 3.5], [4, 2, 3, 1])
    check(lambda: tf.image.cropAndResize(CROP_IMAGE, BOXES, BOX_IND, [1, 1], 'nearest'),
          [5.5, 1.5, -0.5, 5.5], [4, 1, 1, 1])


def test_crop_and_resize_edge_cases(backend):
    # A box index outside the batch gives zeros, not the extrapolation value (tfjs).
    check(lambda: tf.image.cropAndResize(CROP_IMAGE, [[0, 0, 1, 1]], [5], [2, 2], 'bilinear',
                                         7), [0, 0, 0, 0], [1, 2, 2, 1])
    # An int32 image gives float32 values (by hand: bilinear over [[1, 2], [3, 4]]).
    check(lambda: tf.image.cropAndResize(tf.tensor4d([[[[1], [2]], [[3], [4]]]]),
                                         [[0, 0, 1, 1]], [0], [3, 3]),
          [1, 1.5, 2, 2, 2.5, 3, 3, 3.5, 4], [1, 3, 3, 1])
    check(lambda: tf.image.cropAndResize(CROP_IMAGE, tf.zeros([0, 4]), tf.zeros([0], 'int32'),
                                         [2, 2]), [], [0, 2, 2, 1])


def test_crop_and_resize_errors(backend):
    with pytest.raises(ValueError, match='image must be rank 4'):
        tf.image.cropAndResize(CROP_IMAGE[0], BOXES, BOX_IND, [2, 2])
    with pytest.raises(ValueError, match=r'boxes must have shape \[numBoxes, 4\]'):
        tf.image.cropAndResize(CROP_IMAGE, [[0, 0, 1]], [0], [2, 2])
    with pytest.raises(ValueError, match=r'boxInd must have shape \[4\]'):
        tf.image.cropAndResize(CROP_IMAGE, BOXES, [0, 1], [2, 2])
    with pytest.raises(TypeError, match="'boxInd' passed to 'cropAndResize' must be int32"):
        tf.image.cropAndResize(CROP_IMAGE, BOXES, tf.tensor1d([0.0, 1, 0, 1]), [2, 2])
    with pytest.raises(ValueError, match='cropSize must be two integers >= 1'):
        tf.image.cropAndResize(CROP_IMAGE, BOXES, BOX_IND, [0, 2])
    with pytest.raises(ValueError, match="method must be 'bilinear' or 'nearest'"):
        tf.image.cropAndResize(CROP_IMAGE, BOXES, BOX_IND, [2, 2], 'cubic')


def test_flip_left_right(backend):
    check(lambda: tf.image.flipLeftRight(tf.tensor(np.arange(12.0), [1, 2, 3, 2])),
          [4, 5, 2, 3, 0, 1, 10, 11, 8, 9, 6, 7], [1, 2, 3, 2])
    check(lambda: tf.image.flip_left_right(tf.tensor(np.arange(4), [1, 1, 2, 2])),
          [2, 3, 0, 1], [1, 1, 2, 2], dtype='int32')
    with pytest.raises(ValueError, match='image must be rank 4'):
        tf.image.flipLeftRight(tf.zeros([1, 2, 2]))
