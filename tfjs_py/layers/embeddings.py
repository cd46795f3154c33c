"""Embedding: integer indices -> dense vectors, with an optional zero mask."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._naming import REQUIRED
from ..constraints import getConstraint, serializeConstraint
from ..engine.engine import ENGINE
from ..engine.tensor import Tensor
from ..initializers import getInitializer, serializeInitializer
from ..regularizers import getRegularizer, serializeRegularizer
from ..serialization import registerClass
from .base import Layer, one_shape, one_tensor, shape_str, tfc
from .core import check_positive_int


@registerClass
class Embedding(Layer):
    """Looks up rows of an [inputDim, outputDim] matrix. With maskZero, index 0
    is padding: downstream layers get a mask that skips it."""

    className = 'Embedding'
    CONFIG = {'inputDim': REQUIRED, 'outputDim': REQUIRED, 'embeddingsInitializer': None,
              'embeddingsRegularizer': None, 'activityRegularizer': None,
              'embeddingsConstraint': None, 'maskZero': None, 'inputLength': None}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        args = self._args
        length = args['inputLength']
        if self.batchInputShape is None:
            lengths = [None] if length is None else (list(length) if isinstance(
                length, list | tuple) else [length])
            self.batchInputShape = [args['batchSize'], *lengths]
            self.dtype = self.dtype or 'float32'
        self.inputDim = check_positive_int(args['inputDim'], 'inputDim', 'Embedding')
        self.outputDim = check_positive_int(args['outputDim'], 'outputDim', 'Embedding')
        self.embeddingsInitializer = getInitializer(args['embeddingsInitializer']
                                                    or 'randomUniform')
        self.embeddingsRegularizer = getRegularizer(args['embeddingsRegularizer'])
        self.activityRegularizer = getRegularizer(args['activityRegularizer'])
        self.embeddingsConstraint = getConstraint(args['embeddingsConstraint'])
        # None (unset) is kept: tfjs writes mask_zero: null then
        self.maskZero = None if args['maskZero'] is None else bool(args['maskZero'])
        self.supportsMasking = bool(self.maskZero)
        self.inputLength = length
        self.embeddings = None

    def build(self, inputShape: Any) -> None:
        self.embeddings = self.addWeight('embeddings', [self.inputDim, self.outputDim],
                                         'float32', self.embeddingsInitializer,
                                         self.embeddingsRegularizer, True,
                                         self.embeddingsConstraint)
        self.built = True

    def _warn_on_incompatible_input_shape(self, shape: Any) -> None:
        return None

    def computeMask(self, inputs: Any, mask: Any = None) -> Any:
        if not self.maskZero:
            return None
        x = one_tensor(inputs, self.name)
        return ENGINE.tidy(lambda: tfc.notEqual(x, tfc.zerosLike(x)))

    def computeOutputShape(self, inputShape: Any) -> Any:
        shape = one_shape(inputShape, self.name)
        if self.inputLength is None:
            return [*shape, self.outputDim]
        lengths = list(self.inputLength) if isinstance(self.inputLength, list | tuple) else [
            self.inputLength]
        if len(lengths) != len(shape) - 1:
            raise ValueError(f'"inputLength" is {self.inputLength}, but received input shape '
                             f'has shape {shape_str(shape)}')
        for k, (s1, s2) in enumerate(zip(lengths, shape[1:], strict=True)):
            if s1 is not None and s2 is not None and s1 != s2:
                raise ValueError(f'"inputLength" is {self.inputLength}, but received input '
                                 f'shape has shape {shape_str(shape)}')
            if s1 is None:
                lengths[k] = s2
        return [shape[0], *lengths, self.outputDim]

    def call(self, inputs: Any, kwargs: dict[str, Any]) -> Tensor:
        x = one_tensor(inputs, self.name)

        def run() -> Tensor:
            indices = x if x.dtype == 'int32' else tfc.cast(x, 'int32')
            rows = tfc.gather(self.embeddings.read(), tfc.reshape(indices, [indices.size]))
            return tfc.reshape(rows, [*x.shape, self.outputDim])

        return ENGINE.tidy(run)

    def getConfig(self) -> dict[str, Any]:
        return {'inputDim': self.inputDim, 'outputDim': self.outputDim,
                'embeddingsInitializer': serializeInitializer(self.embeddingsInitializer),
                'embeddingsRegularizer': serializeRegularizer(self.embeddingsRegularizer),
                'activityRegularizer': serializeRegularizer(self.activityRegularizer),
                'embeddingsConstraint': serializeConstraint(self.embeddingsConstraint),
                'maskZero': self.maskZero, 'inputLength': self.inputLength,
                **super().getConfig()}


__all__ = ['Embedding']
