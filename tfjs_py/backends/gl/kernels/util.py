"""Helpers shared by the GL kernels."""

from __future__ import annotations

import math
from typing import Any

from ..backend import GlBackend, GlOutput
from ..program import LOCAL_SIZE
from ..textures import TexData

MAX_RANK = 8  # gl/include/common.glsl


def rec(t: Any) -> TexData:
    """The texture record of a tensor (or of a kernel's intermediate output)."""
    return t.rec if isinstance(t, GlOutput) else t.dataId.rec


def shape_of(t: Any) -> tuple[int, ...]:
    return t.shape if isinstance(t, GlOutput) else t._shape


def size_of(shape: tuple[int, ...] | list[int]) -> int:
    return math.prod(shape)


def groups(invocations: int, local_size: int = LOCAL_SIZE) -> int:
    return -(-invocations // local_size)


def strides(shape: tuple[int, ...] | list[int]) -> list[int]:
    out = [1] * len(shape)
    for d in range(len(shape) - 2, -1, -1):
        out[d] = out[d + 1] * shape[d + 1]
    return out


def padded(values: list[int], fill: int = 0) -> list[int]:
    """A per-axis uniform array of MAX_RANK entries."""
    if len(values) > MAX_RANK:
        raise NotImplementedError(f"rank {len(values)} tensors (over {MAX_RANK}) are not "
                                  "supported on backend 'gl'")
    return list(values) + [fill] * (MAX_RANK - len(values))


def gl_type(dtype: str) -> str:
    return 'float' if dtype == 'float32' else 'int'


def run_elementwise(backend: GlBackend, shader: str, inputs: list[Any], shape: tuple[int, ...],
                    dtype: str, defines: dict[str, Any], uniforms: dict[str, Any]) -> GlOutput:
    """One invocation per output value; `u_size` is set here."""
    out = backend.new_output(shape, dtype)
    n = out.rec.size
    if n:
        backend.run_program(shader, [rec(t) for t in inputs], [out.rec], -(-n // LOCAL_SIZE),
                            defines, {'u_size': n, **uniforms})
    return out


def release(backend: GlBackend, out: GlOutput) -> None:
    """Free an intermediate result a kernel made and no tensor holds."""
    backend.free(out.rec)


def not_supported(name: str, why: str) -> NotImplementedError:
    return NotImplementedError(f"kernel {name!r} is not implemented on backend 'gl' {why}")
