"""Training callbacks: tf.Callback, tf.CustomCallback, tf.History and
tf.callbacks.{earlyStopping, modelCheckpoint, reduceLROnPlateau, csvLogger}.

Every hook (onTrainBegin/End, onEpochBegin/End, onBatchBegin/End, and
onYield) may be a plain method or a coroutine; hooks may be written in
camelCase or snake_case. Logs hold Python floats: the training loop reads
each batch's values once, so callbacks never see (or leak) tensors.
"""

from __future__ import annotations

import csv
import inspect
import math
import os
import sys
import time
from collections.abc import Callable, Mapping
from typing import Any, TextIO

from .._naming import Namespace, SnakeAliases, normalize_config
from .._yield import call

Logs = dict[str, Any]
HOOKS = ('onTrainBegin', 'onTrainEnd', 'onEpochBegin', 'onEpochEnd', 'onBatchBegin',
         'onBatchEnd', 'onYield')


class BaseCallback(SnakeAliases):
    """tfjs' BaseCallback: hooks that do nothing, `params` and `validationData`."""

    def __init__(self) -> None:
        self.params: dict[str, Any] = {}
        self.validationData = None
        self.model: Any = None

    def setParams(self, params: dict[str, Any]) -> None:
        self.params = params

    def setModel(self, model: Any) -> None:
        self.model = model

    def onTrainBegin(self, logs: Logs | None = None) -> Any:
        pass

    def onTrainEnd(self, logs: Logs | None = None) -> Any:
        pass

    def onEpochBegin(self, epoch: int, logs: Logs | None = None) -> Any:
        pass

    def onEpochEnd(self, epoch: int, logs: Logs | None = None) -> Any:
        pass

    def onBatchBegin(self, batch: int, logs: Logs | None = None) -> Any:
        pass

    def onBatchEnd(self, batch: int, logs: Logs | None = None) -> Any:
        pass


class Callback(BaseCallback):
    """Subclass this (tf.Callback) and override hooks; `self.model` is the
    model being trained."""


def _active_hook(cb: BaseCallback, hook: str) -> Callable[..., Any] | None:
    """cb's bound `hook`, or None where it is BaseCallback's no-op (or a
    CustomCallback hook that was not given)."""
    fn = getattr(cb, hook, None)
    if fn is None:
        return None
    if hook not in getattr(cb, '__dict__', ()):
        defined = getattr(type(cb), hook, None)
        if defined is getattr(BaseCallback, hook, None):
            return None
        if isinstance(cb, CustomCallback) and defined is getattr(CustomCallback, hook) and \
                cb._hooks[hook] is None and hook != 'onEpochBegin':
            return None
    return fn


class CallbackList(SnakeAliases):
    """Calls a hook on every callback in order, awaiting coroutine hooks.

    Which callbacks do something in each hook is worked out once (and again
    after `append`): a hook left as BaseCallback's no-op is not called at all,
    so a fit with only the built-in callbacks pays nothing for onBatchBegin."""

    def __init__(self, callbacks: list[BaseCallback] | None = None) -> None:
        self.callbacks = list(callbacks or [])
        self._plan: dict[str, list[Callable[..., Any]]] = {}

    def append(self, callback: BaseCallback) -> None:
        self.callbacks.append(callback)
        self._plan = {}

    def setParams(self, params: dict[str, Any]) -> None:
        for cb in self.callbacks:
            cb.setParams(params)

    def setModel(self, model: Any) -> None:
        for cb in self.callbacks:
            cb.setModel(model)

    def hooks(self, hook: str) -> list[Callable[..., Any]]:
        """The bound `hook` methods that do something, in callback order."""
        found = self._plan.get(hook)
        if found is None:
            found = self._plan[hook] = [fn for cb in self.callbacks
                                        if (fn := _active_hook(cb, hook)) is not None]
        return found

    async def _each(self, hook: str, *args: Any) -> None:
        for fn in self.hooks(hook):
            result = fn(*args)
            if result is not None and inspect.isawaitable(result):
                await result

    async def onTrainBegin(self, logs: Logs | None = None) -> None:
        await self._each('onTrainBegin', {} if logs is None else logs)

    async def onTrainEnd(self, logs: Logs | None = None) -> None:
        await self._each('onTrainEnd', {} if logs is None else logs)

    async def onEpochBegin(self, epoch: int, logs: Logs | None = None) -> None:
        await self._each('onEpochBegin', epoch, {} if logs is None else logs)

    async def onEpochEnd(self, epoch: int, logs: Logs | None = None) -> None:
        await self._each('onEpochEnd', epoch, {} if logs is None else logs)

    async def onBatchBegin(self, batch: int, logs: Logs | None = None) -> None:
        await self._each('onBatchBegin', batch, {} if logs is None else logs)

    async def onBatchEnd(self, batch: int, logs: Logs | None = None) -> None:
        await self._each('onBatchEnd', batch, {} if logs is None else logs)

    def yield_hooks(self) -> list[Callable[..., Any]]:
        """The onYield hooks of callbacks that define one."""
        return [hook for cb in self.callbacks
                if (hook := getattr(cb, 'onYield', None)) is not None]

    def yield_clock(self) -> tuple[Callable[[], float] | None, Callable[[], Any] | None]:
        """A CustomCallback's nowFunc (milliseconds) and nextFrameFunc, if given."""
        now = frame = None
        for cb in self.callbacks:
            if getattr(cb, 'nowFunc', None) is not None and now is None:
                now = cb.nowFunc
            if getattr(cb, 'nextFrameFunc', None) is not None and frame is None:
                frame = cb.nextFrameFunc
        return now, frame


class BaseLogger(BaseCallback):
    """Turns batch logs into epoch logs: the batch-size-weighted mean of each
    metric over the epoch."""

    def onEpochBegin(self, epoch: int, logs: Logs | None = None) -> None:
        self.seen = 0
        self.totals: dict[str, float] = {}

    def onBatchEnd(self, batch: int, logs: Logs | None = None) -> None:
        logs = logs or {}
        size = logs.get('size') or 0
        self.seen += size
        for key, value in logs.items():
            if key in ('batch', 'size'):
                continue
            self.totals[key] = self.totals.get(key, 0.0) + float(value) * size

    def onEpochEnd(self, epoch: int, logs: Logs | None = None) -> None:
        if logs is None:
            return
        for key in self.params.get('metrics', []):
            if key in self.totals and self.seen:
                logs[key] = self.totals[key] / self.seen


class History(BaseCallback):
    """What fit() returns: `.history` ({'loss': [...], 'val_loss': [...]}),
    `.epoch` (the epoch numbers) and `.params`."""

    def __init__(self) -> None:
        super().__init__()
        self.epoch: list[int] = []
        self.history: dict[str, list[float]] = {}

    def onTrainBegin(self, logs: Logs | None = None) -> None:
        self.epoch = []
        self.history = {}

    def onEpochEnd(self, epoch: int, logs: Logs | None = None) -> None:
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)

    async def syncData(self) -> None:
        """Values are already numbers here (tfjs reads tensors back in this step)."""

    def __repr__(self) -> str:
        return f'<History epochs={len(self.epoch)} keys={sorted(self.history)}>'


class CustomCallback(BaseCallback):
    """Callbacks given as a dict of functions ({'onEpochEnd': fn, ...}), each
    plain or async, in camelCase or snake_case."""

    def __init__(self, args: Mapping[str, Any] | None = None, yieldEvery: Any = None,
                 **kwargs: Any) -> None:
        super().__init__()
        config = normalize_config('CustomCallback', {h: None for h in HOOKS} |
                                  {'nowFunc': None, 'nextFrameFunc': None}, args, kwargs)
        self.yieldEvery = yieldEvery
        # tfjs' test hooks for the yield clock (milliseconds) and the frame wait.
        self.nowFunc = config['nowFunc']
        self.nextFrameFunc = config['nextFrameFunc']
        self._hooks = {h: config[h] for h in HOOKS}
        for h, fn in self._hooks.items():
            if fn is not None and not callable(fn):
                raise TypeError(f'CustomCallback: {h} must be a function')
        if self._hooks['onYield'] is None:
            self.onYield = None
        self.currentEpoch = 0

    async def onTrainBegin(self, logs=None):
        await call(self._hooks['onTrainBegin'], logs)

    async def onTrainEnd(self, logs=None):
        await call(self._hooks['onTrainEnd'], logs)

    async def onEpochBegin(self, epoch, logs=None):
        self.currentEpoch = epoch
        await call(self._hooks['onEpochBegin'], epoch, logs)

    async def onEpochEnd(self, epoch, logs=None):
        await call(self._hooks['onEpochEnd'], epoch, logs)

    async def onBatchBegin(self, batch, logs=None):
        await call(self._hooks['onBatchBegin'], batch, logs)

    async def onBatchEnd(self, batch, logs=None):
        await call(self._hooks['onBatchEnd'], batch, logs)

    async def onYield(self, epoch, batch, logs):
        await call(self._hooks['onYield'], epoch, batch, logs)


def standardize_callbacks(callbacks: Any) -> list[BaseCallback]:
    """A callback object, a list of them, a dict of hook functions or a list
    of such dicts -> a list of callback objects."""
    if callbacks is None:
        return []
    if isinstance(callbacks, BaseCallback):
        return [callbacks]
    if isinstance(callbacks, Mapping):
        return [CustomCallback(callbacks)]
    if isinstance(callbacks, list | tuple):
        out = []
        for i, cb in enumerate(callbacks):
            if isinstance(cb, BaseCallback):
                out.append(cb)
            elif isinstance(cb, Mapping):
                out.append(CustomCallback(cb))
            else:
                raise TypeError(f'callbacks[{i}] must be a tf.Callback or a dict of hook '
                                f'functions, got {type(cb).__name__}')
        return out
    raise TypeError('callbacks must be a tf.Callback, a dict of hook functions, or a list '
                    f'of them, got {type(callbacks).__name__}')


# -- progress ------------------------------------------------------------------
def _format_value(value: Any) -> str:
    if isinstance(value, float):
        return f'{value:.4g}' if abs(value) < 1e-3 and value != 0 else f'{value:.4f}'
    return str(value)


class ProgbarLogger(BaseCallback):
    """verbose=1: 'Epoch i/n', then a bar redrawn per batch on a terminal and
    one summary line per epoch (elsewhere, only the summary line)."""

    def __init__(self, stream: TextIO | None = None, width: int = 30) -> None:
        super().__init__()
        self.stream = stream
        self.width = width

    def _out(self) -> TextIO:
        return self.stream if self.stream is not None else sys.stdout

    def _tty(self) -> bool:
        isatty = getattr(self._out(), 'isatty', None)
        return bool(isatty and isatty())

    def onEpochBegin(self, epoch: int, logs: Logs | None = None) -> None:
        self._start = time.perf_counter()
        self._seen = 0
        self._steps = 0
        self._totals: dict[str, float] = {}
        self._out().write(f'Epoch {epoch + 1}/{self.params.get("epochs")}\n')

    def _total_steps(self) -> int | None:
        steps = self.params.get('steps')
        if steps:
            return int(steps)
        samples, batch = self.params.get('samples'), self.params.get('batchSize')
        if samples and batch:
            return math.ceil(samples / batch)
        return None

    def _bar(self, done: int, total: int | None) -> str:
        if not total:
            return f'{done}/?'
        filled = int(self.width * min(done, total) / total)
        arrow = '>' if filled < self.width else ''
        bar = '=' * max(filled - (1 if arrow else 0), 0) + arrow
        return f'{done}/{total} [{bar.ljust(self.width, ".")}]'

    def _metrics(self, values: Mapping[str, Any]) -> str:
        # Training values first, then validation (epoch logs get val_ keys first).
        keys = sorted(values, key=lambda k: k.startswith('val_'))
        return ''.join(f' - {k}: {_format_value(values[k])}' for k in keys)

    def onBatchEnd(self, batch: int, logs: Logs | None = None) -> None:
        logs = logs or {}
        size = logs.get('size') or 0
        self._seen += size
        self._steps += 1
        for key, value in logs.items():
            if key not in ('batch', 'size'):
                self._totals[key] = self._totals.get(key, 0.0) + float(value) * size
        if self._tty():
            means = {k: v / self._seen for k, v in self._totals.items()} if self._seen else {}
            self._out().write('\r' + self._bar(self._steps, self._total_steps()) +
                              self._metrics(means))
            self._out().flush()

    def onEpochEnd(self, epoch: int, logs: Logs | None = None) -> None:
        elapsed = time.perf_counter() - self._start
        per_step = elapsed / self._steps if self._steps else 0.0
        timing = (f' - {elapsed:.0f}s {per_step * 1000:.0f}ms/step' if per_step >= 1e-3
                  else f' - {elapsed:.0f}s {per_step * 1e6:.0f}us/step')
        line = self._bar(self._steps, self._total_steps() or self._steps) + timing
        prefix = '\r' if self._tty() else ''
        self._out().write(prefix + line + self._metrics(logs or {}) + '\n')
        self._out().flush()


# -- tf.callbacks ------------------------------------------------------------------
def _monitor_op(owner: str, mode: str, monitor: str) -> Callable[[float, float], bool]:
    if mode not in ('auto', 'min', 'max'):
        raise ValueError(f"{owner}: mode must be 'auto', 'min' or 'max', got {mode!r}")
    if mode == 'max' or (mode == 'auto' and 'acc' in monitor):
        return lambda current, best: current > best
    return lambda current, best: current < best


def _monitored(owner: str, monitor: str, logs: Logs | None) -> float | None:
    value = (logs or {}).get(monitor)
    if value is None:
        print(f'{owner}: metric {monitor!r} is not available; available metrics are: '
              f'{", ".join(logs or {})}', file=sys.stderr)
        return None
    return float(value)


class EarlyStopping(Callback):
    """Stop training when `monitor` stops improving for `patience` epochs;
    with restoreBestWeights, the model gets back the weights of its best epoch
    when it stops (tfjs throws NotImplemented for this option)."""

    _schema = {'monitor': 'val_loss', 'minDelta': 0, 'patience': 0, 'verbose': 0,
               'mode': 'auto', 'baseline': None, 'restoreBestWeights': False}

    def __init__(self, args: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__()
        config = normalize_config('EarlyStopping', self._schema, args, kwargs)
        self.monitor = config['monitor']
        self.patience = config['patience']
        self.verbose = config['verbose']
        self.mode = config['mode']
        self.baseline = config['baseline']
        self.restoreBestWeights = bool(config['restoreBestWeights'])
        self.monitorFunc = _monitor_op('EarlyStopping', self.mode, self.monitor)
        improving_up = self.monitorFunc(1.0, 0.0)
        self.minDelta = abs(config['minDelta']) * (1 if improving_up else -1)
        self.best_weights: list[Any] | None = None

    def onTrainBegin(self, logs: Logs | None = None) -> None:
        self.wait = 0
        self.stoppedEpoch = 0
        if self.baseline is not None:
            self.best = float(self.baseline)
        else:
            self.best = -math.inf if self.monitorFunc(1.0, 0.0) else math.inf
        self._drop_best_weights()

    def _drop_best_weights(self) -> None:
        if self.best_weights is not None:
            for w in self.best_weights:
                w.dispose()
        self.best_weights = None

    def onEpochEnd(self, epoch: int, logs: Logs | None = None) -> None:
        current = _monitored('EarlyStopping', self.monitor, logs)
        if current is None:
            return
        if self.monitorFunc(current - self.minDelta, self.best):
            self.best = current
            self.wait = 0
            if self.restoreBestWeights:
                self._drop_best_weights()
                self.best_weights = [w.clone() for w in self.model.getWeights()]
        else:
            self.wait += 1
            if self.wait >= self.patience:
                self.stoppedEpoch = epoch
                self.model.stopTraining = True
                if self.restoreBestWeights and self.best_weights is not None:
                    if self.verbose:
                        print('Restoring model weights from the end of the best epoch.')
                    self.model.setWeights(self.best_weights)

    def onTrainEnd(self, logs: Logs | None = None) -> None:
        self._drop_best_weights()
        if self.stoppedEpoch > 0 and self.verbose:
            print(f'Epoch {self.stoppedEpoch}: early stopping.')


class ReduceLROnPlateau(Callback):
    """Multiply the optimizer's learning rate by `factor` when `monitor` has
    not improved for `patience` epochs (Keras' ReduceLROnPlateau)."""

    _schema = {'monitor': 'val_loss', 'factor': 0.1, 'patience': 10, 'verbose': 0,
               'mode': 'auto', 'minDelta': 1e-4, 'cooldown': 0, 'minLr': 0.0}

    def __init__(self, args: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__()
        config = normalize_config('ReduceLROnPlateau', self._schema, args, kwargs)
        if config['factor'] >= 1.0:
            raise ValueError('ReduceLROnPlateau: factor must be < 1')
        for key, value in config.items():
            setattr(self, key, value)
        self.monitorFunc = _monitor_op('ReduceLROnPlateau', self.mode, self.monitor)
        self._up = self.monitorFunc(1.0, 0.0)

    def onTrainBegin(self, logs: Logs | None = None) -> None:
        self.wait = 0
        self.cooldownCounter = 0
        self.best = -math.inf if self._up else math.inf

    def onEpochEnd(self, epoch: int, logs: Logs | None = None) -> None:
        current = _monitored('ReduceLROnPlateau', self.monitor, logs)
        if current is None:
            return
        optimizer = self.model.optimizer
        if logs is not None:
            logs['lr'] = float(optimizer.learningRate)
        if self.cooldownCounter > 0:
            self.cooldownCounter -= 1
            self.wait = 0
        delta = self.minDelta if self._up else -self.minDelta
        if self.monitorFunc(current - delta, self.best):
            self.best = current
            self.wait = 0
        elif self.cooldownCounter <= 0:
            self.wait += 1
            if self.wait >= self.patience:
                old = float(optimizer.learningRate)
                if old > self.minLr:
                    optimizer.learningRate = max(old * self.factor, self.minLr)
                    if self.verbose:
                        print(f'Epoch {epoch + 1}: ReduceLROnPlateau reducing learning rate '
                              f'to {optimizer.learningRate:g}.')
                    self.cooldownCounter = self.cooldown
                    self.wait = 0


class ModelCheckpoint(Callback):
    """Save the model (`await model.save(filepath)`) after each epoch, or
    only when `monitor` improves with saveBestOnly. `filepath` may hold
    format fields: '{epoch}' (1-based) and any log key ('{val_loss:.2f}')."""

    _schema = {'filepath': None, 'monitor': 'val_loss', 'verbose': 0, 'saveBestOnly': False,
               'mode': 'auto'}

    def __init__(self, filepath: Any = None, args: Mapping[str, Any] | None = None,
                 **kwargs: Any) -> None:
        super().__init__()
        if isinstance(filepath, Mapping):
            filepath, args = None, filepath
        if filepath is not None:
            kwargs['filepath'] = filepath
        config = normalize_config('ModelCheckpoint', self._schema, args, kwargs)
        if not config['filepath']:
            raise ValueError('ModelCheckpoint: missing required config key \'filepath\'')
        for key, value in config.items():
            setattr(self, key, value)
        self.monitorFunc = _monitor_op('ModelCheckpoint', self.mode, self.monitor)
        self.best = -math.inf if self.monitorFunc(1.0, 0.0) else math.inf

    async def onEpochEnd(self, epoch: int, logs: Logs | None = None) -> None:
        logs = logs or {}
        if self.saveBestOnly:
            current = _monitored('ModelCheckpoint', self.monitor, logs)
            if current is None or not self.monitorFunc(current, self.best):
                return
            self.best = current
        path = str(self.filepath).format(epoch=epoch + 1, **logs)
        if self.verbose:
            print(f'Epoch {epoch + 1}: saving model to {path}')
        await self.model.save(path)


class CSVLogger(Callback):
    """Append one row per epoch (epoch, then the logged values) to a CSV file."""

    _schema = {'filename': None, 'separator': ',', 'append': False}

    def __init__(self, filename: Any = None, args: Mapping[str, Any] | None = None,
                 **kwargs: Any) -> None:
        super().__init__()
        if isinstance(filename, Mapping):
            filename, args = None, filename
        if filename is not None:
            kwargs['filename'] = filename
        config = normalize_config('CSVLogger', self._schema, args, kwargs)
        if not config['filename']:
            raise ValueError("CSVLogger: missing required config key 'filename'")
        self.filename = os.fspath(config['filename'])
        self.separator = config['separator']
        self.append = config['append']
        self._keys: list[str] | None = None

    def onTrainBegin(self, logs: Logs | None = None) -> None:
        exists = self.append and os.path.exists(self.filename) and os.path.getsize(
            self.filename) > 0
        self._keys = None
        self._write_header = not exists
        with open(self.filename, 'a' if self.append else 'w', newline=''):
            pass

    def onEpochEnd(self, epoch: int, logs: Logs | None = None) -> None:
        logs = logs or {}
        if self._keys is None:
            self._keys = sorted(logs)
        with open(self.filename, 'a', newline='') as f:
            writer = csv.writer(f, delimiter=self.separator)
            if self._write_header:
                writer.writerow(['epoch', *self._keys])
                self._write_header = False
            writer.writerow([epoch, *(logs.get(k, '') for k in self._keys)])


def earlyStopping(args: Mapping[str, Any] | None = None, **kwargs: Any) -> EarlyStopping:
    return EarlyStopping(args, **kwargs)


def reduceLROnPlateau(args: Mapping[str, Any] | None = None,
                      **kwargs: Any) -> ReduceLROnPlateau:
    return ReduceLROnPlateau(args, **kwargs)


def modelCheckpoint(filepath: Any = None, args: Mapping[str, Any] | None = None,
                    **kwargs: Any) -> ModelCheckpoint:
    return ModelCheckpoint(filepath, args, **kwargs)


def csvLogger(filename: Any = None, args: Mapping[str, Any] | None = None,
              **kwargs: Any) -> CSVLogger:
    return CSVLogger(filename, args, **kwargs)


callbacks = Namespace('tf.callbacks', {
    'earlyStopping': earlyStopping, 'reduceLROnPlateau': reduceLROnPlateau,
    # The camelCase of 'reduce_lr_on_plateau', so the snake_case spelling resolves.
    'reduceLrOnPlateau': reduceLROnPlateau,
    'modelCheckpoint': modelCheckpoint, 'csvLogger': csvLogger})


__all__ = ['BaseCallback', 'Callback', 'CallbackList', 'BaseLogger', 'History',
           'CustomCallback', 'ProgbarLogger', 'EarlyStopping', 'ReduceLROnPlateau',
           'ModelCheckpoint', 'CSVLogger', 'callbacks', 'standardize_callbacks']
