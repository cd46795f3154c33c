"""Gradients that already carry a relu's mask.

A max pool over a relu's output x sends back MaxPoolGrad(dy, x, y), which the
relu's gradient then multiplies by step(x) at x's full size. MaxPool's
gradient does that product itself, much more cheaply (MaxPoolGrad's
reluMasked), when x was made by a recorded relu, and marks its result here so
that the relu's gradient (Relu's, or a fused convolution's relu) does not mask
it again. The mark belongs to one tensor: a gradient the tape sums from two
uses of x is a new tensor, unmarked, and is masked as usual.

Masking itself is one kernel, _ReluGrad(dy, x) = dy * step(x), with the
values of Multiply(dy, Step(x)) bit for bit, in one pass instead of two.
"""

from __future__ import annotations

import weakref

from ..engine.engine import ENGINE
from ..engine.tensor import Tensor
from ..ops.op import cast_to

# gradient tensor -> id of the relu output x it was masked for
_MASKED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def made_by_relu(x: Tensor) -> bool:
    """x is the output of a relu recorded on the tape (a Relu, or a fused
    convolution with a relu activation), and the pool is its only use: with
    another use, the relu's gradient masks a sum, and masking one term of it
    early could change a zero's sign or an overflow."""
    node = ENGINE.recorded_producer(x)
    if node is None or ENGINE.recorded_uses(x) != 1:
        return False
    name, _, outputs, attrs, custom = node
    if custom is not None or outputs[0] is not x:
        return False
    return name == 'Relu' or (name in ('FusedConv2D', 'FusedDepthwiseConv2D')
                              and attrs.get('activation') == 'relu')


def mark_masked(grad: Tensor, x: Tensor) -> Tensor:
    """Record that `grad`, a gradient for x, is already times step(x)."""
    _MASKED[grad] = x.id
    return grad


def is_masked(dy: Tensor, y: Tensor) -> bool:
    """dy is a gradient for the relu output y already times step(y)."""
    return _MASKED.get(dy) == y.id


def relu_backprop(dy: Tensor, x: Tensor, y: Tensor | None = None) -> Tensor:
    """A relu's gradient: dy * step(x), x the relu's input (Relu) or its
    output (the fused kernels, as tfjs' fused gradients do); or dy itself when
    it is already masked for the relu's output y."""
    if y is not None and is_masked(dy, y):
        return dy
    return ENGINE.run_kernel('_ReluGrad', (dy, cast_to(x, 'float32')), {})
