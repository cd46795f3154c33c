"""Dataset elements: nested containers (dicts, lists, tuples) of tensors,
numbers and strings; how to find their tensors and how to batch them."""

from __future__ import annotations

from typing import Any

from ..engine.scope import collect_tensors
from ..engine.tensor import Tensor
from ..ops import creation
from ..ops import shape as shape_ops


def tensors_in(element: Any) -> list[Tensor]:
    return collect_tensors(element, [], Tensor)


def dispose_unless_kept(before: Any, after: Any) -> None:
    """Dispose the tensors of `before` that `after` does not hold (what a map
    or a filter consumed)."""
    kept = {id(t) for t in tensors_in(after)}
    for t in tensors_in(before):
        if id(t) not in kept:
            t.dispose()


def batch_rows(rows: list[Any]) -> Any:
    """Stack a list of like-structured elements into one element of batches:
    tensors are stacked, numbers/bools/strings become 1-D tensors, dicts and
    lists/tuples holding tensors or dicts are batched position by position,
    while lists of plain numbers are rows of one tensor, as in tfjs."""
    first = rows[0]
    if first is None:
        return None
    if isinstance(first, Tensor):
        return shape_ops.stack(rows)
    if isinstance(first, dict):
        for row in rows:
            if not isinstance(row, dict) or row.keys() != first.keys():
                raise ValueError('batch: every element must be a dict with the same keys '
                                 f'{sorted(first)}')
        return {key: batch_rows([row[key] for row in rows]) for key in first}
    if isinstance(first, list | tuple) and _numbers_only(first):
        # tfjs makes a row of plain numbers one tensor: [[0.1, 0.9], ...] -> [n, 2].
        return creation.tensor([list(row) for row in rows])
    if isinstance(first, list | tuple):
        for row in rows:
            if not isinstance(row, list | tuple) or len(row) != len(first):
                raise ValueError(f'batch: every element must be a list of {len(first)} items')
        batched = [batch_rows([row[i] for row in rows]) for i in range(len(first))]
        return tuple(batched) if isinstance(first, tuple) else batched
    if isinstance(first, bool | int | float | str):
        return creation.tensor(rows)
    raise TypeError(f'batch: cannot batch elements of type {type(first).__name__}')


def _numbers_only(row: list | tuple) -> bool:
    return all(isinstance(v, bool | int | float) or (isinstance(v, list | tuple)
                                                      and _numbers_only(v)) for v in row)
