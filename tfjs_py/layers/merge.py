"""Layers that merge a list of inputs: add, subtract (Keras; tfjs lacks it),
multiply, average, maximum, minimum, concatenate, dot."""

from __future__ import annotations

from collections.abc import Mapping
from functools import reduce
from typing import Any

from ..engine.engine import ENGINE
from ..engine.tensor import Tensor
from ..serialization import registerClass
from .base import Layer, is_shape_list, shape_str, tfc, to_list

EPSILON = 1e-7


def broadcast_output_shape(a: list, b: list, who: str) -> list:
    """The elementwise result shape of two (batchless) shapes with None dims."""
    if len(a) < len(b):
        a, b = b, a
    out = list(a[:len(a) - len(b)])
    for x, y in zip(a[len(a) - len(b):], b, strict=True):
        if x is None or y is None:
            out.append(None)
        elif x == 1:
            out.append(y)
        elif y == 1 or x == y:
            out.append(x)
        else:
            raise ValueError(f'{who}: operands could not be broadcast together with shapes '
                             f'{shape_str(a)} {shape_str(b)}')
    return out


class Merge(Layer):
    """Base of the elementwise merges: inputs of different ranks get size-1
    axes after the batch axis, then broadcast."""

    MIN_INPUTS = 2

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        self.supportsMasking = True

    def _check_inputs(self, shape: Any) -> list[list]:
        if not is_shape_list(shape):
            raise ValueError(f'A merge layer should be called on an Array of inputs. Received '
                             f'input shape {shape_str(shape)}')
        shapes = [list(s) for s in shape]
        if len(shapes) < self.MIN_INPUTS:
            raise ValueError(f'A merge layer should be called on an Array of at least '
                             f'{self.MIN_INPUTS} inputs. Got {len(shapes)} input(s).')
        return shapes

    def build(self, inputShape: Any) -> None:
        shapes = self._check_inputs(inputShape)
        self._output_shape(shapes)
        self.built = True

    def _output_shape(self, shapes: list[list]) -> list:
        out = list(shapes[0][1:])
        for s in shapes[1:]:
            out = broadcast_output_shape(out, list(s[1:]), self.name)
        batches = {s[0] for s in shapes if s and s[0] is not None}
        return [batches.pop() if len(batches) == 1 else None, *out]

    def computeOutputShape(self, inputShape: Any) -> Any:
        return self._output_shape(self._check_inputs(inputShape))

    def mergeFunction(self, inputs: list[Tensor]) -> Tensor:
        raise NotImplementedError

    def call(self, inputs: Any, kwargs: dict[str, Any]) -> Tensor:
        xs = to_list(inputs)
        if len(xs) < self.MIN_INPUTS:
            raise ValueError(f'{self.name} should be called on at least {self.MIN_INPUTS} '
                             f'inputs, got {len(xs)}')

        def run() -> Tensor:
            rank = max(x.rank for x in xs)
            aligned = []
            for x in xs:
                while x.rank < rank:
                    x = tfc.expandDims(x, 1)
                aligned.append(x)
            return self.mergeFunction(aligned)

        return ENGINE.tidy(run)

    def computeMask(self, inputs: Any, mask: Any = None) -> Any:
        if mask is None:
            return None
        masks = [m for m in to_list(mask) if m is not None]
        if not masks:
            return None
        return ENGINE.tidy(lambda: reduce(tfc.logicalAnd, masks[1:], masks[0]) if len(
            masks) > 1 else masks[0].clone())


@registerClass
class Add(Merge):
    className = 'Add'

    def mergeFunction(self, inputs: list[Tensor]) -> Tensor:
        return reduce(tfc.add, inputs[1:], inputs[0])


@registerClass
class Subtract(Merge):
    """inputs[0] - inputs[1] (exactly two inputs), as in Keras."""

    className = 'Subtract'

    def _check_inputs(self, shape: Any) -> list[list]:
        shapes = super()._check_inputs(shape)
        if len(shapes) != 2:
            raise ValueError(f'A Subtract layer should be called on exactly 2 inputs. Got '
                             f'{len(shapes)} input(s).')
        return shapes

    def mergeFunction(self, inputs: list[Tensor]) -> Tensor:
        if len(inputs) != 2:
            raise ValueError(f'A Subtract layer should be called on exactly 2 inputs. Got '
                             f'{len(inputs)} input(s).')
        return tfc.sub(inputs[0], inputs[1])


@registerClass
class Multiply(Merge):
    className = 'Multiply'

    def mergeFunction(self, inputs: list[Tensor]) -> Tensor:
        return reduce(tfc.mul, inputs[1:], inputs[0])


@registerClass
class Average(Merge):
    className = 'Average'

    def mergeFunction(self, inputs: list[Tensor]) -> Tensor:
        total = reduce(tfc.add, inputs[1:], inputs[0])
        return tfc.mul(total, tfc.scalar(1 / len(inputs)))


@registerClass
class Maximum(Merge):
    className = 'Maximum'

    def mergeFunction(self, inputs: list[Tensor]) -> Tensor:
        return reduce(tfc.maximum, inputs[1:], inputs[0])


@registerClass
class Minimum(Merge):
    className = 'Minimum'

    def mergeFunction(self, inputs: list[Tensor]) -> Tensor:
        return reduce(tfc.minimum, inputs[1:], inputs[0])


@registerClass
class Concatenate(Merge):
    """Joins inputs along `axis` (default -1); other axes must match."""

    className = 'Concatenate'
    CONFIG = {'axis': -1}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        axis = self._args['axis']
        self.axis = -1 if axis is None else int(axis)

    def _check_inputs(self, shape: Any) -> list[list]:
        shapes = super()._check_inputs(shape)
        rank = len(shapes[0])
        if any(len(s) != rank for s in shapes):
            raise ValueError(f'A `Concatenate` layer requires inputs of the same rank; got '
                             f'input shapes {shape_str(shapes)}')
        axis = self.axis % rank
        for i in range(rank):
            if i == axis:
                continue
            sizes = {s[i] for s in shapes if s[i] is not None}
            if len(sizes) > 1:
                raise ValueError(f'A `Concatenate` layer requires inputs with matching shapes '
                                 f'except for the concat axis {self.axis}. Got input shapes: '
                                 f'{shape_str(shapes)}')
        return shapes

    def _output_shape(self, shapes: list[list]) -> list:
        axis = self.axis % len(shapes[0])
        out = list(shapes[0])
        for s in shapes[1:]:
            out[axis] = None if out[axis] is None or s[axis] is None else out[axis] + s[axis]
        for i in range(len(out)):
            if i != axis and out[i] is None:
                out[i] = next((s[i] for s in shapes if s[i] is not None), None)
        return out

    def mergeFunction(self, inputs: list[Tensor]) -> Tensor:
        return tfc.concat(inputs, self.axis)

    def computeMask(self, inputs: Any, mask: Any = None) -> Any:
        if mask is None:
            return None
        masks = to_list(mask)
        if all(m is None for m in masks):
            return None
        xs = to_list(inputs)
        axis = self.axis % xs[0].rank

        def run() -> Tensor:
            full = []
            for x, m in zip(xs, masks, strict=True):
                if m is None:
                    full.append(tfc.cast(tfc.onesLike(x), 'bool'))
                elif m.rank < x.rank:
                    full.append(tfc.expandDims(m, -1))
                else:
                    full.append(m)
            return tfc.all(tfc.concat(full, axis), -1)

        return ENGINE.tidy(run)

    def getConfig(self) -> dict[str, Any]:
        return {'axis': self.axis, **super().getConfig()}


def _l2_normalize(x: Tensor, axis: int) -> Tensor:
    square_sum = tfc.sum(tfc.square(x), axis, True)
    return tfc.div(x, tfc.sqrt(tfc.maximum(square_sum, tfc.scalar(EPSILON))))


def batch_dot(x: Tensor, y: Tensor, axes: tuple[int, int]) -> Tensor:
    """Per-sample dot product of x and y over axes[0] of x and axes[1] of y."""
    ax, ay = axes
    x_rest = [i for i in range(1, x.rank) if i != ax]
    y_rest = [i for i in range(1, y.rank) if i != ay]
    xt = tfc.transpose(x, [0, *x_rest, ax])
    yt = tfc.transpose(y, [0, ay, *y_rest])
    batch = x.shape[0]
    n = x.shape[ax]
    x_dims = [x.shape[i] for i in x_rest]
    y_dims = [y.shape[i] for i in y_rest]
    p = 1
    for d in x_dims:
        p *= d
    q = 1
    for d in y_dims:
        q *= d
    out = tfc.matMul(tfc.reshape(xt, [batch, p, n]), tfc.reshape(yt, [batch, n, q]))
    shape = [batch, *x_dims, *y_dims]
    if len(shape) == 1:
        shape.append(1)
    return tfc.reshape(out, shape)


@registerClass
class Dot(Merge):
    """Per-sample dot product of two inputs over `axes` (an int or a pair);
    with normalize, the cosine similarity."""

    className = 'Dot'
    CONFIG = {'axes': None, 'normalize': False}

    def __init__(self, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        axes = self._args['axes']
        if axes is None:
            raise ValueError("Dot: missing required config key 'axes'")
        if isinstance(axes, int):
            self.axes: int | list[int] = axes
        else:
            if len(axes) != 2:
                raise ValueError(f'Dot: axes must be an int or a list of 2 ints, got {axes!r}')
            self.axes = [int(a) for a in axes]
        self.normalize = bool(self._args['normalize'])
        self.supportsMasking = True

    def _axes_for(self, ranks: list[int]) -> tuple[int, int]:
        pair = [self.axes, self.axes] if isinstance(self.axes, int) else list(self.axes)
        return tuple(a % r if a < 0 else a for a, r in zip(pair, ranks, strict=True))

    def _check_inputs(self, shape: Any) -> list[list]:
        shapes = super()._check_inputs(shape)
        if len(shapes) != 2:
            raise ValueError(f'A `Dot` layer should be called on a list of exactly 2 inputs; '
                             f'got {len(shapes)}')
        a, b = shapes
        if len(a) > 3 or len(b) > 3:
            raise ValueError('Dot layer does not support tensors of 4D or higher rank yet.')
        ax, ay = self._axes_for([len(a), len(b)])
        if a[ax] is not None and b[ay] is not None and a[ax] != b[ay]:
            raise ValueError(f'Dimension incompatibility: {a[ax]} !== {b[ay]} (input shapes '
                             f'{shape_str(a)} and {shape_str(b)}, axes {[ax, ay]})')
        return shapes

    def _output_shape(self, shapes: list[list]) -> list:
        a, b = shapes
        ax, ay = self._axes_for([len(a), len(b)])
        out = [d for i, d in enumerate(a) if i != ax] + [d for i, d in enumerate(b)
                                                         if i not in (0, ay)]
        if len(out) == 1:
            out.append(1)
        return out

    def call(self, inputs: Any, kwargs: dict[str, Any]) -> Tensor:
        xs = to_list(inputs)
        if len(xs) != 2:
            raise ValueError(f'A `Dot` layer should be called on exactly 2 inputs. Received: '
                             f'{len(xs)}')
        x, y = xs
        ax, ay = self._axes_for([x.rank, y.rank])

        def run() -> Tensor:
            a, b = x, y
            if self.normalize:
                a, b = _l2_normalize(a, ax), _l2_normalize(b, ay)
            return batch_dot(a, b, (ax, ay))

        return ENGINE.tidy(run)

    def computeMask(self, inputs: Any, mask: Any = None) -> Any:
        return None

    def getConfig(self) -> dict[str, Any]:
        return {'axes': self.axes, 'normalize': self.normalize, **super().getConfig()}


__all__ = ['Add', 'Average', 'Concatenate', 'Dot', 'Maximum', 'Merge', 'Minimum', 'Multiply',
           'Subtract', 'batch_dot']
