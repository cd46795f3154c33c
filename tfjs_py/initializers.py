"""Weight initializers: tf.initializers.* (zeros, ones, constant, randomUniform,
randomNormal, truncatedNormal, identity, varianceScaling, glorot*, he*,
leCun*, orthogonal).

An initializer is a serializable object whose `apply(shape, dtype)` returns a
new tensor. Configs take camelCase or snake_case keys and keyword arguments;
string values (`mode`, `distribution`) accept Keras' snake_case spellings.
Where tfjs mistreats a zero (`randomUniform({minval: 0})` becomes -0.05 in
tfjs because of `||`), zero is kept here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from ._naming import REQUIRED, Namespace, camel_value, normalize_config
from .engine.engine import ENGINE
from .engine.tensor import Tensor
from .ops import NAMESPACES, OPS
from .serialization import Serializable, deserialize, registerClass, serialize

tfc = Namespace('tf', OPS)
linalg = Namespace('tf.linalg', NAMESPACES.setdefault('linalg', {}))


class Initializer(Serializable):
    """Base class: `apply(shape, dtype='float32') -> Tensor`."""

    className = 'Initializer'
    CONFIG: dict[str, Any] = {}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        self._config = normalize_config(self.getClassName(), type(self).CONFIG, config, kwargs)

    def apply(self, shape: Any, dtype: str | None = None) -> Tensor:
        raise NotImplementedError(f'{self.getClassName()}.apply')

    def __call__(self, shape: Any, dtype: str | None = None) -> Tensor:
        return self.apply(shape, dtype)

    def getConfig(self) -> dict[str, Any]:
        return dict(self._config)

    def __repr__(self) -> str:
        return f'{type(self).__name__}({self.getConfig()})'


def _shape(shape: Any) -> list[int]:
    return [int(d) for d in ([shape] if isinstance(shape, int) else shape)]


def _float_dtype(dtype: str | None, who: str) -> str:
    dtype = dtype or 'float32'
    if dtype not in ('float32', 'int32'):
        raise NotImplementedError(f'{who} does not support dtype {dtype}')
    return dtype


@registerClass
class Zeros(Initializer):
    className = 'Zeros'

    def apply(self, shape: Any, dtype: str | None = None) -> Tensor:
        return tfc.zeros(_shape(shape), dtype or 'float32')


@registerClass
class Ones(Initializer):
    className = 'Ones'

    def apply(self, shape: Any, dtype: str | None = None) -> Tensor:
        return tfc.ones(_shape(shape), dtype or 'float32')


@registerClass
class Constant(Initializer):
    className = 'Constant'
    CONFIG = {'value': REQUIRED}

    def apply(self, shape: Any, dtype: str | None = None) -> Tensor:
        return tfc.fill(_shape(shape), self._config['value'], dtype or 'float32')


@registerClass
class RandomUniform(Initializer):
    className = 'RandomUniform'
    CONFIG = {'minval': -0.05, 'maxval': 0.05, 'seed': None}

    def apply(self, shape: Any, dtype: str | None = None) -> Tensor:
        c = self._config
        return tfc.randomUniform(_shape(shape), c['minval'], c['maxval'], dtype or 'float32',
                                 c['seed'])


@registerClass
class RandomNormal(Initializer):
    className = 'RandomNormal'
    CONFIG = {'mean': 0.0, 'stddev': 0.05, 'seed': None}

    def apply(self, shape: Any, dtype: str | None = None) -> Tensor:
        c = self._config
        return tfc.randomNormal(_shape(shape), c['mean'], c['stddev'],
                                _float_dtype(dtype, 'randomNormal'), c['seed'])


@registerClass
class TruncatedNormal(Initializer):
    className = 'TruncatedNormal'
    CONFIG = {'mean': 0.0, 'stddev': 0.05, 'seed': None}

    def apply(self, shape: Any, dtype: str | None = None) -> Tensor:
        c = self._config
        return tfc.truncatedNormal(_shape(shape), c['mean'], c['stddev'],
                                   _float_dtype(dtype, 'truncatedNormal'), c['seed'])


@registerClass
class Identity(Initializer):
    className = 'Identity'
    CONFIG = {'gain': 1.0}

    def apply(self, shape: Any, dtype: str | None = None) -> Tensor:
        dims = _shape(shape)
        if len(dims) != 2 or dims[0] != dims[1]:
            raise ValueError(f'Identity matrix initializer can only be used for 2D square '
                             f'matrices, got shape {dims}')
        gain = self._config['gain']
        return ENGINE.tidy(lambda: tfc.mul(tfc.scalar(float(gain)),
                                           tfc.eye(dims[0], None, None, dtype or 'float32')))


def compute_fans(shape: list[int]) -> tuple[float, float]:
    """(fanIn, fanOut) of a kernel shape, channels last (tfjs' computeFans)."""
    if len(shape) == 2:
        return float(shape[0]), float(shape[1])
    if len(shape) in (3, 4, 5):
        receptive = math.prod(shape[:-2])
        return float(shape[-2] * receptive), float(shape[-1] * receptive)
    size = math.prod(shape)
    return math.sqrt(size), math.sqrt(size)


_FAN_MODES = ('fanIn', 'fanOut', 'fanAvg')
# tfjs knows 'normal' (a truncated normal of stddev sqrt(scale)) and 'uniform';
# Keras JSON also writes 'truncated_normal' (stddev corrected for the
# truncation) and 'untruncated_normal'.
_DISTRIBUTIONS = ('normal', 'uniform', 'truncatedNormal', 'untruncatedNormal')
# stddev of a unit normal truncated to [-2, 2]
_TRUNCATION_STDDEV = 0.87962566103423978


@registerClass
class VarianceScaling(Initializer):
    className = 'VarianceScaling'
    CONFIG = {'scale': 1, 'mode': 'fanIn', 'distribution': 'normal', 'seed': None}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        # VarianceScaling's own schema, also for the presets that narrow theirs to seed.
        self._config = c = normalize_config(self.getClassName(), VarianceScaling.CONFIG, config,
                                            kwargs)
        if c['scale'] is None:
            c['scale'] = 1
        if c['scale'] < 0:
            raise ValueError(f"scale must be a positive float. Got: {c['scale']}")
        c['mode'] = camel_value(c['mode'] or 'fanIn')
        c['distribution'] = camel_value(c['distribution'] or 'normal')
        if c['mode'] not in _FAN_MODES:
            raise ValueError(f"Invalid FanMode {c['mode']!r}; valid values are "
                             f"{', '.join(_FAN_MODES)}")
        if c['distribution'] not in _DISTRIBUTIONS:
            raise ValueError(f"Invalid Distribution {c['distribution']!r}; valid values are "
                             f"{', '.join(_DISTRIBUTIONS)}")

    def apply(self, shape: Any, dtype: str | None = None) -> Tensor:
        dims = _shape(shape)
        c = self._config
        fan_in, fan_out = compute_fans(dims)
        denominator = {'fanIn': fan_in, 'fanOut': fan_out,
                       'fanAvg': (fan_in + fan_out) / 2}[c['mode']]
        scale = c['scale'] / max(1.0, denominator)
        dist = c['distribution']
        if dist == 'uniform':
            limit = math.sqrt(3 * scale)
            return tfc.randomUniform(dims, -limit, limit, dtype or 'float32', c['seed'])
        dtype = _float_dtype(dtype, self.getClassName())
        stddev = math.sqrt(scale)
        if dist == 'untruncatedNormal':
            return tfc.randomNormal(dims, 0, stddev, dtype, c['seed'])
        if dist == 'truncatedNormal':
            stddev /= _TRUNCATION_STDDEV
        return tfc.truncatedNormal(dims, 0, stddev, dtype, c['seed'])


class _Preset(VarianceScaling):
    """VarianceScaling with fixed scale/mode/distribution; configured by seed.
    Serialized as VarianceScaling, as tfjs does."""

    CONFIG = {'seed': None}
    PRESET: dict[str, Any] = {}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        seed = normalize_config(type(self).className, self.CONFIG, config, kwargs)['seed']
        super().__init__({**self.PRESET, 'seed': seed})

    def getClassName(self) -> str:
        return 'VarianceScaling'


@registerClass
class GlorotUniform(_Preset):
    className = 'GlorotUniform'
    PRESET = {'scale': 1, 'mode': 'fanAvg', 'distribution': 'uniform'}


@registerClass
class GlorotNormal(_Preset):
    className = 'GlorotNormal'
    PRESET = {'scale': 1, 'mode': 'fanAvg', 'distribution': 'normal'}


@registerClass
class HeNormal(_Preset):
    className = 'HeNormal'
    PRESET = {'scale': 2, 'mode': 'fanIn', 'distribution': 'normal'}


@registerClass
class HeUniform(_Preset):
    className = 'HeUniform'
    PRESET = {'scale': 2, 'mode': 'fanIn', 'distribution': 'uniform'}


@registerClass
class LeCunNormal(_Preset):
    className = 'LeCunNormal'
    PRESET = {'scale': 1, 'mode': 'fanIn', 'distribution': 'normal'}


@registerClass
class LeCunUniform(_Preset):
    className = 'LeCunUniform'
    PRESET = {'scale': 1, 'mode': 'fanIn', 'distribution': 'uniform'}


@registerClass
class Orthogonal(Initializer):
    """A random orthogonal matrix (QR of a normal matrix, signs fixed by R's
    diagonal), reshaped to the kernel shape and multiplied by gain."""

    className = 'Orthogonal'
    CONFIG = {'gain': 1.0, 'seed': None}

    def apply(self, shape: Any, dtype: str | None = None) -> Tensor:
        dims = _shape(shape)
        if len(dims) < 2:
            raise NotImplementedError(f'Orthogonal: shape must be at least 2D, got {dims}')
        if dtype not in (None, 'float32', 'int32'):
            raise TypeError(f'Orthogonal: unsupported data type {dtype}')
        rows, cols = math.prod(dims[:-1]), dims[-1]
        c = self._config

        def make() -> Tensor:
            normal = tfc.randomNormal([max(rows, cols), min(rows, cols)], 0, 1, 'float32',
                                      c['seed'])
            q, r = linalg.qr(normal)
            n = min(rows, cols)
            diagonal = tfc.sum(tfc.mul(r, tfc.eye(n, r.shape[1])), 0)
            q = tfc.mul(q, tfc.sign(diagonal))
            if rows < cols:
                q = tfc.transpose(q)
            out = tfc.mul(tfc.scalar(float(c['gain'])), tfc.reshape(q, dims))
            return out if dtype in (None, 'float32') else tfc.cast(out, dtype)

        return ENGINE.tidy(make)


# String identifiers (tfjs' INITIALIZER_IDENTIFIER_REGISTRY_SYMBOL_MAP).
IDENTIFIERS = {
    'constant': 'Constant', 'glorotNormal': 'GlorotNormal', 'glorotUniform': 'GlorotUniform',
    'heNormal': 'HeNormal', 'heUniform': 'HeUniform', 'identity': 'Identity',
    'leCunNormal': 'LeCunNormal', 'leCunUniform': 'LeCunUniform', 'ones': 'Ones',
    'orthogonal': 'Orthogonal', 'randomNormal': 'RandomNormal',
    'randomUniform': 'RandomUniform', 'truncatedNormal': 'TruncatedNormal',
    'varianceScaling': 'VarianceScaling', 'zeros': 'Zeros',
}
# Keras spells some of them differently ('lecun_normal', 'he_normal').
_KERAS_SPELLINGS = {'lecunNormal': 'leCunNormal', 'lecunUniform': 'leCunUniform'}


def getInitializer(identifier: Any) -> Initializer:
    """An Initializer from a string ('glorotNormal' or 'glorot_normal'), a
    `{className, config}` dict, or an Initializer (returned as is)."""
    if isinstance(identifier, Initializer):
        return identifier
    if isinstance(identifier, str):
        name = camel_value(identifier)
        name = _KERAS_SPELLINGS.get(name, name)
        class_name = IDENTIFIERS.get(name, identifier)
        return deserialize({'className': class_name, 'config': {}}, kind='initializer',
                           base=Initializer)
    if isinstance(identifier, Mapping):
        return deserialize(identifier, kind='initializer', base=Initializer)
    raise TypeError(f'an initializer must be a string, a config dict or an Initializer, '
                    f'not {type(identifier).__name__}')


def serializeInitializer(initializer: Initializer | None) -> dict[str, Any] | None:
    return serialize(initializer)


def _factory(cls: type[Initializer]):
    def make(config: Mapping[str, Any] | None = None, **kwargs: Any) -> Initializer:
        return cls(config, **kwargs)

    make.__name__ = cls.className[0].lower() + cls.className[1:]
    make.__doc__ = f'tf.initializers.{make.__name__}: a {cls.className} initializer.'
    return make


def _public_name(cls: type) -> str:
    name = cls.className
    return name[0].lower() + name[1:]


_CLASSES = [Zeros, Ones, Constant, RandomUniform, RandomNormal, TruncatedNormal, Identity,
            VarianceScaling, GlorotUniform, GlorotNormal, HeNormal, HeUniform, LeCunNormal,
            LeCunUniform, Orthogonal]
FACTORIES = {_public_name(c): _factory(c) for c in _CLASSES}
# tf.initializers also holds the classes, for isinstance checks and subclassing.
namespace = Namespace('tf.initializers', {
    **FACTORIES, **{c.className: c for c in _CLASSES}, 'Initializer': Initializer,
    'getInitializer': getInitializer, 'serializeInitializer': serializeInitializer})

__all__ = ['Initializer', 'getInitializer', 'serializeInitializer', 'compute_fans',
           *(c.className for c in _CLASSES)]
