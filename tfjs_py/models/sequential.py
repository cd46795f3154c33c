"""Sequential: a linear stack of layers (tf.sequential)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._naming import normalize_config
from ..layers.base import Layer, SymbolicTensor, getUid, shape_str
from ..layers.input_layer import input as make_input
from ..serialization import deserialize, registerClass
from .container import Container, get_source_inputs
from .layers_model import LayersModel

SEQUENTIAL_CONFIG = {'layers': None, 'name': None}


@registerClass
class Sequential(LayersModel):
    """A model whose layers each take the previous layer's output:
    `tf.sequential({'layers': [...]})`, then `add` and `pop`."""

    className = 'Sequential'

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        args = normalize_config('Sequential', SEQUENTIAL_CONFIG, config, kwargs)
        name = args['name'] or getUid('sequential_')
        super().__init__({'inputs': [], 'outputs': [], 'name': name})
        self._added: list[Layer] = []
        self.built = False
        for layer in args['layers'] or []:
            self.add(layer)

    # -- building the stack ---------------------------------------------------------------
    def _rebuild(self) -> None:
        """Recompute the graph for the current stack; `layers` stays the added list."""
        self._init_graph()
        self.layers = list(self._added)
        self.built = bool(self._added)

    def _check_shape(self, layer: Layer) -> None:
        shape = layer.inboundNodes[0].outputTensors[0].shape
        if any(d is not None and d < 0 for d in shape):
            raise ValueError(f'Negative dimension size caused by adding layer {layer.name} '
                             f'with input shape '
                             f'{shape_str(layer.inboundNodes[0].inputTensors[0].shape)}')

    def add(self, layer: Layer) -> None:
        """Append a layer; the first one needs an inputShape (or batchInputShape),
        unless it is a model or already connected to an input."""
        if not isinstance(layer, Layer):
            raise TypeError(f'Sequential.add takes a layer, got {type(layer).__name__}')
        is_model = isinstance(layer, Container)
        if is_model:
            if len(layer.outputs) != 1:
                raise ValueError('All layers in a Sequential model should have a single output '
                                 'tensor. For multi-output layers, use the functional API.')
            if len(layer.inputs) != 1:
                raise ValueError('All layers in a Sequential model should have a single input '
                                 'tensor. For multi-input layers, use the functional API.')
        if not self.outputs:
            if not layer.inboundNodes:
                if layer.batchInputShape is None:
                    raise ValueError('The first layer in a Sequential model must get an '
                                     '`inputShape` or `batchInputShape` argument.')
                x = make_input(batchShape=layer.batchInputShape, dtype=layer.dtype,
                               name=layer.name + '_input')
                layer.apply(x)
            if is_model:
                self.outputs = list(layer.outputs)
                self.inputs = list(layer.inputs)
            else:
                if len(layer.inboundNodes) != 1:
                    raise ValueError(f'A layer added to a Sequential model must not already be '
                                     f'connected somewhere else. LayersModel received layer '
                                     f'{layer.name} which has {len(layer.inboundNodes)} '
                                     f'pre-existing inbound connections.')
                if len(layer.inboundNodes[0].outputTensors) != 1:
                    raise ValueError('All layers in a Sequential model should have a single '
                                     'output tensor. For multi-output layers, use the '
                                     'functional API.')
                self._check_shape(layer)
                self.outputs = [layer.inboundNodes[0].outputTensors[0]]
                self.inputs = get_source_inputs(self.outputs[0])
        else:
            out = layer.apply(self.outputs[0])
            if not isinstance(out, SymbolicTensor):
                raise TypeError('All layers in a Sequential model should have a single output '
                                'tensor. For multi-output layers, use the functional API.')
            self._check_shape(layer)
            self.outputs = [out]
        self._added.append(layer)
        self._rebuild()

    def pop(self) -> None:
        """Remove the last layer."""
        if not self._added:
            raise TypeError('There are no layers in the model.')
        self._added.pop()
        if not self._added:
            self.inputs, self.outputs = [], []
        else:
            last = self._added[-1]
            last.outboundNodes = []
            self.outputs = [last.inboundNodes[-1].outputTensors[0]] if not isinstance(
                last, Container) else list(last.outputs)
        self._rebuild()

    def build(self, inputShape: Any = None) -> None:
        if not self._added:
            raise TypeError('Sequential model cannot be built: model is empty. Add some layers '
                            'first.')
        self.built = True

    def call(self, inputs: Any, kwargs: dict[str, Any]) -> Any:
        if not self._added:
            raise TypeError('Sequential model cannot be called: model is empty. Add some '
                            'layers first.')
        return super().call(inputs, kwargs)

    def countParams(self) -> int:
        if not self._added:
            self.build()
        return super().countParams()

    # -- serialization ---------------------------------------------------------------------
    def getConfig(self) -> dict[str, Any]:
        return {'name': self.name,
                'layers': [{'className': la.getClassName(), 'config': la.getConfig()}
                           for la in self._added]}

    @classmethod
    def fromConfig(cls, config: Any, customObjects: Mapping[str, Any] | None = None,
                   fastWeightInit: bool = False) -> Sequential:
        """From {'name', 'layers': [...]} (tfjs) or a bare list of layers (old Keras)."""
        if isinstance(config, list):
            entries, name = config, None
        else:
            if config.get('layers') is None:
                raise ValueError('When the config data for a Sequential model is not a list, it '
                                 "must be a dict that contains the 'layers' field.")
            entries, name = config['layers'], config.get('name')
        model = cls({'name': name})
        for entry in entries:
            layer = deserialize(entry, customObjects, kind='layer', base=Layer)
            if fastWeightInit:
                layer.setFastWeightInitDuringBuild(True)
            model.add(layer)
        return model


def sequential(config: Mapping[str, Any] | None = None, **kwargs: Any) -> Sequential:
    """tf.sequential({'layers'?: [...], 'name'?: ...})."""
    return Sequential(config, **kwargs)


__all__ = ['Sequential', 'sequential']
