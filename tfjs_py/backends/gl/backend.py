"""The OpenGL backend ('gl', alias 'webgl'): tensor data in textures, kernels
as GLSL compute shaders from gl/, all GL work on one owner thread (worker.py).

Like tfjs' WebGL backend, which refuses a context with a "major performance
caveat", it is not chosen by default on a software renderer (llvmpipe,
softpipe) unless the flag SOFTWARE_WEBGL_ENABLED is set; `setBackend('gl')`
always works where a context can be made.
"""

from __future__ import annotations

import math
import time
from concurrent.futures import Future
from typing import Any

import anyio
import numpy as np

from ...dtypes import NUMPY_DTYPE
from ...engine.engine import ENGINE
from ...environment import ENV, env_bool
from ..backend import Backend, BackendUnavailable
from . import program as program_module
from . import raw
from .program import RELEASE_GIL_INVOCATIONS, CompiledProgram, ProgramSpec, uniform_calls
from .textures import HOST_TYPE, TexData, TexturePool, download, tex_shift, upload
from .worker import GlWorker

_BYTES_PER_ELEMENT = {'float32': 4, 'int32': 4, 'bool': 1}
_TEXTURE_DTYPES = ('float32', 'int32', 'bool')
_CANONICAL = {v: k for k, v in NUMPY_DTYPE.items()}
_SPIN_S = 1e-3  # how long a pending read polls without sleeping


class GlOutput:
    """What a gl kernel returns: a new record and the shape of its tensor."""

    __slots__ = ('rec', 'shape')

    def __init__(self, rec: TexData, shape: tuple[int, ...]) -> None:
        self.rec = rec
        self.shape = shape


class GlBackend(Backend):
    name = 'gl'

    def __init__(self) -> None:
        super().__init__()
        self.worker = GlWorker()
        self.context = self.worker.context
        self.shift = tex_shift(self.context.max_texture_size)
        self.pool = TexturePool(self.worker, self.shift)
        self._programs: dict[tuple, CompiledProgram] = {}
        # (shader, local size, dtypes, defines as given) -> program: skips
        # building and sorting the full define list on every dispatch.
        self._fast_programs: dict[tuple, CompiledProgram] = {}

    # -- storage -------------------------------------------------------------------
    def new_output(self, shape: tuple[int, ...] | list[int], dtype: str) -> GlOutput:
        """An uninitialised record for a kernel to write."""
        shape = tuple(map(int, shape))
        size = math.prod(shape)
        if dtype not in _TEXTURE_DTYPES:
            raise NotImplementedError(f"dtype {dtype} has no kernels on backend 'gl'")
        texture = self.pool.acquire(size, dtype) if size else None
        return GlOutput(TexData(texture, size, dtype), shape)

    def write(self, values: np.ndarray) -> tuple[TexData, int]:
        dtype = _CANONICAL[values.dtype]
        if dtype not in _TEXTURE_DTYPES:
            return TexData(None, values.size, dtype, values.copy()), values.nbytes
        out = self.new_output(values.shape, dtype)
        rec = out.rec
        if rec.texture is not None:
            tex = rec.texture
            texels = tex.width * tex.height
            if texels == rec.size:
                staged = np.array(values.reshape(-1), HOST_TYPE[tex.fmt])  # a copy
            else:
                staged = np.zeros(texels, HOST_TYPE[tex.fmt])
                staged[:rec.size] = values.reshape(-1)
            self.worker.submit(upload, tex, staged)
        return rec, rec.size * _BYTES_PER_ELEMENT[dtype]

    def adopt(self, raw: GlOutput) -> tuple[TexData, tuple[int, ...], str, int]:
        rec = raw.rec
        return rec, raw.shape, rec.dtype, rec.size * _BYTES_PER_ELEMENT.get(rec.dtype, 8)

    def _read(self, rec: TexData) -> Future:
        """The transfer of a record's values; concurrent readers share one."""
        future = rec.reading
        if future is None or future.done():
            future = self.worker.future(download, rec.texture, rec.size)
            rec.reading = future
        return future

    def _values(self, rec: TexData, flat: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
        if rec.dtype == 'bool':
            flat = flat != 0
        return flat.reshape(shape)

    def read_sync(self, rec: TexData, shape: tuple[int, ...], dtype: str) -> np.ndarray:
        if rec.host is not None:
            return rec.host.reshape(shape)
        if rec.texture is None:
            return np.empty(shape, NUMPY_DTYPE[dtype])
        flat = self._read(rec).result()
        self.worker.raise_pending()
        return self._values(rec, flat, shape)

    async def read(self, rec: TexData, shape: tuple[int, ...], dtype: str) -> np.ndarray:
        """Wait for the transfer by polling it between anyio checkpoints, so the
        event loop (asyncio or trio) keeps running while the GL thread works."""
        if rec.host is not None or rec.texture is None:
            return self.read_sync(rec, shape, dtype)
        future = self._read(rec)
        # asyncio rounds any non-zero sleep up to ~1 ms, longer than most small
        # steps take: poll at bare checkpoints for the first SPIN_S, then back off.
        spin_until = time.perf_counter() + _SPIN_S
        delay = 0.0
        while not future.done():
            await anyio.sleep(delay)
            if time.perf_counter() >= spin_until:
                delay = min(max(delay * 2, 1e-4), 2e-3)
        flat = future.result()
        self.worker.raise_pending()
        return self._values(rec, flat, shape)

    def free(self, rec: TexData) -> None:
        """Return the texture to the pool (bookkeeping, safe from any thread);
        GL deletes only ever run on the owner thread."""
        if rec.texture is not None:
            self.pool.release(rec.texture)
            rec.texture = None
        rec.host = None

    def memory(self) -> dict[str, Any]:
        pool = self.pool
        pool.sync()
        return {
            'numBytesInGPU': pool.bytes_allocated,
            'numBytesInGPUAllocated': pool.bytes_allocated - pool.bytes_free,
            'numBytesInGPUFree': pool.bytes_free,
            'numTexturesInPool': pool.num_free,
        }

    # -- programs ------------------------------------------------------------------
    def run(self, spec: ProgramSpec) -> None:
        """Queue a program; it compiles (synchronously, raising ShaderError) on first use."""
        self.run_program(spec.shader, spec.inputs, spec.outputs, spec.groups, spec.defines,
                         spec.uniforms, spec.local_size)

    def run_program(self, shader: str, inputs: list[TexData], outputs: list[TexData],
                    groups: int, defines: dict[str, Any], uniforms: dict[str, Any],
                    local_size: int = program_module.LOCAL_SIZE) -> None:
        """`run` without a ProgramSpec: the per-op path of the common kernels."""
        if groups <= 0:
            return
        fast = (shader, local_size, *[r.dtype for r in inputs], None,
                *[r.dtype for r in outputs], *defines.items())
        compiled = self._fast_programs.get(fast)
        if compiled is None:
            compiled = self._program(shader, inputs, outputs, defines, local_size)
            self._fast_programs[fast] = compiled
        textures = []
        for rec in inputs:
            if rec.host is not None:
                raise NotImplementedError(f"dtype {rec.dtype} has no kernels on backend 'gl'")
            textures.append(rec.texture)
        self.worker.submit(program_module.run_prepared, compiled, textures,
                           [rec.texture for rec in outputs], uniform_calls(compiled, uniforms),
                           groups, groups * local_size >= RELEASE_GIL_INVOCATIONS)

    def _program(self, shader: str, inputs: list[TexData], outputs: list[TexData],
                 defines: dict[str, Any], local_size: int) -> CompiledProgram:
        key = program_module.program_key(shader, [r.dtype for r in inputs],
                                         [r.dtype for r in outputs], defines, local_size,
                                         self.shift)
        compiled = self._programs.get(key)
        if compiled is None:
            compiled = self.worker.call(program_module.compile_program, *key)
            self._programs[key] = compiled
        return compiled

    def sync(self) -> None:
        """Wait for every queued command (benchmarks, tests)."""
        self.worker.call(_finish)

    def usable_by_default(self) -> bool:
        return not self.context.software or ENV.getBool('SOFTWARE_WEBGL_ENABLED')

    def dispose(self) -> None:
        self.pool.clear()
        self.worker.stop()


def _finish() -> None:
    raw.gl().glFinish()


ENV.registerFlag('SOFTWARE_WEBGL_ENABLED', lambda: env_bool('TFJS_PY_SOFTWARE_WEBGL_ENABLED'))


def _factory(explicit: bool) -> GlBackend:
    backend = GlBackend()
    if not explicit and not backend.usable_by_default():
        renderer = backend.context.renderer
        backend.dispose()
        raise BackendUnavailable(f'{renderer} is a software renderer (a major performance '
                                 "caveat); use setBackend('gl') to choose it anyway")
    return backend


ENGINE.register_backend('gl', _factory, priority=2, aliases=('webgl',))
