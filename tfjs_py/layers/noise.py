"""Regularizing noise, active only while training: gaussianNoise,
gaussianDropout, alphaDropout. A `seed` (beyond tfjs) makes the noise
reproducible."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from .._naming import REQUIRED
from ..engine.engine import ENGINE
from ..engine.tensor import Tensor
from ..serialization import registerClass
from .base import Layer, one_tensor, tfc
from .core import in_train_phase


class _Noise(Layer):
    CONFIG = {'seed': None}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        self.supportsMasking = True
        self.seed = self._args['seed']

    def _seed_config(self) -> dict[str, Any]:
        return {} if self.seed is None else {'seed': self.seed}


def _rate(value: Any, who: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < 1:
        raise ValueError(f'{who}: rate must be a number in [0, 1), got {value!r}')
    return float(value)


@registerClass
class GaussianNoise(_Noise):
    """x + N(0, stddev) while training."""

    className = 'GaussianNoise'
    CONFIG = {'stddev': REQUIRED}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        self.stddev = float(self._args['stddev'])

    def call(self, inputs: Any, kwargs: dict[str, Any]) -> Tensor:
        x = one_tensor(inputs, self.name)
        if not in_train_phase(kwargs):
            return x
        return ENGINE.tidy(lambda: tfc.add(x, tfc.randomNormal(x.shape, 0, self.stddev,
                                                               'float32', self.seed)))

    def getConfig(self) -> dict[str, Any]:
        return {'stddev': self.stddev, **self._seed_config(), **super().getConfig()}


@registerClass
class GaussianDropout(_Noise):
    """x * N(1, sqrt(rate / (1 - rate))) while training."""

    className = 'GaussianDropout'
    CONFIG = {'rate': REQUIRED}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        self.rate = _rate(self._args['rate'], 'GaussianDropout')

    def call(self, inputs: Any, kwargs: dict[str, Any]) -> Tensor:
        x = one_tensor(inputs, self.name)
        if not (in_train_phase(kwargs) and 0 < self.rate < 1):
            return x
        stddev = math.sqrt(self.rate / (1 - self.rate))
        return ENGINE.tidy(lambda: tfc.mul(x, tfc.randomNormal(x.shape, 1, stddev, 'float32',
                                                               self.seed)))

    def getConfig(self) -> dict[str, Any]:
        return {'rate': self.rate, **self._seed_config(), **super().getConfig()}


# The fixed point of SELU: dropped units take its negative saturation value.
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


@registerClass
class AlphaDropout(_Noise):
    """Dropout that keeps SELU's mean and variance: dropped units are set to
    -alpha * scale, then an affine map restores the moments."""

    className = 'AlphaDropout'
    CONFIG = {'rate': REQUIRED, 'noiseShape': None}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        self.rate = _rate(self._args['rate'], 'AlphaDropout')
        noise = self._args['noiseShape']
        self.noiseShape = list(noise) if noise is not None else None

    def call(self, inputs: Any, kwargs: dict[str, Any]) -> Tensor:
        x = one_tensor(inputs, self.name)
        if not (in_train_phase(kwargs) and 0 < self.rate < 1):
            return x
        rate = self.rate
        shape = x.shape if self.noiseShape is None else [
            x.shape[i] if d is None else int(d) for i, d in enumerate(self.noiseShape)]
        alpha_p = -_SELU_ALPHA * _SELU_SCALE
        a = ((1 - rate) * (1 + rate * alpha_p ** 2)) ** -0.5
        b = -a * alpha_p * rate

        def run() -> Tensor:
            kept = tfc.cast(tfc.greaterEqual(
                tfc.randomUniform(shape, 0, 1, 'float32', self.seed), tfc.scalar(rate)),
                'float32')
            dropped_value = tfc.mul(tfc.sub(tfc.scalar(1.0), kept), tfc.scalar(alpha_p))
            y = tfc.add(tfc.mul(x, kept), dropped_value)
            return tfc.add(tfc.mul(y, tfc.scalar(a)), tfc.scalar(b))

        return ENGINE.tidy(run)

    def getConfig(self) -> dict[str, Any]:
        return {'rate': self.rate, **self._seed_config(), **super().getConfig()}


__all__ = ['AlphaDropout', 'GaussianDropout', 'GaussianNoise']
