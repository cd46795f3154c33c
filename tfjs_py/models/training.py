"""compile, fit, evaluate and predict: the training half of LayersModel.

One training step (forward, loss, gradients, optimizer update) runs
synchronously on the caller's thread, never split by an await; between
steps the loop awaits callbacks and the yieldEvery policy of `_yield`, so a
cancelled task stops there with the weights of its last full batch. Batch
tensors are released in `finally` blocks, so nothing leaks either way.

Logs hold Python floats: each batch's loss and metrics are read back once.
The epoch values are the batch-size-weighted means of the batch values, each
computed before that batch's update (as tfjs). Differences from tfjs, on
purpose: sampleWeight, stepsPerEpoch, validationSteps, validationBatchSize
and shuffle='batch' work; yieldEvery holds with callback objects too;
evaluate of a multi-output model returns [total, per-output losses...,
metrics...] matching metricsNames (tfjs returns running sums there).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

import numpy as np

from .._naming import AttrDict, Namespace, camel_to_snake, normalize_config, snake_to_camel
from .._yield import YieldPolicy, maybe_await
from ..engine.engine import ENGINE
from ..engine.tensor import Tensor, Variable
from ..engine.trace import Pause, TraceCache
from ..engine_api import dispose, keep, memory, tidy
from ..losses import LOSSES as _LOSSES
from ..losses import batch_mean_loss, getLoss
from ..metrics import (
    binaryAccuracy,
    binaryCrossentropy,
    categoricalAccuracy,
    categoricalCrossentropy,
    getLossOrMetricName,
    getMetric,
    sparseCategoricalAccuracy,
    sparseCategoricalCrossentropy,
)
from ..ops.op import OPS
from ..optimizers import Optimizer, deserializeOptimizer, getOptimizer
from .callbacks import (
    BaseLogger,
    CallbackList,
    History,
    ProgbarLogger,
    standardize_callbacks,
)

tf = Namespace('tf', OPS)

_ACC = ('accuracy', 'acc')
_CE = ('crossentropy', 'ce')

_FIT_SCHEMA = {
    'batchSize': None, 'epochs': 1, 'verbose': 1, 'callbacks': None, 'validationSplit': 0,
    'validationData': None, 'validationBatchSize': None, 'shuffle': True,
    'classWeight': None, 'sampleWeight': None, 'initialEpoch': 0, 'stepsPerEpoch': None,
    'validationSteps': None, 'yieldEvery': 'auto'}
_FIT_DATASET_SCHEMA = {
    'batchesPerEpoch': None, 'epochs': None, 'verbose': 1, 'callbacks': None,
    'validationData': None, 'validationBatchSize': None, 'validationBatches': None,
    'yieldEvery': 'auto', 'initialEpoch': 0, 'classWeight': None}
_EVALUATE_SCHEMA = {'batchSize': None, 'verbose': 0, 'steps': None, 'sampleWeight': None}
_PREDICT_SCHEMA = {'batchSize': None, 'verbose': False, 'steps': None}
_COMPILE_SCHEMA = {'optimizer': None, 'loss': None, 'metrics': None}


def _check_batch_size(batchSize: Any, what: str = 'batchSize') -> int:
    if isinstance(batchSize, bool) or not isinstance(batchSize, int) or batchSize <= 0:
        raise ValueError(f'{what} is required to be a positive integer, but got {batchSize!r}')
    return batchSize


def _make_batches(size: int, batch_size: int) -> list[tuple[int, int]]:
    return [(start, min(start + batch_size, size)) for start in range(0, size, batch_size)]


def _as_list(x: Any) -> list:
    return list(x) if isinstance(x, list | tuple) else [x]


def _singleton_or_list(xs: list) -> Any:
    return xs[0] if len(xs) == 1 else xs


def _rows(x: Tensor, start: int, stop: int) -> Tensor:
    return tf.slice(x, [start] + [0] * (x.rank - 1), [stop - start] + [-1] * (x.rank - 1))


def _scalars(tensors: list[Tensor]) -> list[float]:
    """Read scalar tensors back as floats and dispose them."""
    try:
        return [float(t) for t in tensors]
    finally:
        dispose(tensors)


async def _read_scalars(tensors: list[Tensor]) -> list[float]:
    """_scalars, awaiting each transfer: on 'gl' the event loop runs while the
    GPU finishes the step (a blocking read would stall it for the whole step)."""
    try:
        return [float((await t.data())[0]) for t in tensors]
    finally:
        dispose(tensors)


class _Owned:
    """Tensors made from user data during a call, disposed at its end (user
    tensors are never disposed)."""

    def __init__(self) -> None:
        self.tensors: list[Tensor] = []

    def add(self, t: Tensor) -> Tensor:
        self.tensors.append(t)
        return t

    def release(self) -> None:
        dispose(self.tensors)
        self.tensors = []


class TrainingMixin:
    """compile, fit, fitDataset, evaluate, evaluateDataset, predict,
    predictOnBatch and trainOnBatch, mixed into LayersModel."""

    optimizer_: Optimizer | None = None
    isOptimizerOwned = False
    isTraining = False
    stopTraining_ = False
    lossFunctions: list[Callable] | None = None
    history: History | None = None
    # Keras' run_eagerly: True trains without tracing the training step.
    runEagerly = False
    _traces: TraceCache | None = None

    # -- properties ---------------------------------------------------------------
    @property
    def optimizer(self) -> Optimizer | None:
        return self.optimizer_

    @optimizer.setter
    def optimizer(self, optimizer: Optimizer) -> None:
        if self.optimizer_ is not optimizer:
            self.optimizer_ = optimizer
            self.isOptimizerOwned = False

    @property
    def stopTraining(self) -> bool:
        return self.stopTraining_

    @stopTraining.setter
    def stopTraining(self, stop: bool) -> None:
        self.stopTraining_ = bool(stop)

    # -- compile ------------------------------------------------------------------
    def compile(self, args: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        """{'optimizer': 'sgd' | tf.train.* object, 'loss': name | function |
        list | {outputName: ...}, 'metrics': list | {outputName: ...}}."""
        config = normalize_config('compile', _COMPILE_SCHEMA, args, kwargs)
        self._drop_traces()
        optimizer, loss, metrics = config['optimizer'], config['loss'], config['metrics']
        if loss is None:
            loss = []
        if isinstance(optimizer, str):
            new_optimizer, owned = getOptimizer(optimizer), True
        elif isinstance(optimizer, Optimizer):
            new_optimizer, owned = optimizer, False
        else:
            raise ValueError('User-defined optimizer must be an instance of tf.Optimizer '
                             f'or a string, got {type(optimizer).__name__}')
        output_names = list(self.outputNames)
        n_out = len(self.outputs)
        if isinstance(loss, Mapping):
            for name in loss:
                if name not in output_names:
                    raise ValueError(f'Unknown entry in loss dictionary: "{name}". Only expected '
                                     f'the following keys: {output_names}')
            missing = [name for name in output_names if loss.get(name) is None]
            if missing:
                raise ValueError(f'Output(s) {missing} are missing from the loss dictionary')
            loss_functions = [getLoss(loss[name]) for name in output_names]
        elif isinstance(loss, list | tuple):
            if len(loss) != n_out:
                raise ValueError('When passing an Array as loss, it should have one entry per '
                                 f'model output. The model has {n_out} output(s), but you '
                                 f'passed loss={list(loss)}.')
            loss_functions = [getLoss(entry) for entry in loss]
        else:
            loss_functions = [getLoss(loss)] * n_out

        if self.optimizer_ is not None and self.isOptimizerOwned and \
                self.optimizer_ is not new_optimizer:
            self.optimizer_.dispose()
        self.optimizer_, self.isOptimizerOwned = new_optimizer, owned
        self.loss = loss
        self.metrics = metrics
        self.lossFunctions = loss_functions
        self.internalOutputShapes = [list(o.shape) for o in self.outputs]

        names = ['loss']
        tensors: list[tuple[Callable, int]] = []
        if n_out > 1:
            for i in range(n_out):
                names.append(output_names[i] + '_loss')
                tensors.append((loss_functions[i], i))
        for i, output_metrics in enumerate(self._collect_metrics(metrics, output_names)):
            for metric in output_metrics:
                fn, name = self._resolve_metric(metric, i)
                if n_out > 1:
                    name = output_names[i] + '_' + name
                names.append(name)
                tensors.append((fn, i))
        self.metricsNames = names
        self.metricsTensors = tensors
        self.collectedTrainableWeights = list(self.trainableWeights)

    @staticmethod
    def _collect_metrics(metrics: Any, output_names: list[str]) -> list[list[Any]]:
        if metrics is None or (isinstance(metrics, list | tuple) and not metrics):
            return [[] for _ in output_names]
        if isinstance(metrics, str) or callable(metrics):
            return [[metrics] for _ in output_names]
        if isinstance(metrics, list | tuple):
            return [list(metrics) for _ in output_names]
        if isinstance(metrics, Mapping):
            for key in metrics:
                if key not in output_names:
                    raise ValueError(f'Unknown entry in metrics dictionary: "{key}". Only '
                                     f'expected the following keys: {output_names}')
            return [_as_list(metrics.get(name, [])) for name in output_names]
        raise TypeError('Type of metrics argument not understood. Expected a string, '
                        f'function, list, or dict, found: {metrics!r}')

    def _resolve_metric(self, metric: Any, i: int) -> tuple[Callable, str]:
        if isinstance(metric, str) and metric in _ACC + _CE:
            shape = self.internalOutputShapes[i]
            loss_fn = self.lossFunctions[i]
            is_acc = metric in _ACC
            if shape[-1] == 1 or loss_fn is _LOSSES['binaryCrossentropy']:
                fn = binaryAccuracy if is_acc else binaryCrossentropy
            elif loss_fn is _LOSSES['sparseCategoricalCrossentropy']:
                fn = sparseCategoricalAccuracy if is_acc else sparseCategoricalCrossentropy
            else:
                fn = categoricalAccuracy if is_acc else categoricalCrossentropy
            return fn, 'acc' if is_acc else 'ce'
        return getMetric(metric), getLossOrMetricName(metric)

    def getDedupedMetricsNames(self) -> list[str]:
        names = self.metricsNames
        out = []
        for i, name in enumerate(names):
            if names.count(name) > 1:
                name = f'{name}_{names[:i].count(name)}'
            out.append(name)
        return out

    def _assert_compiled(self) -> None:
        if self.optimizer_ is None or self.lossFunctions is None:
            raise RuntimeError('You must compile a model before training/testing. Use '
                               'LayersModel.compile(modelCompileArgs).')

    # -- data standardization -------------------------------------------------------
    def _to_tensor(self, value: Any, owned: _Owned, what: str) -> Tensor:
        if isinstance(value, Tensor):
            return value
        try:
            array = np.asarray(value)
        except Exception as exc:  # any conversion failure is reported as a type error
            raise TypeError(f'{what} must be a Tensor or array-like, got '
                            f'{type(value).__name__}') from exc
        if array.dtype == np.float64:
            array = array.astype(np.float32)
        return owned.add(tf.tensor(array))

    def _standardize(self, data: Any, names: list[str], shapes: list[list[Any]] | None,
                     owned: _Owned, what: str, check_batch_axis: bool = False) -> list[Tensor]:
        if isinstance(data, Mapping):
            arrays = []
            for name in names:
                if data.get(name) is None:
                    raise ValueError(f'No data provided for "{name}". Need data for each key '
                                     f'in: {names}')
                arrays.append(data[name])
        elif isinstance(data, list | tuple) and all(
                isinstance(d, Tensor | np.ndarray) for d in data):
            # A list of tensors/arrays is one per input; a nested list of numbers
            # is one array.
            if len(data) != len(names):
                raise ValueError(f'Error when checking model {what}: the Array of Tensors that '
                                 'you are passing to your model is not the size the model '
                                 f'expected. Expected to see {len(names)} Tensor(s), but '
                                 f'instead got {len(data)} Tensor(s).')
            arrays = list(data)
        else:
            if len(names) > 1:
                raise ValueError(f'The model {what} expects {len(names)} Tensor(s), but only '
                                 'received one Tensor.')
            arrays = [data]
        out = []
        for i, value in enumerate(arrays):
            t = self._to_tensor(value, owned, f'{what} {names[i]}')
            if t.rank == 0:
                raise ValueError('Expected tensor to be at least 1D, but received a 0D tensor '
                                 '(scalar).')
            if t.rank == 1:
                t = owned.add(tf.expandDims(t, 1))
            out.append(t)
        if shapes is not None:
            for name, t, shape in zip(names, out, shapes, strict=True):
                if shape is None:
                    continue
                if t.rank != len(shape):
                    raise ValueError(f'Error when checking {what}: expected {name} to have '
                                     f'{len(shape)} dimension(s), but got array with shape '
                                     f'{t.shape}')
                for j, (dim, ref) in enumerate(zip(t.shape, shape, strict=True)):
                    if j == 0 and not check_batch_axis:
                        continue
                    if ref is not None and ref >= 0 and dim != ref:
                        raise ValueError(
                            f'Error when checking {what}: expected {name} to have shape '
                            f'{_shape_str(shape)} but got array with shape {_shape_str(t.shape)}')
        return out

    def _standardize_xy(self, x: Any, y: Any, owned: _Owned) -> tuple[list[Tensor],
                                                                     list[Tensor]]:
        self._assert_compiled()
        sparse = _LOSSES['sparseCategoricalCrossentropy']
        target_shapes = [shape[:-1] + [1] if fn is sparse else shape
                         for shape, fn in zip(self.internalOutputShapes, self.lossFunctions,
                                              strict=True)]
        input_shapes = [list(t.shape) for t in self.inputs]
        xs = self._standardize(x, list(self.inputNames), input_shapes, owned, 'input')
        ys = self._standardize(y, list(self.outputNames), target_shapes, owned, 'target')
        counts_x = {t.shape[0] for t in xs}
        counts_y = {t.shape[0] for t in ys}
        if len(counts_x) > 1:
            raise ValueError('All input Tensors (x) should have the same number of samples. '
                             f'Got array shapes: {[t.shape for t in xs]}')
        if len(counts_y) > 1:
            raise ValueError('All target Tensors (y) should have the same number of samples. '
                             f'Got array shapes: {[t.shape for t in ys]}')
        if counts_x and counts_y and counts_x != counts_y:
            raise ValueError('Input Tensors should have the same number of samples as target '
                             f'Tensors. Found {counts_x.pop()} input sample(s) and '
                             f'{counts_y.pop()} target sample(s).')
        self._check_loss_and_targets(ys)
        return xs, ys

    def _check_loss_and_targets(self, ys: list[Tensor]) -> None:
        key_losses = (_LOSSES['meanSquaredError'], _LOSSES['binaryCrossentropy'],
                      _LOSSES['categoricalCrossentropy'])
        for y, fn, shape in zip(ys, self.lossFunctions, self.internalOutputShapes, strict=True):
            if fn is _LOSSES['categoricalCrossentropy'] and y.shape[-1] == 1:
                raise ValueError(f'You are passing a target array of shape {y.shape} while '
                                 "using a loss 'categorical_crossentropy'. "
                                 "'categorical_crossentropy' expects targets to be binary "
                                 'matrices (1s and 0s) of shape [samples, classes].')
            if fn in key_losses:
                for target_dim, out_dim in zip(y.shape[1:], shape[1:], strict=False):
                    if out_dim is not None and target_dim != out_dim:
                        raise ValueError(
                            f'A target Tensor with shape {y.shape} was passed for an output of '
                            f'shape {_shape_str(shape)}, while using a loss function that '
                            'expects targets to have the same shape as the output.')

    def _sample_weights(self, ys: list[Tensor], sampleWeight: Any, classWeight: Any,
                        owned: _Owned) -> list[Tensor | None]:
        """Per-output [batch] weights from sampleWeight and classWeight (multiplied
        when both are given), or None for an output without any."""
        names = list(self.outputNames)
        per_sample = _per_output(sampleWeight, names, 'sampleWeight')
        per_class = _per_output(classWeight, names, 'classWeight')
        out: list[Tensor | None] = []
        for i, y in enumerate(ys):
            weights = None
            if per_sample[i] is not None:
                sw = self._to_tensor(per_sample[i], owned, 'sampleWeight')
                if sw.rank != 1 or sw.shape[0] != y.shape[0]:
                    raise ValueError(f'sampleWeight for output {names[i]} must have shape '
                                     f'[{y.shape[0]}], got {sw.shape}')
                weights = np.asarray(sw.dataSync(), dtype=np.float32)
            if per_class[i] is not None:
                cw = _class_sample_weights(y, per_class[i])
                weights = cw if weights is None else weights * cw
            out.append(None if weights is None else owned.add(tf.tensor1d(weights, 'float32')))
        return out

    # -- one step ----------------------------------------------------------------
    def _forward(self, xs: list[Tensor], training: bool) -> list[Tensor]:
        kwargs = {'training': True} if training else {}
        return _as_list(self.apply(_singleton_or_list(xs), kwargs))

    async def _train_step(self, xs: list[Tensor], ys: list[Tensor], sws: list[Tensor | None],
                          rows: Tensor | None = None, pause: Pause | None = None) -> list[Tensor]:
        """One update on the batch (the given rows of it: an int32 index
        tensor); the scalars [loss, metrics...] computed before it, for the
        caller to read (_read_scalars) and dispose. Tensors it makes on the way
        are disposed.

        The step is traced (engine/trace.py), as Keras compiles its training
        step: once two batches recorded the same kernels, later batches (in
        this fit or the next) replay them, the optimizer's update included.
        A replay awaits `pause()` between its kernels (YieldPolicy.pause), so
        a long step lets the event loop run, as fit does between batches."""
        variables = [w.read() for w in self.collectedTrainableWeights]
        optimizer = self.optimizer_
        if (self.runEagerly or type(optimizer).minimize is not Optimizer.minimize
                or type(optimizer).computeGradients is not Optimizer.computeGradients):
            def eager() -> list[Tensor]:
                batch = (xs, ys, sws) if rows is None else (
                    [tf.gather(t, rows) for t in xs], [tf.gather(t, rows) for t in ys],
                    [None if w is None else tf.gather(w, rows) for w in sws])
                return self._eager_train_step(*batch, variables)
            return tidy(eager)
        n_x, n_y = len(xs), len(ys)
        given = [w is not None for w in sws]

        def gradients(*args: Tensor) -> list[Tensor | None]:
            # The gather of the batch's rows is part of the traced step.
            batch = args if rows is None else [tf.gather(t, args[0]) for t in args[1:]]
            weights = iter(batch[n_x + n_y:])
            batch_sws = [next(weights) if g else None for g in given]
            kept: list[Tensor] = []
            result = optimizer.computeGradients(
                self._loss_function(list(batch[:n_x]), list(batch[n_x:n_x + n_y]),
                                    batch_sws, kept), variables)
            grads = result['grads']
            try:
                optimizer._apply_updates([(v, grads.get(v.name)) for v in variables])
                self._apply_constraints()
            except BaseException:
                dispose([result['value'], *kept])
                raise
            finally:
                dispose(list(grads.values()))
            return [result['value'], *kept]

        # What the step depends on besides the batch: the layers (a Sequential's
        # outputs change with add and pop), the variables, the optimizer, loss
        # and metrics.
        key = (tuple(self.outputs), tuple(variables), tuple(v.trainable for v in variables),
               optimizer, tuple(given), tuple(self.lossFunctions),
               tuple(fn for fn, _ in self.metricsTensors))
        args = [*xs, *ys, *(w for w in sws if w is not None)]
        outs = await self._trace_cache().call_async(
            lambda *a: tidy(lambda: gradients(*a)), args if rows is None else [rows, *args],
            key + (rows is None,), pause)
        # The optimizer's host-side step count, whether the step was replayed or not.
        optimizer._finish_step()
        return outs

    def _eager_train_step(self, xs: list[Tensor], ys: list[Tensor], sws: list[Tensor | None],
                          variables: list[Variable]) -> list[Tensor]:
        kept: list[Tensor] = []
        try:
            cost = self.optimizer_.minimize(self._loss_function(xs, ys, sws, kept), True,
                                            variables)
            self._apply_constraints()
        except BaseException:
            dispose(kept)
            raise
        kept.insert(0, cost)
        return kept

    def _loss_function(self, xs: list[Tensor], ys: list[Tensor], sws: list[Tensor | None],
                       kept: list[Tensor]) -> Callable[[], Tensor]:
        """The total loss of a batch, as a function for the optimizer; the
        metric values it computes on the way are kept and put in `kept`."""
        n_out = len(self.outputs)

        def total_loss() -> Tensor:
            outputs = self._forward(xs, True)
            loss_values = []
            total = None
            for i, fn in enumerate(self.lossFunctions):
                if sws[i] is None:
                    mean_loss = batch_mean_loss(fn, ys[i], outputs[i])
                else:
                    loss = fn(ys[i], outputs[i])
                    mean_loss = tf.mean(tf.mul(loss, _broadcastable(sws[i], loss)))
                loss_values.append(mean_loss)
                total = mean_loss if total is None else tf.add(total, mean_loss)
            for j, (fn, index) in enumerate(self.metricsTensors):
                if n_out > 1 and j < n_out:
                    value = loss_values[j]
                else:
                    value = tf.mean(fn(ys[index], outputs[index]))
                kept.append(keep(value))
            for penalty in self.calculateLosses():
                total = tf.add(total, penalty)
            return total

        return total_loss

    def _apply_constraints(self) -> None:
        # Keras projects constrained weights after every update; tfjs never does
        # (tensorflow/tfjs#3345), so a maxNorm or nonNeg kernel drifts there.
        for weight in self.collectedTrainableWeights:
            if weight.constraint is not None:
                projected = weight.constraint.apply(weight.val)
                weight.val.assign(projected)
                projected.dispose()

    def _test_step(self, xs: list[Tensor], ys: list[Tensor]) -> list[Tensor]:
        """[total loss, per-output losses (if several), metrics...] of a batch;
        traced as the training step is."""
        n_x = len(xs)

        def run(*batch: Tensor) -> list[Tensor]:
            xs, ys = list(batch[:n_x]), list(batch[n_x:])
            outputs = self._forward(xs, False)
            losses = [tf.mean(fn(ys[i], outputs[i])) for i, fn in enumerate(self.lossFunctions)]
            total = losses[0]
            for loss in losses[1:]:
                total = tf.add(total, loss)
            out = [total]
            n_out = len(self.outputs)
            for j, (fn, index) in enumerate(self.metricsTensors):
                if n_out > 1 and j < n_out:
                    out.append(losses[j])
                else:
                    out.append(tf.mean(fn(ys[index], outputs[index])))
            return out

        if self.runEagerly:
            return tidy(lambda: run(*xs, *ys))
        key = ('test', tuple(self.outputs), tuple(w.read() for w in self.weights),
               tuple(self.lossFunctions), tuple(fn for fn, _ in self.metricsTensors))
        return tidy(lambda: self._traced(run, [*xs, *ys], key))

    def _test_loop(self, xs: list[Tensor], ys: list[Tensor], batch_size: int,
                   steps: int | None = None) -> list[Tensor]:
        """Batch-size-weighted means of the test step over the data."""
        n = xs[0].shape[0]
        batches = _make_batches(n, batch_size)
        if steps is not None:
            batches = batches[:steps]
        if not batches:
            raise ValueError('cannot evaluate on empty data (0 samples)')

        def run() -> list[Tensor]:
            totals: list[Tensor] | None = None
            seen = 0
            for start, stop in batches:
                outs = self._test_step([_rows(t, start, stop) for t in xs],
                                       [_rows(t, start, stop) for t in ys])
                scaled = [tf.mul(o, stop - start) for o in outs]
                totals = scaled if totals is None else [
                    tf.add(a, b) for a, b in zip(totals, scaled, strict=True)]
                seen += stop - start
            return [tf.div(t, seen) for t in totals]

        return tidy(run)

    # -- evaluate / predict -----------------------------------------------------
    def evaluate(self, x: Any, y: Any, args: Mapping[str, Any] | None = None,
                 **kwargs: Any) -> Tensor | list[Tensor]:
        """The loss (and metrics) over (x, y): a scalar tensor, or a list of
        them in metricsNames order."""
        config = normalize_config('evaluate', _EVALUATE_SCHEMA, args, kwargs)
        batch_size = _check_batch_size(32 if config['batchSize'] is None
                                       else config['batchSize'])
        if config['sampleWeight'] is not None:
            raise ValueError('evaluate: sampleWeight is not supported; weigh the data first')
        owned = _Owned()
        try:
            xs, ys = self._standardize_xy(x, y, owned)
            return _singleton_or_list(self._test_loop(xs, ys, batch_size, config['steps']))
        finally:
            owned.release()

    def predict(self, x: Any, args: Mapping[str, Any] | None = None,
                **kwargs: Any) -> Tensor | list[Tensor]:
        """The outputs for x, computed in batches of batchSize (default 32)."""
        config = normalize_config('predict', _PREDICT_SCHEMA, args, kwargs)
        batch_size = _check_batch_size(32 if config['batchSize'] is None
                                       else config['batchSize'])
        owned = _Owned()
        try:
            xs = self._standardize(x, list(self.inputNames),
                                   [list(t.shape) for t in self.inputs], owned, 'input')
            return self._predict_loop(xs, batch_size)
        finally:
            owned.release()

    def _predict_loop(self, xs: list[Tensor], batch_size: int) -> Tensor | list[Tensor]:
        n = xs[0].shape[0]

        def run() -> Any:
            per_output: list[list[Tensor]] = [[] for _ in self.outputs]
            for start, stop in _make_batches(n, batch_size):
                batch = xs if (start, stop) == (0, n) else [_rows(t, start, stop) for t in xs]
                for i, out in enumerate(self._predict_step(batch)):
                    per_output[i].append(out)
            results = [parts[0] if len(parts) == 1 else tf.concat(parts, 0)
                       for parts in per_output]
            # A model that returns its input unchanged would hand back the caller's tensor.
            results = [tf.clone(r) if any(r is t for t in xs) else r for r in results]
            return _singleton_or_list(results)

        return tidy(run)

    def _predict_step(self, xs: list[Tensor]) -> list[Tensor]:
        """The outputs of one batch; traced as the training step is."""
        if self.runEagerly:
            return self._forward(xs, False)
        key = ('predict', tuple(self.outputs), tuple(w.read() for w in self.weights))
        return self._traced(lambda *batch: self._forward(list(batch), False), xs, key)

    def _traced(self, fn: Callable[..., list], args: list[Tensor], key: tuple) -> list:
        """fn(*args) through the model's trace cache: recorded, then replayed
        for later calls of the same key and argument shapes."""
        return self._trace_cache().call(fn, args, key)

    def _trace_cache(self) -> TraceCache:
        """The model's trace cache (engine/trace.py), made on first use."""
        if self._traces is None:
            self._traces = TraceCache(ENGINE)
        return self._traces

    def predictOnBatch(self, x: Any) -> Tensor | list[Tensor]:
        """The outputs for x as one batch."""
        owned = _Owned()
        try:
            xs = self._standardize(x, list(self.inputNames),
                                   [list(t.shape) for t in self.inputs], owned, 'input', True)
            return self._predict_loop(xs, xs[0].shape[0])
        finally:
            owned.release()

    # -- training --------------------------------------------------------------------
    def _begin_training(self) -> None:
        if self.isTraining:
            raise RuntimeError('Cannot start training because another fit() call is ongoing.')
        self.isTraining = True

    def _drop_traces(self) -> None:
        traces, self._traces = self._traces, None
        if traces is not None:
            traces.dispose()

    async def trainOnBatch(self, x: Any, y: Any) -> float | list[float]:
        """One update on (x, y); the loss (and metrics) before it, as floats."""
        owned = _Owned()
        try:
            xs, ys = self._standardize_xy(x, y, owned)
            values = await _read_scalars(await self._train_step(xs, ys, [None] * len(ys)))
        finally:
            owned.release()
        return _singleton_or_list(values)

    async def fit(self, x: Any, y: Any, args: Mapping[str, Any] | None = None,
                  **kwargs: Any) -> History:
        """Train for `epochs` epochs; returns the History. Config keys as tfjs'
        ModelFitArgs (plus validationBatchSize)."""
        config = normalize_config('fit', _FIT_SCHEMA, args, kwargs)
        self._begin_training()
        owned = _Owned()
        try:
            batch_size = _check_batch_size(32 if config['batchSize'] is None
                                           else config['batchSize'])
            xs, ys = self._standardize_xy(x, y, owned)
            sws = self._sample_weights(ys, config['sampleWeight'], config['classWeight'], owned)
            val_xs = val_ys = None
            validation_data = config['validationData']
            split = config['validationSplit'] or 0
            if validation_data is not None and len(validation_data) > 0:
                if len(validation_data) == 3:
                    raise ValueError('validationData with sample weights (3 items) is not '
                                     'supported; give [valX, valY]')
                if len(validation_data) != 2:
                    raise ValueError('When passing validation data, it must contain 2 '
                                     f'(valX, valY) items; got {len(validation_data)}')
                val_xs, val_ys = self._standardize_xy(validation_data[0], validation_data[1],
                                                      owned)
            elif 0 < split < 1:
                n = xs[0].shape[0]
                split_at = math.floor(n * (1 - split))
                val_xs = [owned.add(_rows(t, split_at, n)) for t in xs]
                val_ys = [owned.add(_rows(t, split_at, n)) for t in ys]
                xs = [owned.add(_rows(t, 0, split_at)) for t in xs]
                ys = [owned.add(_rows(t, 0, split_at)) for t in ys]
            elif split:
                raise ValueError(f'validationSplit must be in [0, 1), got {split}')
            do_validation = val_xs is not None
            if config['validationSteps'] is not None:
                if config['stepsPerEpoch'] is None:
                    raise ValueError('Can only use `validationSteps` when doing step-wise '
                                     'training, i.e., `stepsPerEpoch` must be set.')
            val_batch_size = _check_batch_size(
                config['validationBatchSize'] or batch_size, 'validationBatchSize')
            return await self._fit_loop(xs, ys, sws, config, batch_size, val_xs, val_ys,
                                        val_batch_size, do_validation)
        finally:
            self.isTraining = False
            owned.release()

    def _configure_callbacks(self, user: Any, verbose: int, epochs: int, initial_epoch: int,
                             samples: int | None, steps: int | None, batch_size: int | None,
                             do_validation: bool, metrics: list[str],
                             yield_every: Any) -> tuple[CallbackList, History, YieldPolicy]:
        history = History()
        callbacks: list[Any] = [BaseLogger()]
        if verbose and verbose >= 1:
            callbacks.append(ProgbarLogger(sys.stdout))
        user_callbacks = standardize_callbacks(user)
        callbacks.extend(user_callbacks)
        callbacks.append(history)
        callback_list = CallbackList(callbacks)
        params = {'epochs': epochs, 'initialEpoch': initial_epoch, 'samples': samples,
                  'steps': steps, 'batchSize': batch_size, 'verbose': verbose,
                  'doValidation': do_validation, 'metrics': metrics}
        callback_list.setParams(params)
        callback_list.setModel(self)
        history.params = params
        now, next_frame = callback_list.yield_clock()
        policy = YieldPolicy(yield_every, callback_list.yield_hooks(), now, next_frame,
                             checkCancel=bool(user_callbacks))
        return callback_list, history, policy

    async def _fit_loop(self, xs, ys, sws, config, batch_size, val_xs, val_ys, val_batch_size,
                        do_validation) -> History:
        epochs = config['epochs']
        initial_epoch = config['initialEpoch'] or 0
        shuffle = config['shuffle']
        steps_per_epoch = config['stepsPerEpoch']
        out_labels = self.getDedupedMetricsNames()
        metrics = out_labels + (['val_' + n for n in out_labels] if do_validation else [])
        n = xs[0].shape[0]
        verbose = 1 if config['verbose'] is None else config['verbose']
        callback_list, history, policy = self._configure_callbacks(
            config['callbacks'], verbose, epochs, initial_epoch, n, steps_per_epoch,
            batch_size, do_validation, metrics, config['yieldEvery'])
        self.history = history
        await callback_list.onTrainBegin()
        self.stopTraining_ = False
        order = _BatchOrder(n, batch_size, shuffle, steps_per_epoch)
        # Worked out once per fit: the hooks that do something, the batch step.
        batch_begin = callback_list.hooks('onBatchBegin')
        batch_end = callback_list.hooks('onBatchEnd')
        step = self._batch_step(xs, ys, sws, policy.pause)
        batch = 0
        for epoch in range(initial_epoch, epochs):
            await callback_list.onEpochBegin(epoch)
            epoch_logs: dict[str, Any] = {}
            batches = order.epoch()
            last = len(batches) - 1
            for batch, indices in enumerate(batches):
                batch_logs: dict[str, Any] = {'batch': batch, 'size': len(indices)}
                for hook in batch_begin:
                    result = hook(batch, batch_logs)
                    if result is not None:
                        await maybe_await(result)
                batch_logs.update(zip(out_labels, await _read_scalars(await step(indices)),
                                      strict=True))
                if batch == last and do_validation:
                    val_outs = await _read_scalars(self._test_loop(val_xs, val_ys, val_batch_size,
                                                        config['validationSteps']))
                    epoch_logs.update(('val_' + label, value)
                                      for label, value in zip(out_labels, val_outs, strict=True))
                for hook in batch_end:
                    result = hook(batch, batch_logs)
                    if result is not None:
                        await maybe_await(result)
                await policy.batch_end(epoch, batch, batch_logs)
                if self.stopTraining_:
                    break
            await callback_list.onEpochEnd(epoch, epoch_logs)
            await policy.epoch_end(epoch, batch, epoch_logs)
            if self.stopTraining_:
                break
        await callback_list.onTrainEnd()
        await history.syncData()
        return history

    def _batch_step(self, xs: list[Tensor], ys: list[Tensor], sws: list[Tensor | None],
                    pause: Pause) -> Callable[[Any], Awaitable[list[Tensor]]]:
        """The coroutine function training on one batch of samples: an index
        array (gathered in the step), or a range of samples in order (sliced,
        or the tensors themselves when the range is all of them)."""
        data = xs + ys + [w for w in sws if w is not None]
        n = xs[0].shape[0]
        n_x, n_xy = len(xs), len(xs) + len(ys)

        async def run(indices: Any) -> list[Tensor]:
            if indices.__class__ is not range:
                rows = ENGINE.make_tensor(indices, 'int32')
                try:
                    return await self._train_step(xs, ys, sws, rows, pause)
                finally:
                    rows.dispose()
            picked = data if len(indices) == n else [_rows(t, indices.start, indices.stop)
                                                     for t in data]
            try:
                weights = iter(picked[n_xy:])
                batch_w = [None if w is None else next(weights) for w in sws]
                return await self._train_step(picked[:n_x], picked[n_x:n_xy], batch_w,
                                              pause=pause)
            finally:
                if picked is not data:
                    dispose(picked)

        return run

    # -- datasets -------------------------------------------------------------------------
    def _dataset_batch(self, element: Any, owned: _Owned) -> tuple[list[Tensor],
                                                                   list[Tensor]]:
        if isinstance(element, Mapping):
            if element.get('xs') is None or element.get('ys') is None:
                raise ValueError('A Dataset iterator for fitDataset() is expected to generate '
                                 'objects of the form {xs: xVal, ys: yVal} (or [xs, ys]); '
                                 f'the Dataset gave {element!r}')
            xs_value, ys_value = element['xs'], element['ys']
        elif isinstance(element, list | tuple) and len(element) == 2:
            xs_value, ys_value = element
        else:
            raise ValueError('A Dataset iterator for fitDataset() is expected to generate '
                             f'{{xs, ys}} or [xs, ys]; the Dataset gave {element!r}')
        xs = _flatten_named('input', list(self.inputNames), xs_value)
        ys = _flatten_named('output', list(self.outputNames), ys_value)
        xs = [self._to_tensor(t, owned, 'xs') for t in xs]
        ys = [self._to_tensor(t, owned, 'ys') for t in ys]
        size = xs[0].shape[0]
        for what, names, tensors in (('input', self.inputNames, xs),
                                     ('output', self.outputNames, ys)):
            for name, t in zip(names, tensors, strict=True):
                if t.shape[0] != size:
                    raise ValueError(f'Batch size mismatch: {what} {name} has {t.shape[0]}; '
                                     f'expected {size} based on input {self.inputNames[0]}.')
        return xs, ys

    async def fitDataset(self, dataset: Any, args: Mapping[str, Any] | None = None,
                         **kwargs: Any) -> History:
        """Train on a tf.data Dataset of {xs, ys} (or [xs, ys]) batches."""
        if args is None and not kwargs:
            raise ValueError('For fitDataset(), the 2nd argument (config) is required, but '
                             'it is not provided in this call.')
        if isinstance(args, Mapping) and 'validationSplit' in {snake_to_camel(k) for k in args}:
            raise ValueError('`validationSplit` is not supported by `fitDataset()`. Use '
                             'validationData instead.')
        config = normalize_config('fitDataset', _FIT_DATASET_SCHEMA, args, kwargs)
        self._assert_compiled()
        epochs, per_epoch = config['epochs'], config['batchesPerEpoch']
        if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs <= 0:
            raise ValueError('For fitDataset(), config.epochs is expected to be a positive '
                             f'integer, but got {epochs!r}')
        if per_epoch is not None and (isinstance(per_epoch, bool) or
                                      not isinstance(per_epoch, int) or per_epoch <= 0):
            raise ValueError('For fitDataset(), config.batchesPerEpoch is expected to be a '
                             f'positive integer if specified, but got {per_epoch!r}')
        validation = config['validationData']
        val_is_dataset = validation is not None and hasattr(validation, 'iterator')
        if validation is not None and not val_is_dataset and len(validation) != 2:
            raise ValueError('validationData must be a Dataset or [valX, valY]')
        self._begin_training()
        try:
            out_labels = self.getDedupedMetricsNames()
            do_validation = validation is not None
            metrics = out_labels + (['val_' + n for n in out_labels] if do_validation else [])
            steps = per_epoch
            size = getattr(dataset, 'size', None)
            if steps is None and isinstance(size, int | float) and math.isfinite(size):
                steps = int(size)
            verbose = 1 if config['verbose'] is None else config['verbose']
            initial_epoch = config['initialEpoch'] or 0
            callback_list, history, policy = self._configure_callbacks(
                config['callbacks'], verbose, epochs, initial_epoch, None, steps, None,
                do_validation, metrics, config['yieldEvery'])
            self.history = history
            await callback_list.onTrainBegin()
            self.stopTraining_ = False
            if per_epoch is not None:
                async with dataset.iterate() as iterator:
                    await self._fit_dataset_epochs(dataset, iterator, config, callback_list,
                                                   policy, out_labels, initial_epoch)
            else:
                await self._fit_dataset_epochs(dataset, None, config, callback_list, policy,
                                               out_labels, initial_epoch)
            await callback_list.onTrainEnd()
            await history.syncData()
            return history
        finally:
            self.isTraining = False

    async def _fit_dataset_epochs(self, dataset, iterator, config, callback_list, policy,
                                  out_labels, epoch) -> None:
        while epoch < config['epochs']:
            epoch_logs: dict[str, Any] = {}
            await callback_list.onEpochBegin(epoch)
            if iterator is None:
                async with dataset.iterate() as it:
                    batch = await self._fit_dataset_epoch(it, config, callback_list, policy,
                                                          out_labels, epoch)
            else:
                batch = await self._fit_dataset_epoch(iterator, config, callback_list, policy,
                                                      out_labels, epoch)
            if batch is not None and config['validationData'] is not None:
                epoch_logs.update(await self._validate_dataset(config))
            await callback_list.onEpochEnd(epoch, epoch_logs)
            await policy.epoch_end(epoch, batch or 0, epoch_logs)
            epoch += 1
            if self.stopTraining_:
                break

    async def _fit_dataset_epoch(self, iterator, config, callback_list, policy, out_labels,
                                 epoch) -> int | None:
        """Train on one epoch's batches; the last batch index, or None when
        training stopped before the epoch's end (no validation then)."""
        per_epoch = config['batchesPerEpoch']
        batch = 0
        while per_epoch is None or batch < per_epoch:
            item = await iterator.next()
            if item['done']:
                if per_epoch is not None:
                    print('You provided `batchesPerEpoch` as '
                          f'{per_epoch}, but your dataset iterator ran out of data after '
                          f'{batch} batches; interrupting training. Make sure that your '
                          'dataset can generate at least `batchesPerEpoch * epochs` batches '
                          f'(in this case, {per_epoch * config["epochs"]} batches). You may '
                          'need to use the repeat() function when building your dataset.',
                          file=sys.stderr)
                    self.stopTraining_ = True
                    return None
                return max(batch - 1, 0)
            owned = _Owned()
            element = item['value']
            try:
                xs, ys = self._dataset_batch(element, owned)
                batch_logs: dict[str, Any] = {'batch': batch, 'size': xs[0].shape[0]}
                await callback_list.onBatchBegin(batch, batch_logs)
                sws = self._sample_weights(ys, None, config['classWeight'], owned)
                values = await _read_scalars(await self._train_step(xs, ys, sws,
                                                                    pause=policy.pause))
            finally:
                owned.release()
                dispose(element)
            batch_logs.update(zip(out_labels, values, strict=True))
            await callback_list.onBatchEnd(batch, batch_logs)
            await policy.batch_end(epoch, batch, batch_logs)
            batch += 1
            if self.stopTraining_:
                return None
        return batch - 1

    async def _validate_dataset(self, config) -> dict[str, float]:
        validation = config['validationData']
        if hasattr(validation, 'iterator'):
            outs = await self.evaluateDataset(validation, {'batches':
                                                           config['validationBatches']})
        else:
            outs = self.evaluate(validation[0], validation[1], {
                'batchSize': config['validationBatchSize'] or 32})
        values = _scalars(_as_list(outs))
        return {'val_' + name: value for name, value in zip(self.metricsNames, values,
                                                                strict=True)}

    async def evaluateDataset(self, dataset: Any, args: Mapping[str, Any] | None = None,
                              **kwargs: Any) -> Tensor | list[Tensor]:
        """The loss (and metrics) over a Dataset's batches (or the first
        `batches` of them): a scalar tensor or a list of them."""
        config = normalize_config('evaluateDataset', {'batches': None, 'verbose': 0}, args,
                                  kwargs)
        self._assert_compiled()
        batches = config['batches']
        if batches is not None and (isinstance(batches, bool) or not isinstance(batches, int)
                                    or batches <= 0):
            raise ValueError('Test loop expects `batches` to be a positive integer, but '
                             f'received {batches!r}')
        totals: list[Tensor] | None = None
        seen = 0
        count = 0
        try:
            async with dataset.iterate() as iterator:
                while batches is None or count < batches:
                    item = await iterator.next()
                    if item['done']:
                        if batches is not None:
                            print('Your dataset iterator ran out of data during '
                                  'evaluateDataset(). Interrupting evaluation.',
                                  file=sys.stderr)
                        break
                    owned = _Owned()
                    element = item['value']
                    try:
                        xs, ys = self._dataset_batch(element, owned)
                        size = xs[0].shape[0]

                        def add(xs=xs, ys=ys, size=size, totals=totals) -> list[Tensor]:
                            outs = self._test_step(xs, ys)
                            scaled = [tf.mul(o, size) for o in outs]
                            if totals is None:
                                return scaled
                            return [tf.add(a, b) for a, b in zip(totals, scaled, strict=True)]

                        new_totals = tidy(add)
                    finally:
                        owned.release()
                        dispose(element)
                    if totals is not None:
                        dispose(totals)
                    totals = new_totals
                    seen += size
                    count += 1
        except BaseException:
            if totals is not None:
                dispose(totals)
            raise
        if totals is None:
            raise ValueError('evaluateDataset: the dataset gave no batches')
        result = tidy(lambda: [tf.div(t, seen) for t in totals])
        dispose(totals)
        return _singleton_or_list(result)

    # -- training config (model.json trainingConfig) and disposal -------------------
    def getTrainingConfig(self) -> dict[str, Any]:
        """{'loss', 'metrics', 'optimizer_config'} as tfjs writes it into
        model.json (loss and metric names in snake_case)."""
        self._assert_compiled()

        def loss_name(entry: Any) -> str:
            if not isinstance(entry, str):
                raise ValueError('Serialization of non-string loss is not supported.')
            return camel_to_snake(entry)

        if isinstance(self.loss, Mapping):
            loss: Any = {k: loss_name(v) for k, v in self.loss.items()}
        elif isinstance(self.loss, list | tuple):
            loss = [loss_name(v) for v in self.loss]
        else:
            loss = loss_name(self.loss)
        metrics = self.metrics
        if metrics is None:
            metric_ids: Any = []
        elif isinstance(metrics, str) or callable(metrics):
            metric_ids = [camel_to_snake(getLossOrMetricName(metrics))]
        elif isinstance(metrics, Mapping):
            metric_ids = {k: camel_to_snake(getLossOrMetricName(v)) for k, v in metrics.items()}
        else:
            metric_ids = [camel_to_snake(getLossOrMetricName(m)) for m in metrics]
        return {'loss': loss, 'metrics': metric_ids,
                'optimizer_config': {'class_name': self.optimizer_.getClassName(),
                                     'config': self.optimizer_.getConfig()}}

    def loadTrainingConfig(self, trainingConfig: Mapping[str, Any]) -> None:
        """compile() from a model.json trainingConfig."""
        for key in ('weighted_metrics', 'loss_weights', 'sample_weight_mode'):
            if trainingConfig.get(key) is not None:
                raise ValueError(f'Loading {key} is not supported yet.')
        optimizer = deserializeOptimizer(trainingConfig['optimizer_config'])
        loss = trainingConfig.get('loss')
        if isinstance(loss, str):
            loss = snake_to_camel(loss)
        elif isinstance(loss, list):
            loss = [snake_to_camel(v) for v in loss]
        elif isinstance(loss, Mapping):
            loss = {k: snake_to_camel(v) for k, v in loss.items()}
        metrics = trainingConfig.get('metrics')
        if isinstance(metrics, list):
            metrics = [snake_to_camel(m) for m in metrics]
        elif isinstance(metrics, Mapping):
            metrics = {k: snake_to_camel(v) for k, v in metrics.items()}
        self.compile({'loss': loss, 'metrics': metrics, 'optimizer': optimizer})
        self.isOptimizerOwned = True

    def dispose(self) -> AttrDict:
        self._drop_traces()
        result = super().dispose()
        if result['refCountAfterDispose'] == 0 and self.optimizer_ is not None and \
                self.isOptimizerOwned:
            before = memory().numTensors
            self.optimizer_.dispose()
            result['numDisposedVariables'] += before - memory().numTensors
        return result


class _BatchOrder:
    """The sample indices of each batch, epoch after epoch: shuffled per
    epoch (shuffle=True: index arrays), in shuffled batch blocks ('batch'),
    or in order (both, and a single batch: ranges, so batches are sliced or
    taken whole, not gathered);
    with stepsPerEpoch, epochs take that many batches, continuing where the
    previous epoch stopped."""

    def __init__(self, n: int, batch_size: int, shuffle: Any, steps: int | None) -> None:
        if shuffle not in (True, False, 'batch', None):
            raise ValueError(f"shuffle must be True, False or 'batch', got {shuffle!r}")
        if steps is not None and (isinstance(steps, bool) or not isinstance(steps, int)
                                  or steps <= 0):
            raise ValueError(f'stepsPerEpoch must be a positive integer, got {steps!r}')
        self.n, self.batch_size, self.shuffle, self.steps = n, batch_size, shuffle, steps
        self._pending: list[np.ndarray | range] = []

    def _pass(self) -> list[np.ndarray | range]:
        bounds = _make_batches(self.n, self.batch_size)
        if self.shuffle == 'batch':
            return [range(*bounds[i]) for i in np.random.permutation(len(bounds))]
        # One batch of every sample needs no shuffle: a step's loss, metrics and
        # gradients are sums over its samples, whatever their order.
        if (self.shuffle or self.shuffle is None) and len(bounds) > 1:
            # np.random.permutation's order in int32 (the index tensors' dtype):
            # shuffling int64 and converting is 3x faster than shuffling int32,
            # which NumPy does element by element. A new array each pass: the
            # batches view it.
            indices = np.random.permutation(self.n).astype(np.int32)
            return [indices[a:b] for a, b in bounds]
        return [range(a, b) for a, b in bounds]

    def epoch(self) -> list[np.ndarray | range]:
        if self.steps is None:
            return self._pass()
        out = []
        while len(out) < self.steps:
            if not self._pending:
                self._pending = self._pass()
                if not self._pending:
                    break
            out.append(self._pending.pop(0))
        return out


def _shape_str(shape: Sequence[Any]) -> str:
    return '[' + ','.join('null' if d is None else str(d) for d in shape) + ']'


def _broadcastable(weights: Tensor, loss: Tensor) -> Tensor:
    """[batch] weights against a loss of shape [batch, ...]."""
    if loss.rank <= 1:
        return weights
    return tf.reshape(weights, [weights.shape[0]] + [1] * (loss.rank - 1))


def _per_output(value: Any, names: list[str], what: str) -> list[Any]:
    """sampleWeight/classWeight given for one output, as a list, or by name."""
    n = len(names)
    if value is None or (isinstance(value, list | tuple) and len(value) == 0):
        return [None] * n
    if n == 1:
        if isinstance(value, Mapping) and names[0] in value:
            return [value[names[0]]]
        if isinstance(value, list | tuple) and len(value) == 1 and not isinstance(
                value[0], int | float):
            return [value[0]]
        return [value]
    if isinstance(value, list | tuple):
        if len(value) != n:
            raise ValueError(f'Provided {what} is an array of {len(value)} element(s), but the '
                             f'model has {n} outputs. Make sure a set of weights is provided '
                             'for each model output.')
        return list(value)
    if isinstance(value, Mapping) and value and all(key in names for key in value):
        return [value.get(name) for name in names]
    raise ValueError(f'The model has multiple ({n}) outputs, so {what} must be either an '
                     f'array with {n} elements or an object with {names} keys.')


def _class_sample_weights(y: Tensor, class_weight: Mapping[Any, float]) -> np.ndarray:
    values = y.numpy()
    if values.ndim == 1:
        classes = values
    elif values.ndim == 2 and values.shape[1] > 1:
        classes = values.argmax(axis=1)
    elif values.ndim == 2 and values.shape[1] == 1:
        classes = values.reshape(-1)
    else:
        raise ValueError(f'Unexpected rank of target (y) tensor ({values.ndim}) during handling '
                         'of class weights. The rank is expected to be 1 or 2.')
    out = np.empty(len(classes), dtype=np.float32)
    for i, c in enumerate(classes.astype(np.int64)):
        key = int(c)
        weight = class_weight.get(key, class_weight.get(str(key)))
        if weight is None:
            raise ValueError('classWeight must contain all classes in the training data. The '
                             f'class {key} exists in the data but not in classWeight')
        out[i] = weight
    return out


def _flatten_named(kind: str, names: list[str], values: Any) -> list[Any]:
    if isinstance(values, Mapping):
        out = []
        for name in names:
            if values.get(name) is None:
                raise ValueError(f'The feature data generated by the dataset lacks the required '
                                 f'{kind} key {name!r}.')
            out.append(values[name])
        return out
    if isinstance(values, list | tuple):
        if len(values) != len(names):
            raise ValueError(f'Received an array of {len(values)} Tensors, but expected '
                             f'{len(names)} to match the {kind} keys {names}.')
        return list(values)
    return [values]


__all__ = ['TrainingMixin']
