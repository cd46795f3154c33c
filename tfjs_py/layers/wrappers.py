"""Wrappers (tfjs-layers wrappers.ts): timeDistributed applies a layer to every
time step; bidirectional runs an RNN forwards and backwards and merges the two.

Weight names as tfjs gives them: `time_distributed_TimeDistributed1/kernel`
(the inner layer's name is dropped), and
`bidirectional_Bidirectional1/forward_lstm_LSTM1/kernel` then the `backward_`
copy. Beyond tfjs: Keras' `backwardLayer` config key is honoured.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .._naming import REQUIRED, snake_to_camel
from ..engine.engine import ENGINE
from ..engine.tensor import Tensor
from ..serialization import deserialize, registerClass
from .base import InputSpec, Layer, SymbolicTensor, name_scope, one_shape, one_tensor, tfc
from .recurrent import RNN, _split_state_inputs, build_in_scope

MERGE_MODES = ('concat', 'sum', 'mul', 'ave', None)


def _as_layer(value: Any, owner: str, customObjects: Any = None) -> Layer:
    if isinstance(value, Layer):
        return value
    if isinstance(value, Mapping):
        layer = deserialize(value, customObjects, kind='layer', base=Layer)
        return layer
    raise ValueError(f'{owner}: layer must be a Layer or a serialized layer, got {value!r}')


class Wrapper(Layer):
    """A layer holding another layer; weights, losses and trainability are the inner layer's."""

    CONFIG = {'layer': REQUIRED}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        self.layer = _as_layer(self._args['layer'], self.getClassName())

    @property
    def trainable(self) -> bool:  # type: ignore[override]
        return self.layer.trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        self.layer.trainable = value

    @property
    def trainableWeights(self) -> list[Any]:  # type: ignore[override]
        return self.layer.trainableWeights

    @property
    def nonTrainableWeights(self) -> list[Any]:  # type: ignore[override]
        return self.layer.nonTrainableWeights

    def getConfig(self) -> dict[str, Any]:
        return {'layer': {'className': self.layer.getClassName(),
                          'config': self.layer.getConfig()},
                **super().getConfig()}

    @classmethod
    def fromConfig(cls, config: Mapping[str, Any], customObjects: Any = None) -> Layer:
        layer = _as_layer(config['layer'], cls.className, customObjects)
        return super().fromConfig({**config, 'layer': layer}, customObjects)

    def setFastWeightInitDuringBuild(self, value: bool) -> None:
        super().setFastWeightInitDuringBuild(value)
        self.layer.setFastWeightInitDuringBuild(value)


@registerClass
class TimeDistributed(Wrapper):
    """Applies its layer to each step of axis 1 of a [batch, time, ...] input."""

    className = 'TimeDistributed'

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        self.supportsMasking = True

    def build(self, inputShape: Any) -> None:
        shape = one_shape(inputShape, self.name)
        if len(shape) < 3:
            raise ValueError(f'TimeDistributed layer expects an input shape >= 3D, but '
                             f'received input shape {shape}')
        self.inputSpec = [InputSpec(shape=shape)]
        if not self.layer.built:
            build_in_scope(self.layer, [shape[0], *shape[2:]])
        self.addLoss(self.layer.losses)
        self.built = True

    def computeOutputShape(self, inputShape: Any) -> Any:
        shape = one_shape(inputShape, self.name)
        child = self.layer.computeOutputShape([shape[0], *shape[2:]])
        return [child[0], shape[1], *child[1:]]

    def call(self, inputs: Any, kwargs: dict[str, Any]) -> Tensor:
        x = one_tensor(inputs, self.name)
        inner_kwargs = {k: v for k, v in kwargs.items() if k != 'mask'}

        def run() -> Tensor:
            steps = [one_tensor(self.layer.call(x_t, inner_kwargs), self.name)
                     for x_t in tfc.unstack(x, 1)]
            return tfc.stack(steps, 1)

        return ENGINE.tidy(run)


@registerClass
class Bidirectional(Wrapper):
    """Runs a copy of an RNN forwards and one backwards, merging their outputs
    with mergeMode 'concat' (default), 'sum', 'mul', 'ave' or None (both
    returned)."""

    className = 'Bidirectional'
    CONFIG = {'mergeMode': 'concat', 'backwardLayer': None}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        args = self._args
        layer = self.layer
        if not isinstance(layer, RNN):
            raise ValueError(f'Bidirectional: the wrapped layer must be an RNN layer, got '
                             f'{layer.getClassName()}')
        layer_config = layer.getConfig()
        self.forwardLayer = deserialize({'className': layer.getClassName(),
                                         'config': layer_config}, kind='layer', base=Layer)
        if args['backwardLayer'] is not None:
            self.backwardLayer = _as_layer(args['backwardLayer'], 'Bidirectional')
        else:
            backward_config = {**layer_config, 'goBackwards': not layer_config['goBackwards']}
            self.backwardLayer = deserialize({'className': layer.getClassName(),
                                              'config': backward_config}, kind='layer',
                                             base=Layer)
            self.backwardLayer.name = 'backward_' + self.backwardLayer.name
        self.forwardLayer.name = 'forward_' + self.forwardLayer.name
        mode = args['mergeMode']
        if mode not in MERGE_MODES:
            raise ValueError(f'Bidirectional: invalid mergeMode {mode!r}; valid values are '
                             f"'concat', 'sum', 'mul', 'ave' and None")
        self.mergeMode = mode
        self._stateful = layer.stateful
        self.returnSequences = layer.returnSequences
        self.returnState = layer.returnState
        self.supportsMasking = True
        self._trainable = True
        self.inputSpec = layer.inputSpec

    @property
    def trainable(self) -> bool:  # type: ignore[override]
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        self._trainable = bool(value)
        self.forwardLayer.trainable = value
        self.backwardLayer.trainable = value

    @property
    def trainableWeights(self) -> list[Any]:  # type: ignore[override]
        return self.forwardLayer.trainableWeights + self.backwardLayer.trainableWeights

    @property
    def nonTrainableWeights(self) -> list[Any]:  # type: ignore[override]
        return self.forwardLayer.nonTrainableWeights + self.backwardLayer.nonTrainableWeights

    def setWeights(self, weights: Sequence[Any]) -> None:
        weights = list(weights)
        half = len(weights) // 2
        self.forwardLayer.setWeights(weights[:half])
        self.backwardLayer.setWeights(weights[half:])

    def build(self, inputShape: Any) -> None:
        for layer in (self.forwardLayer, self.backwardLayer):
            with name_scope(layer.name):
                layer.build(inputShape)
                layer.built = True
            self.addLoss(layer.losses)
        self.built = True

    def computeOutputShape(self, inputShape: Any) -> Any:
        shapes = self.forwardLayer.computeOutputShape(inputShape)
        if not (shapes and isinstance(shapes[0], (list, tuple))):
            shapes = [shapes]
        output = list(shapes[0])
        states = [list(s) for s in shapes[1:]]
        if self.mergeMode == 'concat':
            output[-1] = None if output[-1] is None else output[-1] * 2
        outputs = [output, list(output)] if self.mergeMode is None else [output]
        if self.returnState:
            return outputs + states + [list(s) for s in states]
        return outputs if len(outputs) > 1 else outputs[0]

    def computeMask(self, inputs: Any, mask: Any = None) -> Any:
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        out_mask = mask if self.returnSequences else None
        masks = [out_mask, out_mask] if self.mergeMode is None else [out_mask]
        if self.returnState:
            n = len(self.forwardLayer.states)
            return masks + [None] * (2 * n)
        return masks if len(masks) > 1 else masks[0]

    def apply(self, inputs: Any, kwargs: Mapping[str, Any] | None = None, **more: Any) -> Any:
        # Call arguments in camelCase or snake_case (initial_state), as Layer.apply.
        kwargs = {snake_to_camel(k): v for k, v in {**(kwargs or {}), **more}.items()}
        x, initial = _split_state_inputs(inputs, kwargs.pop('initialState', None))
        if not initial:
            return super().apply(x, kwargs)
        if len(initial) % 2:
            raise ValueError('When passing `initialState` to a Bidirectional RNN, the state '
                             'should be a list containing the states of the underlying RNNs '
                             '(forward ones, then backward ones).')
        symbolic = [isinstance(s, SymbolicTensor) for s in (x, *initial)]
        if any(symbolic) and not all(symbolic):
            raise ValueError('The initial state of a Bidirectional layer cannot be specified as '
                             'a mix of symbolic and non-symbolic tensors')
        original = self.inputSpec
        self.inputSpec = [*(original or [None])[:1],
                          *[InputSpec(ndim=len(s.shape)) for s in initial]]
        try:
            return super().apply([x, *initial], kwargs)
        finally:
            self.inputSpec = original

    def call(self, inputs: Any, kwargs: dict[str, Any]) -> Any:
        x, initial = _split_state_inputs(inputs, kwargs.get('initialState'))
        inner = {k: v for k, v in kwargs.items() if k != 'initialState'}

        def run() -> Any:
            if initial:
                half = len(initial) // 2
                y = self.forwardLayer.call([x, *initial[:half]], inner)
                y_rev = self.backwardLayer.call([x, *initial[half:]], inner)
            else:
                y = self.forwardLayer.call(x, inner)
                y_rev = self.backwardLayer.call(x, inner)
            states: list[Tensor] = []
            if self.returnState:
                states = list(y[1:]) + list(y_rev[1:])
                y, y_rev = y[0], y_rev[0]
            if self.returnSequences:
                y_rev = tfc.reverse(y_rev, 1)
            if self.mergeMode == 'concat':
                out: Any = [tfc.concat([y, y_rev], -1)]
            elif self.mergeMode == 'sum':
                out = [tfc.add(y, y_rev)]
            elif self.mergeMode == 'ave':
                out = [tfc.mul(0.5, tfc.add(y, y_rev))]
            elif self.mergeMode == 'mul':
                out = [tfc.mul(y, y_rev)]
            else:
                out = [y, y_rev]
            out = out + states
            return out if len(out) > 1 else out[0]

        return ENGINE.tidy(run)

    def resetStates(self, states: Any = None) -> None:
        self.forwardLayer.resetStates()
        self.backwardLayer.resetStates()

    def setFastWeightInitDuringBuild(self, value: bool) -> None:
        super().setFastWeightInitDuringBuild(value)
        self.forwardLayer.setFastWeightInitDuringBuild(value)
        self.backwardLayer.setFastWeightInitDuringBuild(value)

    def getConfig(self) -> dict[str, Any]:
        return {'mergeMode': self.mergeMode, **super().getConfig()}
