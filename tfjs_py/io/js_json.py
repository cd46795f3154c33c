"""JSON text exactly as JavaScript's JSON.stringify writes it (compact), so a
model.json saved here is byte for byte what tfjs writes: numbers as JavaScript
prints them (`0`, not `0.0`; `1e-7`, not `1e-07`), non-finite numbers as null."""

from __future__ import annotations

import json
import math
from typing import Any

from ..engine.tensor_format import js_number


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
