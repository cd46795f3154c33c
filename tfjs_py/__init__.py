"""tfjs_py: the TensorFlow.js Layers API in Python, asyncio-first.

    import tfjs_py as tf

Every public camelCase name also answers to its snake_case spelling
(`tf.zeros_like` is `tf.zerosLike`).
"""

from __future__ import annotations

from . import backends as _backends  # noqa: F401
from . import data, util
from . import gradients as _gradients  # noqa: F401
from ._naming import Namespace, module_aliases
from .backends.cpu import CpuBackend  # noqa: F401  (registers the 'cpu' backend)
from .backends.gl import GlBackend  # noqa: F401  (registers the 'gl' backend)
from .engine.tensor import Tensor, TensorBuffer, Variable
from .engine_api import (
                      backend,
                      dispose,
                      disposeVariables,
                      engine,
                      findBackend,
                      getBackend,
                      keep,
                      memory,
                      ready,
                      registerBackend,
                      removeBackend,
                      setBackend,
                      tidy,
)
from .environment import env
from .ops import NAMESPACES as _NAMESPACES
from .ops import OPS as _OPS

# -- layers and models (tf.layers, tf.sequential, tf.model, tf.input, ...)
# isort: split
from . import layers, serialization
from .constraints import namespace as constraints
from .initializers import namespace as initializers
from .layers.base import SymbolicTensor
from .layers.input_layer import input
from .models import LayersModel, Sequential, model, sequential
from .regularizers import namespace as regularizers

# isort: split

# -- training (tf.train, tf.losses, tf.metrics, tf.callbacks)
from .losses import Reduction, losses
from .metrics import metrics
from .models.callbacks import (
                      Callback,
                      CallbackList,
                      CustomCallback,
                      EarlyStopping,
                      History,
                      callbacks,
)
from .optimizers import (
                      AdadeltaOptimizer,
                      AdagradOptimizer,
                      AdamaxOptimizer,
                      AdamOptimizer,
                      MomentumOptimizer,
                      Optimizer,
                      RMSPropOptimizer,
                      SGDOptimizer,
                      train,
)

# isort: split

# -- saving and loading (tf.io, tf.loadLayersModel)
from . import io
from .io.model_io import loadLayersModel

__version__ = '0.1.0'
version = {'tfjs_py': __version__, 'tfjs-compatible': '4.22.0'}

# The op registry is the single list of public ops: each module's @op adds to it.
globals().update(_OPS)
linalg = Namespace('tf.linalg', _NAMESPACES.setdefault('linalg', {}))
image = Namespace('tf.image', _NAMESPACES.setdefault('image', {}))
fused = Namespace('tf.fused', _NAMESPACES.setdefault('fused', {}))

__getattr__ = module_aliases(globals())

__all__ = ['data', 'util', 'Tensor', 'TensorBuffer', 'Variable', 'backend', 'dispose',
           'disposeVariables',
           'engine', 'env', 'findBackend', 'getBackend', 'keep', 'memory', 'ready',
           'registerBackend', 'removeBackend', 'setBackend', 'tidy', 'version', 'linalg', 'image',
           'fused',
           'train', 'losses', 'metrics', 'callbacks', 'Reduction', 'Callback', 'CallbackList',
           'CustomCallback', 'EarlyStopping', 'History', 'Optimizer', 'SGDOptimizer',
           'MomentumOptimizer', 'AdagradOptimizer', 'AdadeltaOptimizer', 'AdamOptimizer',
           'AdamaxOptimizer', 'RMSPropOptimizer',
           'layers', 'serialization', 'constraints', 'initializers', 'regularizers',
           'SymbolicTensor', 'input', 'LayersModel', 'Sequential', 'model', 'sequential',
           'io', 'loadLayersModel',
           *sorted(_OPS)]
