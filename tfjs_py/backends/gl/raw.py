"""The GL entry points on the hot path, as bare ctypes functions.

PyOpenGL wraps every call in Python (argument conversion, a glGetError after
each call) and releases the GIL around it; per dispatch that is several
microseconds and, worse, a GIL hand-off to the event loop's thread on every
call. These functions skip both: the cheap state calls keep the GIL
(PYFUNCTYPE), and only the calls that can run for long (a dispatch, a
transfer, glFinish) release it, so the loop's thread computes meanwhile.
PyOpenGL stays in use for setup and shader compilation, where errors matter
more than microseconds. Built once, on the owner thread, from the library
PyOpenGL loaded (libOpenGL with EGL, libGL with GLX), so both see the same
current context.
"""

from __future__ import annotations

import ctypes
from typing import Any

# Enum values from the GL registry (glcorearb.h).
TEXTURE_2D = 0x0DE1
TEXTURE_MIN_FILTER, TEXTURE_MAG_FILTER, NEAREST = 0x2801, 0x2800, 0x2600
WRITE_ONLY = 0x88B9
R32F, R32I = 0x822E, 0x8235
RED, RED_INTEGER, FLOAT_TYPE, INT_TYPE = 0x1903, 0x8D94, 0x1406, 0x1404
TEXTURE_FETCH_BARRIER_BIT = 0x00000008
SHADER_IMAGE_ACCESS_BARRIER_BIT = 0x00000020
TEXTURE_UPDATE_BARRIER_BIT = 0x00000100
DISPATCH_BARRIERS = (TEXTURE_FETCH_BARRIER_BIT | SHADER_IMAGE_ACCESS_BARRIER_BIT
                     | TEXTURE_UPDATE_BARRIER_BIT)
INTERNAL_FORMAT = {'R32F': R32F, 'R32I': R32I, 'RGBA32F': 0x8814, 'RGBA32I': 0x8D82}
PIXEL_FORMAT = {'R32F': (RED, FLOAT_TYPE), 'R32I': (RED_INTEGER, INT_TYPE)}

_u, _i, _f, _p = ctypes.c_uint, ctypes.c_int, ctypes.c_float, ctypes.c_void_p
# attribute: (GL function, releases the GIL, argument types). The *Small
# variants keep the GIL: for a few values a hand-off costs more than the call.
_SIGNATURES: dict[str, tuple[str, bool, tuple[Any, ...]]] = {
    'glUseProgram': ('glUseProgram', False, (_u,)),
    'glBindTextureUnit': ('glBindTextureUnit', False, (_u, _u)),
    'glBindImageTexture': ('glBindImageTexture', False, (_u, _u, _i, ctypes.c_ubyte, _i, _u, _u)),
    'glUniform1i': ('glUniform1i', False, (_i, _i)),
    'glUniform1f': ('glUniform1f', False, (_i, _f)),
    'glUniform1iv': ('glUniform1iv', False, (_i, _i, _p)),
    'glUniform1fv': ('glUniform1fv', False, (_i, _i, _p)),
    'glMemoryBarrier': ('glMemoryBarrier', False, (_u,)),
    'glCreateTextures': ('glCreateTextures', False, (_u, _i, _p)),
    'glTextureStorage2D': ('glTextureStorage2D', False, (_u, _i, _u, _i, _i)),
    'glTextureParameteri': ('glTextureParameteri', False, (_u, _u, _i)),
    'glDeleteTextures': ('glDeleteTextures', False, (_i, _p)),
    'glDispatchCompute': ('glDispatchCompute', True, (_u, _u, _u)),
    'glDispatchComputeSmall': ('glDispatchCompute', False, (_u, _u, _u)),
    'glTextureSubImage2D': ('glTextureSubImage2D', True, (_u, _i, _i, _i, _i, _i, _u, _u, _p)),
    'glTextureSubImage2DSmall': ('glTextureSubImage2D', False,
                                 (_u, _i, _i, _i, _i, _i, _u, _u, _p)),
    'glGetTextureImage': ('glGetTextureImage', True, (_u, _i, _u, _u, _i, _p)),
    'glGetTextureImageSmall': ('glGetTextureImage', False, (_u, _i, _u, _u, _i, _p)),
    'glFinish': ('glFinish', True, ()),
}
# Transfers of at most this many values keep the GIL (the *Small variants).
SMALL_TRANSFER = 1 << 14


class RawGL:
    """Attributes named like the GL functions (glUseProgram, ...)."""

    def __init__(self) -> None:
        from OpenGL import platform

        lib = platform.PLATFORM.GL
        for name, (symbol, releases_gil, argtypes) in _SIGNATURES.items():
            prototype = (ctypes.CFUNCTYPE if releases_gil else ctypes.PYFUNCTYPE)(None, *argtypes)
            try:
                fn = prototype((symbol, lib))
            except AttributeError:
                address = platform.PLATFORM.getExtensionProcedure(symbol.encode())
                if not address:
                    raise RuntimeError(f'the GL library has no {symbol}') from None
                fn = prototype(address)
            setattr(self, name, fn)

    def create_texture(self, width: int, height: int, fmt: str) -> int:
        """A new immutable texture of one level, sampled texel by texel."""
        name = ctypes.c_uint(0)
        self.glCreateTextures(TEXTURE_2D, 1, ctypes.byref(name))
        self.glTextureStorage2D(name.value, 1, INTERNAL_FORMAT[fmt], width, height)
        # Integer textures are incomplete (texelFetch gives 0) with linear filters.
        self.glTextureParameteri(name.value, TEXTURE_MIN_FILTER, NEAREST)
        self.glTextureParameteri(name.value, TEXTURE_MAG_FILTER, NEAREST)
        return name.value

    def delete_texture(self, name: int) -> None:
        self.glDeleteTextures(1, ctypes.byref(ctypes.c_uint(name)))


_GL: RawGL | None = None


def gl() -> RawGL:
    """The function table (made on first use; call it on the owner thread)."""
    global _GL
    if _GL is None:
        _GL = RawGL()
    return _GL
