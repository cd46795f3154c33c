"""Axis arguments: negative axes, lists, None meaning every axis."""

from __future__ import annotations

from typing import Any


def parse_axes(axis: Any, rank: int, fn: str) -> tuple[int, ...]:
    """Sorted, non-negative, unique axes; None means all axes."""
    if axis is None:
        return tuple(range(rank))
    axes = [axis] if isinstance(axis, int) else list(axis)
    out = []
    for a in axes:
        a = int(a)
        if not -rank <= a < max(rank, 1) or (rank == 0 and a not in (0, -1)):
            raise ValueError(f'{fn}: axis {a} is out of range for a tensor of rank {rank}')
        a = a + rank if a < 0 else a
        if rank and a not in out:
            out.append(a)
    return tuple(sorted(out))


def parse_axis(axis: int, rank: int, fn: str) -> int:
    """One axis, made non-negative."""
    if not -rank <= axis < max(rank, 1):
        raise ValueError(f'{fn}: axis {axis} is out of range for a tensor of rank {rank}')
    return axis + rank if axis < 0 else axis
