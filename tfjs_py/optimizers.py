"""Optimizers and the tf.train factories, with tfjs' update rules and state.

Each optimizer updates engine variables found by name in the engine's
registry, as tfjs does. Its state ("slots": moments, accumulators) is made on
the first update of a variable and kept by position in the gradient list, so
`getWeights()`/`setWeights()` use tfjs' names and order: `iter` first, then
every variable's first slot, then every variable's second slot, and so on.

Differences from tfjs, on purpose: centered RMSProp takes the square root of
`ms - mg^2 + epsilon` (tfjs subtracts epsilon and gives NaN for zero
gradients); Adamax has `getWeights`/`setWeights`; every optimizer has a
settable `learningRate` (alias `lr`, as Keras and the tfjs guide write it).

Each step runs one update kernel per variable (engine/kernel_table.py,
'# -- optimizers', TensorFlow's ApplyAdam etc. with tfjs' formulas) instead of
tfjs' chain of elementwise ops: the numbers are the same, the kernel returns
the new value and accumulators, which are swapped into the variables.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

import numpy as np

from ._naming import REQUIRED, Namespace, SnakeAliases, normalize_config, snake_to_camel
from .engine.engine import ENGINE
from .engine.tensor import Tensor, Variable
from .engine_api import dispose, tidy
from .ops.op import OPS
from .serialization import registerClass

tf = Namespace('tf', OPS)

NamedGrads = Mapping[str, Tensor | None] | list[Mapping[str, Any]]


def _named_list(variableGradients: NamedGrads) -> list[tuple[str, Tensor | None]]:
    """[(name, grad)] from a {name: grad} map or a [{name, tensor}] list."""
    if isinstance(variableGradients, Mapping):
        return list(variableGradients.items())
    if isinstance(variableGradients, list | tuple):
        out = []
        for i, item in enumerate(variableGradients):
            if not isinstance(item, Mapping) or 'name' not in item:
                raise TypeError(f'applyGradients: item {i} must be a dict with "name" and '
                                f'"tensor", got {type(item).__name__}')
            out.append((item['name'], item.get('tensor')))
        return out
    raise TypeError('applyGradients takes a dict {name: gradient} or a list of '
                    f'{{"name", "tensor"}} dicts, got {type(variableGradients).__name__}')


class _Slot:
    """One piece of optimizer state: an untrainable variable and the name
    tfjs gives it in getWeights (`<variable>/<suffix>`)."""

    __slots__ = ('originalName', 'variable')

    def __init__(self, originalName: str, variable: Variable) -> None:
        self.originalName = originalName
        self.variable = variable


class Optimizer(SnakeAliases):
    """Base class: minimize, computeGradients, applyGradients, state I/O."""

    className: ClassVar[str] = 'Optimizer'
    # Config keys in tfjs' constructor order, with their defaults.
    _schema: ClassVar[dict[str, Any]] = {}
    # Suffixes of the per-variable slots, in getWeights order.
    _slot_suffixes: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        config = _config(type(self).__name__, self._schema, args, kwargs)
        for key, value in config.items():
            object.__setattr__(self, '_' + key if key == 'learningRate' else key, value)
        if 'epsilon' in self._schema and self.epsilon is None:
            self.epsilon = ENGINE.backend.epsilon()
        self.iterations_ = 0
        self._slots: list[list[_Slot]] = [[] for _ in self._active_suffixes()]

    # -- hyper-parameters -----------------------------------------------------------
    @property
    def learningRate(self) -> float:
        return self._learningRate

    @learningRate.setter
    def learningRate(self, value: float) -> None:
        self._learningRate = float(value)

    lr = learningRate

    def setLearningRate(self, learningRate: float) -> None:
        self.learningRate = learningRate

    @property
    def iterations(self) -> int:
        return self.iterations_

    def _active_suffixes(self) -> tuple[str, ...]:
        return self._slot_suffixes

    # -- the training API -----------------------------------------------------------
    def minimize(self, f: Callable[[], Tensor], returnCost: bool = False,
                 varList: list[Variable] | None = None) -> Tensor | None:
        """Run f, backpropagate its scalar result to the trainable variables
        (all, or those of varList) and update them; the cost if returnCost."""
        result = self.computeGradients(f, varList)
        value, grads = result['value'], result['grads']
        try:
            if varList is not None:
                # The variables are at hand: no lookup by name.
                self._update([(v, grads.get(v.name)) for v in varList])
            else:
                self.applyGradients(grads)
        finally:
            dispose(grads)
        if returnCost:
            return value
        value.dispose()
        return None

    def computeGradients(self, f: Callable[[], Tensor],
                         varList: list[Variable] | None = None) -> Any:
        """{'value': f(), 'grads': {name: gradient}}, as tf.variableGrads."""
        return tf.variableGrads(f, varList)

    def applyGradients(self, variableGradients: NamedGrads) -> None:
        """Update each named engine variable from its gradient (None: skip)."""
        named = _named_list(variableGradients)
        pairs = []
        for name, grad in named:
            var = ENGINE.registeredVariables.get(name)
            if var is None:
                raise ValueError(f'applyGradients: no variable named {name!r} is registered')
            pairs.append((var, grad))
        self._update(pairs)

    def _update(self, pairs: list[tuple[Variable, Tensor | None]]) -> None:
        """One step: each variable updated from its gradient (None: skipped)."""
        self._apply_updates(pairs)
        self._finish_step()

    def _apply_updates(self, pairs: list[tuple[Variable, Tensor | None]]) -> None:
        """The kernels of one step. A traced training step (engine/trace.py)
        replays them, with the attrs _step_attrs makes at each replay; the
        host-side bookkeeping is _finish_step's, run after every step."""
        kernel, attrs = self._kernel(), self._step_attrs()
        for i, (var, grad) in enumerate(pairs):
            slots = self._slots_for(i, var.name, var)
            if grad is None:
                continue
            if not isinstance(grad, Tensor):
                raise TypeError(f'applyGradients: the gradient of {var.name!r} must be a '
                                'Tensor')
            if var.dtype != 'float32':
                raise ValueError(f'applyGradients: variable {var.name!r} is {var.dtype}; '
                                 'optimizers update float32 variables')
            if grad.dtype != 'float32' or grad._shape != var._shape:
                # As tfjs' elementwise update would: upcast, broadcast to the variable.
                grad = tidy(lambda grad=grad, var=var: tf.broadcastTo(
                    tf.cast(grad, 'float32'), var.shape))
                try:
                    self._apply(kernel, var, slots, grad, attrs)
                finally:
                    grad.dispose()
            else:
                self._apply(kernel, var, slots, grad, attrs)

    def _finish_step(self) -> None:
        self._after_step()
        self.iterations_ += 1

    def _apply(self, kernel: str, var: Variable, slots: list[Variable], grad: Tensor,
               attrs: dict[str, Any]) -> None:
        """One update kernel: its results replace the variable's and the slots' data."""
        ENGINE.run_kernel_into(kernel, self._kernel_inputs(var, slots, grad), attrs,
                               self._kernel_outputs(var, slots), self._step_attrs)

    def _slots_for(self, i: int, name: str, var: Variable) -> list[Variable]:
        slots = self._slots
        if all(len(kind) > i for kind in slots):
            return [kind[i].variable for kind in slots]
        out = []
        for kind, suffix in zip(self._slots, self._active_suffixes(), strict=True):
            if len(kind) <= i:
                init = self._initial_slot(var)
                kind.append(_Slot(f'{name}/{suffix}', tf.variable(init, False)))
                init.dispose()
            out.append(kind[i].variable)
        return out

    def _initial_slot(self, var: Variable) -> Tensor:
        return tf.zerosLike(var)

    def _kernel(self) -> str:
        """The update kernel's name."""
        raise NotImplementedError

    def _step_attrs(self) -> dict[str, Any]:
        """The update kernel's attrs for this step (same for every variable)."""
        raise NotImplementedError

    def _kernel_inputs(self, var: Variable, slots: list[Variable],
                       grad: Tensor) -> tuple[Tensor, ...]:
        return (var, *slots, grad)

    def _kernel_outputs(self, var: Variable, slots: list[Variable]) -> tuple[Variable, ...]:
        """The variables the kernel's results go to, in its output order."""
        return (var, *slots)

    def _after_step(self) -> None:
        pass

    # -- state ------------------------------------------------------------------
    async def getWeights(self) -> list[dict[str, Any]]:
        """[{'name': 'iter', 'tensor': int32 scalar}, then {'name': '<var>/<slot>',
        'tensor': slot variable} for every slot kind, variable by variable]."""
        out = [{'name': 'iter', 'tensor': tf.scalar(self.iterations_, 'int32')}]
        for kind in self._slots:
            out.extend({'name': s.originalName, 'tensor': s.variable} for s in kind)
        return out

    async def setWeights(self, weightValues: list[Mapping[str, Any]]) -> None:
        """Restore the state getWeights gave (e.g. loaded with a model)."""
        weightValues = list(weightValues)
        if not weightValues or weightValues[0].get('name') != 'iter':
            raise ValueError(f'{self.className}.setWeights: the first weight must be "iter"')
        iters = await weightValues[0]['tensor'].data()
        rest = weightValues[1:]
        kinds = len(self._slots)
        if (kinds == 0 and rest) or (kinds and len(rest) % kinds):
            raise ValueError(f'{self.className}.setWeights: {len(rest)} slot weights do not '
                             f'split into {kinds} kind(s) of state')
        self._dispose_slots()
        per_kind = len(rest) // kinds if kinds else 0
        self._slots = [[_Slot(w['name'], tf.variable(w['tensor'], False))
                        for w in rest[k * per_kind:(k + 1) * per_kind]] for k in range(kinds)]
        self.iterations_ = int(iters[0])
        self._restored()

    def _restored(self) -> None:
        pass

    def _dispose_slots(self) -> None:
        for kind in self._slots:
            for s in kind:
                s.variable.dispose()
        self._slots = [[] for _ in self._slots]

    def dispose(self) -> None:
        self._dispose_slots()

    # -- serialization ------------------------------------------------------------
    def getClassName(self) -> str:
        return self.className

    def getConfig(self) -> dict[str, Any]:
        return {key: getattr(self, key) for key in self._schema}

    @classmethod
    def fromConfig(cls, config: Any, customObjects: Any = None) -> Optimizer:
        """cls.fromConfig(config); tfjs' form fromConfig(cls, config) works too.
        As in tfjs, keys the optimizer does not take (Keras' 'name',
        'clipnorm', ...) are ignored; snake_case keys and 'lr' are accepted."""
        if isinstance(config, type):
            cls, config = config, customObjects
        known = {}
        for key, value in dict(config).items():
            camel = 'learningRate' if key == 'lr' else snake_to_camel(key)
            if camel in cls._schema:
                known[camel] = value
        return cls(known)

    def __repr__(self) -> str:
        args = ', '.join(f'{k}={v!r}' for k, v in self.getConfig().items())
        return f'<{self.className}Optimizer {args}>'


def _config(owner: str, schema: dict[str, Any], args: tuple, kwargs: dict) -> dict[str, Any]:
    """tfjs positional arguments, or one config dict, or keywords (camel or
    snake case); `lr` is the Keras spelling of learningRate."""
    if len(args) == 1 and isinstance(args[0], Mapping):
        config = dict(args[0])
    else:
        if len(args) > len(schema):
            raise TypeError(f'{owner} takes at most {len(schema)} positional arguments')
        config = dict(zip(schema, args, strict=False))
    for source in (config, kwargs):
        if 'lr' in source:
            if 'learningRate' in config or 'learningRate' in kwargs or 'learning_rate' in kwargs:
                raise ValueError(f'{owner}: give either lr or learningRate, not both')
            source['learningRate'] = source.pop('lr')
    kwargs = {snake_to_camel(k): v for k, v in kwargs.items()}
    out = normalize_config(owner, schema, config, kwargs)
    if out.get('learningRate') is None:
        raise ValueError(f'{owner}: learningRate must be defined')
    return out


class SGDOptimizer(Optimizer):
    className = 'SGD'
    _schema = {'learningRate': REQUIRED}

    def _kernel(self):
        return 'ApplyGradientDescent'

    def _step_attrs(self):
        return {'lr': self.learningRate}


class MomentumOptimizer(Optimizer):
    className = 'Momentum'
    _schema = {'learningRate': REQUIRED, 'momentum': REQUIRED, 'useNesterov': False}
    _slot_suffixes = ('momentum',)

    def setMomentum(self, momentum: float) -> None:
        self.momentum = momentum

    def _kernel(self):
        return 'ApplyMomentum'

    def _step_attrs(self):
        return {'lr': self.learningRate, 'momentum': self.momentum,
                'useNesterov': bool(self.useNesterov)}


class AdagradOptimizer(Optimizer):
    className = 'Adagrad'
    _schema = {'learningRate': REQUIRED, 'initialAccumulatorValue': 0.1}
    _slot_suffixes = ('accumulator',)

    def _initial_slot(self, var):
        return tf.fill(var.shape, self.initialAccumulatorValue)

    def _kernel(self):
        return 'ApplyAdagrad'

    def _step_attrs(self):
        return {'lr': self.learningRate, 'epsilon': ENGINE.backend.epsilon()}


class AdadeltaOptimizer(Optimizer):
    """As tfjs: the update is scaled by the accumulated squared gradient from
    before this step (Keras uses the one after)."""

    className = 'Adadelta'
    _schema = {'learningRate': 0.001, 'rho': 0.95, 'epsilon': None}
    _slot_suffixes = ('accum_grad', 'accum_var')

    def _kernel(self):
        return 'ApplyAdadelta'

    def _step_attrs(self):
        return {'lr': self.learningRate, 'rho': self.rho, 'epsilon': self.epsilon}


class AdamOptimizer(Optimizer):
    className = 'Adam'
    _schema = {'learningRate': 0.001, 'beta1': 0.9, 'beta2': 0.999, 'epsilon': None}
    _slot_suffixes = ('m', 'v')

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._restored()

    def _restored(self) -> None:
        # beta^(t+1) in float32, as tfjs keeps it in a float32 variable.
        self._acc_beta1 = np.float32(self.beta1) ** np.float32(self.iterations_ + 1)
        self._acc_beta2 = np.float32(self.beta2) ** np.float32(self.iterations_ + 1)

    def _kernel(self):
        return 'ApplyAdam'

    def _step_attrs(self):
        return {'lr': self.learningRate, 'beta1': self.beta1, 'beta2': self.beta2,
                'epsilon': self.epsilon, 'beta1Power': float(self._acc_beta1),
                'beta2Power': float(self._acc_beta2)}

    def _after_step(self) -> None:
        self._acc_beta1 = np.float32(self._acc_beta1 * np.float32(self.beta1))
        self._acc_beta2 = np.float32(self._acc_beta2 * np.float32(self.beta2))


class AdamaxOptimizer(Optimizer):
    className = 'Adamax'
    _schema = {'learningRate': 0.002, 'beta1': 0.9, 'beta2': 0.999, 'epsilon': None,
               'decay': 0.0}
    _slot_suffixes = ('m', 'v')

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._restored()

    def _restored(self) -> None:
        self._acc_beta1 = np.float32(self.beta1) ** np.float32(self.iterations_ + 1)

    def _kernel(self):
        return 'ApplyAdaMax'

    def _step_attrs(self):
        # tfjs decays the rate in float32: lr / (iterations * decay + 1).
        lr = np.float32(self.learningRate) / (
            np.float32(self.iterations_) * np.float32(self.decay) + np.float32(1))
        return {'lr': float(lr), 'beta1': self.beta1, 'beta2': self.beta2,
                'epsilon': self.epsilon, 'beta1Power': float(self._acc_beta1)}

    def _after_step(self) -> None:
        self._acc_beta1 = np.float32(self._acc_beta1 * np.float32(self.beta1))


class RMSPropOptimizer(Optimizer):
    className = 'RMSProp'
    _schema = {'learningRate': REQUIRED, 'decay': 0.9, 'momentum': 0.0, 'epsilon': None,
               'centered': False}
    _slot_suffixes = ('rms', 'momentum', 'mg')

    def _active_suffixes(self) -> tuple[str, ...]:
        return self._slot_suffixes if self.centered else self._slot_suffixes[:2]

    def _kernel(self):
        return 'ApplyCenteredRMSProp' if self.centered else 'ApplyRMSProp'

    def _step_attrs(self):
        return {'lr': self.learningRate, 'rho': self.decay, 'momentum': self.momentum,
                'epsilon': self.epsilon}

    def _kernel_inputs(self, var, slots, grad):
        # Slots are kept as (ms, mom, mg), tfjs' getWeights order; the centered
        # kernel takes TensorFlow's order (mg, ms, mom).
        return (var, slots[2], slots[0], slots[1], grad) if self.centered else (var, *slots, grad)

    def _kernel_outputs(self, var, slots):
        return (var, slots[2], slots[0], slots[1]) if self.centered else (var, *slots)


OPTIMIZER_CLASSES: dict[str, type[Optimizer]] = {
    cls.className: cls for cls in (SGDOptimizer, MomentumOptimizer, AdagradOptimizer,
                                   AdadeltaOptimizer, AdamOptimizer, AdamaxOptimizer,
                                   RMSPropOptimizer)}
for _cls in OPTIMIZER_CLASSES.values():
    registerClass(_cls)


# -- tf.train --------------------------------------------------------------------
def sgd(*args: Any, **kwargs: Any) -> SGDOptimizer:
    """tf.train.sgd(learningRate)."""
    return SGDOptimizer(*args, **kwargs)


def momentum(*args: Any, **kwargs: Any) -> MomentumOptimizer:
    """tf.train.momentum(learningRate, momentum, useNesterov=False)."""
    return MomentumOptimizer(*args, **kwargs)


def adagrad(*args: Any, **kwargs: Any) -> AdagradOptimizer:
    """tf.train.adagrad(learningRate, initialAccumulatorValue=0.1)."""
    return AdagradOptimizer(*args, **kwargs)


def adadelta(*args: Any, **kwargs: Any) -> AdadeltaOptimizer:
    """tf.train.adadelta(learningRate=0.001, rho=0.95, epsilon=backend epsilon)."""
    return AdadeltaOptimizer(*args, **kwargs)


def adam(*args: Any, **kwargs: Any) -> AdamOptimizer:
    """tf.train.adam(learningRate=0.001, beta1=0.9, beta2=0.999, epsilon)."""
    return AdamOptimizer(*args, **kwargs)


def adamax(*args: Any, **kwargs: Any) -> AdamaxOptimizer:
    """tf.train.adamax(learningRate=0.002, beta1=0.9, beta2=0.999, epsilon, decay=0)."""
    return AdamaxOptimizer(*args, **kwargs)


def rmsprop(*args: Any, **kwargs: Any) -> RMSPropOptimizer:
    """tf.train.rmsprop(learningRate, decay=0.9, momentum=0, epsilon, centered=False)."""
    return RMSPropOptimizer(*args, **kwargs)


train = Namespace('tf.train', {
    'sgd': sgd, 'momentum': momentum, 'adagrad': adagrad, 'adadelta': adadelta,
    'adam': adam, 'adamax': adamax, 'rmsprop': rmsprop, 'Optimizer': Optimizer})

# compile({'optimizer': 'adam'}): tfjs' defaults for string optimizers.
_BY_STRING: dict[str, Callable[[], Optimizer]] = {
    'Adagrad': lambda: adagrad(0.01),
    'Adadelta': lambda: adadelta(1.0, 0.95),
    'Adam': lambda: adam(0.001, 0.9, 0.999),
    'Adamax': lambda: adamax(0.002, 0.9, 0.999, None, 0),
    'RMSProp': lambda: rmsprop(0.001, 0.9, 0),
    'SGD': lambda: sgd(0.01),
}
_BY_LOWER = {k.lower(): k for k in _BY_STRING}


def getOptimizer(identifier: str) -> Optimizer:
    """A new optimizer from its tfjs name ('sgd', 'Adam', 'rmsprop', ...)."""
    key = _BY_LOWER.get(identifier.lower()) if isinstance(identifier, str) else None
    if key is None:
        raise ValueError(f'Unknown Optimizer {identifier!r}; expected one of '
                         f'{", ".join(sorted(_BY_LOWER))}')
    return _BY_STRING[key]()


def deserializeOptimizer(config: Mapping[str, Any]) -> Optimizer:
    """An optimizer from {'className': 'Adam', 'config': {...}} (Keras'
    'class_name' and 'Custom>Adam' spellings are accepted)."""
    name = config.get('className', config.get('class_name'))
    if isinstance(name, str) and name.startswith('Custom>'):
        name = name[len('Custom>'):]
    cls = OPTIMIZER_CLASSES.get(name)
    if cls is None:
        raise ValueError(f'Unknown optimizer class {name!r}; known: '
                         f'{", ".join(OPTIMIZER_CLASSES)}')
    return cls.fromConfig(config.get('config') or {})


__all__ = ['Optimizer', 'SGDOptimizer', 'MomentumOptimizer', 'AdagradOptimizer',
           'AdadeltaOptimizer', 'AdamOptimizer', 'AdamaxOptimizer', 'RMSPropOptimizer',
           'OPTIMIZER_CLASSES', 'train', 'getOptimizer', 'deserializeOptimizer']
