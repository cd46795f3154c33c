"""Programs as specs, and the one runner that compiles, caches and dispatches them.

A spec names a shader under gl/, its #defines, its input textures (bound to
texture units 0.. in order, read with texelFetch), its output textures (image
units 0..), its uniforms and the number of 1-D workgroups. The runner adds
the defines every shader relies on (each input's and output's type, the
texel mapping, the workgroup size), compiles once per (shader, defines) and
splits big dispatches into chunks of at most MAX_GROUPS workgroups; shaders
add the `u_group_offset` uniform to gl_WorkGroupID.x (gl/include/common.glsl).

Per-dispatch cost is kept small by design: each program's active uniforms
(location and type) are read once when it links, so a dispatch's uniform
values become ready-made raw calls on the submitting thread
(`uniform_calls`), and the owner thread only binds, sets and dispatches
through bare ctypes functions (raw.py), without PyOpenGL's per-call wrapping.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import raw, shaders
from .textures import TexData, Texture

LOCAL_SIZE = 256
MAX_GROUPS = 4096  # workgroups per glDispatchCompute (<= 65535, and bounded per call)
# A dispatch of at least this many invocations releases the GIL while it
# computes (llvmpipe computes inside the call), so the loop's thread runs on
# (an invocation may loop over thousands of values: a conv filter gradient);
# a smaller one keeps it: a GIL hand-off costs more than its computation.
# Measured here: 256 and 16384 give the same MLP and seed-model figures.
RELEASE_GIL_INVOCATIONS = 256


@dataclass
class ProgramSpec:
    shader: str
    inputs: list[TexData]
    outputs: list[TexData]
    groups: int
    defines: dict[str, Any] = field(default_factory=dict)
    uniforms: dict[str, Any] = field(default_factory=dict)
    local_size: int = LOCAL_SIZE

    def key(self, shift: int) -> tuple[str, tuple[tuple[str, str], ...]]:
        """(shader, sorted defines): what compile_program takes, and the cache key."""
        return program_key(self.shader, [r.dtype for r in self.inputs],
                           [r.dtype for r in self.outputs], self.defines, self.local_size, shift)


def program_key(shader: str, input_dtypes: list[str], output_dtypes: list[str],
                defines: dict[str, Any], local_size: int,
                shift: int) -> tuple[str, tuple[tuple[str, str], ...]]:
    full = dict(defines)
    for i, dtype in enumerate(input_dtypes):
        full[f'IN{i}_{_type(dtype)}'] = 1
    for i, dtype in enumerate(output_dtypes):
        full[f'OUT{i}_{_type(dtype)}'] = 1
        if dtype == 'bool':
            full[f'OUT{i}_BOOL'] = 1
    full['TEX_SHIFT'] = shift
    full['LOCAL_SIZE'] = local_size
    return shader, tuple(sorted((k, str(v)) for k, v in full.items()))


def _type(dtype: str) -> str:
    return 'FLOAT' if dtype == 'float32' else 'INT'


class CompiledProgram:
    """A linked program and its active uniforms: name -> (location, is float)."""

    __slots__ = ('program', 'locations', 'offset_location', 'uniforms', 'offset_dirty')

    def __init__(self, program: int, offset_location: int,
                 uniforms: dict[str, tuple[int, bool]] | None = None) -> None:
        self.program = program
        self.uniforms = uniforms or {}
        self.locations: dict[str, int] = {k: loc for k, (loc, _) in self.uniforms.items()}
        self.offset_location = offset_location
        self.offset_dirty = False  # u_group_offset left non-zero by a chunked dispatch


class ShaderError(RuntimeError):
    """A shader failed to compile or link; the message names gl/ files and lines."""


def compile_program(shader: str, defines: tuple[tuple[str, str], ...]) -> CompiledProgram:
    """Compile and link on the owner thread."""
    from OpenGL import GL

    source = shaders.load(shader)
    sh = GL.glCreateShader(GL.GL_COMPUTE_SHADER)
    try:
        GL.glShaderSource(sh, source.with_defines(defines))
        GL.glCompileShader(sh)
        if not GL.glGetShaderiv(sh, GL.GL_COMPILE_STATUS):
            log = GL.glGetShaderInfoLog(sh).decode(errors='replace')
            raise ShaderError(f'gl/{shader} (defines {dict(defines)}) does not compile:\n'
                              f'{source.describe_log(log)}')
        program = GL.glCreateProgram()
        GL.glAttachShader(program, sh)
        GL.glLinkProgram(program)
        if not GL.glGetProgramiv(program, GL.GL_LINK_STATUS):
            log = GL.glGetProgramInfoLog(program).decode(errors='replace')
            GL.glDeleteProgram(program)
            raise ShaderError(f'gl/{shader} does not link:\n{source.describe_log(log)}')
    finally:
        GL.glDeleteShader(sh)
    uniforms = {}
    for index in range(int(GL.glGetProgramiv(program, GL.GL_ACTIVE_UNIFORMS))):
        name, _, kind = GL.glGetActiveUniform(program, index)
        name = name.decode() if isinstance(name, bytes) else str(name)
        location = int(GL.glGetUniformLocation(program, name))
        if location >= 0:  # samplers and images have one too; they are never set by name
            uniforms[name.removesuffix('[0]')] = (location, int(kind) == GL.GL_FLOAT)
    offset = uniforms.get('u_group_offset', (-1, False))[0]
    return CompiledProgram(program, offset, uniforms)


_ARRAY_TYPES = (list, tuple, np.ndarray)


def uniform_calls(compiled: CompiledProgram, uniforms: dict[str, Any]) -> list:
    """Uniform values as ready raw calls [(function, args)], each set with the
    type the shader declares; names the compiler dropped are skipped."""
    gl = raw.gl()
    calls = []
    active = compiled.uniforms
    for name, value in uniforms.items():
        entry = active.get(name)
        if entry is None:
            continue
        loc, is_float = entry
        if isinstance(value, _ARRAY_TYPES):
            n = len(value)
            if n == 0:
                continue
            if is_float:
                calls.append((gl.glUniform1fv, (loc, n, (ctypes.c_float * n)(*map(float, value)))))
            else:
                calls.append((gl.glUniform1iv, (loc, n, (ctypes.c_int * n)(*map(int, value)))))
        elif is_float:
            calls.append((gl.glUniform1f, (loc, float(value))))
        else:
            calls.append((gl.glUniform1i, (loc, int(value))))
    return calls


def run_prepared(compiled: CompiledProgram, inputs: list[Texture | None],
                 outputs: list[Texture], calls: list, groups: int,
                 release_gil: bool = False) -> None:
    """On the owner thread: bind, set the prepared uniforms, dispatch in chunks
    and make the writes visible to later fetches, images and reads."""
    gl = raw.gl()
    gl.glUseProgram(compiled.program)
    for unit, tex in enumerate(inputs):
        gl.glBindTextureUnit(unit, tex.name if tex is not None else 0)
    for unit, tex in enumerate(outputs):
        gl.glBindImageTexture(unit, tex.name, 0, 0, 0, raw.WRITE_ONLY, raw.INTERNAL_FORMAT[tex.fmt])
    for fn, args in calls:
        fn(*args)
    run = gl.glDispatchCompute if release_gil else gl.glDispatchComputeSmall
    offset = compiled.offset_location
    if groups <= MAX_GROUPS:
        if compiled.offset_dirty:
            gl.glUniform1i(offset, 0)
            compiled.offset_dirty = False
        run(groups, 1, 1)
    else:
        for start in range(0, groups, MAX_GROUPS):
            if offset >= 0:
                gl.glUniform1i(offset, start)
            run(min(MAX_GROUPS, groups - start), 1, 1)
        compiled.offset_dirty = offset >= 0
    gl.glMemoryBarrier(raw.DISPATCH_BARRIERS)


def dispatch(compiled: CompiledProgram, inputs: list[Texture | None], outputs: list[Texture],
             uniforms: dict[str, Any], groups: int) -> None:
    """Bind, set uniforms and dispatch in chunks, on the owner thread."""
    run_prepared(compiled, inputs, outputs, uniform_calls(compiled, uniforms), groups,
                 groups * LOCAL_SIZE >= RELEASE_GIL_INVOCATIONS)
