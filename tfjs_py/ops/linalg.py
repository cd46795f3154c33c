"""Linear algebra: matMul, dot, outerProduct, einsum, tf.linalg.bandPart,
tf.linalg.gramSchmidt and tf.fused.matMul."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from .._naming import REQUIRED, normalize_config
from ..engine.engine import ENGINE
from ..engine.tensor import Tensor
from .broadcast import broadcast_shape
from .creation import eye, tensor
from .elementwise import add, cast, div, mul, neg, sign, sqrt, square, sub
from .op import convert, match_types, op, run_kernel
from .reduce import norm, numeric, sum_
from .shape import reshape, stack, unstack


def _check_matmul(a: Tensor, b: Tensor, transposeA: bool, transposeB: bool,
                  fn: str) -> None:
    if a.rank < 2 or b.rank < 2:
        raise ValueError(f'Error in {fn}: inputs must have rank at least 2, but got shapes '
                         f'{a.shape} and {b.shape} (ranks {a.rank} and {b.rank})')
    inner_a = a._shape[-2] if transposeA else a._shape[-1]
    inner_b = b._shape[-1] if transposeB else b._shape[-2]
    if inner_a != inner_b:
        raise ValueError(f'Error in {fn}: inner shapes ({inner_a}) and ({inner_b}) of Tensors '
                         f'with shapes {a.shape} and {b.shape} and transposeA={transposeA} '
                         f'and transposeB={transposeB} must match.')
    batch_a, batch_b = a._shape[:-2], b._shape[:-2]
    if batch_a == batch_b or not batch_a or not batch_b:
        return
    try:
        broadcast_shape(batch_a, batch_b)
    except ValueError:
        raise ValueError(f'Error in {fn}: the batch dimensions {list(batch_a)} and '
                         f'{list(batch_b)} of Tensors with shapes {a.shape} and '
                         f'{b.shape} could not be broadcast together') from None


@op
def matMul(a: Any, b: Any, transposeA: bool = False, transposeB: bool = False) -> Tensor:
    """a @ b over the last two axes; the leading (batch) axes broadcast."""
    a, b = match_types(numeric(convert(a, 'a', 'matMul'), 'a', 'matMul'),
                       numeric(convert(b, 'b', 'matMul'), 'b', 'matMul'))
    transposeA, transposeB = bool(transposeA), bool(transposeB)
    _check_matmul(a, b, transposeA, transposeB, 'matMul')
    return run_kernel('BatchMatMul', (a, b), {'transposeA': transposeA,
                                              'transposeB': transposeB})


@op
def dot(t1: Any, t2: Any) -> Tensor:
    """Dot product of two rank-1 or rank-2 tensors (vector . vector is a scalar)."""
    t1, t2 = match_types(numeric(convert(t1, 't1', 'dot'), 't1', 'dot'),
                         numeric(convert(t2, 't2', 'dot'), 't2', 'dot'))
    if t1.rank not in (1, 2) or t2.rank not in (1, 2):
        raise ValueError(f'Error in dot: inputs must all be rank 1 or 2, but got ranks '
                         f'{t1.rank} and {t2.rank}.')
    inner1 = t1._shape[-1]
    inner2 = t2._shape[0]
    if inner1 != inner2:
        raise ValueError(f'Error in dot: inner dimensions of inputs must match, but got '
                         f'{inner1} and {inner2}.')
    if t1.rank == 2 and t2.rank == 2:
        return matMul(t1, t2)

    def run() -> Tensor:
        a = reshape(t1, (1, inner1)) if t1.rank == 1 else t1
        b = reshape(t2, (inner2, 1)) if t2.rank == 1 else t2
        out = matMul(a, b)
        shape = t1._shape[:-1] + t2._shape[1:]
        return reshape(out, shape)

    return ENGINE.tidy(run)


@op
def outerProduct(v1: Any, v2: Any) -> Tensor:
    """The matrix v1[i] * v2[j] of two vectors."""
    fn = 'outerProduct'
    v1, v2 = match_types(numeric(convert(v1, 'v1', fn), 'v1', fn),
                         numeric(convert(v2, 'v2', fn), 'v2', fn))
    if v1.rank != 1 or v2.rank != 1:
        raise ValueError(f'Error in outerProduct: inputs must be rank 1, but got ranks '
                         f'{v1.rank} and {v2.rank}.')
    return ENGINE.tidy(lambda: matMul(reshape(v1, (-1, 1)), reshape(v2, (1, -1))))


def parse_einsum(equation: str, shapes: list[tuple[int, ...]]) -> tuple[list[str], str]:
    """The input terms and output term of an equation, checked the way tfjs
    checks it (and, beyond tfjs, refusing repeated output labels and terms
    whose length differs from the rank of their tensor)."""
    eq = ''.join(equation.split())
    arrows = eq.count('->')
    if arrows < 1:
        raise ValueError('Equations without an arrow are not supported.')
    if arrows > 1:
        raise ValueError('Equation must contain exactly one arrow ("->").')
    lhs, out = eq.split('->')
    if '...' in lhs or '...' in out:
        raise ValueError('The ellipsis notation ("...") is not supported yet.')
    terms = lhs.split(',')
    if len(shapes) != len(terms):
        raise ValueError(f'Expected {len(terms)} input tensors, received {len(shapes)}')
    if len(terms) > 2:
        raise ValueError('Support for more than 2 input tensors is not implemented yet.')
    for label in out:
        if not any(label in term for term in terms):
            raise ValueError(f'Output subscripts contain the label {label} not present in '
                             f'the input subscripts.')
    if len(set(out)) != len(out):
        raise ValueError(f'einsum: the output subscripts {out} repeat a label')
    for term, shape in zip(terms, shapes, strict=True):
        if len(set(term)) != len(term):
            raise ValueError(f'Found duplicate axes in input component {term}. Support for '
                             f'duplicate axes in input is not implemented yet.')
        if (term and not term.isalpha()) or len(term) != len(shape):
            raise ValueError(f'einsum: the subscripts {term!r} must name each of the '
                             f'{len(shape)} axes of the input shaped {list(shape)} by a letter')
    sizes: dict[str, int] = {}
    for term, shape in zip(terms, shapes, strict=True):
        for j, (label, d) in enumerate(zip(term, shape, strict=True)):
            if sizes.setdefault(label, d) != d:
                raise ValueError(f'Expected dimension {sizes[label]} at axis {j} of input '
                                 f'shaped {list(shape)}, but got dimension {d}')
    return terms, out


@op(chain=False)
def einsum(equation: str, *tensors: Any) -> Tensor:
    """Einstein summation over one or two tensors ('ij,jk->ik'), within what
    tfjs supports: an explicit '->', no '...', no label repeated in a term."""
    ts = [numeric(convert(t, f'tensors{i}', 'einsum'), f'tensors{i}', 'einsum')
          for i, t in enumerate(tensors)]
    terms, out = parse_einsum(equation, [t._shape for t in ts])
    if len(ts) == 2:
        ts = list(match_types(ts[0], ts[1]))
    return run_kernel('Einsum', tuple(ts), {'equation': f"{','.join(terms)}->{out}"})


def _band_limit(value: Any, size: int, arg: str, dim: str) -> int:
    if isinstance(value, Tensor):
        if value.dtype != 'int32' or value.rank != 0:
            raise TypeError(f"bandPart(): {arg} must be an int32 scalar, got a {value.dtype} "
                            f"tensor of shape {value.shape}")
        v = int(value.dataSync()[0])
        return size if v < 0 else min(v, size)
    if isinstance(value, bool) or int(value) != value:
        raise ValueError(f'bandPart(): {arg} must be an integer, got {value}.')
    if value > size:
        raise ValueError(f'bandPart(): {arg} ({value}) must not be greater than the number '
                         f'of {dim} ({size}).')
    return int(value)


@op(namespace='linalg')
def bandPart(a: Any, numLower: Any, numUpper: Any) -> Tensor:
    """Keep the band of each innermost matrix: numLower diagonals below the
    main one and numUpper above (negative: the whole triangle); zero the rest."""
    a = convert(a, 'a', 'bandPart')
    if a.rank < 2:
        raise ValueError(f'bandPart(): Rank must be at least 2, got {a.rank}.')
    m, n = a._shape[-2:]
    return run_kernel('MatrixBandPart', (a,), {
        'numLower': _band_limit(numLower, m, 'numLower', 'rows'),
        'numUpper': _band_limit(numUpper, n, 'numUpper', 'columns')})


def _gram_schmidt_rows(xs: Any) -> tuple[list[Tensor], bool]:
    """The vectors to orthonormalise and whether they came as a list."""
    if isinstance(xs, list | tuple):
        vs = [convert(x, f'xs[{i}]', 'gramSchmidt') for i, x in enumerate(xs)]
        if not vs:
            raise ValueError('Gram-Schmidt: xs must not be empty')
        for i, v in enumerate(vs):
            if v.rank != 1 or v._shape != vs[0]._shape:
                raise ValueError(f'Gram-Schmidt: xs[{i}] has shape {v.shape}; every element '
                                 f'must be rank 1, with the shape of xs[0] {vs[0].shape}')
        return vs, True
    x = convert(xs, 'xs', 'gramSchmidt')
    if x.rank != 2:
        raise ValueError(f'Gram-Schmidt: xs must be a 2-D tensor or a list of 1-D tensors, '
                         f'got a tensor of rank {x.rank}')
    return unstack(x), False


@op(namespace='linalg')
def gramSchmidt(xs: Any) -> Tensor | list[Tensor]:
    """Orthonormalise the rows of a 2-D tensor (or a list of 1-D tensors) by
    classical Gram-Schmidt, as tfjs; returns the same form it was given."""

    def run() -> Any:
        rows, as_list = _gram_schmidt_rows(xs)
        count, dim = len(rows), rows[0]._shape[0]
        if count > dim:
            raise ValueError(f'Gram-Schmidt: Number of vectors ({count}) exceeds number of '
                             f'dimensions ({dim}).')
        ys: list[Tensor] = []
        for v in rows:
            v = v if v.dtype == 'float32' else run_kernel('Cast', (v,), {'dtype': 'float32'})
            for y in ys:
                v = sub(v, mul(sum_(mul(y, v)), y))
            ys.append(div(v, norm(v, 'euclidean')))
        return ys if as_list else stack(ys)

    return ENGINE.tidy(run)


def _unit(size: int, index: int) -> np.ndarray:
    e = np.zeros((size, 1), np.float32)
    e[index] = 1
    return e


@op(namespace='linalg')
def qr(x: Any, fullMatrices: bool = False) -> list[Tensor]:
    """[q, r] with x = q @ r over the innermost two axes, by Householder
    reflections with the signs tfjs chooses (so the same q and r). Beyond
    tfjs: batches of non-square matrices work, a zero column leaves q and r
    finite (tfjs gives NaN), int32 input is cast, and the result is
    differentiable. q is [..., m, m] (or [..., m, n] when m > n and not
    fullMatrices), r is [..., m, n] (or [..., n, n])."""
    x = numeric(convert(x, 'x', 'qr'), 'x', 'qr')
    if x.rank < 2:
        raise ValueError(f'qr() requires input tensor to have a rank >= 2, but got rank '
                         f'{x.rank}')
    m, n = x._shape[-2:]
    batch = x._shape[:-2]

    def run() -> list[Tensor]:
        r = cast(x, 'float32') if x.dtype != 'float32' else x
        q = eye(m, m, list(batch) if batch else None)
        for j in range(min(m, n)):
            e_row = tensor(_unit(m, j))
            below = tensor((np.arange(m) > j).astype(np.float32).reshape(m, 1))
            col = matMul(r, tensor(_unit(n, j)))
            rjj = matMul(e_row, col, True, False)
            size = sqrt(sum_(square(mul(col, add(below, e_row))), -2, True))
            # s = -sign(rjj), taking +1 at 0; built from sign so it stays differentiable
            sgn = sign(rjj)
            s = sub(sub(1.0, square(sgn)), sgn)
            u1 = sub(rjj, mul(s, size))
            # a column that is already zero: no reflection (tau 0), no division by 0
            empty = sub(1.0, square(sign(size)))
            w = add(div(mul(col, below), add(u1, empty)), e_row)
            tau = neg(div(mul(s, u1), add(size, empty)))
            r = sub(r, matMul(mul(tau, w), matMul(w, r, True, False)))
            q = sub(q, matMul(matMul(q, w), mul(tau, w), False, True))
        if not fullMatrices and m > n:
            keep = tensor(np.eye(m, n, dtype=np.float32))
            q = matMul(q, keep)
            r = matMul(keep, r, True, False)
        return [q, r]

    return ENGINE.tidy(run)


def _fits(out_shape: tuple[int, ...], t: Tensor) -> bool:
    try:
        return broadcast_shape(out_shape, t._shape) == out_shape
    except ValueError:
        return False


_FUSED_SCHEMA = {'a': REQUIRED, 'b': REQUIRED, 'transposeA': False, 'transposeB': False,
                 'bias': None, 'activation': 'linear', 'preluActivationWeights': None,
                 'leakyreluAlpha': 0.2}
FUSED_ACTIVATIONS = ('linear', 'relu', 'relu6', 'elu', 'prelu', 'leakyrelu', 'sigmoid')


@op(name='matMul', namespace='fused')
def fused_mat_mul(config: Mapping[str, Any] | None = None, **kwargs: Any) -> Tensor:
    """activation(a @ b + bias) in one kernel: tf.fused.matMul({a, b,
    transposeA, transposeB, bias, activation, preluActivationWeights,
    leakyreluAlpha}). Differentiable for every activation."""
    fn = 'fused matMul'
    c = normalize_config('fused.matMul', _FUSED_SCHEMA, config, kwargs)
    activation = c['activation'] or 'linear'
    if activation not in FUSED_ACTIVATIONS:
        raise ValueError(f'Unknown fused activation {activation}.')
    a, b = match_types(numeric(convert(c['a'], 'a', fn), 'a', fn),
                       numeric(convert(c['b'], 'b', fn), 'b', fn))
    ta, tb = bool(c['transposeA']), bool(c['transposeB'])
    _check_matmul(a, b, ta, tb, fn)
    out_shape = broadcast_shape(a._shape[:-2], b._shape[:-2]) + (
        a._shape[-1] if ta else a._shape[-2], b._shape[-2] if tb else b._shape[-1])
    bias = c['bias']
    alpha = c['preluActivationWeights']

    def run() -> Tensor:
        bias_t = None
        if bias is not None:
            bias_t = convert(bias, 'bias', fn)
            if bias_t.dtype != a.dtype:
                bias_t = run_kernel('Cast', (bias_t,), {'dtype': a.dtype})
            if not _fits(out_shape, bias_t):
                raise ValueError(f'Error in {fn}: bias of shape {bias_t.shape} does not '
                                 f'broadcast to the output shape {list(out_shape)}')
        alpha_t = None
        if activation == 'prelu':
            if alpha is None:
                raise ValueError(f'Error in {fn}: the prelu activation needs '
                                 f'preluActivationWeights')
            alpha_t = convert(alpha, 'prelu weights', fn)
            if alpha_t.dtype != a.dtype:
                alpha_t = run_kernel('Cast', (alpha_t,), {'dtype': a.dtype})
            if not _fits(out_shape, alpha_t):
                raise ValueError(f'Error in {fn}: preluActivationWeights of shape '
                                 f'{alpha_t.shape} do not broadcast to the output shape '
                                 f'{list(out_shape)}')
        return run_kernel('_FusedMatMul', (a, b, bias_t, alpha_t), {
            'transposeA': ta, 'transposeB': tb, 'activation': activation,
            'leakyreluAlpha': float(np.float32(c['leakyreluAlpha']))})

    # a tidy only where bias or weights must be converted: saves ~5 us a call
    ready = all(t is None or (isinstance(t, Tensor) and t.dtype == a.dtype)
                for t in (bias, alpha if activation == 'prelu' else None))
    return run() if ready else ENGINE.tidy(run)
