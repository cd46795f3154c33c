"""Einsum on the GL backend, composed from its own programs: labels only one
operand has and the output lacks are summed out (reduce), the rest become
one batched matrix product [batch, free of a, contracted] x [batch,
contracted, free of b] (transposed copies only where the labels are not
already in that order, or in its transpose), and the result is transposed
into the output's order."""

from __future__ import annotations

from ....engine.registry import register_kernel
from ..backend import GlOutput
from .elementwise import copy
from .linalg import matmul
from .reduce import reduce
from .shape import transpose
from .util import rec, release, size_of


class _Steps:
    """The intermediate results of one einsum, freed once it is done."""

    def __init__(self, backend) -> None:
        self.backend = backend
        self.made: list[GlOutput] = []

    def keep(self, out: GlOutput) -> GlOutput:
        self.made.append(out)
        return out

    def free_all_but(self, result: GlOutput) -> None:
        for out in self.made:
            if out.rec is not result.rec:
                release(self.backend, out)


def _sum_out(steps: _Steps, x, term: str, keep: str, dtype: str):
    """x with the axes whose labels are not in `keep` summed out, and its term."""
    axes = tuple(d for d, label in enumerate(term) if label not in keep)
    if not axes:
        return x, term
    out = steps.keep(reduce(steps.backend, 'Sum', x, axes, False, dtype))
    return out, ''.join(label for label in term if label in keep)


def _in_order(steps: _Steps, x, term: str, order: str):
    """x with its axes in the order of `order` (x itself when they are)."""
    if term == order:
        return x
    return steps.keep(transpose(steps.backend, x, [term.index(label) for label in order]))


def _operand(steps: _Steps, x, term: str, batch: str, first: str, second: str,
             sizes: dict[str, int]):
    """x as [batch, first, second] for the matrix product, and whether it comes
    as [batch, second, first] (the product's transpose flag) instead."""
    def dims(labels: str) -> int:
        return size_of([sizes[label] for label in labels])

    flipped = term == batch + second + first and term != batch + first + second
    if flipped:
        return GlOutput(rec(x), (dims(batch), dims(second), dims(first))), True
    x = _in_order(steps, x, term, batch + first + second)
    return GlOutput(rec(x), (dims(batch), dims(first), dims(second))), False


@register_kernel('Einsum', 'gl')
def einsum(backend, inputs, attrs):
    lhs, out_term = attrs['equation'].split('->')
    terms = lhs.split(',')
    dtype = inputs[0].dtype
    sizes = {label: d for t, term in zip(inputs, terms, strict=True)
             for label, d in zip(term, t._shape, strict=True)}
    steps = _Steps(backend)
    operands = []
    for i, (t, term) in enumerate(zip(inputs, terms, strict=True)):
        others = ''.join(terms[:i] + terms[i + 1:])
        operands.append(_sum_out(steps, t, term, out_term + others, dtype))
    if len(operands) == 1:
        x, term = operands[0]
        result = _in_order(steps, x, term, out_term)
        if result is inputs[0]:
            result = steps.keep(copy(backend, result))
    else:
        (a, term_a), (b, term_b) = operands
        batch = ''.join(label for label in out_term if label in term_a and label in term_b)
        contracted = ''.join(label for label in term_a if label in term_b and label not in batch)
        free_a = ''.join(label for label in term_a if label not in term_b)
        free_b = ''.join(label for label in term_b if label not in term_a)
        view_a, flip_a = _operand(steps, a, term_a, batch, free_a, contracted, sizes)
        view_b, flip_b = _operand(steps, b, term_b, batch, contracted, free_b, sizes)
        product = steps.keep(matmul(backend, view_a, view_b, flip_a, flip_b))
        labels = batch + free_a + free_b
        full = GlOutput(product.rec, tuple(sizes[label] for label in labels))
        result = _in_order(steps, full, labels, out_term)
    steps.free_all_but(result)
    return GlOutput(rec(result), tuple(sizes[label] for label in out_term))
