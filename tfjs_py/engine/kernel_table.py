"""Every kernel, listed once: its tfjs name, family, inputs, attributes, and
whether it has a gradient.

An op asks the engine to run a kernel by name; each backend implements each
kernel once; the gradient registry holds one gradient per differentiable
kernel. `tests/engine/test_kernel_coverage.py` reads this table and fails when
an implementation or a gradient is missing. Names follow tfjs'
kernel_names.ts. Kernels marked `shared` are implemented once, in the engine,
by sharing the input's data (no copy, no backend kernel).

Inputs: names in order; a name starting with '*' takes a list of tensors;
one ending with '?' may be absent (None).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class KernelSpec:
    name: str
    family: str
    inputs: tuple[str, ...]
    attrs: tuple[str, ...]
    differentiable: bool
    shared: bool = False
    outputs: int = 1  # 0: a list whose length depends on the attrs or data


KERNELS: dict[str, KernelSpec] = {}


def _k(family: str, name: str, inputs: str = 'x', attrs: str = '', grad: bool = True,
       shared: bool = False, outputs: int = 1) -> None:
    if name in KERNELS:
        raise ValueError(f'kernel {name} is listed twice')
    KERNELS[name] = KernelSpec(name, family, tuple(inputs.split()), tuple(attrs.split()),
                               grad, shared, outputs)


# -- elementwise, one input
for _name in ('Abs Acos Acosh Asin Asinh Atan Atanh Cos Cosh Elu Erf Exp Expm1 Log Log1p '
              'Neg Reciprocal Relu Relu6 Rsqrt Selu Sigmoid Sin Sinh Softplus Sqrt Square '
              'Tan Tanh Ceil Floor Round Sign').split():
    _k('elementwise', _name)
# tfjs gives IsFinite, IsInf, IsNan and GreaterEqual a zero gradient (so
# where(greaterEqual(x, 0), ...) can be differentiated); the other predicates have none.
for _name in ('IsFinite', 'IsInf', 'IsNan'):
    _k('elementwise', _name)
_k('elementwise', 'LogicalNot', grad=False)
_k('elementwise', 'Step', 'x', 'alpha')
_k('elementwise', 'LeakyRelu', 'x', 'alpha')
_k('elementwise', 'ClipByValue', 'x', 'clipValueMin clipValueMax')
_k('elementwise', 'Cast', 'x', 'dtype')
_k('elementwise', 'EluGrad', 'dy y')
_k('elementwise', '_ReluGrad', 'dy x')  # ours: dy * step(x) in one pass
_k('elementwise', 'ZerosLike', 'x')
_k('elementwise', 'OnesLike', 'x')
_k('elementwise', 'Identity', 'x', shared=True)

# -- elementwise, two or more inputs, broadcasting
for _name in ('Add Sub Multiply RealDiv FloorDiv Mod Pow Maximum Minimum '
              'SquaredDifference Atan2').split():
    _k('elementwise', _name, 'a b')
_k('elementwise', 'GreaterEqual', 'a b')
for _name in ('Equal NotEqual Greater Less LessEqual '
              'LogicalAnd LogicalOr LogicalXor').split():
    _k('elementwise', _name, 'a b', grad=False)
_k('elementwise', 'Prelu', 'x alpha')
_k('elementwise', 'Select', 'condition t e')
_k('elementwise', 'AddN', '*tensors')

# -- reductions
for _name in ('Sum', 'Mean', 'Prod', 'Max', 'Min'):
    _k('reduce', _name, 'x', 'axis keepDims')
_k('reduce', 'All', 'x', 'axis keepDims', grad=False)
_k('reduce', 'Any', 'x', 'axis keepDims', grad=False)
_k('reduce', 'ArgMax', 'x', 'axis')
_k('reduce', 'ArgMin', 'x', 'axis')
_k('reduce', 'Cumsum', 'x', 'axis exclusive reverse')
_k('reduce', 'Cumprod', 'x', 'axis exclusive reverse')
_k('reduce', 'UnsortedSegmentSum', 'x segmentIds', 'numSegments')

# -- linear algebra
_k('linalg', 'BatchMatMul', 'a b', 'transposeA transposeB')
_k('linalg', '_FusedMatMul', 'a b bias? preluActivationWeights?',
   'transposeA transposeB activation leakyreluAlpha')
_k('linalg', 'Einsum', '*tensors', 'equation')
_k('linalg', 'MatrixBandPart', 'x', 'numLower numUpper')

# -- shape and indexing
_k('shape', 'Reshape', 'x', 'shape', shared=True)
_k('shape', 'Transpose', 'x', 'perm')
_k('shape', 'Concat', '*tensors', 'axis')
_k('shape', 'Pack', '*tensors', 'axis')
_k('shape', 'Unpack', 'value', 'axis', outputs=0)
_k('shape', 'SplitV', 'x', 'numOrSizeSplits axis', outputs=0)
_k('shape', 'Slice', 'x', 'begin size')
_k('shape', 'StridedSlice', 'x',
   'begin end strides beginMask endMask ellipsisMask newAxisMask shrinkAxisMask')
_k('shape', 'GatherV2', 'x indices', 'axis batchDims')
_k('shape', 'GatherNd', 'params indices')
_k('shape', 'ScatterNd', 'indices updates', 'shape')
_k('shape', 'TensorScatterUpdate', 'tensor indices updates')
_k('shape', 'Reverse', 'x', 'dims')
_k('shape', 'Tile', 'x', 'reps')
_k('shape', 'PadV2', 'x', 'paddings constantValue')
_k('shape', 'MirrorPad', 'x', 'paddings mode')
_k('shape', 'BroadcastTo', 'x', 'shape inputShape')
_k('shape', 'OneHot', 'indices', 'depth onValue offValue dtype')
_k('shape', 'TopK', 'x', 'k sorted', grad=False, outputs=2)
_k('shape', 'Unique', 'x', 'axis', grad=False, outputs=2)
_k('shape', 'SpaceToBatchND', 'x', 'blockShape paddings')
_k('shape', 'BatchToSpaceND', 'x', 'blockShape crops')
_k('shape', 'DepthToSpace', 'x', 'blockSize dataFormat')

# -- neural-network
_k('nn', 'Softmax', 'logits', 'dim')
_k('nn', 'LogSoftmax', 'logits', 'axis')
_k('nn', 'FusedBatchNorm', 'x mean variance offset? scale?', 'varianceEpsilon')
_k('nn', 'LRN', 'x', 'depthRadius bias alpha beta')
_k('nn', 'LRNGrad', 'x y dy', 'depthRadius bias alpha beta', grad=False)
# Beyond tfjs: categoricalCrossentropy's steps fused ([loss, q, c]) and the
# gradient of its batch mean (for the output, or for the logits of a softmax
# output); fit's loss (losses.py) runs them in a custom-gradient node.
_k('nn', '_CategoricalCrossentropy', 'target output', 'epsilon', grad=False, outputs=3)
_k('nn', '_CategoricalCrossentropyGrad', 'dy target output q c', 'logits', grad=False)

# -- convolution (ops/conv.py also passes `convInfo`, the ConvInfo geometry
#    from ops/conv_util.py, so that kernels never recompute it)
_CONV2D = 'strides pad dataFormat dilations dimRoundingMode convInfo'
_k('conv', 'Conv2D', 'x filter', _CONV2D)
_k('conv', 'Conv2DBackpropFilter', 'x dy', _CONV2D + ' filterShape')
_k('conv', 'Conv2DBackpropInput', 'dy filter', _CONV2D + ' inputShape')
_k('conv', 'Conv3D', 'x filter', 'strides pad dataFormat dilations convInfo')
_k('conv', 'Conv3DBackpropFilterV2', 'x dy', 'strides pad dilations filterShape convInfo')
_k('conv', 'Conv3DBackpropInputV2', 'dy filter', 'strides pad dilations inputShape convInfo')
_k('conv', 'DepthwiseConv2dNative', 'x filter', _CONV2D)
_k('conv', 'DepthwiseConv2dNativeBackpropFilter', 'x dy', _CONV2D + ' filterShape')
_k('conv', 'DepthwiseConv2dNativeBackpropInput', 'dy filter', _CONV2D + ' inputShape')
_k('conv', 'FusedConv2D', 'x filter bias? preluActivationWeights?',
   _CONV2D + ' activation leakyreluAlpha')
_k('conv', 'FusedDepthwiseConv2D', 'x filter bias? preluActivationWeights?',
   _CONV2D + ' activation leakyreluAlpha')

# -- pooling (`convInfo` as above)
_POOL = 'filterSize strides pad dimRoundingMode convInfo'
_k('pool', 'AvgPool', 'x', _POOL)
_k('pool', 'AvgPoolGrad', 'dy input', _POOL)
_k('pool', 'MaxPool', 'x', _POOL)
_k('pool', 'MaxPoolGrad', 'dy input output', _POOL + ' reluMasked', grad=False)
_k('pool', 'AvgPool3D', 'x', _POOL + ' dataFormat dilations')
_k('pool', 'AvgPool3DGrad', 'dy input', _POOL + ' dataFormat dilations')
_k('pool', 'MaxPool3D', 'x', _POOL + ' dataFormat dilations')
_k('pool', 'MaxPool3DGrad', 'dy input output', _POOL + ' dataFormat dilations', grad=False)
_k('pool', 'MaxPoolWithArgmax', 'x', 'filterSize strides pad includeBatchInIndex convInfo',
   grad=False, outputs=2)

# -- image
_k('image', 'ResizeBilinear', 'images', 'alignCorners halfPixelCenters size')
_k('image', 'ResizeBilinearGrad', 'images dy', 'alignCorners halfPixelCenters size', grad=False)
_k('image', 'ResizeNearestNeighbor', 'images', 'alignCorners halfPixelCenters size')
_k('image', 'ResizeNearestNeighborGrad', 'images dy', 'alignCorners halfPixelCenters size',
   grad=False)
_k('image', 'CropAndResize', 'image boxes boxInd', 'cropSize method extrapolationValue',
   grad=False)
_k('image', 'FlipLeftRight', 'image', grad=False)

# -- random (values drawn by the backend from a seeded generator)
_k('random', 'Multinomial', 'logits', 'numSamples seed normalized', grad=False)

# -- optimizers: one update per variable per step, under TensorFlow's raw-op
#    names with tfjs' formulas. Inputs: the value, its accumulators, the
#    gradient; outputs the new value and accumulators in input order.
#    Hyperparameters are attrs, also those that change every step (lr, beta powers).
_k('optimizers', 'ApplyGradientDescent', 'var grad', 'lr', grad=False)
_k('optimizers', 'ApplyMomentum', 'var accum grad', 'lr momentum useNesterov', grad=False,
   outputs=2)
_k('optimizers', 'ApplyAdagrad', 'var accum grad', 'lr epsilon', grad=False, outputs=2)
_k('optimizers', 'ApplyAdadelta', 'var accum accumUpdate grad', 'lr rho epsilon', grad=False,
   outputs=3)
_k('optimizers', 'ApplyAdam', 'var m v grad', 'lr beta1 beta2 epsilon beta1Power beta2Power',
   grad=False, outputs=3)
_k('optimizers', 'ApplyAdaMax', 'var m v grad', 'lr beta1 beta2 epsilon beta1Power', grad=False,
   outputs=3)
_k('optimizers', 'ApplyRMSProp', 'var ms mom grad', 'lr rho momentum epsilon', grad=False,
   outputs=3)
_k('optimizers', 'ApplyCenteredRMSProp', 'var mg ms mom grad', 'lr rho momentum epsilon',
   grad=False, outputs=4)

# -- recurrent (fused, beyond tfjs): a whole LSTM sequence and its gradient
# (tfjs_py/ops/recurrent.py, differentiated there as a customGrad). Outputs:
# last h, last c, the per-step state (gates, cells) and [x_t, h_prev, 1] rows
# the gradient reads, and with returnSequences h at every step; the gradient
# kernel gives the gradients of h0, c0 and the weights, and with inputGradient x's.
_k('recurrent', 'LSTMSequence', 'x kernel recurrentKernel bias? h0 c0 mask?',
   'activation recurrentActivation goBackwards returnSequences', grad=False, outputs=0)
_k('recurrent', 'LSTMSequenceGrad',
   'dhSeq? dhLast dcLast kernel recurrentKernel mask? state stepInputs',
   'activation recurrentActivation goBackwards returnSequences inputGradient', grad=False,
   outputs=0)

del _name


def spec(name: str) -> KernelSpec:
    try:
        return KERNELS[name]
    except KeyError:
        raise KeyError(f'unknown kernel {name!r}') from None
