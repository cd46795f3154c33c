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
from .advanced_activations import ELU, LeakyReLU, PReLU, ReLU, Softmax, ThresholdedReLU
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
from .embeddings import Embedding
from .input_layer import InputLayer
from .merge import (
    Add,
    Average,
    Concatenate,
    Dot,
    Maximum,
    Minimum,
    Multiply,
    Subtract,
)
from .noise import AlphaDropout, GaussianDropout, GaussianNoise
from .padding import ZeroPadding2D


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
embedding = factory(Embedding)
elu = factory(ELU)
leakyReLU = factory(LeakyReLU)
prelu = factory(PReLU)
reLU = factory(ReLU)
softmax = factory(Softmax)
thresholdedReLU = factory(ThresholdedReLU)
add = factory(Add)
subtract = factory(Subtract)
multiply = factory(Multiply)
average = factory(Average)
maximum = factory(Maximum)
minimum = factory(Minimum)
concatenate = factory(Concatenate)
dot = factory(Dot)
alphaDropout = factory(AlphaDropout)
gaussianDropout = factory(GaussianDropout)
gaussianNoise = factory(GaussianNoise)
zeroPadding2d = factory(ZeroPadding2D)

# -- families written on the same base (convolutional, pooling, normalization, recurrent, wrappers, preprocessing)  # noqa: E501
from .convolutional import (  # noqa: E402
    Conv1D,
    Conv2D,
    Conv2DTranspose,
    Conv3D,
    Conv3DTranspose,
    Cropping2D,
    DepthwiseConv2D,
    SeparableConv2D,
    UpSampling2D,
)
from .convolutional_recurrent import ConvLSTM2D, ConvLSTM2DCell  # noqa: E402
from .normalization import BatchNormalization, LayerNormalization  # noqa: E402
from .pooling import (  # noqa: E402
    AveragePooling1D,
    AveragePooling2D,
    AveragePooling3D,
    GlobalAveragePooling1D,
    GlobalAveragePooling2D,
    GlobalMaxPooling1D,
    GlobalMaxPooling2D,
    MaxPooling1D,
    MaxPooling2D,
    MaxPooling3D,
)
from .preprocessing import (  # noqa: E402
    CategoryEncoding,
    CenterCrop,
    RandomWidth,
    Rescaling,
    Resizing,
)
from .recurrent import (  # noqa: E402
    GRU,
    LSTM,
    RNN,
    GRUCell,
    LSTMCell,
    SimpleRNN,
    SimpleRNNCell,
    StackedRNNCells,
)
from .recurrent import RNNCell as RNNCell  # noqa: E402
from .wrappers import Bidirectional, TimeDistributed  # noqa: E402
from .wrappers import Wrapper as Wrapper  # noqa: E402

conv1d = factory(Conv1D)
conv2d = factory(Conv2D)
conv2dTranspose = factory(Conv2DTranspose)
conv3d = factory(Conv3D)
conv3dTranspose = factory(Conv3DTranspose)
separableConv2d = factory(SeparableConv2D)
depthwiseConv2d = factory(DepthwiseConv2D)
cropping2D = factory(Cropping2D)
upSampling2d = factory(UpSampling2D)
averagePooling1d = avgPool1d = avgPooling1d = factory(AveragePooling1D)
averagePooling2d = avgPool2d = avgPooling2d = factory(AveragePooling2D)
averagePooling3d = avgPool3d = avgPooling3d = factory(AveragePooling3D)
maxPooling1d = maxPool1d = factory(MaxPooling1D)
maxPooling2d = maxPool2d = factory(MaxPooling2D)
maxPooling3d = factory(MaxPooling3D)
globalAveragePooling1d = factory(GlobalAveragePooling1D)
globalAveragePooling2d = factory(GlobalAveragePooling2D)
globalMaxPooling1d = globalMaxPool1d = factory(GlobalMaxPooling1D)
globalMaxPooling2d = globalMaxPool2d = factory(GlobalMaxPooling2D)
batchNormalization = factory(BatchNormalization)
layerNormalization = factory(LayerNormalization)
rnn = factory(RNN)
simpleRNN = factory(SimpleRNN)
lstm = factory(LSTM)
gru = factory(GRU)
simpleRNNCell = factory(SimpleRNNCell)
lstmCell = factory(LSTMCell)
gruCell = factory(GRUCell)
stackedRNNCells = factory(StackedRNNCells)
convLstm2d = factory(ConvLSTM2D)
convLstm2dCell = factory(ConvLSTM2DCell)
bidirectional = factory(Bidirectional)
timeDistributed = factory(TimeDistributed)
rescaling = factory(Rescaling)
centerCrop = factory(CenterCrop)
resizing = factory(Resizing)
categoryEncoding = factory(CategoryEncoding)
randomWidth = factory(RandomWidth)


__getattr__ = module_aliases(globals())
