"""ZeroPadding2D: zeros around the rows and columns of images."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._naming import camel_value
from ..engine.tensor import Tensor
from ..serialization import registerClass
from .base import InputSpec, Layer, one_shape, one_tensor, tfc


def _pairs(padding: Any) -> list[list[int]]:
    """1 -> [[1, 1], [1, 1]]; [1, 2] -> [[1, 1], [2, 2]]; [[1, 2], [3, 4]] stays."""
    if padding is None:
        padding = 1
    if isinstance(padding, int):
        return [[padding, padding], [padding, padding]]
    if not isinstance(padding, list | tuple) or len(padding) != 2:
        raise ValueError(f'ZeroPadding2D expects padding to be a length-2 Array of numbers or '
                         f'of length-2 Arrays, got {padding!r}')
    out = []
    for p in padding:
        if isinstance(p, int):
            out.append([p, p])
        elif isinstance(p, list | tuple) and len(p) == 2:
            out.append([int(p[0]), int(p[1])])
        else:
            raise ValueError(f'ZeroPadding2D expects padding to be a length-2 Array of numbers '
                             f'or of length-2 Arrays, got {padding!r}')
    return out


@registerClass
class ZeroPadding2D(Layer):
    className = 'ZeroPadding2D'
    CONFIG = {'padding': None, 'dataFormat': None}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        data_format = camel_value(self._args['dataFormat'] or 'channelsLast')
        if data_format not in ('channelsFirst', 'channelsLast'):
            raise ValueError(f"ZeroPadding2D: invalid dataFormat {data_format!r}; valid values "
                             f"are 'channelsFirst' and 'channelsLast'")
        self.dataFormat = data_format
        self.padding = _pairs(self._args['padding'])
        self.inputSpec = [InputSpec(ndim=4)]

    def computeOutputShape(self, inputShape: Any) -> Any:
        shape = one_shape(inputShape, self.name)
        (top, bottom), (left, right) = self.padding
        rows_axis, cols_axis = (2, 3) if self.dataFormat == 'channelsFirst' else (1, 2)
        out = list(shape)
        if out[rows_axis] is not None:
            out[rows_axis] += top + bottom
        if out[cols_axis] is not None:
            out[cols_axis] += left + right
        return out

    def call(self, inputs: Any, kwargs: dict[str, Any]) -> Tensor:
        x = one_tensor(inputs, self.name)
        if self.dataFormat == 'channelsFirst':
            pads = [[0, 0], [0, 0], *self.padding]
        else:
            pads = [[0, 0], *self.padding, [0, 0]]
        return tfc.pad(x, pads)

    def getConfig(self) -> dict[str, Any]:
        return {'padding': [list(p) for p in self.padding], 'dataFormat': self.dataFormat,
                **super().getConfig()}


__all__ = ['ZeroPadding2D']
