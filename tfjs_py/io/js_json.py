"""JSON text exactly as JavaScript's JSON.stringify writes it (compact), so a
model.json saved here is byte for byte what tfjs writes: numbers as JavaScript
prints them (`0`, not `0.0`; `1e-7`, not `1e-07`), non-finite numbers as null."""

from __future__ import annotations

import json
import math
from decimal import Decimal
from typing import Any


def js_number(x: float) -> str:
    """Number.prototype.toString for a finite double (ECMAScript's Number::toString)."""
    if x == 0:
        return '0'
    if x.is_integer() and abs(x) < 1e21:
        return str(int(x))
    sign, digit_tuple, exponent = Decimal(repr(x)).as_tuple()
    digits = ''.join(map(str, digit_tuple)).rstrip('0') or '0'
    k = len(digits)
    n = exponent + len(digit_tuple)  # the decimal point sits after n digits
    if 0 < n <= 21:
        text = digits[:n] + '0' * (n - k) + ('.' + digits[n:] if k > n else '')
    elif -6 < n <= 0:
        text = '0.' + '0' * -n + digits
    else:
        e = n - 1
        mantissa = digits[0] + ('.' + digits[1:] if k > 1 else '')
        text = f"{mantissa}e{'+' if e >= 0 else '-'}{abs(e)}"
    return ('-' if sign else '') + text


def dumps(value: Any) -> str:
    parts: list[str] = []
    _write(value, parts)
    return ''.join(parts)


def _write(value: Any, out: list[str]) -> None:
    if value is None or value is True or value is False:
        out.append('null' if value is None else 'true' if value else 'false')
    elif isinstance(value, str):
        out.append(json.dumps(value, ensure_ascii=False))
    elif isinstance(value, int):
        out.append(str(value))
    elif isinstance(value, float):
        out.append(js_number(value) if math.isfinite(value) else 'null')
    elif isinstance(value, dict):
        out.append('{')
        for i, (key, item) in enumerate(value.items()):
            if i:
                out.append(',')
            out.append(json.dumps(str(key), ensure_ascii=False))
            out.append(':')
            _write(item, out)
        out.append('}')
    elif isinstance(value, list | tuple):
        out.append('[')
        for i, item in enumerate(value):
            if i:
                out.append(',')
            _write(item, out)
        out.append(']')
    else:
        raise TypeError(f'cannot write {type(value).__name__} to JSON')
