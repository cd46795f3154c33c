"""Programs as specs, and the one runner that compiles, caches and dispatches them.

A spec names a shader under gl/, its #defines, its input textures (bound to
texture units 0.. in order, read with texelFetch), its output textures (image
units 0..), its uniforms and the number of 1-D workgroups. The runner adds
the defines every shader relies on (each input's and output's type, the
texel mapping, the workgroup size), compiles once per (shader, defines) and
splits big dispatches into chunks of at most MAX_GROUPS workgroups; shaders
add the `u_group_offset` uniform to gl_WorkGroupID.x (gl/include/common.glsl).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import shaders
from .textures import FLOAT, TexData, Texture

LOCAL_SIZE = 256
MAX_GROUPS = 4096  # workgroups per glDispatchCompute (<= 65535, and bounded per call)


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
        defines = dict(self.defines)
        for i, rec in enumerate(self.inputs):
            defines[f'IN{i}_{_type(rec.dtype)}'] = 1
        for i, rec in enumerate(self.outputs):
            defines[f'OUT{i}_{_type(rec.dtype)}'] = 1
            if rec.dtype == 'bool':
                defines[f'OUT{i}_BOOL'] = 1
        defines['TEX_SHIFT'] = shift
        defines['LOCAL_SIZE'] = self.local_size
        return self.shader, tuple(sorted((k, str(v)) for k, v in defines.items()))


def _type(dtype: str) -> str:
    return 'FLOAT' if dtype == 'float32' else 'INT'


class CompiledProgram:
    __slots__ = ('program', 'locations', 'offset_location')

    def __init__(self, program: int, offset_location: int) -> None:
        self.program = program
        self.locations: dict[str, int] = {}
        self.offset_location = offset_location


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
    return CompiledProgram(program, GL.glGetUniformLocation(program, 'u_group_offset'))


def _location(compiled: CompiledProgram, name: str) -> int:
    from OpenGL import GL

    loc = compiled.locations.get(name)
    if loc is None:
        loc = compiled.locations[name] = GL.glGetUniformLocation(compiled.program, name)
    return loc


def _set_uniform(loc: int, value: Any) -> None:
    from OpenGL import GL

    if isinstance(value, list | tuple):
        if value and isinstance(value[0], float):
            GL.glUniform1fv(loc, len(value), value)
        else:
            GL.glUniform1iv(loc, len(value), [int(v) for v in value])
    elif isinstance(value, float):
        GL.glUniform1f(loc, value)
    else:
        GL.glUniform1i(loc, int(value))


def dispatch(compiled: CompiledProgram, inputs: list[Texture | None], outputs: list[Texture],
             uniforms: dict[str, Any], groups: int) -> None:
    """Bind, set uniforms and dispatch in chunks, on the owner thread."""
    from OpenGL import GL

    GL.glUseProgram(compiled.program)
    for unit, tex in enumerate(inputs):
        GL.glBindTextureUnit(unit, tex.name if tex is not None else 0)
    for unit, tex in enumerate(outputs):
        fmt = GL.GL_R32F if tex.fmt == FLOAT else GL.GL_R32I
        GL.glBindImageTexture(unit, tex.name, 0, GL.GL_FALSE, 0, GL.GL_WRITE_ONLY, fmt)
    for name, value in uniforms.items():
        loc = _location(compiled, name)
        if loc >= 0:  # the compiler drops uniforms a variant does not use
            _set_uniform(loc, value)
    for start in range(0, groups, MAX_GROUPS):
        if compiled.offset_location >= 0:
            GL.glUniform1i(compiled.offset_location, start)
        GL.glDispatchCompute(min(MAX_GROUPS, groups - start), 1, 1)
    GL.glMemoryBarrier(GL.GL_TEXTURE_FETCH_BARRIER_BIT | GL.GL_SHADER_IMAGE_ACCESS_BARRIER_BIT
                       | GL.GL_TEXTURE_UPDATE_BARRIER_BIT)


