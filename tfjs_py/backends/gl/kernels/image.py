"""Image GL kernels: ResizeBilinear and ResizeNearestNeighbor
(gl/image/resize.comp) and their gradients (two matrix products), and
CropAndResize (gl/image/crop_and_resize.comp). The resizes' per-axis taps and
weights are the cpu backend's own, computed on the host in float64 as tfjs
does, and uploaded as small textures; CropAndResize's depend on the boxes, a
tensor, so its shader computes them in double."""

from __future__ import annotations

import numpy as np

from ....engine.registry import register_kernel
from ...cpu.kernels.image import _bilinear_matrix as bilinear_matrix
from ...cpu.kernels.image import _bilinear_taps as bilinear_taps
from ...cpu.kernels.image import _nearest_matrix as nearest_matrix
from ...cpu.kernels.image import _nearest_taps as nearest_taps
from ..backend import GlOutput
from .linalg import matmul
from .util import release, run_elementwise


def _upload(backend, values: np.ndarray) -> GlOutput:
    rec, _ = backend.write(values)
    return GlOutput(rec, values.shape)


def _resize(backend, images, attrs, bilinear: bool):
    out_h, out_w = attrs['size']
    batch, in_h, in_w, c = images._shape
    args = (attrs['alignCorners'], attrs['halfPixelCenters'])
    if bilinear:
        top, bottom, fy = bilinear_taps(in_h, out_h, *args)
        left, right, fx = bilinear_taps(in_w, out_w, *args)
        taps = [_upload(backend, np.concatenate([top, bottom, left, right]).astype(np.int32)),
                _upload(backend, np.concatenate([fy, fx]).astype(np.float32))]
        dtype = 'float32'
    else:
        rows, cols = nearest_taps(in_h, out_h, *args), nearest_taps(in_w, out_w, *args)
        taps = [_upload(backend, np.concatenate([rows, cols]).astype(np.int32))]
        dtype = images.dtype
    out = run_elementwise(backend, 'image/resize.comp', [images, *taps],
                          (batch, out_h, out_w, c), dtype, {'BILINEAR': 1} if bilinear else {},
                          {'u_in_h': in_h, 'u_in_w': in_w, 'u_c': c, 'u_out_h': out_h,
                           'u_out_w': out_w})
    for t in taps:
        release(backend, t)
    return out


@register_kernel('ResizeBilinear', 'gl')
def resize_bilinear(backend, inputs, attrs):
    return _resize(backend, inputs[0], attrs, bilinear=True)


@register_kernel('ResizeNearestNeighbor', 'gl')
def resize_nearest_neighbor(backend, inputs, attrs):
    return _resize(backend, inputs[0], attrs, bilinear=False)


def _resize_grad(backend, images, dy, attrs, weights) -> GlOutput:
    """dx[b, i, j, d] = sum over (r, c) of R[r, i] C[c, j] dy[b, r, c, d], the
    adjoint of the resize, as two matrix products with the transposed [out, in]
    weight matrices R (rows) and C (columns)."""
    batch, in_h, in_w, depth = images._shape
    _, out_h, out_w, _ = dy._shape
    args = (attrs['alignCorners'], attrs['halfPixelCenters'])
    rows_t = _upload(backend, weights(in_h, out_h, *args).T.astype(np.float32))
    cols_t = _upload(backend, weights(in_w, out_w, *args).T.astype(np.float32))
    spread = matmul(backend, rows_t, GlOutput(dy.dataId.rec, (batch, out_h, out_w * depth)),
                    False, False)
    dx = matmul(backend, cols_t, GlOutput(spread.rec, (batch * in_h, out_w, depth)), False, False)
    for t in (rows_t, cols_t, spread):
        release(backend, t)
    return GlOutput(dx.rec, (batch, in_h, in_w, depth))


@register_kernel('ResizeBilinearGrad', 'gl')
def resize_bilinear_grad(backend, inputs, attrs):
    return _resize_grad(backend, inputs[0], inputs[1], attrs, bilinear_matrix)


@register_kernel('ResizeNearestNeighborGrad', 'gl')
def resize_nearest_neighbor_grad(backend, inputs, attrs):
    return _resize_grad(backend, inputs[0], inputs[1], attrs, nearest_matrix)


@register_kernel('CropAndResize', 'gl')
def crop_and_resize(backend, inputs, attrs):
    image, boxes, box_index = inputs
    batch, in_h, in_w, depth = image._shape
    crop_h, crop_w = attrs['cropSize']
    # An empty image is never read: its samples are all outside it, or its boxes
    # all name images outside the (empty) batch.
    return run_elementwise(backend, 'image/crop_and_resize.comp', [image, boxes, box_index],
                           (boxes._shape[0], crop_h, crop_w, depth), 'float32',
                           {'NEAREST': 1} if attrs['method'] == 'nearest' else {},
                           {'u_batch': batch, 'u_in_h': in_h, 'u_in_w': in_w, 'u_c': depth,
                            'u_crop_h': crop_h, 'u_crop_w': crop_w,
                            'u_extrapolation': float(attrs['extrapolationValue'])})
