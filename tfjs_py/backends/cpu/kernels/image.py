"""Image NumPy kernels: resizes and their gradients, CropAndResize, FlipLeftRight.

Coordinates follow tfjs-backend-cpu: with alignCorners (and more than one
output pixel) the corner pixels map onto each other, otherwise the scale is
in/out; halfPixelCenters samples at pixel centres. Interpolation runs in
float64, as tfjs does it in JS numbers, and is stored as float32.

The gradients are the exact adjoints of the forward resizes, for every flag
combination (tfjs' own gradient kernels ignore halfPixelCenters).
"""

from __future__ import annotations

import numpy as np

from ....engine.registry import register_kernel
from .util import arr


def _round_half_up(v: np.ndarray) -> np.ndarray:
    """JavaScript's Math.round."""
    return np.floor(v + 0.5)


def _scale(in_size: int, out_size: int, align_corners: bool) -> float:
    if out_size == 0:
        return 0.0
    if align_corners and out_size > 1:
        return (in_size - 1) / (out_size - 1)
    return in_size / out_size


def _bilinear_taps(in_size: int, out_size: int, align_corners: bool,
                   half_pixel: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per output index along one axis: the lower and upper source index and
    the weight of the upper one."""
    scale = _scale(in_size, out_size, align_corners)
    positions = np.arange(out_size, dtype=np.float64)
    source = scale * (positions + 0.5) - 0.5 if half_pixel else scale * positions
    lower = np.maximum(0, np.floor(source))
    upper = np.minimum(in_size - 1, np.ceil(source))
    return lower.astype(np.intp), upper.astype(np.intp), source - lower


def _nearest_taps(in_size: int, out_size: int, align_corners: bool,
                  half_pixel: bool) -> np.ndarray:
    """Per output index along one axis: the source index it copies."""
    scale = _scale(in_size, out_size, align_corners)
    positions = np.arange(out_size, dtype=np.float64)
    source = scale * (positions + 0.5) if half_pixel else scale * positions
    nearest = _round_half_up(source) if align_corners else np.floor(source)
    nearest = np.minimum(in_size - 1, nearest)
    if half_pixel:
        nearest = np.maximum(0, nearest)
    return nearest.astype(np.intp)


def _bilinear_matrix(in_size: int, out_size: int, align_corners: bool,
                     half_pixel: bool) -> np.ndarray:
    """[out, in] weights with output = W @ input along one axis."""
    lower, upper, frac = _bilinear_taps(in_size, out_size, align_corners, half_pixel)
    weights = np.zeros((out_size, in_size))
    rows = np.arange(out_size)
    np.add.at(weights, (rows, lower), 1 - frac)
    np.add.at(weights, (rows, upper), frac)
    return weights


def _nearest_matrix(in_size: int, out_size: int, align_corners: bool,
                    half_pixel: bool) -> np.ndarray:
    weights = np.zeros((out_size, in_size))
    weights[np.arange(out_size), _nearest_taps(in_size, out_size, align_corners,
                                               half_pixel)] = 1
    return weights


def _separable_adjoint(dy: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """dx[b, i, j, d] = sum_{r, c} rows[r, i] cols[c, j] dy[b, r, c, d]."""
    batch, out_h, out_w, depth = dy.shape
    spread = np.matmul(rows.T, dy.reshape(batch, out_h, out_w * depth).astype(np.float64))
    spread = spread.reshape(batch, rows.shape[1], out_w, depth)
    return np.matmul(cols.T, spread).astype(np.float32)


def _resize_args(inputs, attrs) -> tuple[np.ndarray, int, int, bool, bool]:
    new_h, new_w = attrs['size']
    return arr(inputs[0]), new_h, new_w, attrs['alignCorners'], attrs['halfPixelCenters']


@register_kernel('ResizeBilinear', 'cpu')
def resize_bilinear(backend, inputs, attrs):
    images, new_h, new_w, align, half = _resize_args(inputs, attrs)
    _, in_h, in_w, _ = images.shape
    top, bottom, row_frac = _bilinear_taps(in_h, new_h, align, half)
    left, right, col_frac = _bilinear_taps(in_w, new_w, align, half)
    # Interpolate along the columns of every input row once, then between the
    # two source rows of each output row: tfjs' order of operations.
    x = images.astype(np.float64)
    left_values = x[:, :, left]
    rows = left_values + (x[:, :, right] - left_values) * col_frac[:, None]
    top_values, bottom_values = rows[:, top], rows[:, bottom]
    out = top_values + (bottom_values - top_values) * row_frac[:, None, None]
    return out.astype(np.float32)


@register_kernel('ResizeBilinearGrad', 'cpu')
def resize_bilinear_grad(backend, inputs, attrs):
    images, dy = inputs
    _, in_h, in_w, _ = images._shape
    _, out_h, out_w, _ = dy._shape
    align, half = attrs['alignCorners'], attrs['halfPixelCenters']
    return _separable_adjoint(arr(dy), _bilinear_matrix(in_h, out_h, align, half),
                              _bilinear_matrix(in_w, out_w, align, half))


@register_kernel('ResizeNearestNeighbor', 'cpu')
def resize_nearest_neighbor(backend, inputs, attrs):
    images, new_h, new_w, align, half = _resize_args(inputs, attrs)
    _, in_h, in_w, _ = images.shape
    rows = _nearest_taps(in_h, new_h, align, half)
    cols = _nearest_taps(in_w, new_w, align, half)
    return images[:, rows][:, :, cols]


@register_kernel('ResizeNearestNeighborGrad', 'cpu')
def resize_nearest_neighbor_grad(backend, inputs, attrs):
    images, dy = inputs
    _, in_h, in_w, _ = images._shape
    _, out_h, out_w, _ = dy._shape
    align, half = attrs['alignCorners'], attrs['halfPixelCenters']
    return _separable_adjoint(arr(dy), _nearest_matrix(in_h, out_h, align, half),
                              _nearest_matrix(in_w, out_w, align, half))


def _crop_positions(start: np.ndarray, end: np.ndarray, in_size: int,
                    crop: int) -> np.ndarray:
    """[boxes, crop] source coordinates along one axis, as tfjs computes them."""
    if crop > 1:
        step = (end - start) * (in_size - 1) / (crop - 1)
        return start[:, None] * (in_size - 1) + np.arange(crop) * step[:, None]
    return (0.5 * (start + end) * (in_size - 1))[:, None]


@register_kernel('CropAndResize', 'cpu')
def crop_and_resize(backend, inputs, attrs):
    image = arr(inputs[0]).astype(np.float64)
    boxes = arr(inputs[1]).astype(np.float64)
    box_index = arr(inputs[2])
    crop_h, crop_w = attrs['cropSize']
    batch, in_h, in_w, depth = image.shape
    num_boxes = boxes.shape[0]
    ys = _crop_positions(boxes[:, 0], boxes[:, 2], in_h, crop_h)
    xs = _crop_positions(boxes[:, 1], boxes[:, 3], in_w, crop_w)
    inside = (((ys >= 0) & (ys <= in_h - 1))[:, :, None]
              & ((xs >= 0) & (xs <= in_w - 1))[:, None, :])[..., None]
    # Boxes naming an image outside the batch give zeros, as in tfjs.
    known = (box_index >= 0) & (box_index < batch)
    if image.size == 0:
        values = np.zeros((num_boxes, crop_h, crop_w, depth))
    else:
        b = np.where(known, box_index, 0)[:, None, None]

        def gather(row_index: np.ndarray, col_index: np.ndarray) -> np.ndarray:
            rows = np.clip(row_index, 0, in_h - 1).astype(np.intp)[:, :, None]
            cols = np.clip(col_index, 0, in_w - 1).astype(np.intp)[:, None, :]
            return image[b, rows, cols]

        if attrs['method'] == 'bilinear':
            top, bottom = np.floor(ys), np.ceil(ys)
            left, right = np.floor(xs), np.ceil(xs)
            y_lerp = (ys - top)[:, :, None, None]
            x_lerp = (xs - left)[:, None, :, None]
            top_left, top_right = gather(top, left), gather(top, right)
            bottom_left, bottom_right = gather(bottom, left), gather(bottom, right)
            upper = top_left + (top_right - top_left) * x_lerp
            lower = bottom_left + (bottom_right - bottom_left) * x_lerp
            values = upper + (lower - upper) * y_lerp
        else:
            values = gather(_round_half_up(ys), _round_half_up(xs))
    out = np.where(inside, values, attrs['extrapolationValue'])
    out[~known] = 0
    return out.astype(np.float32)


@register_kernel('FlipLeftRight', 'cpu')
def flip_left_right(backend, inputs, attrs):
    return arr(inputs[0])[:, :, ::-1].copy()
