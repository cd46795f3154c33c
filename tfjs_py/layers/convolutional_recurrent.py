"""convLstm2d and convLstm2dCell (tfjs-layers convolutional_recurrent.ts): an
LSTM whose input and recurrent transformations are 2D convolutions over
[batch, time, rows, cols, channels] inputs (or channelsFirst).

Weights as tfjs names them: kernel [kh, kw, in, 4 * filters], recurrent_kernel
[kh, kw, filters, 4 * filters], bias [4 * filters]; gates i, f, c, o.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._naming import REQUIRED
from ..engine.tensor import Tensor
from ..serialization import registerClass
from .base import InputSpec, Layer, is_shape_list, one_shape, tfc
from .convolutional import (
    DATA_FORMATS,
    check_option,
    conv_output_length,
    normalize_tuple,
    to_channels_first,
    to_channels_last,
)
from .recurrent import RNN, LSTMCell, _state_sizes


@registerClass
class ConvLSTM2DCell(LSTMCell):
    """One step of convLstm2d: states [h, c] of shape [batch, rows', cols', filters]."""

    className = 'ConvLSTM2DCell'
    CONFIG = {'units': None, 'filters': REQUIRED, 'kernelSize': REQUIRED, 'strides': 1,
              'padding': 'valid', 'dataFormat': 'channelsLast', 'dilationRate': 1}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        merged = {**(config or {}), **kwargs}
        filters = merged.get('filters')
        if isinstance(filters, bool) or not isinstance(filters, int) or filters < 1:
            raise ValueError(f'ConvLSTM2DCell: filters must be a positive integer, got '
                             f'{filters!r}')
        super().__init__({**merged, 'units': filters})
        args = self._args
        owner = 'ConvLSTM2DCell'
        self.filters = filters
        self.kernelSize = normalize_tuple(args['kernelSize'], 2, 'kernelSize', owner)
        self.strides = normalize_tuple(args['strides'] or 1, 2, 'strides', owner)
        self.padding = check_option(args['padding'] or 'valid', ('valid', 'same'), 'padding',
                                    owner)
        self.dataFormat = check_option(args['dataFormat'] or 'channelsLast', DATA_FORMATS,
                                       'dataFormat', owner)
        self.dilationRate = normalize_tuple(args['dilationRate'] or 1, 2, 'dilationRate', owner)

    def build(self, inputShape: Any) -> None:
        if is_shape_list(inputShape):
            inputShape = inputShape[0]
        shape = one_shape(inputShape, self.name)
        axis = 1 if self.dataFormat == 'channelsFirst' else len(shape) - 1
        if shape[axis] is None:
            raise ValueError(f'ConvLSTM2DCell: the channel dimension of the input should be '
                             f'defined; found None in {shape}')
        n = 4 * self.filters
        self.kernel = self.addWeight('kernel', [*self.kernelSize, shape[axis], n], 'float32',
                                     self.kernelInitializer, self.kernelRegularizer, True,
                                     self.kernelConstraint)
        self.recurrentKernel = self.addWeight(
            'recurrent_kernel', [*self.kernelSize, self.filters, n], 'float32',
            self.recurrentInitializer, self.recurrentRegularizer, True, self.recurrentConstraint)
        if self.useBias:
            self.bias = self.addWeight('bias', [n], 'float32', self._bias_initializer(),
                                       self.biasRegularizer, True, self.biasConstraint)
        self.built = True

    def call(self, inputs: Any, kwargs: dict[str, Any]) -> list[Tensor]:
        x, h, c_prev = self._check_inputs(inputs, 3)
        x, h = self._masked(x, h, bool(kwargs.get('training') or False))
        first = self.dataFormat == 'channelsFirst'
        if first:
            x, h, c_prev = to_channels_last(x), to_channels_last(h), to_channels_last(c_prev)
        zx = tfc.conv2d(x, self.kernel.read(), self.strides, self.padding, 'NHWC',
                        self.dilationRate)
        zh = tfc.conv2d(h, self.recurrentKernel.read(), 1, 'same', 'NHWC')
        z = tfc.add(zx, zh)
        if self.bias is not None:
            z = tfc.add(z, self.bias.read())
        zi, zf, zc, zo = tfc.split(z, 4, 3)
        i = self.recurrentActivation.apply(zi)
        f = self.recurrentActivation.apply(zf)
        c = tfc.add(tfc.mul(f, c_prev), tfc.mul(i, self.activation.apply(zc)))
        out = tfc.mul(self.recurrentActivation.apply(zo), self.activation.apply(c))
        if first:
            out, c = to_channels_first(out), to_channels_first(c)
        return [out, out, c]

    def getConfig(self) -> dict[str, Any]:
        config = {k: v for k, v in super().getConfig().items() if k != 'units'}
        config.update({'filters': self.filters, 'kernelSize': list(self.kernelSize),
                       'padding': self.padding, 'dataFormat': self.dataFormat,
                       'dilationRate': list(self.dilationRate), 'strides': list(self.strides)})
        return config


@registerClass
class ConvLSTM2D(RNN):
    """Runs a ConvLSTM2DCell over the time axis of a rank-5 input."""

    className = 'ConvLSTM2D'
    CONFIG = {**{k: v for k, v in ConvLSTM2DCell._schema.items() if k != 'units'}}

    def _make_cell(self, args: dict[str, Any]) -> Any:
        if args['cell'] is not None:
            raise ValueError('ConvLSTM2D makes its own cell; stacking convolutional cells is '
                             'not supported')
        if args['unroll']:
            raise ValueError('ConvLSTM2D: unrolling is not possible with convolutional RNNs')
        keys = set(ConvLSTM2DCell.CONFIG) | set(LSTMCell._schema)
        keys -= {'units', 'name', 'trainable', 'inputShape', 'batchInputShape', 'batchSize',
                 'dtype', 'weights', 'inputDType'}
        return ConvLSTM2DCell({k: v for k, v in args.items() if k in keys})

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        self.inputSpec = [InputSpec(ndim=5)]

    @classmethod
    def fromConfig(cls, config: Mapping[str, Any], customObjects: Any = None) -> Layer:
        # The cell's keys are the layer's own: no nested cell to deserialize.
        return super(RNN, cls).fromConfig({k: v for k, v in config.items() if k != 'cell'},
                                          customObjects)

    def _single_output_shape(self, input_shape: list[Any]) -> list[Any]:
        cell = self.cell
        first = cell.dataFormat == 'channelsFirst'
        rows, cols = (input_shape[3], input_shape[4]) if first else (input_shape[2],
                                                                      input_shape[3])
        out_rows = conv_output_length(rows, cell.kernelSize[0], cell.padding, cell.strides[0],
                                      cell.dilationRate[0])
        out_cols = conv_output_length(cols, cell.kernelSize[1], cell.padding, cell.strides[1],
                                      cell.dilationRate[1])
        space = [cell.filters, out_rows, out_cols] if first else [out_rows, out_cols,
                                                                  cell.filters]
        return [*input_shape[:2], *space]

    def _state_shapes(self, batch_size: int | None, input_shape: Any) -> list[list[Any]]:
        out = self._single_output_shape(list(input_shape))
        return [[batch_size, *out[2:]] for _ in _state_sizes(self.cell)]

    def build(self, inputShape: Any) -> None:
        if inputShape and isinstance(inputShape[0], (list, tuple)):
            inputShape = inputShape[0]
        if len(inputShape) != 5:
            raise ValueError(f'ConvLSTM2D expects an input of rank 5, got shape '
                             f'{list(inputShape)}')
        super().build(inputShape)

    def computeOutputShape(self, inputShape: Any) -> Any:
        if inputShape and isinstance(inputShape[0], (list, tuple)):
            inputShape = inputShape[0]
        out = self._single_output_shape(list(inputShape))
        if not self.returnSequences:
            out = [out[0], *out[2:]]
        if self.returnState:
            state = [inputShape[0], *out[-3:]]
            return [out, state, list(state)]
        return out
