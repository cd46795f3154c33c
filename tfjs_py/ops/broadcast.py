"""NumPy-style broadcasting of shapes, with tfjs' error message."""

from __future__ import annotations


def broadcast_shape(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    out = []
    for i in range(1, max(len(a), len(b)) + 1):
        da = a[-i] if i <= len(a) else 1
        db = b[-i] if i <= len(b) else 1
        if da == db or db == 1:
            out.append(da)
        elif da == 1:
            out.append(db)
        else:
            raise ValueError(f'operands could not be broadcast together with shapes '
                             f'{list(a)} and {list(b)}')
    return tuple(reversed(out))


def reduction_axes(in_shape: tuple[int, ...], out_shape: tuple[int, ...]) -> tuple[int, ...]:
    """The axes of out_shape along which in_shape was broadcast (to sum a
    gradient back to the input's shape)."""
    offset = len(out_shape) - len(in_shape)
    return tuple(i for i in range(len(out_shape))
                 if i < offset or (in_shape[i - offset] == 1 and out_shape[i] != 1))
