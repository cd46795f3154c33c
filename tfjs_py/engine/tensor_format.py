"""The text of `tensor.toString(verbose)`, character for character as TensorFlow.js 4.22 prints it.

The rules, observed in tfjs (tfjs-core/src/tensor_format.ts) and checked against it by
tests/engine/test_tensor_format.py:

- A scalar prints its value with JavaScript's `Number#toString`, so float32 data shows every
  digit of the float32 as a double (0.1 prints `0.10000000149011612`); a string scalar is not
  quoted.
- Every other number is rounded to 7 decimals (not significant digits) with `toFixed(7)`, then
  printed with `Number#toString` (so 1e-8 prints `0`, 3e-7 prints `3e-7`); bools print
  `true`/`false`, strings are quoted, complex numbers print `re + imj`.
- From rank 2 on, each value is right-padded to the widest value of its column (the last axis),
  measured over the whole tensor, summarised parts included.
- An axis longer than 20 shows its first 3 and last 3 entries around `...`.
- Sub-blocks of rank r >= 2 are separated by r - 1 blank lines.
- tfjs' own quirks are kept: the first line of a block gets '[' and the last gets ' ' and ']'
  in turn, so a one-row matrix prints ` [[1, 2],]` and an empty axis ` []`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np

__all__ = ['format_tensor']

_SUMMARISE_ABOVE = 20  # an axis longer than this is summarised
_EDGE_ITEMS = 3  # entries shown at each end of a summarised axis
_DECIMALS = 7
_STEP = Decimal(1).scaleb(-_DECIMALS)

_NUMPY_DTYPES: dict[str, Any] = {
    'float32': np.float32,
    'int32': np.int32,
    'bool': np.bool_,
    'complex64': np.complex64,
    'string': object,
}


def format_tensor(values: np.ndarray, dtype: str, verbose: bool = False) -> str:
    """What tfjs' `tensor.toString(verbose)` returns for a tensor holding `values`.

    `values` is shaped like the tensor; it is first stored the way tfjs stores `dtype`
    (float32 values are rounded to float32, bools become 0/1), so that is what prints.
    """
    if dtype not in _NUMPY_DTYPES:
        raise ValueError(
            f"format_tensor: unknown dtype {dtype!r}; expected one of {sorted(_NUMPY_DTYPES)}")
    array = np.asarray(values, dtype=_NUMPY_DTYPES[dtype])
    shape = array.shape
    flat = array.ravel().tolist()
    if dtype == 'string':
        # tfjs keeps strings as UTF-8 bytes and decodes them to print.
        flat = [v.decode('utf-8', 'replace') if isinstance(v, bytes) else v for v in flat]
    if not shape:
        body = [_scalar_text(flat[0], dtype)]
    else:
        element_text = _ELEMENT_TEXT[dtype]
        # tfjs pads only from rank 2 on
        widths = _column_widths(flat, shape, element_text) if len(shape) > 1 else [0] * shape[0]
        body = _axis_lines(flat, 0, shape, element_text, widths, is_last=True)
    lines = ['Tensor']
    if verbose:
        lines += [
            f'  dtype: {dtype}',
            f'  rank: {len(shape)}',
            f"  shape: [{','.join(str(d) for d in shape)}]",
            '  values:',
        ]
    lines.append('\n'.join('    ' + line for line in body))
    return '\n'.join(lines)


def js_number(x: float) -> str:
    """JavaScript's `Number#toString` of a double: shortest round-trip digits, JS layout."""
    if math.isnan(x):
        return 'NaN'
    if math.isinf(x):
        return 'Infinity' if x > 0 else '-Infinity'
    if x == 0:
        return '0'
    sign = '-' if x < 0 else ''
    # Python's repr has the same shortest digits; only the layout differs.
    mantissa, _, exp_text = repr(abs(float(x))).partition('e')
    int_part, _, frac_part = mantissa.partition('.')
    digits = (int_part + frac_part).lstrip('0')
    # point: the value is 0.<digits> * 10**point
    if int_part == '0':
        point = len(frac_part.lstrip('0')) - len(frac_part)
    else:
        point = len(int_part) + (int(exp_text) if exp_text else 0)
    digits = digits.rstrip('0')
    count = len(digits)
    if count <= point <= 21:
        text = digits + '0' * (point - count)
    elif 0 < point <= 21:
        text = digits[:point] + '.' + digits[point:]
    elif -6 < point <= 0:
        text = '0.' + '0' * -point + digits
    else:
        exponent = point - 1
        head = digits[0] + ('.' + digits[1:] if count > 1 else '')
        text = f"{head}e{'+' if exponent >= 0 else '-'}{abs(exponent)}"
    return sign + text


def _is_half_at_last_decimal(x: float) -> bool:
    """Whether x lies exactly halfway between two 7-decimal numbers: x = k / 2**8, k odd."""
    scaled = x * 256
    return scaled.is_integer() and scaled % 2 == 1


def _js_to_fixed(x: float) -> str:
    """JavaScript's `x.toFixed(7)`: exact decimal rounding, halves away from zero."""
    if not math.isfinite(x) or abs(x) >= 1e21:
        return js_number(x)
    # Python's formatting is exact too but rounds halves to even.
    if _is_half_at_last_decimal(x):
        return str(Decimal(x).quantize(_STEP, rounding=ROUND_HALF_UP))
    return f'{x:.{_DECIMALS}f}'


def _number_text(x: float) -> str:
    """`parseFloat(x.toFixed(7)).toString()`, the text of a number inside a tensor."""
    x = float(x)
    # Fast path, same result: from 1e-6 (below, JS writes exponents) to 1e8 the rounded
    # decimal has at most 15 significant digits, so it reads back as itself and JS prints
    # it as written, minus trailing zeros.
    if 1e-6 <= abs(x) < 1e8 and not _is_half_at_last_decimal(x):
        return f'{x:.{_DECIMALS}f}'.rstrip('0').rstrip('.')
    return js_number(float(_js_to_fixed(x)))


def _bool_text(x: bool) -> str:
    return 'true' if x else 'false'


def _string_text(x: str) -> str:
    return f"'{x}'"


def _complex_text(x: complex) -> str:
    return f'{_number_text(x.real)} + {_number_text(x.imag)}j'


_ELEMENT_TEXT: dict[str, Callable[[Any], str]] = {
    'float32': _number_text,
    'int32': str,
    'bool': _bool_text,
    'complex64': _complex_text,
    'string': _string_text,
}


def _scalar_text(value: Any, dtype: str) -> str:
    if dtype == 'complex64':
        return _complex_text(value)
    if dtype == 'bool':
        return _bool_text(value)
    if dtype == 'string':
        return value
    if dtype == 'int32':
        return str(value)
    return js_number(value)


def _js_length(text: str) -> int:
    """Length in UTF-16 code units, as JavaScript counts it when padding."""
    if text.isascii():
        return len(text)
    return len(text.encode('utf-16-le')) // 2


def _column_widths(
        flat: list[Any], shape: tuple[int, ...], element_text: Callable[[Any], str]) -> list[int]:
    columns = shape[-1]
    if not flat:
        return [0] * columns
    lengths = np.fromiter((_js_length(element_text(v)) for v in flat), dtype=np.int64,
                          count=len(flat))
    return lengths.reshape(-1, columns).max(axis=0).tolist()


def _padded(text: str, width: int) -> str:
    missing = width - _js_length(text)
    return text + ' ' * missing if missing > 0 else text


def _shown_indices(size: int) -> list[int | None]:
    """Indices printed along an axis; None marks the '...' of a summarised axis."""
    if size <= _SUMMARISE_ABOVE:
        return list(range(size))
    return [*range(_EDGE_ITEMS), None, *range(size - _EDGE_ITEMS, size)]


def _axis_lines(flat: list[Any], start: int, shape: tuple[int, ...],
                element_text: Callable[[Any], str], widths: list[int],
                is_last: bool) -> list[str]:
    """Lines for the sub-tensor of `shape` whose values begin at flat[start]."""
    size = shape[0]
    if len(shape) == 1:
        cells = ['...' if i is None else
                 _padded(element_text(flat[start + i]), widths[i])
                 for i in _shown_indices(size)]
        return ['[' + ', '.join(cells) + ']']

    inner_shape = shape[1:]
    stride = math.prod(inner_shape)
    lines: list[str] = []
    for i in _shown_indices(size):
        if i is None:
            lines.append('...')
        else:
            lines += _axis_lines(flat, start + i * stride, inner_shape, element_text, widths,
                                 is_last=i == size - 1)
    rank = len(shape)
    row_end = ',' if rank == 2 else ''
    # The first and last lines are decorated one after the other, so a single line gets both
    # (a 1-row matrix ends in ',]'); an empty axis is just the bracket.
    if lines:
        lines[0] = '[' + lines[0] + row_end
    else:
        lines = ['[']
    for i in range(1, len(lines) - 1):
        lines[i] = ' ' + lines[i] + row_end
    block_end = '' if is_last else ',' + '\n' * (rank - 1)
    lines[-1] = ' ' + lines[-1] + ']' + block_end
    return lines
