"""Pooling: maxPool, avgPool, maxPool3d, avgPool3d, pool, maxPoolWithArgmax.

Max pooling keeps the input dtype; average pooling works in float32 (an
int32/bool input is cast, where tfjs refuses it). Beyond tfjs: the 3-D pools
also take 'NCDHW'; pool() refuses a numeric or explicit pad together with
dilations > 1 (tfjs silently pools as if 'valid').
"""

from __future__ import annotations

from typing import Any

from ..engine.engine import ENGINE
from ..engine.tensor import Tensor
from .conv import batched_shape, float_input, run_batched
from .conv_util import (
    ConvInfo,
    channels_last,
    check_pad_on_rounding,
    check_strides_and_dilations,
    parse_tuple,
    pool_info,
)
from .op import convert, op, run_kernel
from .shape import batchToSpaceND, reshape, spaceToBatchND


def _attrs(info: ConvInfo, filter_size: Any, strides: Any, pad: Any, rounding: str | None,
           **extra: Any) -> dict:
    return {'filterSize': info.filter_size, 'strides': info.strides, 'pad': pad,
            'dimRoundingMode': rounding, 'convInfo': info, **extra}


def _pool2d(kernel: str, fn: str, x: Tensor, filterSize: Any, strides: Any, pad: Any,
            rounding: str | None) -> Tensor:
    shape = batched_shape(x, 4, fn)
    check_pad_on_rounding(fn, pad, rounding)
    info = pool_info(shape, filterSize, strides, pad, rounding, True, fn)
    return run_batched(kernel, x, (), _attrs(info, filterSize, strides, pad, rounding), 4)


@op
def maxPool(x: Any, filterSize: Any, strides: Any, pad: Any,
            dimRoundingMode: str | None = None) -> Tensor:
    """The max over each filterSize window of x [batch, height, width, channels]."""
    return ENGINE.tidy(lambda: _pool2d('MaxPool', 'maxPool', convert(x, 'x', 'maxPool'),
                                       filterSize, strides, pad, dimRoundingMode))


@op
def avgPool(x: Any, filterSize: Any, strides: Any, pad: Any,
            dimRoundingMode: str | None = None) -> Tensor:
    """The mean over each window of the cells inside the input (padding is not counted)."""
    return ENGINE.tidy(lambda: _pool2d('AvgPool', 'avgPool', float_input(x, 'x', 'avgPool'),
                                       filterSize, strides, pad, dimRoundingMode))


def _pool3d(kernel: str, fn: str, x: Tensor, filterSize: Any, strides: Any, pad: Any,
            rounding: str | None, data_format: str) -> Tensor:
    shape = batched_shape(x, 5, fn, 'x')
    data_format = data_format or 'NDHWC'
    last = channels_last(data_format, ('NDHWC', 'NCDHW'), fn)
    if strides is None or pad is None:
        raise ValueError(f'Error in {fn}: strides and pad are required')
    check_pad_on_rounding(fn, pad, rounding)
    info = pool_info(shape, filterSize, strides, pad, rounding, last, fn)
    attrs = _attrs(info, filterSize, strides, pad, rounding, dataFormat=data_format,
                   dilations=(1, 1, 1))
    return run_batched(kernel, x, (), attrs, 5)


@op
def maxPool3d(x: Any, filterSize: Any = (1, 1, 1), strides: Any = None, pad: Any = None,
              dimRoundingMode: str | None = None, dataFormat: str = 'NDHWC') -> Tensor:
    """3-D max pooling of x [batch, depth, height, width, channels]."""
    return ENGINE.tidy(lambda: _pool3d('MaxPool3D', 'maxPool3d', convert(x, 'x', 'maxPool3d'),
                                       filterSize, strides, pad, dimRoundingMode, dataFormat))


@op
def avgPool3d(x: Any, filterSize: Any = (1, 1, 1), strides: Any = None, pad: Any = None,
              dimRoundingMode: str | None = None, dataFormat: str = 'NDHWC') -> Tensor:
    """3-D average pooling of x [batch, depth, height, width, channels]."""
    return ENGINE.tidy(lambda: _pool3d('AvgPool3D', 'avgPool3d',
                                       float_input(x, 'x', 'avgPool3d'), filterSize, strides,
                                       pad, dimRoundingMode, dataFormat))


def _same_base_padding(filter_size: tuple[int, ...], dilation: tuple[int, ...]) -> list[list[int]]:
    """'same' padding of the dilated window, more at the end when odd (as conv2d)."""
    out = []
    for k, d in zip(filter_size, dilation, strict=True):
        extra = k + (k - 1) * (d - 1) - 1
        out.append([extra // 2, extra - extra // 2])
    return out


def _space_to_batch_paddings(in_size: tuple[int, ...], block: tuple[int, ...],
                             base: list[list[int]]) -> tuple[list[list[int]], list[list[int]]]:
    """Paddings making each padded size a multiple of its block, and the
    crops that remove the extra again."""
    paddings, crops = [], []
    for n, b, (start, end) in zip(in_size, block, base, strict=True):
        extra = (b - (n + start + end) % b) % b
        paddings.append([start, end + extra])
        crops.append([0, extra])
    return paddings, crops


@op
def pool(input: Any, windowShape: Any, poolingType: str, pad: Any, dilations: Any = None,
         strides: Any = None, dimRoundingMode: str | None = None) -> Tensor:
    """Max or average pooling with dilations, as tfjs: a dilated pool is
    batchToSpaceND(pool(spaceToBatchND(x))), so the 'same' padding of a
    dilated window is made of zeros that take part in the max and the mean."""
    fn = 'pool'
    if poolingType not in ('avg', 'max'):
        raise ValueError(f"Error in {fn}: poolingType must be 'avg' or 'max', got "
                         f"{poolingType!r}")
    dilations = (1, 1) if dilations is None else dilations
    strides = 1 if strides is None else strides
    pad = 'valid' if pad == 0 and not isinstance(pad, bool) else pad

    def run() -> Tensor:
        x = convert(input, 'x', fn)
        shape = batched_shape(x, 4, fn)
        s = parse_tuple(strides, 2, 'strides', fn)
        d = parse_tuple(dilations, 2, 'dilations', fn)
        check_strides_and_dilations(s, d, fn, strides, dilations)
        pool_op = avgPool if poolingType == 'avg' else maxPool
        if d == (1, 1):
            return pool_op(x, windowShape, strides, pad, dimRoundingMode)
        if pad not in ('same', 'valid'):
            raise ValueError(f"Error in {fn}: with dilations > 1, pad must be 'same' or 'valid', "
                             f"got {pad!r}")
        window = parse_tuple(windowShape, 2, 'windowShape', fn)
        base = _same_base_padding(window, d) if pad == 'same' else [[0, 0], [0, 0]]
        paddings, crops = _space_to_batch_paddings(shape[1:3], d, base)
        x4 = reshape(x, shape)
        spread = spaceToBatchND(x4, list(d), paddings)
        pooled = pool_op(spread, windowShape, strides, 'valid', dimRoundingMode)
        out = batchToSpaceND(pooled, list(d), crops)
        return out if x.rank == 4 else reshape(out, out._shape[1:])
    return ENGINE.tidy(run)


@op(chain=False)
def maxPoolWithArgmax(x: Any, filterSize: Any, strides: Any, pad: Any,
                      includeBatchInIndex: bool = False) -> dict[str, Tensor]:
    """{'result': maxPool(x), 'indexes': the flat index of each max in x}: for
    a max at [b, y, x, c], ((b * height + y) * width + x) * channels + c with
    includeBatchInIndex, else the same without the b term."""
    fn = 'maxPoolWithArgmax'

    def run() -> dict[str, Tensor]:
        t = convert(x, 'x', fn)
        if t.rank != 4:
            raise ValueError(f'Error in {fn}: x must be rank 4, but got rank {t.rank}.')
        info = pool_info(t._shape, filterSize, strides, pad, None, True, fn)
        result, indexes = run_kernel('MaxPoolWithArgmax', (t,), _attrs(
            info, filterSize, strides, pad, None, includeBatchInIndex=bool(includeBatchInIndex)))
        return {'result': result, 'indexes': indexes}
    return ENGINE.tidy(run)
