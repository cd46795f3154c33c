"""Container: a graph of layers from input SymbolicTensors to outputs (the
functional API), usable itself as a layer.

It orders the graph's nodes by depth once, at construction; running it
(`call`, `execute`, the training loop's `apply`) feeds concrete tensors to the
inputs and applies each needed node's layer in that order, freeing
intermediate results as soon as their last consumer has run.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .._naming import normalize_config
from ..engine.engine import ENGINE
from ..engine.tensor import Tensor
from ..layers.base import (
    IN_GRAPH_RUN,
    Layer,
    LayerVariable,
    Node,
    SymbolicTensor,
    get_mask,
    getUid,
    normalize_shape_list,
    set_mask,
    shape_str,
    singleton_or_list,
    to_list,
)
from ..layers.input_layer import InputLayer
from ..serialization import deserialize

TFJS_LAYERS_VERSION = '4.22.0'

CONTAINER_CONFIG = {'inputs': None, 'outputs': None, 'name': None}


def _node_of(t: SymbolicTensor) -> Node:
    return t.sourceLayer.inboundNodes[t.nodeIndex]


def get_source_inputs(tensor: SymbolicTensor) -> list[SymbolicTensor]:
    """The input tensors of the graph that `tensor` comes from."""
    node = _node_of(tensor)
    if not node.inboundLayers:
        return list(node.inputTensors)
    out: list[SymbolicTensor] = []
    for x in node.inputTensors:
        for s in get_source_inputs(x):
            if s not in out:
                out.append(s)
    return out


class Container(Layer):
    """A directed acyclic graph of layers (tfjs' Container)."""

    className = 'Container'

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        args = normalize_config(type(self).className, CONTAINER_CONFIG, config, kwargs)
        super().__init__({})
        self.name = args['name'] or getUid(self.getClassName().lower())
        self.supportsMasking = False
        self.trainable_ = True
        self.inputs: list[SymbolicTensor] = list(to_list(args['inputs'])) if args[
            'inputs'] is not None else []
        self.outputs: list[SymbolicTensor] = list(to_list(args['outputs'])) if args[
            'outputs'] is not None else []
        self.layers: list[Layer] = []
        self._init_graph()

    # -- graph construction ---------------------------------------------------------
    def _init_graph(self) -> None:
        """Order the nodes between self.inputs and self.outputs by depth."""
        for i, x in enumerate(self.inputs + self.outputs):
            if not isinstance(x, SymbolicTensor):
                what = 'inputs' if i < len(self.inputs) else 'outputs'
                raise TypeError(f'{self.getClassName()} {self.name!r}: {what} must be '
                                f'SymbolicTensors (from tf.input and layer.apply), got '
                                f'{type(x).__name__}')
        if len({x.id for x in self.inputs}) != len(self.inputs):
            raise ValueError(f'The list of inputs passed to the model is redundant. All inputs '
                             f'should only appear once. Found: {[x.name for x in self.inputs]}')
        self.inputLayers = [x.sourceLayer for x in self.inputs]
        self.inputLayersNodeIndices = [x.nodeIndex for x in self.inputs]
        self.inputLayersTensorIndices = [x.tensorIndex for x in self.inputs]
        self.outputLayers = [x.sourceLayer for x in self.outputs]
        self.outputLayersNodeIndices = [x.nodeIndex for x in self.outputs]
        self.outputLayersTensorIndices = [x.tensorIndex for x in self.outputs]
        for i, layer in enumerate(self.inputLayers):
            if not isinstance(layer, InputLayer):
                raise TypeError(f'Input layers to a LayersModel must be InputLayer objects. '
                                f'Input {i} (0-based) originates from layer type '
                                f'{layer.getClassName()} ({layer.name!r}): use tf.input(...) '
                                f'to make model inputs.')
        self.inputNames = [la.name for la in self.inputLayers]
        self.outputNames = [la.name for la in self.outputLayers]
        self.feedInputShapes = [la.batchInputShape for la in self.inputLayers]
        self.feedInputNames = list(self.inputNames)
        self.feedOutputNames: list[str] = []
        self.internalInputShapes = [x.shape for x in self.inputs]
        self.internalOutputShapes = [x.shape for x in self.outputs]

        finished: set[int] = set()
        in_progress: set[int] = set()
        post_order: list[Node] = []
        layer_order: dict[int, int] = {}
        self.containerNodes: set[str] = set()

        def visit(tensor: SymbolicTensor) -> None:
            layer = tensor.sourceLayer
            node = layer.inboundNodes[tensor.nodeIndex]
            if node.id in in_progress:
                raise RuntimeError(f'The tensor {tensor.name} at layer "{layer.name}" is part '
                                   f'of a cycle.')
            if node.id in finished:
                return
            self.containerNodes.add(Layer.nodeKey(layer, tensor.nodeIndex))
            layer_order.setdefault(layer.id, len(layer_order))
            in_progress.add(node.id)
            if node.inboundLayers:
                for x in node.inputTensors:
                    visit(x)
            finished.add(node.id)
            in_progress.discard(node.id)
            post_order.append(node)

        for x in self.outputs:
            visit(x)

        node_depth: dict[int, int] = {}
        layer_depth: dict[int, int] = {}
        nodes_by_id: dict[int, Node] = {}
        layers_by_id: dict[int, Layer] = {}
        for node in reversed(post_order):
            nodes_by_id[node.id] = node
            depth = max(node_depth.get(node.id, 0), layer_depth.get(node.outboundLayer.id, 0))
            layer_depth[node.outboundLayer.id] = depth
            layers_by_id[node.outboundLayer.id] = node.outboundLayer
            node_depth[node.id] = depth
            for layer, index in zip(node.inboundLayers, node.nodeIndices, strict=True):
                inbound = layer.inboundNodes[index]
                node_depth[inbound.id] = max(depth + 1, node_depth.get(inbound.id, 0))
                nodes_by_id[inbound.id] = inbound

        self.nodesByDepth: dict[int, list[Node]] = {}
        for node_id, depth in node_depth.items():
            self.nodesByDepth.setdefault(depth, []).append(nodes_by_id[node_id])
        self.layersByDepth: dict[int, list[Layer]] = {}
        for layer_id, depth in layer_depth.items():
            self.layersByDepth.setdefault(depth, []).append(layers_by_id[layer_id])

        self.layers = []
        self.internalContainerRefs: list[Container] = []
        for depth in sorted(self.layersByDepth, reverse=True):
            for layer in sorted(self.layersByDepth[depth], key=lambda la: layer_order[la.id]):
                if isinstance(layer, Container):
                    self.internalContainerRefs.append(layer)
                self.layers.append(layer)

        # Nodes in running order (deepest first), checking every input is computable.
        computable = {x.id for x in self.inputs}
        done_layers: list[str] = []
        self._ordered_nodes: list[Node] = []
        for depth in sorted(self.nodesByDepth, reverse=True):
            for node in self.nodesByDepth[depth]:
                for x in node.inputTensors:
                    if x.id not in computable:
                        raise RuntimeError(f'Graph disconnected: cannot obtain value for '
                                           f'tensor {x.name} at layer "{node.outboundLayer.name}"'
                                           f'. The following previous layers were accessed '
                                           f'without issue: {done_layers}')
                computable.update(x.id for x in node.outputTensors)
                done_layers.append(node.outboundLayer.name)
                self._ordered_nodes.append(node)

        names = [la.name for la in self.layers]
        for name in names:
            if names.count(name) != 1:
                raise RuntimeError(f'The name "{name}" is used {names.count(name)} times in the '
                                   f'model. All layer names should be unique. Layer names: '
                                   f'{json.dumps(names)}')

        # Running plans (see _plan) by fetches and feeds.
        self._plans: dict[tuple, list[tuple]] = {}
        self.outboundNodes = []
        self.inboundNodes = []
        Node(self, [], [], [], self.inputs, self.outputs, [None] * len(self.inputs),
             [None] * len(self.outputs), [x.shape for x in self.inputs],
             [x.shape for x in self.outputs])
        self.built = True
        self._refCount = 1

    # -- running --------------------------------------------------------------------
    def run_graph(self, feeds: Sequence[tuple[SymbolicTensor, Tensor]],
                  fetches: Sequence[SymbolicTensor],
                  kwargs: Mapping[str, Any] | None = None) -> list[Tensor]:
        """Values of `fetches` given values for some SymbolicTensors of the graph.

        Each needed node's layer is applied eagerly with the call arguments it
        was recorded with, overridden by `kwargs` (e.g. {'training': True});
        masks flow along with the values. Intermediate tensors are disposed
        once used (a recording gradient tape keeps what it needs).
        """
        if kwargs and 'mask' in kwargs:
            kwargs = {k: v for k, v in kwargs.items() if k != 'mask'}
        values: dict[int, Tensor] = {}
        for sym, value in feeds:
            if not isinstance(value, Tensor):
                raise TypeError(f'{self.name}: the value fed to {sym.name} must be a Tensor, '
                                f'got {type(value).__name__}')
            values[sym.id] = value
        key = (tuple([f.id for f in fetches]), frozenset(values))
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plans[key] = self._plan(fetches, set(values))
        outer = IN_GRAPH_RUN.get()
        token = IN_GRAPH_RUN.set(True)
        try:
            if not outer:
                for layer in self._all_layers():
                    if layer._activity_losses:
                        layer._activity_losses = []
            for layer, in_ids, call_args, out_ids, done in plan:
                if kwargs:
                    call_args = {**call_args, **kwargs}
                inputs = [values[i] for i in in_ids]
                out = layer.apply(inputs[0] if len(inputs) == 1 else inputs, call_args)
                if len(out_ids) == 1 and isinstance(out, Tensor):
                    values[out_ids[0]] = out
                else:
                    values.update(zip(out_ids, to_list(out), strict=True))
                for x in done:
                    if not getattr(x.sourceLayer, 'stateful', False):
                        values[x.id].dispose()
        finally:
            IN_GRAPH_RUN.reset(token)
        missing = [f.name for f in fetches if f.id not in values]
        if missing:
            raise ValueError(f'{self.name}: could not compute output(s) {missing}')
        return [values[f.id] for f in fetches]

    def _plan(self, fetches: Sequence[SymbolicTensor], fed: set[int]) -> list[tuple]:
        """The steps computing `fetches` from `fed`: per node, (layer, input ids,
        recorded call arguments, output ids, the inputs no later node uses, to
        dispose after it unless fed or fetched)."""
        needed = self._needed_nodes(fetches, fed)
        keep = fed | {f.id for f in fetches}
        last_use: dict[int, int] = {}
        for step, node in enumerate(needed):
            for x in node.inputTensors:
                last_use[x.id] = step
        plan = []
        for step, node in enumerate(needed):
            done: dict[int, SymbolicTensor] = {}
            for x in node.inputTensors:
                if last_use[x.id] == step and x.id not in keep:
                    done[x.id] = x
            call_args = {k: v for k, v in (node.callArgs or {}).items()
                         if k != 'mask' and not _holds_symbolic(v)}
            plan.append((node.outboundLayer, [x.id for x in node.inputTensors], call_args,
                         [t.id for t in node.outputTensors], list(done.values())))
        return plan

    def _needed_nodes(self, fetches: Sequence[SymbolicTensor], fed: set[int]) -> list[Node]:
        wanted: set[int] = set()
        stack = [f for f in fetches if f.id not in fed]
        seen: set[int] = set()
        while stack:
            t = stack.pop()
            if t.id in seen:
                continue
            seen.add(t.id)
            node = _node_of(t)
            if isinstance(node.outboundLayer, InputLayer):
                raise ValueError(f'{self.name}: no value is provided for the input '
                                 f'{t.name!r}')
            wanted.add(node.id)
            stack.extend(x for x in node.inputTensors if x.id not in fed)
        return [n for n in self._ordered_nodes if n.id in wanted]

    def _all_layers(self) -> list[Layer]:
        out: list[Layer] = []
        for layer in self.layers:
            out.append(layer)
            if isinstance(layer, Container):
                out.extend(layer._all_layers())
        return out

    def call(self, inputs: Any, kwargs: dict[str, Any]) -> Any:
        xs = to_list(inputs)
        if len(xs) != len(self.inputs):
            raise ValueError(f'{self.name} expects {len(self.inputs)} input(s), but it '
                             f'received {len(xs)} input tensor(s)')

        def run() -> tuple[list[Tensor], list[Any], list[Tensor]]:
            outs = self.run_graph(list(zip(self.inputs, xs, strict=True)), self.outputs,
                                  kwargs)
            # Activity penalties outlive this scope, for calculateLosses in the same step.
            penalties = [t for layer in self._all_layers() if layer._activity_losses
                         for t in layer._activity_losses if not t.isDisposed]
            return outs, [get_mask(o) for o in outs], penalties

        outs, masks, _ = ENGINE.tidy(run)
        for o, m in zip(outs, masks, strict=True):
            if m is not None and not m.isDisposed:
                set_mask(o, m)
        return singleton_or_list(outs)

    def computeMask(self, inputs: Any, mask: Any = None) -> Any:
        """The masks of the outputs for these inputs (running the graph)."""
        xs = to_list(inputs)
        if mask is not None:
            for x, m in zip(xs, to_list(mask), strict=False):
                if m is not None:
                    set_mask(x, m)

        def run() -> list[Any]:
            outs = self.run_graph(list(zip(self.inputs, xs, strict=True)), self.outputs)
            return [None if get_mask(o) is None else get_mask(o).clone() for o in outs]

        masks = ENGINE.tidy(run)
        return singleton_or_list(masks) if any(m is not None for m in masks) else None

    def computeOutputShape(self, inputShape: Any) -> Any:
        shapes = normalize_shape_list(inputShape)
        if len(shapes) != len(self.inputLayers):
            raise ValueError(f'Invalid inputShape argument {shape_str(inputShape)}: model has '
                             f'{len(self.inputLayers)} tensor inputs.')
        known: dict[int, list] = {x.id: s for x, s in zip(self.inputs, shapes, strict=True)}
        for node in self._ordered_nodes:
            if isinstance(node.outboundLayer, InputLayer):
                continue
            ins = [known[x.id] for x in node.inputTensors]
            out = node.outboundLayer.computeOutputShape(singleton_or_list(ins))
            for sym, shape in zip(node.outputTensors, normalize_shape_list(out), strict=True):
                known[sym.id] = shape
        return singleton_or_list([known[x.id] for x in self.outputs])

    # -- layers and weights -------------------------------------------------------------
    def getLayer(self, nameOrIndex: str | int | None = None, index: int | None = None) -> Layer:
        """A layer by name, or by index (in `layers` order)."""
        if index is not None:
            return self._layer_at(index)
        if nameOrIndex is None:
            raise ValueError('Provide either a layer name or layer index')
        if isinstance(nameOrIndex, int):
            return self._layer_at(nameOrIndex)
        for layer in self.layers:
            if layer.name == nameOrIndex:
                return layer
        raise ValueError(f'No such layer: {nameOrIndex}')

    def _layer_at(self, index: int) -> Layer:
        if not 0 <= index < len(self.layers):
            raise ValueError(f'Was asked to retrieve layer at index {index}, but model only has '
                             f'{len(self.layers)} layer(s).')
        return self.layers[index]

    findLayer = _layer_at

    @property
    def trainable(self) -> bool:
        return self.trainable_

    @trainable.setter
    def trainable(self, value: bool) -> None:
        for layer in self.layers:
            for w in layer._trainableWeights:
                w.trainable = value
        self.trainable_ = bool(value)

    @property
    def trainableWeights(self) -> list[LayerVariable]:
        if not self.trainable_:
            return []
        return _unique([w for layer in self.layers for w in layer.trainableWeights])

    @property
    def nonTrainableWeights(self) -> list[LayerVariable]:
        weights = [w for layer in self.layers for w in layer.nonTrainableWeights]
        if not self.trainable_:
            weights = [w for layer in self.layers for w in layer.trainableWeights] + weights
        return _unique(weights)

    @property
    def weights(self) -> list[LayerVariable]:
        return self.trainableWeights + self.nonTrainableWeights

    @property
    def stateful(self) -> bool:
        return any(layer.stateful for layer in self.layers)

    @stateful.setter
    def stateful(self, value: bool) -> None:
        if value:
            raise ValueError('The statefulness of a model is determined by its layers')

    def resetStates(self, states: Any = None) -> None:
        def run() -> None:
            for layer in self.layers:
                if layer.stateful:
                    layer.resetStates()

        ENGINE.tidy(run)

    def calculateLosses(self) -> list[Tensor]:
        """Regularization penalties of every layer of the graph (each layer
        once, even when shared), plus activity penalties of the latest run."""
        return [loss for layer in self.layers for loss in layer.calculateLosses()]

    @property
    def losses(self) -> list[Any]:
        return [fn for layer in self.layers for fn in layer.losses]

    # -- disposal --------------------------------------------------------------------------
    def dispose(self) -> dict[str, int]:
        if self._refCount == 0:
            raise RuntimeError(f"Container '{self.name}' is already disposed.")
        result = {'refCountAfterDispose': 0, 'numDisposedVariables': 0}
        self._refCount -= 1
        if self._refCount == 0:
            for layer in self.layers:
                if layer._refCount is None or layer._refCount == 0 or not layer.built:
                    continue
                result['numDisposedVariables'] += layer.dispose()['numDisposedVariables']
            for container in self.internalContainerRefs:
                if container._refCount:
                    result['numDisposedVariables'] += container.dispose()[
                        'numDisposedVariables']
        result['refCountAfterDispose'] = self._refCount
        return result

    # -- summary ------------------------------------------------------------------------------
    def summary(self, lineLength: int | None = None, positions: Sequence[float] | None = None,
                printFn: Callable[..., Any] = print) -> None:
        """Print the layer table as tfjs does (columns, shapes, params, totals)."""
        print_summary(self, lineLength, positions, printFn)

    # -- serialization -------------------------------------------------------------------------
    def _node_conversion_map(self) -> dict[str, int]:
        conversion: dict[str, int] = {}
        for layer in self.layers:
            kept = 1 if isinstance(layer, Container) else 0
            for index in range(len(layer.inboundNodes)):
                key = Layer.nodeKey(layer, index)
                if key in self.containerNodes:
                    conversion[key] = kept
                    kept += 1
        return conversion

    def getConfig(self) -> dict[str, Any]:
        conversion = self._node_conversion_map()
        layer_configs = []
        for layer in self.layers:
            inbound = []
            for index, node in enumerate(layer.inboundNodes):
                if Layer.nodeKey(layer, index) not in self.containerNodes:
                    continue
                call_args = _json_call_args(node.callArgs, layer)
                if node.inboundLayers:
                    inbound.append([
                        [la.name, conversion.get(Layer.nodeKey(la, ni), 0), ti, call_args]
                        for la, ni, ti in zip(node.inboundLayers, node.nodeIndices,
                                              node.tensorIndices, strict=True)])
            layer_configs.append({'name': layer.name, 'className': layer.getClassName(),
                                  'config': layer.getConfig(), 'inboundNodes': inbound})

        def ends(layers: list[Layer], nodes: list[int], tensors: list[int]) -> list:
            out = []
            for la, ni, ti in zip(layers, nodes, tensors, strict=True):
                key = Layer.nodeKey(la, ni)
                if key in self.containerNodes:
                    out.append([la.name, conversion.get(key, 0), ti])
            return out

        return {'name': self.name, 'layers': layer_configs,
                'inputLayers': ends(self.inputLayers, self.inputLayersNodeIndices,
                                    self.inputLayersTensorIndices),
                'outputLayers': ends(self.outputLayers, self.outputLayersNodeIndices,
                                     self.outputLayersTensorIndices)}

    def _updated_config(self) -> dict[str, Any]:
        return {'className': self.getClassName(), 'config': self.getConfig(),
                'kerasVersion': f'tfjs-layers {TFJS_LAYERS_VERSION}',
                'backend': 'TensorFlow.js'}

    def toJSON(self, unused: Any = None, returnString: bool = True) -> str | dict[str, Any]:
        """The model topology as model.json holds it (Keras snake_case)."""
        from ..io.model_json import to_pythonic
        topology = to_pythonic(self._updated_config())
        return json.dumps(topology, separators=(',', ':')) if returnString else topology

    @classmethod
    def fromConfig(cls, config: Mapping[str, Any],
                   customObjects: Mapping[str, Any] | None = None,
                   fastWeightInit: bool = False) -> Container:
        """Rebuild the graph of a functional config: make each layer, then
        apply it to its inbound nodes' tensors once these exist."""
        custom = dict(customObjects or {})
        created: dict[str, Layer] = {}
        pending: dict[str, list[list]] = {}
        layer_entries = list(config['layers'])

        def process_node(layer: Layer, node_data: list) -> bool:
            tensors = []
            call_args: dict[str, Any] = {}
            for entry in node_data:
                name, node_index, tensor_index = entry[0], int(entry[1]), int(entry[2])
                call_args = dict(entry[3]) if len(entry) > 3 and entry[3] else {}
                inbound = created.get(name)
                if inbound is None or len(inbound.inboundNodes) <= node_index:
                    return False
                tensors.append(inbound.inboundNodes[node_index].outputTensors[tensor_index])
            if tensors:
                layer.apply(singleton_or_list(tensors), call_args)
            return True

        for entry in layer_entries:
            layer = deserialize({'className': entry['className'], 'config': entry['config']},
                                custom, kind='layer', base=Layer)
            if fastWeightInit:
                layer.setFastWeightInitDuringBuild(True)
            created[entry['name']] = layer
            nodes = entry.get('inboundNodes') or []
            if not isinstance(nodes, list):
                raise ValueError(f'Corrupted configuration, expected a list of inbound nodes '
                                 f'for layer {entry["name"]!r}: {nodes!r}')
            pending[entry['name']] = [_node_entries(n) for n in nodes]

        while any(pending.values()):
            progressed = False
            for entry in layer_entries:
                name = entry['name']
                queue = pending.get(name)
                while queue and process_node(created[name], queue[0]):
                    queue.pop(0)
                    progressed = True
            if not progressed:
                stuck = {k: v for k, v in pending.items() if v}
                raise ValueError(f'cannot rebuild the model graph: inbound nodes of '
                                 f'{sorted(stuck)} refer to layers or nodes that do not exist')

        def ends(key: str) -> list[SymbolicTensor]:
            out = []
            entries = config[key]
            if entries and isinstance(entries[0], str):
                entries = [entries]  # Keras 3 writes one end flat: [name, node, tensor]
            for name, node_index, tensor_index in (e[:3] for e in entries):
                if name not in created:
                    raise ValueError(f'{key} refers to an unknown layer {name!r}')
                out.append(created[name].inboundNodes[int(node_index)].outputTensors[
                    int(tensor_index)])
            return out

        return cls({'inputs': ends('inputLayers'), 'outputs': ends('outputLayers'),
                    'name': config.get('name')})


def _node_entries(node: Any) -> list:
    """One inbound node as [[layer, node, tensor, kwargs], ...]; Keras 3 writes
    {'args': [...], 'kwargs': {...}} with keras_history inside the args."""
    if isinstance(node, list):
        return node
    if isinstance(node, Mapping):
        found: list = []

        def walk(value: Any) -> None:
            if isinstance(value, Mapping):
                history = value.get('kerasHistory', value.get('keras_history'))
                if history is not None:
                    found.append([*history[:3], {}])
                    return
                for v in value.values():
                    walk(v)
            elif isinstance(value, list):
                for v in value:
                    walk(v)

        walk(node.get('args', []))
        return found
    raise ValueError(f'Corrupted configuration, expected a list for an inbound node: {node!r}')


def _json_call_args(call_args: Any, layer: Layer) -> dict[str, Any]:
    if not call_args:
        return {}
    try:
        json.dumps(call_args)
    except (TypeError, ValueError):
        import warnings
        warnings.warn(f'Layer {layer.name} was passed non-serializable keyword arguments: '
                      f'{call_args}. They will not be included in the serialized model.',
                      stacklevel=3)
        return {}
    return dict(call_args)


def _holds_symbolic(value: Any) -> bool:
    """Call arguments recorded with SymbolicTensors (graph wiring, not values)."""
    if isinstance(value, SymbolicTensor):
        return True
    return isinstance(value, list | tuple) and any(_holds_symbolic(v) for v in value)


def _unique(weights: list[LayerVariable]) -> list[LayerVariable]:
    seen: set[int] = set()
    out = []
    for w in weights:
        if w.id not in seen:
            seen.add(w.id)
            out.append(w)
    return out


# -- summary -------------------------------------------------------------------------------

def _json_shape(shape: Any) -> str:
    return json.dumps(shape, separators=(',', ':'))


def _is_sequential_like(model: Container) -> bool:
    nodes: list[Node] = []
    for depth in sorted(model.nodesByDepth):
        depth_nodes = model.nodesByDepth[depth]
        if len(depth_nodes) > 1 or (len(depth_nodes) == 1 and len(
                depth_nodes[0].inboundLayers) > 1):
            return False
        nodes.extend(depth_nodes)
    node_ids = {n.id for n in nodes}
    for layer in model.layers:
        if sum(1 for n in layer.inboundNodes if n.id in node_ids) > 1:
            return False
    return True


def _print_row(fields: list[str], positions: list[int], print_fn: Callable[..., Any]) -> None:
    line = ''
    for i, field in enumerate(fields):
        if i > 0:
            line = line[:-1] + ' '
        line += field
        line = line[:positions[i]]
        line += ' ' * (positions[i] - len(line))
    print_fn(line)


def print_summary(model: Container, line_length: int | None = None,
                  positions: Sequence[float] | None = None,
                  print_fn: Callable[..., Any] = print) -> None:
    sequential_like = _is_sequential_like(model)
    headers = ['Layer (type)', 'Input Shape', 'Output shape', 'Param #']
    if sequential_like:
        line_length = line_length or 90
        positions = list(positions or [0.32, 0.61, 0.89, 1])
    else:
        line_length = line_length or 115
        positions = list(positions or [0.24, 0.48, 0.70, 0.80, 1])
        headers.append('Receives inputs')
    if positions[-1] <= 1:
        positions = [int(line_length * p // 1) for p in positions]
    cols = [int(p) for p in positions]
    relevant = {n.id for nodes in model.nodesByDepth.values() for n in nodes}
    print_fn('_' * line_length)
    _print_row(headers, cols, print_fn)
    print_fn('=' * line_length)
    for i, layer in enumerate(model.layers):
        try:
            input_shape = ','.join(_json_shape(n.inputShapes) for n in layer.inboundNodes)
        except (TypeError, ValueError):
            input_shape = 'multiple'
        try:
            output_shape = _json_shape(layer.outputShape)
        except AttributeError:
            output_shape = 'multiple'
        fields = [f'{layer.name} ({layer.getClassName()})', input_shape, output_shape,
                  str(layer.countParams())]
        if sequential_like:
            _print_row(fields, cols, print_fn)
        else:
            connections = [f'{la.name}[{ni}][{ti}]' for n in layer.inboundNodes
                           if n.id in relevant
                           for la, ni, ti in zip(n.inboundLayers, n.nodeIndices,
                                                 n.tensorIndices, strict=True)]
            _print_row([*fields, connections[0] if connections else ''], cols, print_fn)
            for extra in connections[1:]:
                _print_row(['', '', '', '', extra], cols, print_fn)
        print_fn(('=' if i == len(model.layers) - 1 else '_') * line_length)
    trainable = sum(_size(w.shape) for w in model.trainableWeights)
    non_trainable = sum(_size(w.shape) for w in model.nonTrainableWeights)
    print_fn(f'Total params: {trainable + non_trainable}')
    print_fn(f'Trainable params: {trainable}')
    print_fn(f'Non-trainable params: {non_trainable}')
    print_fn('_' * line_length)


def _size(shape: Sequence[int]) -> int:
    n = 1
    for d in shape:
        n *= d
    return n


__all__ = ['Container', 'get_source_inputs', 'print_summary']
