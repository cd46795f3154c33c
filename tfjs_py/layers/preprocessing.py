"""Preprocessing layers that tfjs 4.22 exports: rescaling, centerCrop, resizing,
categoryEncoding and randomWidth (tfjs-layers preprocessing/).

Where tfjs is wrong we do it right and say so:
- resizing with `cropToAspectRatio: True` crops the largest centred window of
  the target aspect ratio before resizing (tfjs only switches alignCorners);
  without it, resizing keeps tfjs' numbers (alignCorners on);
- resizing's output shape keeps the batch dimension (tfjs drops it);
- centerCrop crops at offset floor((size - target) / 2) on both axes (tfjs
  shifts the width offset from 0 to 1);
- randomWidth only acts while training, as in Keras (tfjs resizes at inference
  too).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .._naming import REQUIRED
from ..engine.engine import ENGINE
from ..engine.tensor import Tensor
from ..serialization import registerClass
from .base import Layer, one_shape, one_tensor, tfc
from .convolutional import IMAGE, check_option


def _positive_int(value: Any, name: str, owner: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or int(value) != value \
            or value < 1:
        raise ValueError(f'{owner}: {name} must be a positive integer, got {value!r}')
    return int(value)


def _image_rank(x: Tensor, owner: str) -> None:
    if x.rank not in (3, 4):
        raise ValueError(f'{owner} expects an image of rank 3 ([height, width, channels]) or 4 '
                         f'([batch, height, width, channels]), got shape {x.shape}')


@registerClass
class Rescaling(Layer):
    """x * scale + offset, in float32."""

    className = 'Rescaling'
    CONFIG = {'scale': REQUIRED, 'offset': 0}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        args = self._args
        for key in ('scale', 'offset'):
            value = args[key]
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f'Rescaling: {key} must be a number, got {value!r}')
        self.scale = args['scale']
        self.offset = args['offset'] or 0

    def call(self, inputs: Any, kwargs: dict[str, Any]) -> Tensor:
        x = one_tensor(inputs, self.name)

        def run() -> Tensor:
            xf = x if x.dtype == 'float32' else tfc.cast(x, 'float32')
            return tfc.add(tfc.mul(xf, self.scale), self.offset)

        return ENGINE.tidy(run)

    def getConfig(self) -> dict[str, Any]:
        return {'scale': self.scale, 'offset': self.offset, **super().getConfig()}


@registerClass
class CenterCrop(Layer):
    """Crops the centre [height, width] window of images; a smaller image is
    resized up (bilinear), as tfjs does."""

    className = 'CenterCrop'
    CONFIG = {'height': REQUIRED, 'width': REQUIRED}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        self.height = _positive_int(self._args['height'], 'height', 'CenterCrop')
        self.width = _positive_int(self._args['width'], 'width', 'CenterCrop')

    def call(self, inputs: Any, kwargs: dict[str, Any]) -> Tensor:
        x = one_tensor(inputs, self.name)
        _image_rank(x, 'CenterCrop')
        in_h, in_w = x.shape[-3], x.shape[-2]
        top, left = (in_h - self.height) // 2, (in_w - self.width) // 2

        def run() -> Tensor:
            if top < 0 or left < 0:
                out = IMAGE.resizeBilinear(x, [self.height, self.width])
                return out if out.dtype == x.dtype else tfc.cast(out, x.dtype)
            begin = [0] * x.rank
            size = list(x.shape)
            begin[-3], begin[-2] = top, left
            size[-3], size[-2] = self.height, self.width
            return tfc.slice(x, begin, size)

        return ENGINE.tidy(run)

    def computeOutputShape(self, inputShape: Any) -> Any:
        shape = one_shape(inputShape, self.name)
        shape[-3], shape[-2] = self.height, self.width
        return shape

    def getConfig(self) -> dict[str, Any]:
        return {'height': self.height, 'width': self.width, **super().getConfig()}


@registerClass
class Resizing(Layer):
    """Resizes images to [height, width] with 'bilinear' (default) or 'nearest'
    interpolation."""

    className = 'Resizing'
    CONFIG = {'height': REQUIRED, 'width': REQUIRED, 'interpolation': 'bilinear',
              'cropToAspectRatio': False}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        args = self._args
        self.height = _positive_int(args['height'], 'height', 'Resizing')
        self.width = _positive_int(args['width'], 'width', 'Resizing')
        self.interpolation = check_option(args['interpolation'] or 'bilinear',
                                          ('bilinear', 'nearest'), 'interpolation', 'Resizing')
        self.cropToAspectRatio = bool(args['cropToAspectRatio'])

    def call(self, inputs: Any, kwargs: dict[str, Any]) -> Tensor:
        x = one_tensor(inputs, self.name)
        _image_rank(x, 'Resizing')
        resize = IMAGE.resizeBilinear if self.interpolation == 'bilinear' else \
            IMAGE.resizeNearestNeighbor
        size = [self.height, self.width]

        def run() -> Tensor:
            if not self.cropToAspectRatio:
                return resize(x, size, True)
            in_h, in_w = x.shape[-3], x.shape[-2]
            # The largest centred window with the target's aspect ratio.
            crop_h = min(in_h, in_w * self.height // self.width)
            crop_w = min(in_w, in_h * self.width // self.height)
            begin = [0] * x.rank
            extent = list(x.shape)
            begin[-3], begin[-2] = (in_h - crop_h) // 2, (in_w - crop_w) // 2
            extent[-3], extent[-2] = crop_h, crop_w
            return resize(tfc.slice(x, begin, extent), size, False)

        return ENGINE.tidy(run)

    def computeOutputShape(self, inputShape: Any) -> Any:
        shape = one_shape(inputShape, self.name)
        shape[-3], shape[-2] = self.height, self.width
        return shape

    def getConfig(self) -> dict[str, Any]:
        return {'height': self.height, 'width': self.width, 'interpolation': self.interpolation,
                'cropToAspectRatio': self.cropToAspectRatio, **super().getConfig()}


OUTPUT_MODES = ('int', 'oneHot', 'multiHot', 'count', 'tfIdf')


@registerClass
class CategoryEncoding(Layer):
    """Integer category ids to one-hot, multi-hot or count vectors of length numTokens.
    'count' takes optional per-id weights as the `countWeights` call argument;
    'tfIdf' needs them."""

    className = 'CategoryEncoding'
    CONFIG = {'numTokens': REQUIRED, 'outputMode': 'multiHot'}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        self.numTokens = _positive_int(self._args['numTokens'], 'numTokens', 'CategoryEncoding')
        self.outputMode = check_option(self._args['outputMode'] or 'multiHot', OUTPUT_MODES,
                                       'outputMode', 'CategoryEncoding')

    def computeOutputShape(self, inputShape: Any) -> Any:
        shape = one_shape(inputShape, self.name)
        if self.outputMode == 'int':
            return shape
        if not shape:
            return [self.numTokens]
        if self.outputMode == 'oneHot' and shape[-1] != 1:
            return [*shape, self.numTokens]
        return [*shape[:-1], self.numTokens]

    def call(self, inputs: Any, kwargs: dict[str, Any]) -> Tensor:
        x = one_tensor(inputs, self.name)
        weights = kwargs.get('countWeights')
        if weights is not None and self.outputMode not in ('count', 'tfIdf'):
            raise ValueError(f'CategoryEncoding: countWeights is not used when outputMode is '
                             f'{self.outputMode!r}')
        if self.outputMode == 'tfIdf' and weights is None:
            raise ValueError("CategoryEncoding: when outputMode is 'tfIdf', countWeights must "
                             "be provided")

        def run() -> Tensor:
            ids = x if x.dtype == 'int32' else tfc.cast(x, 'int32')
            if ids.size:
                low, high = float(tfc.min(ids).dataSync()[0]), float(tfc.max(ids).dataSync()[0])
                if low < 0 or high >= self.numTokens:
                    raise ValueError(f'CategoryEncoding: input values must be in the range '
                                     f'0 <= values < numTokens with numTokens='
                                     f'{self.numTokens}; got values from {low:g} to {high:g}')
            if self.outputMode == 'int':
                return ids
            original = ids.shape
            if ids.rank == 0:
                ids = tfc.reshape(ids, [1])
            if self.outputMode == 'oneHot' and ids.shape[-1] != 1:
                ids = tfc.reshape(ids, [*ids.shape, 1])
            if ids.rank > 2:
                raise ValueError(f'CategoryEncoding: when outputMode is not int, the maximum '
                                 f'output rank is 2; received outputMode {self.outputMode!r} '
                                 f'and input shape {list(original)}, which would result in an '
                                 f'output of rank {ids.rank}.')
            hot = tfc.oneHot(ids, self.numTokens, 1, 0, 'float32')  # [..., n, numTokens]
            if self.outputMode in ('oneHot', 'multiHot'):
                return tfc.max(hot, hot.rank - 2)
            if weights is not None:
                w = weights if isinstance(weights, Tensor) else tfc.tensor(weights)
                if list(w.shape) != list(ids.shape):
                    raise ValueError(f'CategoryEncoding: countWeights of shape {w.shape} must '
                                     f'have the shape of the input {list(ids.shape)}')
                w = tfc.cast(w, 'float32')
                hot = tfc.mul(hot, tfc.reshape(w, [*w.shape, 1]))
            return tfc.sum(hot, hot.rank - 2)

        return ENGINE.tidy(run)

    def getConfig(self) -> dict[str, Any]:
        return {'numTokens': self.numTokens, 'outputMode': self.outputMode,
                **super().getConfig()}


@registerClass
class RandomWidth(Layer):
    """While training, resizes the width of images by a random factor drawn
    uniformly from [1 + lower, 1 + upper] (`factor`: a number f for [-f, f] or
    a pair [lower, upper])."""

    className = 'RandomWidth'
    CONFIG = {'factor': REQUIRED, 'interpolation': 'bilinear', 'seed': None,
              'autoVectorize': None}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        args = self._args
        factor = args['factor']
        if isinstance(factor, Sequence) and not isinstance(factor, str) and len(factor) == 2:
            lower, upper = float(factor[0]), float(factor[1])
            factor = list(factor)
        elif isinstance(factor, (int, float)) and not isinstance(factor, bool) and factor > 0:
            lower, upper = -float(factor), float(factor)
        else:
            raise ValueError(f'RandomWidth: invalid factor {factor!r}; it must be a positive '
                             f'number or a list of 2 numbers')
        if lower < -1 or upper < -1:
            raise ValueError(f'RandomWidth: factor must have values larger than -1, got '
                             f'{factor!r}')
        if upper < lower:
            raise ValueError(f'RandomWidth: factor cannot have an upper bound ({upper}) less '
                             f'than its lower bound ({lower})')
        self.factor = factor
        self._lower, self._upper = lower, upper
        self.interpolation = check_option(args['interpolation'] or 'bilinear',
                                          ('bilinear', 'nearest'), 'interpolation',
                                          'RandomWidth')
        self.seed = args['seed']
        self._next_seed = self.seed

    def computeOutputShape(self, inputShape: Any) -> Any:
        shape = one_shape(inputShape, self.name)
        shape[-2] = None
        return shape

    def call(self, inputs: Any, kwargs: dict[str, Any]) -> Tensor:
        x = one_tensor(inputs, self.name)
        _image_rank(x, 'RandomWidth')
        if not kwargs.get('training'):
            return x
        seed = self._next_seed
        if seed is not None:
            self._next_seed = seed + 1

        def run() -> Tensor:
            draw = tfc.randomUniform([1], 1 + self._lower, 1 + self._upper, 'float32', seed)
            width = max(1, round(float(draw.dataSync()[0]) * x.shape[-2]))
            size = [x.shape[-3], width]
            if self.interpolation == 'bilinear':
                return IMAGE.resizeBilinear(x, size)
            return IMAGE.resizeNearestNeighbor(x, size)

        return ENGINE.tidy(run)

    def getConfig(self) -> dict[str, Any]:
        return {'factor': self.factor, 'interpolation': self.interpolation, 'seed': self.seed,
                **super().getConfig()}
