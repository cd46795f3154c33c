"""LayersModel: a Container that trains (tf.model), and the tf.model factory."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._naming import REQUIRED, normalize_config
from ..engine.tensor import Tensor
from ..layers.base import SymbolicTensor
from ..serialization import registerClass
from .container import Container
from .training import TrainingMixin


@registerClass
class LayersModel(TrainingMixin, Container):
    """A functional model: `tf.model({'inputs': ..., 'outputs': ...})`."""

    className = 'Model'

    def execute(self, inputs: Any, outputs: str | list[str]) -> Tensor | list[Tensor]:
        """Values of internal SymbolicTensors, by name (e.g. 'dense_Dense1/dense_Dense1'),
        for inputs given as a Tensor, a list (model input order) or a dict by
        input name."""
        if isinstance(outputs, list | tuple) and not outputs:
            raise ValueError('`outputs` is an empty Array, which is not allowed.')
        names = list(outputs) if isinstance(outputs, list | tuple) else [outputs]
        fetches = self._symbolic_tensors(names)
        if isinstance(inputs, Tensor):
            inputs = [inputs]
        if isinstance(inputs, Mapping):
            feeds = []
            for sym in self.inputs:
                value = inputs.get(sym.sourceLayer.name, inputs.get(sym.name))
                if value is None:
                    raise ValueError(f"No value is provided for the model's input {sym.name}")
                feeds.append((sym, value))
        else:
            inputs = list(inputs)
            if len(inputs) != len(self.inputs):
                raise ValueError(f'The number of inputs provided ({len(inputs)}) does not match '
                                 f'the number of inputs of this model ({len(self.inputs)}).')
            feeds = list(zip(self.inputs, inputs, strict=True))
        values = self.run_graph(feeds, fetches)
        return values if isinstance(outputs, list | tuple) else values[0]

    async def save(self, handlerOrURL: Any, config: Mapping[str, Any] | None = None,
                   **kwargs: Any) -> Any:
        """Save topology and weights (a path, file:// or http(s):// URL, or an
        IO handler); config: trainableOnly, includeOptimizer. Returns the
        handler's SaveResult."""
        from ..io.model_io import saveModel
        return await saveModel(self, handlerOrURL, config, **kwargs)

    def _symbolic_tensors(self, names: list[str]) -> list[SymbolicTensor]:
        found: dict[str, SymbolicTensor] = {}
        for layer in self.layers:
            for node in layer.inboundNodes:
                for t in node.outputTensors:
                    if t.name in names and t.name not in found:
                        found[t.name] = t
        missing = [n for n in names if n not in found]
        if missing:
            raise ValueError(f'Cannot find SymbolicTensors for output name(s): {missing}')
        return [found[n] for n in names]


# Keras 2.4+ writes functional models as 'Functional'.
registerClass(LayersModel, 'Functional')


MODEL_CONFIG = {'inputs': REQUIRED, 'outputs': REQUIRED, 'name': None}


def model(config: Mapping[str, Any] | None = None, **kwargs: Any) -> LayersModel:
    """tf.model({'inputs': SymbolicTensor(s), 'outputs': SymbolicTensor(s), 'name'?})."""
    return LayersModel(normalize_config('tf.model', MODEL_CONFIG, config, kwargs))


__all__ = ['LayersModel', 'model']
