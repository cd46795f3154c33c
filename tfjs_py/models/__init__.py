"""Models: Container (the graph), LayersModel (tf.model), Sequential (tf.sequential)."""

from __future__ import annotations

from .container import Container
from .layers_model import LayersModel, model
from .sequential import Sequential, sequential

__all__ = ['Container', 'LayersModel', 'Sequential', 'model', 'sequential']
