"""tf.layers: a factory per layer (`tf.layers.dense({...})`) and the layer
classes (`tf.layers.Dense`, `tf.layers.Layer`) for isinstance checks and
subclassing. snake_case names answer too (`tf.layers.batch_normalization`).

Add a family with `name = factory(Class)` lines; `factory` makes the thin
function that passes a config dict and/or keywords to the constructor.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .._naming import module_aliases
from .base import InputSpec, Layer, LayerVariable, Node, SymbolicTensor  # noqa: F401
from .core import (
                   Activation,
                   Dense,
                   Dropout,
                   Flatten,
                   Masking,
                   Permute,
                   RepeatVector,
                   Reshape,
                   SpatialDropout1D,
)
from .input_layer import InputLayer


def factory(cls: type[Layer]) -> Callable[..., Layer]:
    """The tf.layers function of a layer class."""

    def make(config: Mapping[str, Any] | None = None, **kwargs: Any) -> Layer:
        return cls(config, **kwargs)

    name = cls.className[0].lower() + cls.className[1:]
    make.__name__ = make.__qualname__ = name
    make.__doc__ = f'tf.layers.{name}(config): a {cls.className} layer. {cls.__doc__ or ""}'
    return make


inputLayer = factory(InputLayer)
dense = factory(Dense)
activation = factory(Activation)
dropout = factory(Dropout)
spatialDropout1d = factory(SpatialDropout1D)
flatten = factory(Flatten)
reshape = factory(Reshape)
permute = factory(Permute)
repeatVector = factory(RepeatVector)
masking = factory(Masking)

# -- families written on the same base (convolutional, pooling, normalization, recurrent, wrappers, preprocessing)  # noqa: E501

__getattr__ = module_aliases(globals())
