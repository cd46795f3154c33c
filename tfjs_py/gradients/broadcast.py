"""Sum a broadcast gradient back to the shape of the input it came from."""

from __future__ import annotations

from ..engine.tensor import Tensor
from ..ops.broadcast import reduction_axes
from ..ops.reduce import sum_
from ..ops.shape import reshape


def unbroadcast(dy: Tensor, shape: tuple[int, ...]) -> Tensor:
    if dy._shape == shape:
        return dy
    axes = reduction_axes(shape, dy._shape)
    summed = sum_(dy, axes) if axes else dy
    # Summing the leading axes away (a bias's gradient) gives the shape already.
    return summed if summed._shape == shape else reshape(summed, shape)
