"""tf.image: resizeBilinear, resizeNearestNeighbor, cropAndResize, flipLeftRight.

Images are [batch, height, width, channels] (the resizes also take a single
[height, width, channels] image).
"""

from __future__ import annotations

from typing import Any

from ..engine.engine import ENGINE
from ..engine.tensor import Tensor
from .op import cast_to, convert, op, run_kernel
from .shape import reshape


def _int32_input(x: Any, arg: str, fn: str) -> Tensor:
    t = convert(x, arg, fn, 'int32')
    if t.dtype != 'int32':
        raise TypeError(f"Argument '{arg}' passed to '{fn}' must be int32 tensor, but got "
                        f"{t.dtype} tensor")
    return t


def _pair(values: Any, arg: str, fn: str, minimum: int) -> tuple[int, int]:
    try:
        pair = tuple(values)
    except TypeError:
        pair = ()
    if len(pair) != 2 or any(isinstance(v, bool) or int(v) != v or v < minimum
                             for v in pair):
        raise ValueError(f'{fn}: {arg} must be two integers >= {minimum}, got {values!r}')
    return int(pair[0]), int(pair[1])


def _resize(kernel: str, fn: str, images: Tensor, size: Any, alignCorners: bool,
            halfPixelCenters: bool) -> Tensor:
    if images.rank not in (3, 4):
        raise ValueError(f'{fn}: images must be rank 3 or 4, but got rank {images.rank}')
    if alignCorners and halfPixelCenters:
        raise ValueError(f'{fn}: if halfPixelCenters is true, alignCorners must be false')
    new_size = _pair(size, 'size', fn, 0)
    height, width = images._shape[-3:-1]
    if (height == 0 or width == 0) and 0 not in new_size:
        raise ValueError(f'{fn}: cannot resize images of height {height} and width {width}')
    attrs = {'alignCorners': bool(alignCorners), 'halfPixelCenters': bool(halfPixelCenters),
             'size': new_size}
    if images.rank == 4:
        return run_kernel(kernel, (images,), attrs)

    def run() -> Tensor:
        out = run_kernel(kernel, (reshape(images, (1, *images._shape)),), attrs)
        return reshape(out, out._shape[1:])

    return ENGINE.tidy(run)


@op(namespace='image', chain=True)
def resizeBilinear(images: Any, size: Any, alignCorners: bool = False,
                   halfPixelCenters: bool = False) -> Tensor:
    """Bilinear resize to size = [newHeight, newWidth]; the result is float32."""
    images = convert(images, 'images', 'resizeBilinear')
    if images.dtype not in ('float32', 'int32', 'bool'):
        raise TypeError(f'resizeBilinear: images must be numeric, got {images.dtype}')
    return _resize('ResizeBilinear', 'resizeBilinear', images, size, alignCorners,
                   halfPixelCenters)


@op(namespace='image', chain=True)
def resizeNearestNeighbor(images: Any, size: Any, alignCorners: bool = False,
                          halfPixelCenters: bool = False) -> Tensor:
    """Nearest-neighbour resize to size = [newHeight, newWidth]; keeps the dtype."""
    images = convert(images, 'images', 'resizeNearestNeighbor')
    if images.dtype not in ('float32', 'int32'):
        raise TypeError(f'resizeNearestNeighbor: images must have int32 or float32 as dtype, '
                        f'got {images.dtype}')
    return _resize('ResizeNearestNeighbor', 'resizeNearestNeighbor', images, size,
                   alignCorners, halfPixelCenters)


@op(namespace='image')
def cropAndResize(image: Any, boxes: Any, boxInd: Any, cropSize: Any,
                  method: str = 'bilinear', extrapolationValue: float = 0) -> Tensor:
    """Crop boxes [y1, x1, y2, x2] (normalised coordinates) out of images
    boxInd and resize each to cropSize; float32 [numBoxes, cropH, cropW, depth].
    Samples outside the image take extrapolationValue; a box whose index is
    outside the batch gives zeros (as tfjs)."""
    fn = 'cropAndResize'
    image = convert(image, 'image', fn)
    boxes = convert(boxes, 'boxes', fn, 'float32')
    boxInd = _int32_input(boxInd, 'boxInd', fn)
    if image.rank != 4:
        raise ValueError(f'{fn}: image must be rank 4, but got rank {image.rank}')
    for name, t in (('image', image), ('boxes', boxes)):
        if t.dtype not in ('float32', 'int32', 'bool'):
            raise TypeError(f'{fn}: {name} must be numeric, got {t.dtype}')
    num_boxes = boxes._shape[0] if boxes.rank else 0
    if boxes.rank != 2 or boxes._shape[1] != 4:
        raise ValueError(f'{fn}: boxes must have shape [numBoxes, 4], but had shape '
                         f'{boxes.shape}')
    if boxInd._shape != (num_boxes,):
        raise ValueError(f'{fn}: boxInd must have shape [{num_boxes}], but had shape '
                         f'{boxInd.shape}')
    if method not in ('bilinear', 'nearest'):
        raise ValueError(f"{fn}: method must be 'bilinear' or 'nearest', but was {method!r}")
    attrs = {'cropSize': _pair(cropSize, 'cropSize', fn, 1), 'method': method,
             'extrapolationValue': float(extrapolationValue)}
    if boxes.dtype == 'float32':
        return run_kernel('CropAndResize', (image, boxes, boxInd), attrs)
    return ENGINE.tidy(lambda: run_kernel(
        'CropAndResize', (image, cast_to(boxes, 'float32'), boxInd), attrs))


@op(namespace='image')
def flipLeftRight(image: Any) -> Tensor:
    """Mirror each image of a [batch, height, width, channels] tensor. tfjs
    only takes float32; any numeric dtype is kept here, since Python ints make
    int32 tensors."""
    image = convert(image, 'image', 'flipLeftRight', 'float32')
    if image.dtype not in ('float32', 'int32', 'bool'):
        raise TypeError(f'flipLeftRight: image must be numeric, got {image.dtype}')
    if image.rank != 4:
        raise ValueError(f'flipLeftRight: image must be rank 4, but got rank {image.rank}')
    return run_kernel('FlipLeftRight', (image,), {})

