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
                self.applyGradients([{'name': v.name, 'tensor': grads.get(v.name)}
                                     for v in varList])
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
        variables = []
        for name, _ in named:
            var = ENGINE.registeredVariables.get(name)
            if var is None:
                raise ValueError(f'applyGradients: no variable named {name!r} is registered')
            variables.append(var)
        consts = self._step_constants()
        for i, ((name, grad), var) in enumerate(zip(named, variables, strict=True)):
            slots = self._slots_for(i, name, var)
            if grad is None:
                continue
            if not isinstance(grad, Tensor):
                raise TypeError(f'applyGradients: the gradient of {name!r} must be a Tensor')
            tidy(lambda var=var, grad=grad, slots=slots: self._update(var, grad, slots, consts))
        self._after_step()
        self.iterations_ += 1

    def _slots_for(self, i: int, name: str, var: Variable) -> list[Variable]:
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

    def _step_constants(self) -> dict[str, Any]:
        return {}

    def _update(self, var: Variable, grad: Tensor, slots: list[Variable],
                consts: dict[str, Any]) -> None:
        raise NotImplementedError

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

    def _update(self, var, grad, slots, consts):
        var.assign(tf.add(tf.mul(grad, -self.learningRate), var))


class MomentumOptimizer(Optimizer):
    className = 'Momentum'
    _schema = {'learningRate': REQUIRED, 'momentum': REQUIRED, 'useNesterov': False}
    _slot_suffixes = ('momentum',)

    def setMomentum(self, momentum: float) -> None:
        self.momentum = momentum

    def _update(self, var, grad, slots, consts):
        (accumulation,) = slots
        c = -self.learningRate
        new_acc = tf.add(tf.mul(accumulation, self.momentum), grad)
        if self.useNesterov:
            new_value = tf.add(tf.mul(tf.add(grad, tf.mul(new_acc, self.momentum)), c), var)
        else:
            new_value = tf.add(tf.mul(new_acc, c), var)
        accumulation.assign(new_acc)
        var.assign(new_value)


class AdagradOptimizer(Optimizer):
    className = 'Adagrad'
    _schema = {'learningRate': REQUIRED, 'initialAccumulatorValue': 0.1}
    _slot_suffixes = ('accumulator',)

    def _initial_slot(self, var):
        return tf.fill(var.shape, self.initialAccumulatorValue)

    def _update(self, var, grad, slots, consts):
        (acc,) = slots
        new_acc = tf.add(acc, tf.square(grad))
        acc.assign(new_acc)
        step = tf.div(grad, tf.sqrt(tf.add(new_acc, ENGINE.backend.epsilon())))
        var.assign(tf.add(tf.mul(step, -self.learningRate), var))


class AdadeltaOptimizer(Optimizer):
    """As tfjs: the update is scaled by the accumulated squared gradient from
    before this step (Keras uses the one after)."""

    className = 'Adadelta'
    _schema = {'learningRate': 0.001, 'rho': 0.95, 'epsilon': None}
    _slot_suffixes = ('accum_grad', 'accum_var')

    def _update(self, var, grad, slots, consts):
        acc_grad, acc_update = slots
        rho, eps = self.rho, self.epsilon
        new_acc_grad = tf.add(tf.mul(acc_grad, rho), tf.mul(tf.square(grad), 1 - rho))
        updates = tf.mul(tf.div(tf.sqrt(tf.add(acc_update, eps)),
                                tf.sqrt(tf.add(acc_grad, eps))), grad)
        new_acc_update = tf.add(tf.mul(acc_update, rho), tf.mul(tf.square(updates), 1 - rho))
        acc_grad.assign(new_acc_grad)
        acc_update.assign(new_acc_update)
        var.assign(tf.add(tf.mul(updates, -self.learningRate), var))


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

    def _step_constants(self):
        return {'c1': np.float32(1) - self._acc_beta1, 'c2': np.float32(1) - self._acc_beta2}

    def _update(self, var, grad, slots, consts):
        m, v = slots
        b1, b2 = self.beta1, self.beta2
        new_m = tf.add(tf.mul(m, b1), tf.mul(grad, 1 - b1))
        new_v = tf.add(tf.mul(v, b2), tf.mul(tf.square(grad), 1 - b2))
        m_hat = tf.div(new_m, tf.scalar(consts['c1']))
        v_hat = tf.div(new_v, tf.scalar(consts['c2']))
        m.assign(new_m)
        v.assign(new_v)
        step = tf.div(m_hat, tf.add(tf.sqrt(v_hat), self.epsilon))
        var.assign(tf.add(tf.mul(step, -self.learningRate), var))

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

    def _step_constants(self):
        lr = np.float32(-self.learningRate) / (
            np.float32(self.iterations_) * np.float32(self.decay) + np.float32(1))
        return {'scale': np.float32(lr) / (np.float32(1) - self._acc_beta1)}

    def _update(self, var, grad, slots, consts):
        m, u = slots
        b1 = self.beta1
        new_m = tf.add(tf.mul(m, b1), tf.mul(grad, 1 - b1))
        new_u = tf.maximum(tf.mul(u, self.beta2), tf.abs(grad))
        m.assign(new_m)
        u.assign(new_u)
        step = tf.mul(tf.scalar(consts['scale']), tf.div(new_m, tf.add(new_u, self.epsilon)))
        var.assign(tf.add(step, var))

    def _after_step(self) -> None:
        self._acc_beta1 = np.float32(self._acc_beta1 * np.float32(self.beta1))


class RMSPropOptimizer(Optimizer):
    className = 'RMSProp'
    _schema = {'learningRate': REQUIRED, 'decay': 0.9, 'momentum': 0.0, 'epsilon': None,
               'centered': False}
    _slot_suffixes = ('rms', 'momentum', 'mg')

    def _active_suffixes(self) -> tuple[str, ...]:
        return self._slot_suffixes if self.centered else self._slot_suffixes[:2]

    def _update(self, var, grad, slots, consts):
        ms, mom = slots[0], slots[1]
        d = self.decay
        new_ms = tf.add(tf.mul(ms, d), tf.mul(tf.square(grad), 1 - d))
        if self.centered:
            mg = slots[2]
            new_mg = tf.add(tf.mul(mg, d), tf.mul(grad, 1 - d))
            denom = tf.sqrt(tf.add(tf.sub(new_ms, tf.square(new_mg)), self.epsilon))
            mg.assign(new_mg)
        else:
            denom = tf.sqrt(tf.add(new_ms, self.epsilon))
        new_mom = tf.add(tf.mul(mom, self.momentum),
                         tf.div(tf.mul(grad, self.learningRate), denom))
        ms.assign(new_ms)
        mom.assign(new_mom)
        var.assign(tf.sub(var, new_mom))


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
