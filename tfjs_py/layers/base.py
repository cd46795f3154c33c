"""The layer engine: Layer, LayerVariable, SymbolicTensor, Node, InputSpec.

Writing a layer (the contract every layer family follows)
--------------------------------------------------------
::

    from ..serialization import registerClass
    from .._naming import REQUIRED
    from .base import Layer, InputSpec, tfc   # tfc: the tf ops, looked up by name

    @registerClass
    class Dense(Layer):
        className = 'Dense'                          # the tfjs class name
        CONFIG = {'units': REQUIRED, 'useBias': True}  # own keys -> defaults

        def __init__(self, config=None, **kwargs):
            super().__init__(config, **kwargs)       # validates, fills defaults
            args = self._args                        # camelCase dict, this class's keys
            self.units = int(args['units'])          #   and the base LayerArgs keys

        def build(self, inputShape):                 # shape(s) with None for batch
            self.kernel = self.addWeight('kernel', [inputShape[-1], self.units],
                                         'float32', initializer, regularizer, True, constraint)

        def call(self, inputs, kwargs):              # kwargs: {'training', 'mask', ...}
            ...                                      # eager tensors in, tensors out

        def computeOutputShape(self, inputShape): ...
        def getConfig(self):
            return {**own_keys, **super().getConfig()}

- `CONFIG` schemas are merged along the class hierarchy, with the base keys
  (inputShape, batchInputShape, batchSize, dtype, name, trainable, weights,
  inputDType). Constructors are strict: an unknown key raises ValueError naming
  the closest valid key. `fromConfig` is lenient (tfjs ignores keys it does not
  know, and Keras JSON carries extra ones) and calls `cls(config)`.
- `call(inputs, kwargs)` gets a tensor or a list of tensors and a dict with the
  call arguments: `training` (True while fitting; dropout-like layers act only
  then) and `mask` (set when an upstream layer produced one). Keras-style
  signatures (`call(self, inputs, training=None, mask=None)`) are detected and
  called with keywords. Return new tensors; returning an input is fine (apply
  clones it).
- `build(inputShape)` creates weights with `addWeight(name, shape, dtype,
  initializer, regularizer, trainable, constraint)` (tfjs' argument order;
  keywords work too). Weight names are scoped by the layer name:
  `dense_Dense1/kernel`. Inner layers built inside a build are scoped under the
  outer layer (`bidirectional_Bidirectional1/forward_lstm_LSTM1/kernel`).
- `apply(inputs, kwargs)` decides once: all SymbolicTensors -> graph building
  (build from the symbolic shapes, computeOutputShape, record a Node); all
  concrete tensors -> eager `call`. A layer is also callable: `layer(x)`.
- Masks: set `self.supportsMasking = True` to pass masks through unchanged;
  override `computeMask(inputs, mask)` to produce one.
- Recurrent layers: set `self._stateful`, override `resetStates()`.
- snake_case overrides (`compute_output_shape`, `get_config`, `call`) in user
  subclasses are what the framework calls, and `super().get_config()` works.
"""

from __future__ import annotations

import contextlib
import inspect
import itertools
import re
import warnings
import weakref
from collections.abc import Iterator, Mapping, Sequence
from contextvars import ContextVar
from typing import Any, ClassVar

import numpy as np

from .._naming import (
    Namespace,
    SnakeAliases,
    SnakeSettable,
    camel_to_snake,
    is_snake,
    normalize_config,
)
from .._naming import snake_to_camel as _snake_to_camel
from ..constraints import Constraint, getConstraint
from ..engine.engine import ENGINE
from ..engine.tensor import Tensor, Variable
from ..initializers import Initializer, getInitializer
from ..ops import OPS
from ..regularizers import Regularizer, getRegularizer
from ..serialization import Serializable

tfc = Namespace('tf', OPS)

Shape = list  # a list of int | None

# -- names -------------------------------------------------------------------------------

_uid_counters: dict[str, int] = {}
_tensor_names: dict[str, int] = {}
_ids = itertools.count()
_NAME_SCOPE: ContextVar[tuple[str, ...]] = ContextVar('tfjs_py_name_scope', default=())
_VALID_NAME = re.compile(r'^[A-Za-z0-9][-A-Za-z0-9._/]*$')


def getUid(prefix: str = '') -> str:
    """prefix + a process-wide counter per prefix, starting at 1 ('dense_Dense' ->
    'dense_Dense1' is made from getUid('Dense'))."""
    _uid_counters[prefix] = _uid_counters.get(prefix, 0) + 1
    return f'{prefix}{_uid_counters[prefix]}'


def to_snake_case(name: str) -> str:
    """tfjs' toSnakeCase: 'BatchNormalization' -> 'batch_normalization',
    'Conv2DTranspose' -> 'conv2d_transpose', 'ReLU' -> 're_lu'."""
    step = re.sub(r'(.)([A-Z][a-z0-9]+)', r'\1_\2', name)
    out = re.sub(r'([a-z])([A-Z])', r'\1_\2', step).lower()
    return out if not out.startswith('_') else 'private' + out


@contextlib.contextmanager
def name_scope(name: str) -> Iterator[None]:
    token = _NAME_SCOPE.set(_NAME_SCOPE.get() + (name,))
    try:
        yield
    finally:
        _NAME_SCOPE.reset(token)


def _check_name(name: str) -> None:
    if not isinstance(name, str) or not _VALID_NAME.match(name):
        raise ValueError(f'Not a valid tensor name: {name!r}')


def scoped_name(name: str) -> str:
    _check_name(name)
    scope = _NAME_SCOPE.get()
    return '/'.join(scope) + '/' + name if scope else name


def unique_name(scoped: str) -> str:
    """The first use of a name keeps it; later ones get '_1', '_2', ..."""
    _check_name(scoped)
    index = _tensor_names.get(scoped, 0)
    _tensor_names[scoped] = index + 1
    if index == 0:
        return scoped
    result = f'{scoped}_{index}'
    _tensor_names[result] = 1
    return result


# -- small list helpers ----------------------------------------------------------------

def to_list(x: Any) -> list:
    return list(x) if isinstance(x, list | tuple) else [x]


def singleton_or_list(xs: list) -> Any:
    return xs[0] if len(xs) == 1 else xs


def one_tensor(inputs: Any, who: str = 'layer') -> Any:
    """The single tensor of `inputs` (a tensor or a list of one)."""
    if isinstance(inputs, list | tuple):
        if len(inputs) != 1:
            raise ValueError(f'{who}: expected 1 input tensor, got {len(inputs)}')
        return inputs[0]
    return inputs


def one_shape(shape: Any, who: str = 'layer') -> list:
    """The single shape of `shape` (a shape or a list of one shape)."""
    if is_shape_list(shape):
        if len(shape) != 1:
            raise ValueError(f'{who}: expected 1 input shape, got {len(shape)}: '
                             f'{shape_str(shape)}')
        return list(shape[0])
    return list(shape)


def is_shape_list(shape: Any) -> bool:
    """True for a list of shapes ([[None, 3], [None, 4]]), False for one shape."""
    return isinstance(shape, list | tuple) and len(shape) > 0 and all(
        isinstance(s, list | tuple) for s in shape)


def normalize_shape_list(shape: Any) -> list[list]:
    if shape is None:
        return []
    if is_shape_list(shape):
        return [list(s) for s in shape]
    return [list(shape)]


def shape_str(shape: Any) -> str:
    """A shape as tfjs prints it: [null,3]."""
    if shape is None:
        return 'null'
    if isinstance(shape, list | tuple):
        return '[' + ','.join(shape_str(s) for s in shape) + ']'
    return str(shape)


# -- InputSpec, SymbolicTensor, Node ----------------------------------------------------

class InputSpec(SnakeAliases):
    """What a layer accepts: dtype, shape, ndim, maxNDim, minNDim, axes
    ({axis: size}). Checked by Layer.apply with errors naming the layer."""

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        args = normalize_config('InputSpec', {'dtype': None, 'shape': None, 'ndim': None,
                                              'maxNDim': None, 'minNDim': None, 'axes': None},
                                config, kwargs)
        self.dtype = args['dtype']
        self.shape = args['shape']
        self.ndim = len(self.shape) if self.shape is not None else args['ndim']
        self.maxNDim = args['maxNDim']
        self.minNDim = args['minNDim']
        self.axes = dict(args['axes'] or {})

    def __repr__(self) -> str:
        fields = {k: v for k, v in vars(self).items() if v not in (None, {})}
        return f'InputSpec({fields})'


class SymbolicTensor(SnakeAliases):
    """A placeholder for a tensor in a graph being built: dtype, shape (None for
    unknown sizes), the layer and node that make it, its inputs."""

    def __init__(self, dtype: str, shape: Sequence[int | None], sourceLayer: Layer | None,
                 inputs: list[SymbolicTensor], callArgs: dict | None, name: str | None = None,
                 outputTensorIndex: int | None = None) -> None:
        self.id = next(_ids)
        self.dtype = dtype
        self.shape = list(shape)
        self.sourceLayer = sourceLayer
        self.inputs = inputs
        self.callArgs = callArgs
        self.outputTensorIndex = outputTensorIndex
        self.originalName = scoped_name(name) if name is not None else None
        self.name = unique_name(self.originalName) if name is not None else None
        self.nodeIndex = 0
        self.tensorIndex = 0

    @property
    def rank(self) -> int:
        return len(self.shape)

    def __repr__(self) -> str:
        return f'SymbolicTensor(name={self.name!r}, shape={self.shape}, dtype={self.dtype!r})'

    __str__ = __repr__

    def __hash__(self) -> int:
        return hash(self.id)

    def __eq__(self, other: object) -> bool:
        return self is other


_node_ids = itertools.count()


class Node(SnakeAliases):
    """One call of a layer in a graph: which layers/nodes/tensors feed it and
    which SymbolicTensors it outputs. Registers itself with the layers."""

    def __init__(self, outboundLayer: Layer, inboundLayers: list[Layer | None],
                 nodeIndices: list[int], tensorIndices: list[int],
                 inputTensors: list[SymbolicTensor], outputTensors: list[SymbolicTensor],
                 inputMasks: list, outputMasks: list, inputShapes: list, outputShapes: list,
                 callArgs: dict | None = None) -> None:
        self.id = next(_node_ids)
        self.outboundLayer = outboundLayer
        self.inboundLayers = inboundLayers
        self.nodeIndices = nodeIndices
        self.tensorIndices = tensorIndices
        self.inputTensors = inputTensors
        self.outputTensors = outputTensors
        self.inputMasks = inputMasks
        self.outputMasks = outputMasks
        self.inputShapes = inputShapes
        self.outputShapes = outputShapes
        self.callArgs = callArgs
        for layer in inboundLayers:
            if layer is not None:
                layer.outboundNodes.append(self)
        outboundLayer.inboundNodes.append(self)

    def getConfig(self) -> dict[str, Any]:
        return {'outboundLayer': self.outboundLayer.name if self.outboundLayer else None,
                'inboundLayers': [la.name if la is not None else None
                                  for la in self.inboundLayers],
                'nodeIndices': self.nodeIndices, 'tensorIndices': self.tensorIndices}


# -- LayerVariable ----------------------------------------------------------------------

class LayerVariable(SnakeAliases):
    """A layer weight: `.val` is the engine tf.Variable that optimizers update;
    `.name` is unique process-wide ('dense_Dense1/kernel', later
    'dense_Dense1/kernel_1'), `.originalName` is the scoped name before that.
    `write` assigns a new value and applies the constraint."""

    def __init__(self, val: Tensor, dtype: str = 'float32', name: str = 'Variable',
                 trainable: bool = True, constraint: Constraint | None = None) -> None:
        self.dtype = dtype or 'float32'
        self.shape = list(val.shape)
        self.id = next(_ids)
        self.originalName = scoped_name(name or 'Variable')
        self.name = unique_name(self.originalName)
        self.trainable_ = True if trainable is None else bool(trainable)
        self.constraint = constraint
        self.val: Variable = ENGINE.make_variable(val, self.trainable_, self.name, self.dtype)

    @property
    def trainable(self) -> bool:
        return self.trainable_

    @trainable.setter
    def trainable(self, value: bool) -> None:
        self.trainable_ = bool(value)
        self.val.trainable = bool(value)

    @property
    def isDisposed(self) -> bool:
        return self.val.isDisposed

    def _assert_alive(self) -> None:
        if self.val.isDisposed:
            raise RuntimeError(f'LayerVariable {self.name!r} is already disposed.')

    def read(self) -> Variable:
        self._assert_alive()
        return self.val

    def write(self, newVal: Any) -> LayerVariable:
        """Assign a Tensor (or TensorLike) of the same shape, then the constraint."""
        self._assert_alive()
        converted = not isinstance(newVal, Tensor)
        if converted:
            newVal = tfc.tensor(newVal, None, self.dtype)
        try:
            if list(newVal.shape) != self.shape:
                raise ValueError(f'LayerVariable {self.name!r}: shape {self.shape} does not '
                                 f'match the value shape {list(newVal.shape)}')
            if newVal.id != self.val.id:
                value = newVal if newVal.dtype == self.dtype else tfc.cast(newVal, self.dtype)
                self.val.assign(value)
                if value is not newVal:
                    value.dispose()
                if self.constraint is not None:
                    constrained = self.constraint.apply(self.val)
                    self.val.assign(constrained)
                    constrained.dispose()
        finally:
            if converted:
                newVal.dispose()
        return self

    def dispose(self) -> None:
        self._assert_alive()
        self.val.dispose()

    def __repr__(self) -> str:
        return f'<LayerVariable {self.name!r} shape={self.shape} dtype={self.dtype}>'


# -- masks of eager tensors ---------------------------------------------------------------

# tfjs stores an eager output's mask on the tensor (kerasMask); tensors here
# have fixed slots, so masks live beside them, dropped with the tensor.
_MASKS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def get_mask(t: Any) -> Tensor | None:
    mask = _MASKS.get(t) if isinstance(t, Tensor) else None
    return None if mask is None or mask.isDisposed else mask


def set_mask(t: Tensor, mask: Tensor | None) -> None:
    if mask is None:
        _MASKS.pop(t, None)
    else:
        _MASKS[t] = mask


# True while a model runs its graph: layers then leave their activity losses
# to be reset by the outermost model run.
IN_GRAPH_RUN: ContextVar[bool] = ContextVar('tfjs_py_in_graph_run', default=False)


# -- Layer ------------------------------------------------------------------------------

BASE_CONFIG: dict[str, Any] = {
    'inputShape': None, 'batchInputShape': None, 'batchSize': None, 'dtype': None,
    'name': None, 'trainable': None, 'weights': None, 'inputDType': None,
}

_call_styles: dict[Any, tuple[str, frozenset]] = {}


def _call_style(fn: Any) -> tuple[str, frozenset]:
    """'dict' for call(inputs, kwargs); 'keywords' for Keras-style
    call(inputs, training=None, mask=None) (with the names it accepts)."""
    style = _call_styles.get(fn)
    if style is None:
        params = list(inspect.signature(fn).parameters.values())[1:]
        names = frozenset(p.name for p in params)
        has_var_kw = any(p.kind == p.VAR_KEYWORD for p in params)
        positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY,
                                                       p.POSITIONAL_OR_KEYWORD)]
        if len(positional) >= 2 and positional[1].name in ('kwargs', 'args', 'callArgs',
                                                            'call_args'):
            style = ('dict', names)
        elif has_var_kw:
            style = ('var', names)
        else:
            style = ('keywords', names)
        _call_styles[fn] = style
    return style


def _mirror_camel_names(cls: type) -> None:
    """Give each camelCase method or property of `cls` a snake_case twin in the
    same class, so `super().get_config()` reaches the right implementation."""
    for name, value in list(vars(cls).items()):
        if name.startswith('_') or is_snake(name) or not callable(value) and not isinstance(
                value, property | classmethod | staticmethod):
            continue
        snake = camel_to_snake(name)
        if snake != name and snake not in vars(cls):
            setattr(cls, snake, value)


class Layer(SnakeSettable):
    """Base class of every layer (see the module docstring for the contract)."""

    className: ClassVar[str] = 'Layer'
    CONFIG: ClassVar[dict[str, Any]] = {}
    _schema: ClassVar[dict[str, Any]] = dict(BASE_CONFIG)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if 'className' not in vars(cls):
            cls.className = cls.__name__
        schema = dict(BASE_CONFIG)
        for klass in reversed(cls.__mro__):
            schema.update(vars(klass).get('CONFIG', {}))
        cls._schema = schema
        _mirror_camel_names(cls)

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        args = normalize_config(type(self).className, type(self)._schema, config, kwargs)
        self._args = args
        self.id = next(_ids)
        self.activityRegularizer: Regularizer | None = None
        self.inputSpec: list[InputSpec | None] | None = None
        self.supportsMasking = False
        self._trainableWeights: list[LayerVariable] = []
        self._nonTrainableWeights: list[LayerVariable] = []
        self._losses: list[Any] = []
        self._activity_losses: list[Tensor] = []
        self._updates: list[Tensor] = []
        self.built = False
        self.inboundNodes: list[Node] = []
        self.outboundNodes: list[Node] = []
        self._addedWeightNames: list[str] = []
        self._stateful = False
        self._refCount: int | None = None
        self._fastWeightInitDuringBuild = False
        self._callHook: Any = None
        name = args['name']
        if not name:
            prefix = self.getClassName()
            name = to_snake_case(prefix) + '_' + getUid(prefix)
        self.name: str = name
        self.trainable_ = True if args['trainable'] is None else bool(args['trainable'])
        self.batchInputShape: list | None = None
        self.dtype: str | None = args['dtype'] if isinstance(args['dtype'], str) else None
        if args['inputShape'] is not None or args['batchInputShape'] is not None:
            if args['batchInputShape'] is not None:
                batch_input_shape = list(args['batchInputShape'])
            else:
                batch_input_shape = [args['batchSize'], *args['inputShape']]
            self.batchInputShape = batch_input_shape
            self.dtype = self.dtype or args['inputDType'] or 'float32'
        self.initialWeights = args['weights']

    # -- identity -----------------------------------------------------------------
    def getClassName(self) -> str:
        return type(self).className

    def __repr__(self) -> str:
        return f'<{self.getClassName()} {self.name!r}>'

    # -- graph accessors ------------------------------------------------------------
    @staticmethod
    def nodeKey(layer: Layer, nodeIndex: int) -> str:
        return f'{layer.name}_ib-{nodeIndex}'

    def _node_at(self, nodeIndex: int, what: str) -> Node:
        if not self.inboundNodes:
            raise RuntimeError(f'The layer {self.name} has never been called and thus has no '
                               f'defined {what}.')
        if len(self.inboundNodes) <= nodeIndex:
            raise ValueError(f'Asked to get {what} at node {nodeIndex}, but the layer has only '
                             f'{len(self.inboundNodes)} inbound nodes.')
        return self.inboundNodes[nodeIndex]

    def getInputAt(self, nodeIndex: int) -> Any:
        return singleton_or_list(self._node_at(nodeIndex, 'input').inputTensors)

    def getOutputAt(self, nodeIndex: int) -> Any:
        return singleton_or_list(self._node_at(nodeIndex, 'output').outputTensors)

    @property
    def input(self) -> Any:
        if len(self.inboundNodes) > 1:
            raise AttributeError(f'Layer {self.name} has multiple inbound nodes, hence the '
                                 f'notion of "layer input" is ill-defined. Use '
                                 f'`getInputAt(nodeIndex)` instead.')
        if not self.inboundNodes:
            raise AttributeError(f'Layer {self.name} is not connected, no input to return.')
        return singleton_or_list(self.inboundNodes[0].inputTensors)

    @property
    def output(self) -> Any:
        if not self.inboundNodes:
            raise AttributeError(f'Layer {self.name} has no inbound nodes.')
        if len(self.inboundNodes) > 1:
            raise AttributeError(f'Layer {self.name} has multiple inbound nodes, hence the '
                                 f'notion of "layer output" is ill-defined. Use '
                                 f'`getOutputAt(nodeIndex)` instead.')
        return singleton_or_list(self.inboundNodes[0].outputTensors)

    @property
    def outputShape(self) -> Any:
        if not self.inboundNodes:
            raise AttributeError(f'The layer {self.name} has never been called and thus has no '
                                 f'defined output shape.')
        shapes = {shape_str(n.outputShapes) for n in self.inboundNodes}
        if len(shapes) > 1:
            raise AttributeError(f'The layer {self.name} has multiple inbound nodes with '
                                 f'different output shapes. Hence the notion of "output '
                                 f'shape" is ill-defined for the layer.')
        out = self.inboundNodes[0].outputShapes
        return out[0] if len(out) == 1 else out

    # -- weights --------------------------------------------------------------------
    @property
    def trainable(self) -> bool:
        return self.trainable_

    @trainable.setter
    def trainable(self, value: bool) -> None:
        for w in self._trainableWeights:
            w.trainable = value
        self.trainable_ = bool(value)

    @property
    def trainableWeights(self) -> list[LayerVariable]:
        if not self.trainable_:
            return []
        return [w for w in self._trainableWeights if w.trainable]

    @trainableWeights.setter
    def trainableWeights(self, weights: list[LayerVariable]) -> None:
        self._trainableWeights = list(weights)

    @property
    def nonTrainableWeights(self) -> list[LayerVariable]:
        if self.trainable_:
            return [w for w in self._trainableWeights if not w.trainable] + list(
                self._nonTrainableWeights)
        return list(self._trainableWeights) + list(self._nonTrainableWeights)

    @nonTrainableWeights.setter
    def nonTrainableWeights(self, weights: list[LayerVariable]) -> None:
        self._nonTrainableWeights = list(weights)

    @property
    def weights(self) -> list[LayerVariable]:
        """Trainable weights first, then non-trainable ones."""
        return self.trainableWeights + self.nonTrainableWeights

    @property
    def stateful(self) -> bool:
        return self._stateful

    @stateful.setter
    def stateful(self, value: bool) -> None:
        self._stateful = bool(value)

    def resetStates(self, states: Any = None) -> None:
        if not self.stateful:
            raise RuntimeError('Cannot call the resetStates() method of a non-stateful Layer '
                               'object.')

    def setFastWeightInitDuringBuild(self, value: bool) -> None:
        """Loading sets this: weights are about to be overwritten, so build
        them with zeros instead of random draws."""
        self._fastWeightInitDuringBuild = bool(value)

    def addWeight(self, name: str, shape: Sequence[int], dtype: str | None = None,
                  initializer: Any = None, regularizer: Any = None,
                  trainable: bool | None = True, constraint: Any = None,
                  getInitializerFunc: Any = None) -> LayerVariable:
        """Create a weight named `<layer name>/<name>` (inside build)."""
        if name in self._addedWeightNames:
            raise ValueError(f'Duplicate weight name {name} for layer {self.name}')
        self._addedWeightNames.append(name)
        dtype = dtype or 'float32'
        if self._fastWeightInitDuringBuild:
            init = getInitializerFunc() if getInitializerFunc is not None else getInitializer(
                'zeros')
        else:
            init = getInitializer(initializer if initializer is not None else 'glorotNormal')
        shape = [int(d) for d in shape]
        if any(d < 0 for d in shape):
            raise ValueError(f'layer {self.name}: weight {name!r} has an unknown or negative '
                             f'dimension in shape {shape}')
        initial = init.apply(shape, dtype)
        scope = _NAME_SCOPE.get()
        token = None if scope and scope[-1] == self.name else _NAME_SCOPE.set(scope + (
            self.name,))
        try:
            weight = LayerVariable(initial, dtype, name, trainable,
                                   getConstraint(constraint) if constraint is not None else None)
        finally:
            if token is not None:
                _NAME_SCOPE.reset(token)
            initial.dispose()
        regularizer = getRegularizer(regularizer) if regularizer is not None else None
        if regularizer is not None:
            self.addLoss(lambda: regularizer.apply(weight.read()))
        if trainable is None or trainable:
            self._trainableWeights.append(weight)
        else:
            self._nonTrainableWeights.append(weight)
        return weight

    def getWeights(self, trainableOnly: bool = False) -> list[Tensor]:
        """The weight variables' current values (the variables themselves, as tfjs)."""
        return [w.read() for w in (self.trainableWeights if trainableOnly else self.weights)]

    def setWeights(self, weights: Sequence[Any]) -> None:
        params = self.weights
        weights = list(weights)
        if len(params) != len(weights):
            raise ValueError(f'You called setWeights(weights) on layer "{self.name}" with a '
                             f'weight list of length {len(weights)}, but the layer was '
                             f'expecting {len(params)} weights.')
        for p, w in zip(params, weights, strict=True):
            shape = list(w.shape) if hasattr(w, 'shape') else list(np.shape(w))
            if shape != p.shape:
                raise ValueError(f'Layer weight shape {p.shape} of {p.name!r} not compatible '
                                 f'with provided weight shape {shape}')
        for p, w in zip(params, weights, strict=True):
            p.write(w)

    def countParams(self) -> int:
        if not self.built:
            raise RuntimeError(f'You tried to call countParams() on {self.name}, but the layer '
                               f'is not built yet. Build it first by calling '
                               f'build(batchInputShape).')
        total = 0
        for w in self.weights:
            n = 1
            for d in w.shape:
                n *= d
            total += n
        return total

    # -- losses -----------------------------------------------------------------------
    def addLoss(self, losses: Any) -> None:
        """Register loss functions (no-argument callables returning a scalar),
        e.g. weight regularization penalties."""
        if losses is None:
            return
        self._losses.extend(to_list(losses))

    @property
    def losses(self) -> list[Any]:
        return self._losses

    def calculateLosses(self) -> list[Tensor]:
        """The regularization penalties, computed now from the current weights,
        plus the activity-regularization penalties of the latest call."""
        out = [fn() for fn in self._losses]
        out.extend(t for t in self._activity_losses if not t.isDisposed)
        return out

    @property
    def updates(self) -> list[Tensor]:
        return self._updates

    # -- the call -----------------------------------------------------------------------
    def build(self, inputShape: Any) -> None:
        self.built = True

    def call(self, inputs: Any, kwargs: dict[str, Any]) -> Any:
        return inputs

    def computeOutputShape(self, inputShape: Any) -> Any:
        return inputShape

    def computeMask(self, inputs: Any, mask: Any = None) -> Any:
        if not self.supportsMasking:
            if mask is not None and any(m is not None for m in to_list(mask)):
                raise TypeError(f'Layer {self.name} does not support masking, but was passed '
                                f'an inputMask.')
            return None
        return mask

    def setCallHook(self, callHook: Any) -> None:
        self._callHook = callHook

    def clearCallHook(self) -> None:
        self._callHook = None

    def invokeCallHook(self, inputs: Any, kwargs: dict[str, Any]) -> None:
        if self._callHook is not None:
            self._callHook(inputs, kwargs)

    def assertInputCompatibility(self, inputs: Any) -> None:
        specs = self.inputSpec
        if not specs:
            return
        xs = to_list(inputs)
        # A layer applied batch after batch sees the same specs and input shapes:
        # the last compatible ones are remembered (specs are replaced, never
        # edited, when a layer's expectations change).
        seen = None
        if all(x.__class__ is Tensor for x in xs):
            seen = (specs, [(x._shape, x.dtype) for x in xs])
            if seen == self.__dict__.get('_compatible'):
                return
        self._check_inputs(to_list(specs), xs)
        self._compatible = seen

    def _check_inputs(self, specs: list, xs: list) -> None:
        if len(xs) != len(specs):
            raise ValueError(f'Layer {self.name} expects {len(specs)} inputs, but it received '
                             f'{len(xs)} input tensors.')
        for i, (x, spec) in enumerate(zip(xs, specs, strict=True)):
            if spec is None:
                continue
            ndim = len(x.shape)
            where = f'Input {i} is incompatible with layer {self.name}'
            if spec.ndim is not None and ndim != spec.ndim:
                raise ValueError(f'{where}: expected ndim={spec.ndim}, found ndim={ndim} '
                                 f'(shape {shape_str(x.shape)})')
            if spec.maxNDim is not None and ndim > spec.maxNDim:
                raise ValueError(f'{where}: expected max_ndim={spec.maxNDim}, found '
                                 f'ndim={ndim} (shape {shape_str(x.shape)})')
            if spec.minNDim is not None and ndim < spec.minNDim:
                raise ValueError(f'{where}: expected min_ndim={spec.minNDim}, found '
                                 f'ndim={ndim} (shape {shape_str(x.shape)})')
            if spec.dtype is not None and x.dtype != spec.dtype:
                raise ValueError(f'{where}: expected dtype={spec.dtype}, found '
                                 f'dtype={x.dtype}.')
            for axis, value in spec.axes.items():
                axis = int(axis)
                if not -ndim <= axis < ndim:
                    raise ValueError(f'{where}: expected an axis {axis}, but the input has '
                                     f'shape {shape_str(x.shape)}')
                size = x.shape[axis]
                if value is not None and size is not None and size != value:
                    raise ValueError(f'{where}: expected axis {axis} of input shape to have '
                                     f'value {value} but got shape {shape_str(x.shape)}.')
            if spec.shape is not None:
                for spec_dim, dim in zip(spec.shape, x.shape, strict=False):
                    if spec_dim is not None and dim is not None and spec_dim != dim:
                        raise ValueError(f'{where}: expected shape={shape_str(spec.shape)}, '
                                         f'found shape={shape_str(x.shape)}.')

    def _assert_not_disposed(self) -> None:
        if self._refCount == 0:
            raise RuntimeError(f"Layer '{self.name}' is already disposed.")

    def apply(self, inputs: Any, kwargs: Mapping[str, Any] | None = None,
              **more: Any) -> Any:
        """SymbolicTensor(s) in: record a node and return SymbolicTensor(s).
        Tensor(s) in: run the layer now and return Tensor(s)."""
        kwargs = dict(kwargs) if kwargs else {}
        if more:
            kwargs.update((_snake_to_camel(k), v) for k, v in more.items())
        self._assert_not_disposed()
        xs = to_list(inputs)
        if all(x.__class__ is Tensor for x in xs):
            return self._apply_eager(inputs, xs, kwargs)
        symbolic = [isinstance(x, SymbolicTensor) for x in xs]
        if any(symbolic) and not all(symbolic):
            raise ValueError(f'Layer {self.name}: arguments to apply() must be all '
                             f'SymbolicTensors or all Tensors')
        if all(symbolic) and xs:
            return self._apply_symbolic(inputs, xs, kwargs)
        return self._apply_eager(inputs, xs, kwargs)

    __call__ = apply

    def _maybe_build(self, inputs: Any, xs: list, eager: bool) -> None:
        if self.built:
            return
        self.assertInputCompatibility(inputs)
        self.build(singleton_or_list([list(x.shape) for x in xs]))
        self.built = True
        if self.initialWeights:
            self.setWeights(self.initialWeights)
        if self._refCount is None and eager:
            self._refCount = 1

    def _apply_eager(self, inputs: Any, xs: list, kwargs: dict[str, Any]) -> Any:
        converted = []
        for i, x in enumerate(xs):
            if x.__class__ is not Tensor and not isinstance(x, Tensor):
                try:
                    xs[i] = tfc.tensor(x)
                except (TypeError, ValueError) as exc:
                    raise TypeError(f'Layer {self.name}: apply() takes Tensors or '
                                    f'SymbolicTensors, got {type(x).__name__}') from exc
                converted.append(xs[i])
        if converted:
            inputs = xs if isinstance(inputs, list | tuple) else xs[0]
        try:
            scope = _NAME_SCOPE.set(_NAME_SCOPE.get() + (self.name,))
            try:
                if not self.built:
                    self._maybe_build(inputs, xs, eager=True)
                self.assertInputCompatibility(inputs)
                if 'mask' not in kwargs and _MASKS:
                    masks = [get_mask(x) for x in xs]
                    if any(m is not None for m in masks):
                        kwargs['mask'] = masks[0] if len(xs) == 1 else masks
                output = self._invoke(inputs, kwargs)
            finally:
                _NAME_SCOPE.reset(scope)
            outs = to_list(output)
            if any(o is x for o in outs for x in xs):
                outs = [o.clone() if any(o is x for x in xs) else o for o in outs]
                output = outs if isinstance(output, list | tuple) else outs[0]
            mask = kwargs.get('mask')
            # The base computeMask passes the input mask on: nothing to set without one.
            if self.supportsMasking and (mask is not None
                                         or type(self).computeMask is not Layer.computeMask):
                masks = to_list(self.computeMask(inputs, mask))
                for o, m in zip(outs, masks, strict=False):
                    if m is not None:
                        set_mask(o, m)
            if self.activityRegularizer is not None:
                self._add_activity_losses(outs)
        finally:
            for t in converted:
                t.dispose()
        return output

    def _invoke(self, inputs: Any, kwargs: dict[str, Any]) -> Any:
        self.invokeCallHook(inputs, kwargs)
        call = type(self).call
        style, names = _call_style(call)
        if style == 'dict':
            return self.call(inputs, kwargs)
        if style == 'var':
            return self.call(inputs, **kwargs)
        accepted = {}
        for k, v in kwargs.items():
            if k in names:
                accepted[k] = v
            elif camel_to_snake(k) in names:
                accepted[camel_to_snake(k)] = v
        return self.call(inputs, **accepted)

    def _add_activity_losses(self, outputs: list[Tensor]) -> None:
        """Keras' activity regularization: the penalty of each output divided
        by its batch size; kept until the next call (or model run)."""
        if not IN_GRAPH_RUN.get():
            self._activity_losses = []
        regularizer = self.activityRegularizer
        for out in outputs:
            batch = out.shape[0] if out.shape else 1

            def penalty(out: Tensor = out, batch: int = batch) -> Tensor:
                return tfc.div(regularizer.apply(out), tfc.scalar(float(max(batch, 1))))

            self._activity_losses.append(ENGINE.tidy(penalty))

    def _apply_symbolic(self, inputs: Any, xs: list[SymbolicTensor],
                        kwargs: dict[str, Any]) -> Any:
        with name_scope(self.name):
            self._maybe_build(inputs, xs, eager=False)
            self.assertInputCompatibility(inputs)
            input_shape = singleton_or_list([list(x.shape) for x in xs])
            output_shape = self.computeOutputShape(input_shape)
            self._warn_on_incompatible_input_shape(list(xs[0].shape))
            dtype = self._output_dtype(xs)
            if is_shape_list(output_shape):
                outputs: Any = [SymbolicTensor(dtype, s, self, xs, kwargs, self.name, i)
                                for i, s in enumerate(output_shape)]
            else:
                outputs = SymbolicTensor(dtype, output_shape, self, xs, kwargs, self.name)
            self._add_inbound_node(xs, to_list(outputs), input_shape, output_shape, kwargs)
            self._refCount = (self._refCount or 0) + 1
        return outputs

    def _output_dtype(self, inputs: list[SymbolicTensor]) -> str:
        """The dtype of symbolic outputs; float32 as in tfjs."""
        return 'float32'

    def _warn_on_incompatible_input_shape(self, shape: Any) -> None:
        expected = self.batchInputShape
        if expected is None or not isinstance(shape, list) or is_shape_list(shape):
            return
        if len(shape) != len(expected):
            warnings.warn(f'The rank of the input tensor provided (shape: {shape_str(shape)}) '
                          f'does not match that of the batchInputShape '
                          f'({shape_str(expected)}) of the layer {self.name}', stacklevel=4)
        elif any(e is not None and s is not None and e != s
                 for e, s in zip(expected, shape, strict=True)):
            warnings.warn(f'The shape of the input tensor ({shape_str(shape)}) does not match '
                          f'the expectation of layer {self.name}: {shape_str(expected)}',
                          stacklevel=4)

    def _add_inbound_node(self, inputs: list[SymbolicTensor], outputs: list[SymbolicTensor],
                          input_shapes: Any, output_shapes: Any,
                          kwargs: dict[str, Any] | None) -> Node:
        node = Node(self, [x.sourceLayer for x in inputs], [x.nodeIndex for x in inputs],
                    [x.tensorIndex for x in inputs], inputs, outputs,
                    [None] * len(inputs), [None] * len(outputs),
                    normalize_shape_list(input_shapes), normalize_shape_list(output_shapes),
                    kwargs)
        for i, out in enumerate(outputs):
            out.sourceLayer = self
            out.nodeIndex = len(self.inboundNodes) - 1
            out.tensorIndex = i
        return node

    # -- config ---------------------------------------------------------------------------
    def getConfig(self) -> dict[str, Any]:
        config: dict[str, Any] = {'name': self.name, 'trainable': self.trainable}
        if self.batchInputShape is not None:
            config['batchInputShape'] = list(self.batchInputShape)
        if self.dtype is not None:
            config['dtype'] = self.dtype
        return config

    @classmethod
    def fromConfig(cls, config: Mapping[str, Any],
                   customObjects: Mapping[str, Any] | None = None) -> Layer:
        """The layer of a config (keys camelCase or snake_case). Keys the layer
        does not know are dropped, as tfjs does with Keras JSON."""
        params = list(inspect.signature(cls.__init__).parameters)[1:2]
        if params == ['config']:
            return cls(**_constructor_args(cls, config))
        # A Keras-style subclass: __init__(self, units, **kwargs) takes keywords.
        return cls(**{_snake_to_camel(k): v for k, v in config.items()})

    # -- disposal --------------------------------------------------------------------------
    def disposeWeights(self) -> int:
        weights = self.weights
        for w in weights:
            if not w.isDisposed:
                w.dispose()
        return len(weights)

    def dispose(self) -> dict[str, int]:
        """Drop one reference; at zero the weights are freed. Returns
        {'refCountAfterDispose', 'numDisposedVariables'}, as tfjs."""
        if not self.built:
            raise RuntimeError(f'Cannot dispose Layer {self.name} because it has not been '
                               f'built yet.')
        if self._refCount is None:
            raise RuntimeError(f'Cannot dispose Layer {self.name} because it has not been '
                               f'used yet.')
        self._assert_not_disposed()
        disposed = 0
        self._refCount -= 1
        if self._refCount == 0:
            disposed = self.disposeWeights()
        return {'refCountAfterDispose': self._refCount, 'numDisposedVariables': disposed}


def _constructor_args(cls: type[Layer], config: Mapping[str, Any]) -> dict[str, Any]:
    """A config read from JSON, as constructor keywords of `cls`: unknown keys
    dropped, Keras 3 spellings mapped."""
    out: dict[str, Any] = {}
    schema = cls._schema
    for key, value in dict(config).items():
        camel = key if key in schema else _snake_to_camel(key)
        if camel == 'batchShape' and 'batchInputShape' in schema:
            camel = 'batchInputShape'
        if camel == 'dtype' and isinstance(value, Mapping):
            value = (value.get('config') or {}).get('name', 'float32')
        if camel in schema:
            out[camel] = value
    return out


_mirror_camel_names(Layer)


__all__ = ['Constraint', 'Initializer', 'InputSpec', 'Layer', 'LayerVariable', 'Node',
           'Regularizer', 'Serializable', 'SymbolicTensor', 'getUid', 'name_scope',
           'to_snake_case']
