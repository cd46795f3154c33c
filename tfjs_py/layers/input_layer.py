"""InputLayer and tf.input: the entry points of a functional graph."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._naming import normalize_config
from ..serialization import registerClass
from .base import InputSpec, Layer, Node, SymbolicTensor, _constructor_args, getUid


@registerClass
class InputLayer(Layer):
    """Holds the graph's input SymbolicTensor; it is never called."""

    className = 'InputLayer'
    CONFIG = {'sparse': None}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        args = normalize_config('InputLayer', type(self)._schema, config, kwargs)
        if not args['name']:
            args['name'] = getUid('input')
        shape, batch_shape = args['inputShape'], args['batchInputShape']
        if shape is not None and batch_shape is not None:
            raise ValueError('Only provide the inputShape OR batchInputShape argument to '
                             'inputLayer, not both at the same time.')
        if batch_shape is None:
            if shape is None:
                raise ValueError('An InputLayer should be passed either a `batchInputShape` '
                                 'or an `inputShape`.')
            batch_shape = [args['batchSize'], *shape]
        elif args['batchSize'] is not None:
            raise ValueError('Cannot specify batchSize if batchInputShape is specified when '
                             'creating an InputLayer.')
        super().__init__({'name': args['name'], 'dtype': args['dtype']})
        self.trainable = False
        self.built = True
        self.sparse = bool(args['sparse'])
        self.batchInputShape = list(batch_shape)
        self.dtype = args['dtype'] or 'float32'
        self.inputSpec = [InputSpec(shape=self.batchInputShape)]
        tensor = SymbolicTensor(self.dtype, self.batchInputShape, self, [], {}, self.name)
        tensor.nodeIndex = 0
        tensor.tensorIndex = 0
        Node(self, [], [], [], [tensor], [tensor], [None], [None], [self.batchInputShape],
             [self.batchInputShape])

    def apply(self, inputs: Any, kwargs: Mapping[str, Any] | None = None, **more: Any) -> Any:
        raise ValueError(f"Cannot pass any input to an InputLayer's apply() method. "
                         f"InputLayer name: {self.name}")

    __call__ = apply

    def dispose(self) -> dict[str, int]:
        return {'refCountAfterDispose': self._refCount, 'numDisposedVariables': 0}

    def getConfig(self) -> dict[str, Any]:
        return {'batchInputShape': self.batchInputShape, 'dtype': self.dtype,
                'sparse': self.sparse, 'name': self.name}

    @classmethod
    def fromConfig(cls, config: Mapping[str, Any],
                   customObjects: Mapping[str, Any] | None = None) -> InputLayer:
        return cls(_constructor_args(cls, config))


INPUT_CONFIG = {'shape': None, 'batchShape': None, 'name': None, 'dtype': None,
                'sparse': None}


def input(config: Mapping[str, Any] | None = None, **kwargs: Any) -> SymbolicTensor:
    """tf.input({'shape': [...]}): the SymbolicTensor of a new InputLayer."""
    args = normalize_config('tf.input', INPUT_CONFIG, config, kwargs)
    if args['batchShape'] is None and args['shape'] is None:
        raise ValueError('Please provide to Input either a `shape` or a `batchShape` '
                         'argument. Note that `shape` does not include the batch dimension.')
    if args['batchShape'] is not None and args['shape'] is not None:
        raise ValueError('Please provide either a `shape` or `batchShape` argument to Input, '
                         'but not both.')
    batch_shape = args['batchShape']
    if batch_shape is None:
        batch_shape = [None, *args['shape']]
    layer = InputLayer(batchInputShape=list(batch_shape), name=args['name'],
                       dtype=args['dtype'] or 'float32', sparse=args['sparse'])
    return layer.inboundNodes[0].outputTensors[0]


__all__ = ['InputLayer', 'input']
