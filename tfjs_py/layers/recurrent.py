"""Recurrent layers: rnn (any cell), simpleRNN, lstm, gru, their cells and
stackedRNNCells (tfjs-layers recurrent.ts).

Every weight belongs to the cell and is named in the RNN layer's scope as tfjs
names it (`lstm_LSTM1/kernel`, `recurrent_kernel`, `bias`; stacked cells get
`rnn_RNN1/RNNCell_0/kernel`). As in tfjs, the states of stacked cells are listed
last cell first. Beyond tfjs:
- gru with `resetAfter: True` (the Keras default; bias [2, 3 * units]) works,
  so Keras GRUs load;
- dropout masks of any cell are renewed at every call of any RNN (tfjs only
  renews them for simpleRNN, lstm and gru);
- `inputDim`/`inputLength` give the input shape, as in Keras;
- an LSTM runs as one fused kernel per sequence (ops/recurrent.py) when the
  call allows it (as Keras takes cuDNN's kernel): a plain LSTMCell with tanh,
  sigmoid, hardSigmoid, relu or linear activations, no dropout active in the
  call, not unrolled. The numbers are the per-step path's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .. import activations, constraints, initializers, regularizers
from .._naming import REQUIRED, snake_to_camel
from ..engine.engine import ENGINE
from ..engine.tensor import Tensor
from ..initializers import Initializer
from ..ops.recurrent import lstmSequence
from ..serialization import deserialize, registerClass
from .base import (
    _NAME_SCOPE,
    BASE_CONFIG,
    InputSpec,
    Layer,
    SymbolicTensor,
    is_shape_list,
    name_scope,
    one_shape,
    tfc,
)

StepFunction = Callable[[Tensor, list[Tensor]], tuple[Tensor, list[Tensor]]]


def rnn(step: StepFunction, inputs: Tensor, initial_states: list[Tensor],
        go_backwards: bool = False, mask: Tensor | None = None,
        need_per_step_outputs: bool = False
        ) -> tuple[Tensor, Tensor | None, list[Tensor]]:
    """Runs `step` over axis 1 of `inputs` ([batch, time, ...]).

    Returns (last output, per-step outputs stacked on axis 1 or None, last
    states). Where `mask` ([batch, time]) is 0 a step keeps the previous output
    and states.
    """
    if inputs.rank < 3:
        raise ValueError(f'rnn: input should be at least 3D, but is {inputs.rank}D '
                         f'(shape {inputs.shape})')
    steps = tfc.unstack(inputs, 1)
    step_masks: list[Tensor] | None = None
    if mask is not None:
        m = tfc.cast(tfc.cast(mask, 'bool'), 'float32')
        if m.rank == 2:
            m = tfc.reshape(m, [*m.shape, 1])
        step_masks = tfc.unstack(m, 1)
    if go_backwards:
        steps.reverse()
        if step_masks is not None:
            step_masks.reverse()
    states = list(initial_states)
    outputs: list[Tensor] = []
    last = None
    for t, x in enumerate(steps):
        out, new_states = step(x, states)
        if step_masks is not None:
            keep = step_masks[t]
            drop = tfc.sub(1, keep)
            previous = states[0] if states else tfc.zerosLike(out)
            out = tfc.add(tfc.mul(out, keep), tfc.mul(previous, drop))
            new_states = [tfc.add(tfc.mul(n, keep), tfc.mul(s, drop))
                          for n, s in zip(new_states, states, strict=True)]
        last, states = out, list(new_states)
        if need_per_step_outputs:
            outputs.append(out)
    if last is None:
        raise ValueError('rnn: the input has no time steps (shape '
                         f'{inputs.shape})')
    stacked = tfc.stack(outputs, 1) if need_per_step_outputs else None
    return last, stacked, states


def _dropout_masks(like: Tensor, rate: float, training: bool, count: int
                   ) -> list[Tensor] | None:
    """Dropout masks for a cell, or None outside training (tfjs' ones masks)."""
    if not training or not 0 < rate < 1:
        return None
    return [tfc.dropout(tfc.onesLike(like), rate) for _ in range(count)]


def build_in_scope(layer: Layer, input_shape: Any) -> None:
    """Build an inner layer so that its weights are named in the current scope
    without its own name, as tfjs names the weights of RNN cells
    (`lstm_LSTM1/kernel`) and of TimeDistributed's layer. The base's addWeight
    adds a layer's name unless it is already the innermost scope, so the layer
    answers to that name while it builds."""
    scope = _NAME_SCOPE.get()
    own = layer.name
    if scope:
        layer.name = scope[-1]
    try:
        layer.build(input_shape)
        layer.built = True
    finally:
        layer.name = own


def _rate(value: Any) -> float:
    return min(1.0, max(0.0, 0.0 if value is None else float(value)))


def _state_sizes(cell: Any) -> list[Any]:
    size = cell.stateSize
    return list(size) if isinstance(size, (list, tuple)) else [size]


class RNNCell(Layer):
    """A cell: call([input, *states]) returns [output, *newStates]; `stateSize`
    is an int or a list with one entry per state."""

    stateSize: Any = None

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        self.dropoutMask: list[Tensor] | None = None
        self.recurrentDropoutMask: list[Tensor] | None = None

    def resetDropoutMasks(self) -> None:
        self.dropoutMask = None
        self.recurrentDropoutMask = None


_CELL_DEFAULTS: dict[str, Any] = {
    'units': REQUIRED, 'activation': 'tanh', 'useBias': True, 'kernelInitializer': None,
    'recurrentInitializer': None, 'biasInitializer': None, 'kernelRegularizer': None,
    'recurrentRegularizer': None, 'biasRegularizer': None, 'activityRegularizer': None,
    'kernelConstraint': None, 'recurrentConstraint': None, 'biasConstraint': None,
    'dropout': 0, 'recurrentDropout': 0,
}


class _DenseCell(RNNCell):
    """What simpleRNN, lstm and gru cells share: units, activation, the three
    weights with their initializers, regularizers and constraints, dropout."""

    gates = 1
    CONFIG = _CELL_DEFAULTS

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        args = self._args
        units = args['units']
        if isinstance(units, bool) or not isinstance(units, int) or units < 1:
            raise ValueError(f'{self.getClassName()}: units must be a positive integer, '
                             f'got {units!r}')
        self.units = units
        self.activation = activations.getActivation(
            'tanh' if args['activation'] is None else args['activation'])
        self.useBias = bool(args['useBias'])
        self.kernelInitializer = initializers.getInitializer(
            args['kernelInitializer'] or 'glorotNormal')
        self.recurrentInitializer = initializers.getInitializer(
            args['recurrentInitializer'] or 'orthogonal')
        self.biasInitializer = initializers.getInitializer(args['biasInitializer'] or 'zeros')
        self.kernelRegularizer = regularizers.getRegularizer(args['kernelRegularizer'])
        self.recurrentRegularizer = regularizers.getRegularizer(args['recurrentRegularizer'])
        self.biasRegularizer = regularizers.getRegularizer(args['biasRegularizer'])
        self.activityRegularizer = regularizers.getRegularizer(args['activityRegularizer'])
        self.kernelConstraint = constraints.getConstraint(args['kernelConstraint'])
        self.recurrentConstraint = constraints.getConstraint(args['recurrentConstraint'])
        self.biasConstraint = constraints.getConstraint(args['biasConstraint'])
        self.dropout = _rate(args['dropout'])
        self.recurrentDropout = _rate(args['recurrentDropout'])
        self.stateSize = self.units
        self.kernel = self.recurrentKernel = self.bias = None

    def _bias_shape(self) -> list[int]:
        return [self.units * self.gates]

    def _bias_initializer(self) -> Any:
        return self.biasInitializer

    def build(self, inputShape: Any) -> None:
        # Applied on its own, a cell gets [input, *states]: the input decides.
        if is_shape_list(inputShape):
            inputShape = inputShape[0]
        input_shape = one_shape(inputShape, self.name)
        n = self.units * self.gates
        self.kernel = self.addWeight('kernel', [input_shape[-1], n], 'float32',
                                     self.kernelInitializer, self.kernelRegularizer, True,
                                     self.kernelConstraint)
        self.recurrentKernel = self.addWeight('recurrent_kernel', [self.units, n], 'float32',
                                              self.recurrentInitializer,
                                              self.recurrentRegularizer, True,
                                              self.recurrentConstraint)
        if self.useBias:
            self.bias = self.addWeight('bias', self._bias_shape(), 'float32',
                                       self._bias_initializer(), self.biasRegularizer, True,
                                       self.biasConstraint)
        self.built = True

    def _masked(self, x: Tensor, h: Tensor, training: bool) -> tuple[Tensor, Tensor]:
        """Input and previous output with this call's dropout masks applied
        (one mask each, shared by the gates, as tfjs does)."""
        if self.dropoutMask is None:
            self.dropoutMask = _dropout_masks(x, self.dropout, training, 1)
        if self.recurrentDropoutMask is None:
            self.recurrentDropoutMask = _dropout_masks(h, self.recurrentDropout, training, 1)
        if self.dropoutMask is not None:
            x = tfc.mul(x, self.dropoutMask[0])
        if self.recurrentDropoutMask is not None:
            h = tfc.mul(h, self.recurrentDropoutMask[0])
        return x, h

    def _check_inputs(self, inputs: Any, n: int) -> list[Tensor]:
        if not isinstance(inputs, (list, tuple)) or len(inputs) != n:
            got = len(inputs) if isinstance(inputs, (list, tuple)) else 1
            raise ValueError(f'{self.getClassName()} expects {n} input tensors (the input and '
                             f'{n - 1} state(s)), got {got}')
        return list(inputs)

    def getConfig(self) -> dict[str, Any]:
        config = {
            'units': self.units,
            'activation': activations.serializeActivation(self.activation),
            'useBias': self.useBias,
            'kernelInitializer': initializers.serializeInitializer(self.kernelInitializer),
            'recurrentInitializer': initializers.serializeInitializer(self.recurrentInitializer),
            'biasInitializer': initializers.serializeInitializer(self.biasInitializer),
            'kernelRegularizer': regularizers.serializeRegularizer(self.kernelRegularizer),
            'recurrentRegularizer': regularizers.serializeRegularizer(
                self.recurrentRegularizer),
            'biasRegularizer': regularizers.serializeRegularizer(self.biasRegularizer),
            'activityRegularizer': regularizers.serializeRegularizer(self.activityRegularizer),
            'kernelConstraint': constraints.serializeConstraint(self.kernelConstraint),
            'recurrentConstraint': constraints.serializeConstraint(self.recurrentConstraint),
            'biasConstraint': constraints.serializeConstraint(self.biasConstraint),
            'dropout': self.dropout,
            'recurrentDropout': self.recurrentDropout,
        }
        return {**super().getConfig(), **config}


@registerClass
class SimpleRNNCell(_DenseCell):
    """h = activation(x . kernel + bias + h_prev . recurrent_kernel)."""

    className = 'SimpleRNNCell'

    def call(self, inputs: Any, kwargs: dict[str, Any]) -> list[Tensor]:
        x, h = self._check_inputs(inputs, 2)
        x, h = self._masked(x, h, bool(kwargs.get('training') or False))
        out = tfc.matMul(x, self.kernel.read())
        if self.bias is not None:
            out = tfc.add(out, self.bias.read())
        out = self.activation.apply(tfc.add(out, tfc.matMul(h, self.recurrentKernel.read())))
        return [out, out]


class _GatedCell(_DenseCell):
    """Adds recurrentActivation (tfjs default hardSigmoid) and implementation."""

    CONFIG = {**_CELL_DEFAULTS, 'recurrentActivation': 'hardSigmoid',
                       'implementation': None}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        args = self._args
        self.recurrentActivation = activations.getActivation(
            'hardSigmoid' if args['recurrentActivation'] is None
            else args['recurrentActivation'])
        self.implementation = args['implementation']

    def getConfig(self) -> dict[str, Any]:
        config = super().getConfig()
        out: dict[str, Any] = {}
        for key, value in config.items():
            out[key] = value
            if key == 'activation':
                out['recurrentActivation'] = activations.serializeActivation(
                    self.recurrentActivation)
        out['implementation'] = self.implementation  # tfjs writes null when unset
        return out


@registerClass
class GRUCell(_GatedCell):
    """Gated recurrent unit, gates z, r, h. `resetAfter: False` (tfjs) applies
    the reset gate before the recurrent product and has a [3 * units] bias;
    `resetAfter: True` (Keras' default) applies it after, with separate input
    and recurrent biases ([2, 3 * units])."""

    className = 'GRUCell'
    gates = 3
    CONFIG = {**_GatedCell.CONFIG, 'resetAfter': False}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        args = self._args
        self.resetAfter = bool(args['resetAfter'])

    def _bias_shape(self) -> list[int]:
        return [2, 3 * self.units] if self.resetAfter else [3 * self.units]

    def call(self, inputs: Any, kwargs: dict[str, Any]) -> list[Tensor]:
        x, h_prev = self._check_inputs(inputs, 2)
        x, h = self._masked(x, h_prev, bool(kwargs.get('training') or False))
        u = self.units
        kernel, rec = self.kernel.read(), self.recurrentKernel.read()
        bias = None if self.bias is None else self.bias.read()
        if self.resetAfter:
            in_bias = rec_bias = None
            if bias is not None:
                in_bias, rec_bias = tfc.unstack(bias, 0)
            mx = tfc.matMul(x, kernel)
            mh = tfc.matMul(h, rec)
            if bias is not None:
                mx, mh = tfc.add(mx, in_bias), tfc.add(mh, rec_bias)
            xz, xr, xh = tfc.split(mx, 3, 1)
            hz, hr, hh = tfc.split(mh, 3, 1)
            z = self.recurrentActivation.apply(tfc.add(xz, hz))
            r = self.recurrentActivation.apply(tfc.add(xr, hr))
            cand = self.activation.apply(tfc.add(xh, tfc.mul(r, hh)))
        else:
            mx = tfc.matMul(x, kernel)
            if bias is not None:
                mx = tfc.add(mx, bias)
            rk_zr, rk_h = tfc.split(rec, [2 * u, u], 1)
            xz, xr, xh = tfc.split(mx, 3, 1)
            hz, hr = tfc.split(tfc.matMul(h, rk_zr), 2, 1)
            z = self.recurrentActivation.apply(tfc.add(xz, hz))
            r = self.recurrentActivation.apply(tfc.add(xr, hr))
            cand = self.activation.apply(tfc.add(xh, tfc.matMul(tfc.mul(r, h), rk_h)))
        # The carried-over state is the previous output without recurrent dropout
        # (as Keras; tfjs carries the dropped-out one).
        out = tfc.add(tfc.mul(z, h_prev), tfc.mul(tfc.sub(1, z), cand))
        return [out, out]

    def getConfig(self) -> dict[str, Any]:
        return {**super().getConfig(), 'resetAfter': self.resetAfter}


class _UnitForgetBias(Initializer):
    """Bias initializer of an LSTM with unitForgetBias: the forget gate's slice
    starts at one, the others use the configured initializer."""

    def __init__(self, base: Initializer, units: int) -> None:
        super().__init__()
        self.base = base
        self.units = units

    def apply(self, shape: Any, dtype: str | None = None) -> Tensor:
        dtype = dtype or 'float32'
        u = self.units

        def make() -> Tensor:
            return tfc.concat([self.base.apply([u], dtype), tfc.ones([u], dtype),
                              self.base.apply([(shape[-1] // u - 2) * u], dtype)], 0)
        return ENGINE.tidy(make)


@registerClass
class LSTMCell(_GatedCell):
    """Long short-term memory, gates i, f, c, o; states [h, c]."""

    className = 'LSTMCell'
    gates = 4
    CONFIG = {**_GatedCell.CONFIG, 'unitForgetBias': None}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        args = self._args
        self.unitForgetBias = args['unitForgetBias']
        self.stateSize = [self.units, self.units]

    def _bias_initializer(self) -> Any:
        if self.unitForgetBias:
            return _UnitForgetBias(self.biasInitializer, self.units)
        return self.biasInitializer

    def call(self, inputs: Any, kwargs: dict[str, Any]) -> list[Tensor]:
        x, h, c_prev = self._check_inputs(inputs, 3)
        x, h = self._masked(x, h, bool(kwargs.get('training') or False))
        z = tfc.add(tfc.matMul(x, self.kernel.read()), tfc.matMul(h, self.recurrentKernel.read()))
        if self.bias is not None:
            z = tfc.add(z, self.bias.read())
        zi, zf, zc, zo = tfc.split(z, 4, 1)
        i = self.recurrentActivation.apply(zi)
        f = self.recurrentActivation.apply(zf)
        c = tfc.add(tfc.mul(f, c_prev), tfc.mul(i, self.activation.apply(zc)))
        o = self.recurrentActivation.apply(zo)
        out = tfc.mul(o, self.activation.apply(c))
        return [out, out, c]

    def getConfig(self) -> dict[str, Any]:
        config = super().getConfig()
        out: dict[str, Any] = {}
        for key, value in config.items():
            out[key] = value
            if key == 'biasInitializer':
                # tfjs writes it even when unset (unit_forget_bias: null)
                out['unitForgetBias'] = self.unitForgetBias
        return out


# The activations the fused kernels implement (exact classes: a subclass may differ).
_FUSED_ACTIVATIONS: dict[type, str] = {
    activations.Tanh: 'tanh', activations.Sigmoid: 'sigmoid',
    activations.HardSigmoid: 'hardSigmoid', activations.Relu: 'relu',
    activations.Linear: 'linear',
}


def _deserialize_cell(config: Any, customObjects: Any = None) -> RNNCell:
    if isinstance(config, RNNCell):
        return config
    cell = deserialize(config, customObjects, kind='RNN cell')
    if not isinstance(cell, RNNCell):
        raise ValueError(f'an RNN cell was expected, got {type(cell).__name__}')
    return cell


@registerClass
class StackedRNNCells(RNNCell):
    """Cells applied one after the other at each step. Its states are the cells'
    states, last cell first (as tfjs orders them)."""

    className = 'StackedRNNCells'
    CONFIG: dict[str, Any] = {'cells': REQUIRED}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        args = self._args
        cells = args['cells']
        if not isinstance(cells, Sequence) or not cells:
            raise ValueError('StackedRNNCells: cells must be a non-empty list of RNN cells')
        self.cells = [_deserialize_cell(c) for c in cells]

    @property
    def stateSize(self) -> list[int]:  # type: ignore[override]
        sizes: list[int] = []
        for cell in reversed(self.cells):
            sizes.extend(_state_sizes(cell))
        return sizes

    def resetDropoutMasks(self) -> None:
        for cell in self.cells:
            cell.resetDropoutMasks()

    def setFastWeightInitDuringBuild(self, value: bool) -> None:
        super().setFastWeightInitDuringBuild(value)
        for cell in self.cells:
            cell.setFastWeightInitDuringBuild(value)

    def call(self, inputs: Any, kwargs: dict[str, Any]) -> list[Tensor]:
        inputs = list(inputs)
        states = inputs[1:]
        nested: list[list[Tensor]] = []
        for cell in reversed(self.cells):
            n = len(_state_sizes(cell))
            nested.append(states[:n])
            states = states[n:]
        nested.reverse()
        x = inputs[0]
        new_nested = []
        for cell, cell_states in zip(self.cells, nested, strict=True):
            outs = cell.call([x, *cell_states], kwargs)
            x = outs[0]
            new_nested.append(outs[1:])
        new_states: list[Tensor] = []
        for cell_states in reversed(new_nested):
            new_states.extend(cell_states)
        return [x, *new_states]

    def build(self, inputShape: Any) -> None:
        shape = one_shape(inputShape, self.name)
        for i, cell in enumerate(self.cells):
            with name_scope(f'RNNCell_{i}'):
                build_in_scope(cell, shape)
            self.addLoss(cell.losses)
            shape = [shape[0], _state_sizes(cell)[0]]
        self.built = True

    @property
    def trainableWeights(self) -> list[Any]:  # type: ignore[override]
        if not self.trainable:
            return []
        return [w for cell in self.cells for w in cell.trainableWeights]

    @property
    def nonTrainableWeights(self) -> list[Any]:  # type: ignore[override]
        weights = [w for cell in self.cells for w in cell.nonTrainableWeights]
        if not self.trainable:
            return [w for cell in self.cells for w in cell.trainableWeights] + weights
        return weights

    def getWeights(self) -> list[Tensor]:
        return [w for cell in self.cells for w in cell.getWeights()]

    def setWeights(self, weights: Sequence[Any]) -> None:
        weights = list(weights)
        for cell in self.cells:
            n = len(cell.weights)
            cell.setWeights(weights[:n])
            weights = weights[n:]

    def getConfig(self) -> dict[str, Any]:
        cells = [{'className': c.getClassName(), 'config': c.getConfig()} for c in self.cells]
        return {**super().getConfig(), 'cells': cells}

    @classmethod
    def fromConfig(cls, config: Mapping[str, Any], customObjects: Any = None) -> Layer:
        cells = [_deserialize_cell(c, customObjects) for c in config['cells']]
        return super().fromConfig({**config, 'cells': cells}, customObjects)


_RNN_DEFAULTS: dict[str, Any] = {
    'returnSequences': False, 'returnState': False, 'goBackwards': False, 'stateful': False,
    'unroll': False, 'inputDim': None, 'inputLength': None, 'timeMajor': False,
}


def _split_state_inputs(inputs: Any, initial_state: Any) -> tuple[Any, list[Any] | None]:
    """(input, initial states) from `[x, *states]` or from the initialState kwarg."""
    if isinstance(inputs, (list, tuple)):
        if initial_state is not None:
            raise ValueError('When inputs is a list, initialState should not be given too')
        inputs = list(inputs)
        return inputs[0], (inputs[1:] or None)
    if initial_state is not None and not isinstance(initial_state, (list, tuple)):
        initial_state = [initial_state]
    return inputs, (list(initial_state) if initial_state is not None else None)


@registerClass
class RNN(Layer):
    """Runs a cell (or a list of cells, stacked) over the time axis of a
    [batch, time, ...] input."""

    className = 'RNN'
    CONFIG: dict[str, Any] = {'cell': None, **_RNN_DEFAULTS}
    # Whether an LSTM may run as one fused kernel (tests compare both paths).
    _fused = True

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        args = self._args
        if self.batchInputShape is None and args['inputDim'] is not None:
            self.batchInputShape = [args['batchSize'], args['inputLength'], args['inputDim']]
            self.dtype = self.dtype or 'float32'
        cell = self._make_cell(args)
        if args['timeMajor']:
            raise ValueError(f'{self.getClassName()}: timeMajor inputs are not supported; '
                             'transpose the input to [batch, time, ...]')
        self.cell = cell
        self.returnSequences = bool(args['returnSequences'])
        self.returnState = bool(args['returnState'])
        self.goBackwards = bool(args['goBackwards'])
        self._stateful = bool(args['stateful'])
        self.unroll = bool(args['unroll'])
        self.supportsMasking = True
        self.inputSpec = [InputSpec(ndim=3)]
        self.states_: list[Tensor] | None = None
        self._batch_size: int | None = None

    def setFastWeightInitDuringBuild(self, value: bool) -> None:
        # The cell owns the weights: a loader about to overwrite them skips the
        # initializers there (an Orthogonal LSTM(256) kernel costs seconds).
        super().setFastWeightInitDuringBuild(value)
        self.cell.setFastWeightInitDuringBuild(value)

    def _make_cell(self, args: dict[str, Any]) -> Any:
        cell = args['cell']
        if cell is None:
            raise ValueError('RNN: the cell property is missing (a cell or a list of cells)')
        if isinstance(cell, (list, tuple)):
            return StackedRNNCells({'cells': list(cell)})
        if isinstance(cell, Mapping):
            return _deserialize_cell(cell)
        return cell

    # -- states ---------------------------------------------------------------------------
    def _num_states(self) -> int:
        return len(_state_sizes(self.cell))

    @property
    def states(self) -> list[Tensor | None]:
        if self.states_ is None:
            return [None] * self._num_states()
        return self.states_

    @states.setter
    def states(self, value: list[Tensor]) -> None:
        self.states_ = value

    def getStates(self) -> list[Tensor | None]:
        return self.states

    def setStates(self, states: list[Tensor]) -> None:
        self.states_ = states

    def _state_shapes(self, batch_size: int | None, input_shape: Sequence[Any]
                      ) -> list[list[int | None]]:
        return [[batch_size, dim] for dim in _state_sizes(self.cell)]

    def resetStates(self, states: Any = None, training: bool = False) -> None:
        """Zero the states of a stateful RNN, or set them to `states`."""
        if not self.stateful:
            raise RuntimeError('Cannot call resetStates() on an RNN Layer that is not stateful.')
        if self._batch_size is None:
            raise ValueError(
                'If an RNN is stateful, it needs to know its batch size. Specify the batch size '
                'of your input tensors:\n- If using a Sequential model, specify the batch size '
                'by passing a `batchInputShape` option to your first layer.\n- If using the '
                'functional API, specify the batch size by passing a `batchShape` option to '
                'your Input layer.')
        shapes = self._state_shapes(self._batch_size, self.inputSpec[0].shape)
        if states is None:
            new = [tfc.zeros(s) for s in shapes]
        else:
            states = list(states) if isinstance(states, (list, tuple)) else [states]
            if len(states) != len(shapes):
                raise ValueError(f'Layer {self.name} expects {len(shapes)} state(s), but it '
                                 f'received {len(states)} state value(s).')
            for index, (value, shape) in enumerate(zip(states, shapes, strict=True)):
                if list(value.shape) != list(shape):
                    raise ValueError(f'State {index} is incompatible with layer {self.name}: '
                                     f'expected shape={shape}, received shape={value.shape}')
            new = [tfc.clone(s) for s in states]
        old, self.states_ = self.states_, [ENGINE.keep(s) for s in new]
        if old is not None:
            ENGINE.dispose(old)

    def getInitialState(self, inputs: Tensor) -> list[Tensor]:
        return [tfc.zeros(s) for s in self._state_shapes(inputs.shape[0], inputs.shape)]

    # -- building and shapes --------------------------------------------------------------
    def _step_input_shape(self, input_shape: list[Any]) -> list[Any]:
        return [input_shape[0], *input_shape[2:]]

    def build(self, inputShape: Any) -> None:
        if inputShape and isinstance(inputShape[0], (list, tuple)):
            inputShape = inputShape[0]
        input_shape = list(inputShape)
        if len(input_shape) < 3:
            raise ValueError(f'{self.getClassName()} expects an input of rank >= 3 '
                             f'([batch, time, ...]), got shape {input_shape}')
        self._batch_size = input_shape[0] if self.stateful else None
        # Only the input's spec: while apply() passes states, their specs follow it.
        spec = InputSpec(shape=[self._batch_size, None, *input_shape[2:]])
        self.inputSpec = [spec, *(self.inputSpec or [])[1:]]
        build_in_scope(self.cell, self._step_input_shape(input_shape))
        self.addLoss(self.cell.losses)
        self.built = True
        if self.stateful:
            self.resetStates()

    def computeOutputShape(self, inputShape: Any) -> Any:
        if inputShape and isinstance(inputShape[0], (list, tuple)):
            inputShape = inputShape[0]
        input_shape = list(inputShape)
        sizes = _state_sizes(self.cell)
        if self.returnSequences:
            output = [input_shape[0], input_shape[1], sizes[0]]
        else:
            output = [input_shape[0], sizes[0]]
        if self.returnState:
            return [output, *[[input_shape[0], d] for d in sizes]]
        return output

    def computeMask(self, inputs: Any, mask: Any = None) -> Any:
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        output_mask = mask if self.returnSequences else None
        if self.returnState:
            return [output_mask] + [None] * self._num_states()
        return output_mask

    # -- running --------------------------------------------------------------------------
    def apply(self, inputs: Any, kwargs: dict[str, Any] | None = None, **more: Any) -> Any:
        # Call arguments in camelCase or snake_case (initial_state), as Layer.apply.
        kwargs = {snake_to_camel(k): v for k, v in {**(kwargs or {}), **more}.items()}
        x, initial = _split_state_inputs(inputs, kwargs.pop('initialState', None))
        if initial is None:
            return super().apply(x, kwargs)
        symbolic = [isinstance(s, SymbolicTensor) for s in (x, *initial)]
        if any(symbolic) and not all(symbolic):
            raise ValueError('The initial state of an RNN layer cannot be specified as a mix of '
                             'symbolic and concrete tensors')
        # The states ride along as extra inputs, so they are part of the graph.
        self.inputSpec = [*(self.inputSpec or [None])[:1],
                          *[InputSpec(ndim=len(s.shape)) for s in initial]]
        try:
            return super().apply([x, *initial], kwargs)
        finally:
            self.inputSpec = self.inputSpec[:1]

    def call(self, inputs: Any, kwargs: dict[str, Any]) -> Any:
        return ENGINE.tidy(lambda: self._call(inputs, kwargs))

    def _call(self, inputs: Any, kwargs: dict[str, Any]) -> Any:
        x, initial = _split_state_inputs(inputs, kwargs.get('initialState'))
        mask = kwargs.get('mask')
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        training = kwargs.get('training')
        if initial is None:
            initial = list(self.states_) if self.stateful else self.getInitialState(x)
        if len(initial) != self._num_states():
            raise ValueError(f'RNN Layer has {self._num_states()} state(s) but was passed '
                             f'{len(initial)} initial state(s).')
        fused = self._fused_lstm(x, initial, mask, bool(training))
        if fused is not None:
            return self._finish(*fused, training)
        cell_kwargs = {'training': training}
        self.cell.resetDropoutMasks()
        try:
            def step(x_t: Tensor, states: list[Tensor]) -> tuple[Tensor,
                                                                         list[Tensor]]:
                outs = self.cell.call([x_t, *states], cell_kwargs)
                return outs[0], list(outs[1:])

            last, outputs, states = rnn(step, x, initial, self.goBackwards, mask,
                                        self.returnSequences)
        finally:
            self.cell.resetDropoutMasks()
        return self._finish(last, outputs, states, training)

    def _finish(self, last: Tensor, outputs: Tensor | None, states: list[Tensor],
                training: Any) -> Any:
        if self.stateful:
            self.resetStates(states, bool(training))
        output = outputs if self.returnSequences else last
        return [output, *states] if self.returnState else output

    def _fused_lstm(self, x: Tensor, initial: list[Tensor], mask: Any, training: bool
                    ) -> tuple[Tensor, Tensor, list[Tensor]] | None:
        """(last output, outputs, states) from the one-kernel LSTM when this call
        allows it (as Keras takes cuDNN's kernel): a plain LSTMCell with fused
        activations, float32 [batch, time, features] input, no active dropout,
        not unrolled, a [batch, time] mask if any. Else None."""
        cell = self.cell
        if not self._fused or self.unroll or type(cell) is not LSTMCell:
            return None
        act = _FUSED_ACTIVATIONS.get(type(cell.activation))
        rec_act = _FUSED_ACTIVATIONS.get(type(cell.recurrentActivation))
        if act is None or rec_act is None or x.rank != 3 or x.dtype != 'float32':
            return None
        if training and (0 < cell.dropout < 1 or 0 < cell.recurrentDropout < 1):
            return None
        if mask is not None and (not isinstance(mask, Tensor)
                                 or list(mask.shape) != list(x.shape[:2])):
            return None
        state_shape = [x.shape[0], cell.units]
        if any(not isinstance(s, Tensor) or s.dtype != 'float32'
               or list(s.shape) != state_shape for s in initial):
            return None  # the per-step path says what is wrong
        bias = None if cell.bias is None else cell.bias.read()
        h_seq, h, c = lstmSequence(x, cell.kernel.read(), cell.recurrentKernel.read(), bias,
                                   initial[0], initial[1], mask, act, rec_act,
                                   self.goBackwards, self.returnSequences)
        return h, h_seq, [h, c]

    # -- weights and config ---------------------------------------------------------------
    @property
    def trainableWeights(self) -> list[Any]:  # type: ignore[override]
        if not self.trainable:
            return []
        return self.cell.trainableWeights

    @property
    def nonTrainableWeights(self) -> list[Any]:  # type: ignore[override]
        if not self.trainable:
            return self.cell.weights
        return self.cell.nonTrainableWeights

    def dispose(self) -> Any:
        if self.states_ is not None:
            ENGINE.dispose(self.states_)
            self.states_ = None
        return super().dispose()

    def getConfig(self) -> dict[str, Any]:
        config: dict[str, Any] = {
            'returnSequences': self.returnSequences, 'returnState': self.returnState,
            'goBackwards': self.goBackwards, 'stateful': self.stateful, 'unroll': self.unroll,
        }
        cell_config = self.cell.getConfig()
        if type(self) is RNN:
            config['cell'] = {'className': self.cell.getClassName(), 'config': cell_config}
        # tfjs' key order: the layer's own keys, then the cell's, then the RNN's.
        base = super().getConfig()
        return {**base, **{k: v for k, v in cell_config.items() if k not in base}, **config}

    @classmethod
    def fromConfig(cls, config: Mapping[str, Any], customObjects: Any = None) -> Layer:
        # tfjs' config also holds the cell's keys; the lenient base drops them.
        cell = _deserialize_cell(config['cell'], customObjects)
        return super().fromConfig({**config, 'cell': cell}, customObjects)


class _CellRNN(RNN):
    """simpleRNN, lstm and gru: the config holds the cell's keys too."""

    cell_class: type = SimpleRNNCell

    def _make_cell(self, args: dict[str, Any]) -> Any:
        if args['cell'] is not None:
            raise ValueError(f'{self.getClassName()} makes its own cell; use tf.layers.rnn to '
                             f'run a given cell')
        keys = set(self.cell_class._schema) - set(BASE_CONFIG)
        cell = self.cell_class({k: v for k, v in args.items() if k in keys})
        # As Keras: the activity regularizer applies to the layer's output.
        self.activityRegularizer = cell.activityRegularizer
        return cell

    @classmethod
    def fromConfig(cls, config: Mapping[str, Any], customObjects: Any = None) -> Layer:
        return super(RNN, cls).fromConfig({k: v for k, v in config.items() if k != 'cell'},
                                          customObjects)


@registerClass
class SimpleRNN(_CellRNN):
    className = 'SimpleRNN'
    cell_class = SimpleRNNCell
    CONFIG = {**_RNN_DEFAULTS, **SimpleRNNCell.CONFIG}


@registerClass
class GRU(_CellRNN):
    className = 'GRU'
    cell_class = GRUCell
    CONFIG = {**_RNN_DEFAULTS, **GRUCell.CONFIG}


@registerClass
class LSTM(_CellRNN):
    className = 'LSTM'
    cell_class = LSTMCell
    CONFIG = {**_RNN_DEFAULTS, **LSTMCell.CONFIG}
