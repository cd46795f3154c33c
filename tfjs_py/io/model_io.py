"""tf.loadLayersModel and LayersModel.save: the tfjs layers-model format.

Loading: a handler (routed from a path or URL) gives the artifacts; the
topology (Keras snake_case JSON, possibly wrapped in `model_config`) becomes
a model through the class registry only, so nothing in a file can run code;
`trainingConfig` compiles it; the weights are decoded from their manifest
and matched to the model's variables by name (never by position: the
converter writes its manifest in alphabetical order).

Saving: the model's weights under their original (unsuffixed) names, then
the optimizer's weights in tfjs order with group 'optimizer' when
includeOptimizer is set, and the topology from toJSON.
"""

from __future__ import annotations

import inspect
import json
import os
from collections.abc import Mapping
from typing import Any

import numpy as np

from .._naming import normalize_config, tolerating_null_keys
from ..dtypes import DTYPES
from ..engine_api import dispose
from ..serialization import deserialize, registered
from .errors import ModelFormatError
from .model_json import from_pythonic
from .weights import decode_weights, encode_weights

LAYERS_MODEL_FORMAT = 'layers-model'
TFJS_LAYERS_VERSION = '4.22.0'

_LOAD_SCHEMA = {'strict': True, 'customObjects': None, 'onProgress': None, 'requestInit': None,
                'weightPathPrefix': None, 'fetchFunc': None, 'weightUrlConverter': None,
                'streamWeights': False}
_HTTP_KEYS = ('onProgress', 'requestInit', 'weightPathPrefix', 'fetchFunc',
              'weightUrlConverter', 'streamWeights')
_SAVE_SCHEMA = {'trainableOnly': False, 'includeOptimizer': False}


async def _maybe_await(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


async def loadLayersModel(pathOrIOHandler: Any, options: Mapping[str, Any] | None = None,
                          **kwargs: Any) -> Any:
    """Load a LayersModel from a path, a file:// or http(s):// URL, or an IO
    handler (tf.io.fromMemory, tf.io.http, ...). `strict` (default True)
    requires the weights to match the model's variables one to one. A model
    file that can't be read or built raises ModelFormatError (a ValueError)
    naming the file, the step and the layer, with the cause chained; a missing
    model.json or shard raises FileNotFoundError."""
    opts = normalize_config('tf.loadLayersModel', _LOAD_SCHEMA, options, kwargs)
    http_options = {k: opts[k] for k in _HTTP_KEYS if opts[k] is not None and opts[k] is not False}
    from . import resolve
    handler = resolve(pathOrIOHandler, 'load', http_options or None)
    if getattr(handler, 'load', None) is None:
        raise ValueError('Cannot proceed with model loading because the IOHandler provided '
                         'does not have the `load` method implemented.')
    artifacts = await _maybe_await(handler.load())
    return await model_from_artifacts(artifacts, opts['strict'], opts['customObjects'],
                                      _source_name(handler, pathOrIOHandler))


def _source_name(handler: Any, target: Any) -> str:
    """What error messages call the model being loaded: its file or URL."""
    for attr in ('path', 'url'):
        where = getattr(handler, attr, None)
        if isinstance(where, str | os.PathLike):
            return os.path.join(where, 'model.json') if os.path.isdir(where) else str(where)
    return target if isinstance(target, str) else 'the model artifacts'


def _topology(artifacts: Mapping[str, Any]) -> dict:
    topology = artifacts.get('modelTopology')
    if topology is None:
        raise ModelFormatError('the model artifacts have no modelTopology, so no LayersModel '
                               'can be built (a weights-only manifest?)')
    if isinstance(topology, str | bytes):
        try:
            topology = json.loads(topology)
        except ValueError as exc:
            raise ModelFormatError(f'modelTopology is not valid JSON ({exc})') from None
    if not isinstance(topology, Mapping):
        raise ModelFormatError(f'modelTopology must be a JSON object, got '
                               f'{type(topology).__name__}')
    # Keras' model.to_json() output nests the model under model_config.
    if topology.get('model_config') is not None:
        topology = topology['model_config']
    if not isinstance(topology, Mapping) or not isinstance(topology.get('class_name'), str):
        raise ModelFormatError('modelTopology has no class_name; is this a layers-model '
                               'model.json (not a graph model)?')
    return dict(topology)


async def model_from_artifacts(artifacts: Mapping[str, Any], strict: bool = True,
                               customObjects: Mapping[str, Any] | None = None,
                               source: str = 'the model artifacts') -> Any:
    """A LayersModel from loaded artifacts (tfjs' loadLayersModelFromIOHandler).
    Whatever goes wrong while reading them is a ModelFormatError naming the
    source and the step, with the original error chained; the variables of a
    half-built model are disposed."""
    from ..engine_api import engine

    registered_before = {v.id for v in engine().registeredVariables.values()}
    model = None
    step = 'reading modelTopology'
    try:
        config = from_pythonic(_topology(artifacts))
        step = 'building the model from modelTopology'
        model = _build(config, artifacts, strict, customObjects)
        step = 'restoring the weights and training config'
        await _restore(model, artifacts, strict)
    except Exception as exc:
        _discard(model, registered_before)
        if isinstance(exc, ModelFormatError) and source in str(exc):
            raise
        detail = str(exc) if isinstance(exc, ValueError) else f'{type(exc).__name__}: {exc}'
        layer = _failing_layer(exc)
        where = f' (layer {layer!r})' if layer and layer not in detail else ''
        raise ModelFormatError(f'{source}: {step} failed{where}: {detail}') from exc
    except BaseException:
        _discard(model, registered_before)
        raise
    return model


def _build(config: dict, artifacts: Mapping[str, Any], strict: bool,
           customObjects: Mapping[str, Any] | None) -> Any:
    from ..models.container import Container

    # Weights that will all be overwritten need no initializer run (tfjs' fastWeightInit).
    fast = strict and artifacts.get('weightData') is not None and \
        artifacts.get('weightSpecs') is not None
    cls = (customObjects or {}).get(config.get('className')) or registered(
        str(config.get('className')))
    with tolerating_null_keys():
        if fast and isinstance(cls, type) and issubclass(cls, Container) and \
                'fastWeightInit' in inspect.signature(cls.fromConfig).parameters:
            model = cls.fromConfig(config.get('config') or {}, dict(customObjects or {}),
                                   fastWeightInit=True)
        else:
            model = deserialize(config, customObjects, kind='model class', base=Container)
    if not hasattr(model, 'compile'):
        # A bare Container (no training) is not what loadLayersModel returns.
        model.dispose()
        raise ModelFormatError(f'{config.get("className")!r} is not a model class')
    for tensor in [*model.inputs, *model.outputs]:
        # Layers take any dtype value from their config; a model must be fed and read.
        if tensor.dtype not in DTYPES:
            model.dispose()
            raise ModelFormatError(f'{tensor.name!r} has dtype {tensor.dtype!r}, which is not '
                                   f'a tfjs dtype')
    return model


def _failing_layer(exc: BaseException) -> str | None:
    """The name of the innermost layer config being read when exc was raised:
    layer code raises plain errors that don't know which layer of a file they
    were building."""
    names = []
    tb = exc.__traceback__
    while tb is not None:
        config = tb.tb_frame.f_locals.get('config')
        if isinstance(config, Mapping) and isinstance(config.get('name'), str):
            names.append(config['name'])
        tb = tb.tb_next
    return names[-1] if names else None


def _discard(model: Any, before: set[int]) -> None:
    """Free what a failed load made. A built model disposes itself; when the
    build failed, the variables its earlier layers made are reachable from
    nothing: free them now rather than at garbage collection. The build has no
    await, so every variable made since `before` is this load's."""
    if model is not None:
        model.dispose()
        return
    from ..engine_api import engine

    for variable in list(engine().registeredVariables.values()):
        if variable.id not in before and not variable.isDisposed:
            variable.dispose()


async def _restore(model: Any, artifacts: Mapping[str, Any], strict: bool) -> None:
    training_config = artifacts.get('trainingConfig')
    if training_config is not None:
        model.loadTrainingConfig(training_config)
    if artifacts.get('userDefinedMetadata') is not None:
        model.userDefinedMetadata = artifacts['userDefinedMetadata']
    data = artifacts.get('weightData')
    if data is None:
        return
    specs = artifacts.get('weightSpecs')
    if specs is None:
        raise ModelFormatError('LayersModel artifacts contains weight data, but not weight '
                               'specs. Therefore loading of weights cannot proceed.')
    if isinstance(data, list | tuple):
        data = b''.join(bytes(d) for d in data)
    values = decode_weights(data, list(specs), 'weightData')
    model_weights = {s['name']: values[s['name']] for s in specs if s.get('group') != 'optimizer'}
    optimizer_weights = [(s['name'], values[s['name']]) for s in specs
                         if s.get('group') == 'optimizer']
    loadWeights(model, model_weights, strict)
    optimizer = getattr(model, 'optimizer_', None)
    if optimizer is not None and optimizer_weights:
        from ..ops import OPS
        tensors = [{'name': name, 'tensor': OPS['tensor'](v, list(v.shape), _dtype_of(v))}
                   for name, v in optimizer_weights]
        try:
            await optimizer.setWeights(tensors)
        finally:
            dispose([t['tensor'] for t in tensors])


def _dtype_of(values: np.ndarray) -> str:
    if values.dtype == np.bool_:
        return 'bool'
    if values.dtype == np.int32:
        return 'int32'
    if values.dtype == object:
        return 'string'
    return 'float32'


def _keras3_name(name: str) -> tuple[str, int] | None:
    """'layers/<layer>/vars/<i>' (Keras 3 .keras weights) -> (layer, i)."""
    parts = name.split('/')
    if len(parts) >= 4 and parts[0] == 'layers' and parts[-2] == 'vars' and parts[-1].isdigit():
        return parts[-3], int(parts[-1])
    return None


def loadWeights(model: Any, weights: Mapping[str, np.ndarray], strict: bool = True) -> None:
    """Assign named values to a model's variables, matched by original name
    (tfjs' Container.loadWeights): a name that misses is retried without its
    second-to-last part ('lstm/lstm_cell/kernel' -> 'lstm/kernel'); Keras 3
    'layers/<layer>/vars/<i>' names match the layer's i-th weight. With
    strict, every value needs a variable and every variable a value."""
    targets: dict[str, Any] = {}
    keras3 = bool(weights) and all(_keras3_name(n) for n in weights)
    for layer in model.layers:
        for index, variable in enumerate(layer.weights):
            key = f'{layer.name}/{index}' if keras3 else variable.originalName
            if key in targets:
                raise ValueError(f'Duplicate weight name: {key}')
            targets[key] = variable
    total = len(targets)
    assignments = []
    for name, value in weights.items():
        key = name
        if keras3:
            layer_name, index = _keras3_name(name)  # type: ignore[misc]
            key = f'{layer_name}/{index}'
        elif key not in targets:
            parts = name.split('/')
            key = '/'.join(parts[:-2] + parts[-1:])
        variable = targets.pop(key, None)
        if variable is None:
            if strict:
                raise ValueError(f'Provided weight data has no target variable: {name}')
            continue
        if list(value.shape) != list(variable.shape):
            raise ValueError(f'weight {name!r} has shape {list(value.shape)} in the weight data, '
                             f'but the model variable {variable.originalName!r} has shape '
                             f'{list(variable.shape)}')
        assignments.append((variable, value))
    if strict and targets:
        raise ValueError(f'{len(targets)} of {total} weights are not set: '
                         f'{", ".join(targets)}')
    for variable, value in assignments:
        variable.write(np.asarray(value))


async def saveModel(model: Any, handlerOrURL: Any, config: Mapping[str, Any] | None = None,
                    **kwargs: Any) -> Any:
    """LayersModel.save: the artifacts tfjs writes, given to the handler."""
    opts = normalize_config('LayersModel.save', _SAVE_SCHEMA, config, kwargs)
    from . import resolve
    handler = resolve(handlerOrURL, 'save')
    if getattr(handler, 'save', None) is None:
        raise ValueError('LayersModel.save() cannot proceed because the IOHandler provided '
                         'does not have the `save` attribute defined.')
    trainable_only = bool(opts['trainableOnly'])
    variables = model.trainableWeights if trainable_only else model.weights
    named = []
    for variable in variables:
        tensor = variable.read()
        named.append((variable.originalName, await _values(tensor), tensor.dtype))
    data, specs = encode_weights(named)
    artifacts: dict[str, Any] = {'modelTopology': model.toJSON(None, False),
                                 'format': LAYERS_MODEL_FORMAT,
                                 'generatedBy': f'TensorFlow.js tfjs-layers v{TFJS_LAYERS_VERSION}',
                                 'convertedBy': None}
    optimizer = getattr(model, 'optimizer_', None)
    if opts['includeOptimizer'] and optimizer is not None:
        artifacts['trainingConfig'] = model.getTrainingConfig()
        entries = await optimizer.getWeights()
        try:
            opt_named = [(e['name'], await _values(e['tensor']), e['tensor'].dtype)
                         for e in entries]
        finally:
            # getWeights makes a fresh 'iter' scalar; the slots are the optimizer's own.
            dispose([e['tensor'] for e in entries if e['name'] == 'iter'])
        opt_data, opt_specs = encode_weights(opt_named, 'optimizer')
        data += opt_data
        specs += opt_specs
    metadata = getattr(model, 'userDefinedMetadata', None)
    if metadata is not None:
        artifacts['userDefinedMetadata'] = metadata
    artifacts['weightData'] = data
    artifacts['weightSpecs'] = specs
    return await _maybe_await(handler.save(artifacts))


async def _values(tensor: Any) -> np.ndarray:
    return (await tensor.data()).reshape(tensor.shape)


__all__ = ['loadLayersModel', 'loadWeights', 'model_from_artifacts', 'saveModel']
