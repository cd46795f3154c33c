"""Convolution and pooling geometry, in one place: argument parsing, padding
('same', 'valid', a number, explicit pairs), dimRoundingMode, dilations and
data formats, and the ConvInfo every conv/pool kernel receives in its attrs.

Works for any number of spatial dimensions (1-D via 2-D, 2-D, 3-D). Where
tfjs 4.22 computes a wrong geometry we compute the right one:
- a numeric pad with a non-square filter or unequal strides: tfjs sizes the
  width with the filter height and height stride (computeOutputShape2D);
- 3-D 'same' padding when the stride exceeds the filter: tfjs lets the
  padding go negative and samples shifted cells; TensorFlow clamps it at 0;
- a filter larger than the padded input: tfjs makes a negative shape; we
  raise, as TensorFlow does.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Any

ROUNDING_MODES = ('floor', 'round', 'ceil')

_CHANNELS_LAST = {'NWC': True, 'NHWC': True, 'NDHWC': True, 'channelsLast': True,
                  'NCW': False, 'NCHW': False, 'NCDHW': False, 'channelsFirst': False}


@dataclass(frozen=True, slots=True)
class ConvInfo:
    """The geometry of one convolution or pooling window pass.

    Spatial fields are tuples with one entry per spatial dimension (outermost
    first). `in_shape`/`out_shape` are full shapes in the data format;
    `filter_shape` is [*filter_size, in_channels, out_channels or multiplier].
    """
    batch: int
    in_channels: int
    out_channels: int
    in_size: tuple[int, ...]
    out_size: tuple[int, ...]
    filter_size: tuple[int, ...]
    effective_filter_size: tuple[int, ...]
    strides: tuple[int, ...]
    dilations: tuple[int, ...]
    pad_before: tuple[int, ...]
    pad_after: tuple[int, ...]
    pad_type: str  # 'SAME', 'VALID', 'NUMBER' or 'EXPLICIT'
    channels_last: bool
    in_shape: tuple[int, ...]
    out_shape: tuple[int, ...]
    filter_shape: tuple[int, ...]

    @property
    def pad_extent(self) -> tuple[tuple[int, int], ...]:
        """(before, after) zero cells per spatial dimension such that every
        window lies inside the padded input; `after` covers the windows that a
        'ceil' rounding adds past the declared padding."""
        out = []
        for n, o, s, k, before in zip(self.in_size, self.out_size, self.strides,
                                      self.effective_filter_size, self.pad_before, strict=True):
            out.append((before, max(0, (o - 1) * s + k - n - before) if o > 0 else 0))
        return tuple(out)


def _fmt(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ','.join(_fmt(v) for v in value)
    return str(value)


def parse_tuple(value: Any, n: int, arg: str, fn: str) -> tuple[int, ...]:
    """A number repeated n times, or a list of n integers (tfjs also takes a
    2-list for 2-D params given as [h, w])."""
    if isinstance(value, bool):
        raise TypeError(f'Error in {fn}: {arg} must be a number or a list of {n} numbers, '
                        f'got {value!r}')
    if isinstance(value, numbers.Real):
        values = [value] * n
    elif isinstance(value, list | tuple):
        values = list(value)
        if len(values) != n:
            raise ValueError(f'Error in {fn}: {arg} must have {n} values, got {list(value)}')
    else:
        raise TypeError(f'Error in {fn}: {arg} must be a number or a list of {n} numbers, '
                        f'got {type(value).__name__}')
    if any(isinstance(v, bool) or int(v) != v for v in values):
        raise ValueError(f'Error in {fn}: {arg} must hold integers, got {_fmt(value)}')
    return tuple(int(v) for v in values)


def channels_last(data_format: str, allowed: tuple[str, ...], fn: str) -> bool:
    if data_format not in allowed:
        raise ValueError(f"Error in {fn}: unknown dataFormat {data_format!r}; expected one of "
                         f"{', '.join(repr(a) for a in allowed)}")
    return _CHANNELS_LAST[data_format]


def check_strides_and_dilations(strides: tuple[int, ...], dilations: tuple[int, ...],
                                fn: str, raw_strides: Any, raw_dilations: Any,
                                stride_word: str = 'strides',
                                dilation_word: str = 'dilations') -> None:
    """tfjs refuses strides > 1 together with dilations > 1, and values < 1."""
    if not (all(s == 1 for s in strides) or all(d == 1 for d in dilations)):
        raise ValueError(f'Error in {fn}: Either {stride_word} or {dilation_word} must be 1. '
                         f"Got {stride_word} {_fmt(raw_strides)} and {dilation_word} "
                         f"'{_fmt(raw_dilations)}'")
    if any(d <= 0 for d in dilations):
        raise ValueError(f'Error in {fn}: Dilated rates should be larger than 0, got '
                         f'{_fmt(raw_dilations)}.')
    if any(s <= 0 for s in strides):
        raise ValueError(f'Error in {fn}: {stride_word.capitalize()} should be larger than 0, '
                         f'got {_fmt(raw_strides)}.')


def check_pad_on_rounding(fn: str, pad: Any, rounding: str | None) -> None:
    """A dimRoundingMode only makes sense with numeric (or explicit) padding."""
    if rounding is None:
        return
    if rounding not in ROUNDING_MODES:
        raise ValueError(f"Error in {fn}: unknown dimRoundingMode {rounding!r}; expected "
                         f"'floor', 'round' or 'ceil'")
    if isinstance(pad, str):
        raise ValueError(f'Error in {fn}: pad must be an integer when using dimRoundingMode '
                         f'{rounding} but got pad {pad}.')
    values = [v for pair in pad for v in pair] if isinstance(pad, list | tuple) else [pad]
    for v in values:
        if isinstance(v, bool) or not isinstance(v, numbers.Real) or int(v) != v:
            raise ValueError(f'Error in {fn}: pad must be an integer when using '
                             f'dimRoundingMode {rounding} but got pad {v}.')


def _round(value: float, rounding: str | None) -> int:
    if rounding is None:
        return math.trunc(value)
    if rounding == 'round':
        return math.floor(value + 0.5)  # JavaScript's Math.round: halves go up
    if rounding == 'ceil':
        return math.ceil(value)
    return math.floor(value)


def _explicit_pairs(pad: Any, n: int, last: bool, fn: str) -> list[tuple[int, int]]:
    """The spatial (before, after) pairs of explicit padding given for every
    axis of the input ([[0, 0], [t, b], [l, r], [0, 0]] for NHWC)."""
    try:
        pairs = [(p[0], p[1]) for p in pad] if all(len(p) == 2 for p in pad) else None
    except TypeError:
        pairs = None
    if pairs is None or len(pairs) != n + 2:
        raise ValueError(f'Error in {fn}: explicit pad must be {n + 2} pairs [before, after], '
                         f'one per axis of the input, got {pad!r}')
    for before, after in pairs:
        for v in (before, after):
            if isinstance(v, bool) or not isinstance(v, numbers.Real) or int(v) != v or v < 0:
                raise ValueError(f'Error in {fn}: explicit pad values must be non-negative '
                                 f'integers, got {pad!r}')
    spatial = pairs[1:-1] if last else pairs[2:]
    other = (pairs[0], pairs[-1]) if last else (pairs[0], pairs[1])
    if any(v != 0 for pair in other for v in pair):
        raise ValueError(f'Error in {fn}: explicit pad can only pad the spatial dimensions; '
                         f'the batch and channel pairs must be [0, 0], got {pad!r}')
    return [(int(a), int(b)) for a, b in spatial]


def _pad_and_out(pad: Any, in_size: tuple[int, ...], strides: tuple[int, ...],
                 eff: tuple[int, ...], rounding: str | None, last: bool, fn: str
                 ) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...], str]:
    n = len(in_size)
    if isinstance(pad, str):
        if pad == 'same':
            out = tuple(-(-i // s) for i, s in zip(in_size, strides, strict=True))
            along = [max(0, (o - 1) * s + k - i)
                     for o, s, k, i in zip(out, strides, eff, in_size, strict=True)]
            before = tuple(a // 2 for a in along)
            after = tuple(a - b for a, b in zip(along, before, strict=True))
            return before, after, out, 'SAME'
        if pad == 'valid':
            out = tuple(max(0, -(-(i - k + 1) // s))
                        for i, k, s in zip(in_size, eff, strides, strict=True))
            zero = (0,) * n
            _check_fits(in_size, zero, zero, eff, fn)
            return zero, zero, out, 'VALID'
        raise ValueError(f"Error in {fn}: unknown pad {pad!r}; expected 'same', 'valid', a "
                         f"number or explicit [before, after] pairs")
    if isinstance(pad, numbers.Real) and not isinstance(pad, bool):
        if int(pad) != pad or pad < 0:
            raise ValueError(f'Error in {fn}: pad must be a non-negative integer, got {pad}')
        p = int(pad)
        before = after = (p,) * n
        kind = 'VALID' if p == 0 else 'NUMBER'
    elif isinstance(pad, list | tuple):
        pairs = _explicit_pairs(pad, n, last, fn)
        before = tuple(a for a, _ in pairs)
        after = tuple(b for _, b in pairs)
        kind = 'VALID' if not any(before) and not any(after) else 'EXPLICIT'
    else:
        raise ValueError(f'Error in {fn}: unknown pad {pad!r}')
    _check_fits(in_size, before, after, eff, fn)
    out = tuple(_round((i - k + b + a) / s + 1, rounding)
                for i, k, b, a, s in zip(in_size, eff, before, after, strides, strict=True))
    return before, after, tuple(max(0, o) for o in out), kind


def _check_fits(in_size, before, after, eff, fn: str) -> None:
    for i, b, a, k in zip(in_size, before, after, eff, strict=True):
        if i + b + a < k:
            raise ValueError(f'Error in {fn}: the filter (effective size {list(eff)}) is larger '
                             f'than the padded input (spatial size {list(in_size)}, padding '
                             f'{list(before)} before and {list(after)} after)')


def conv_info(in_shape: tuple[int, ...], filter_shape: tuple[int, ...], strides: Any,
              dilations: Any, pad: Any, rounding: str | None = None, depthwise: bool = False,
              last: bool = True, fn: str = 'conv') -> ConvInfo:
    """Geometry of a convolution. `in_shape` is [batch, *spatial, channels]
    (or [batch, channels, *spatial] when not `last`); `filter_shape` is
    [*filter_size, in_channels, out_channels] (the multiplier if depthwise)."""
    n = len(in_shape) - 2
    in_shape = tuple(int(d) for d in in_shape)
    filter_shape = tuple(int(d) for d in filter_shape)
    batch = in_shape[0]
    in_channels = in_shape[-1] if last else in_shape[1]
    in_size = in_shape[1:-1] if last else in_shape[2:]
    filter_size = filter_shape[:n]
    stride_t = parse_tuple(strides, n, 'strides', fn)
    dilation_t = parse_tuple(dilations, n, 'dilations', fn)
    if any(s < 1 for s in stride_t) or any(d < 1 for d in dilation_t):
        raise ValueError(f'Error in {fn}: strides and dilations must be positive, got strides '
                         f'{_fmt(strides)} and dilations {_fmt(dilations)}')
    eff = tuple(k + (k - 1) * (d - 1) for k, d in zip(filter_size, dilation_t, strict=True))
    before, after, out_size, kind = _pad_and_out(pad, in_size, stride_t, eff, rounding, last, fn)
    out_channels = filter_shape[-1] * in_channels if depthwise else filter_shape[-1]
    out_shape = ((batch, *out_size, out_channels) if last
                 else (batch, out_channels, *out_size))
    return ConvInfo(batch, in_channels, out_channels, in_size, out_size, filter_size, eff,
                    stride_t, dilation_t, before, after, kind, last, in_shape, out_shape,
                    filter_shape)


def pool_info(in_shape: tuple[int, ...], filter_size: Any, strides: Any, pad: Any,
              rounding: str | None = None, last: bool = True, fn: str = 'pool') -> ConvInfo:
    """Geometry of a pooling window pass (dilation 1, channels kept)."""
    n = len(in_shape) - 2
    sizes = parse_tuple(filter_size, n, 'filterSize', fn)
    if any(k <= 0 for k in sizes):
        raise ValueError(f'Error in {fn}: filterSize must be positive, got {_fmt(filter_size)}')
    channels = in_shape[-1] if last else in_shape[1]
    return conv_info(in_shape, (*sizes, channels, channels), strides, 1, pad, rounding,
                     False, last, fn)
