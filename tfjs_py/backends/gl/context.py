"""The one place an OpenGL 4.5 core context is made.

EGL surfaceless (Mesa's llvmpipe or a GPU driver, no display needed) by
default; a hidden GLFW window where a display exists (DISPLAY or
WAYLAND_DISPLAY), falling back to EGL when GLFW cannot make one. The context
is made current on the calling thread, which then owns it: every later GL call
must come from that thread.

PyOpenGL picks its platform when OpenGL.GL is first imported, so this module
asks for EGL before that import when there is no display (with a display,
PyOpenGL's own choice matches the context GLFW makes).

On a machine of two cores or fewer, llvmpipe is asked to compute on the
calling thread (LP_NUM_THREADS=0, unless the user set it): the event loop's
thread and the GL thread already fill such a machine, and llvmpipe's thread
pool would only add a hand-off to every dispatch (measured here: ~20 us per
small dispatch with the pool, ~2 us without; 0.4 ms per epoch of the seed
model). With more cores the pool's parallel compute is worth its hand-off.
"""

from __future__ import annotations

import ctypes
import os
import sys
from dataclasses import dataclass, field
from typing import Any

from ..backend import BackendUnavailable

HAS_DISPLAY = bool(os.environ.get('DISPLAY') or os.environ.get('WAYLAND_DISPLAY'))
if not HAS_DISPLAY and 'OpenGL.GL' not in sys.modules:
    os.environ.setdefault('PYOPENGL_PLATFORM', 'egl')

_EGL_PLATFORM_SURFACELESS_MESA = 0x31DD
_EGL_OPENGL_API = 0x30A2
_EGL_RENDERABLE_TYPE, _EGL_OPENGL_BIT = 0x3040, 0x0008
_EGL_SURFACE_TYPE, _EGL_NONE = 0x3033, 0x3038
_EGL_CONTEXT_MAJOR_VERSION, _EGL_CONTEXT_MINOR_VERSION = 0x3098, 0x30FB
_EGL_CONTEXT_OPENGL_PROFILE_MASK, _EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT = 0x30FD, 0x1
_SOFTWARE_RENDERERS = ('llvmpipe', 'softpipe', 'swrast', 'software rasterizer')


@dataclass
class GlContext:
    """A current OpenGL context and what it can do."""

    kind: str  # 'egl' or 'glfw'
    renderer: str
    version: str
    max_texture_size: int
    _release: Any = field(repr=False, default=None)

    @property
    def software(self) -> bool:
        """True on a software renderer (tfjs' "major performance caveat")."""
        name = self.renderer.lower()
        return any(s in name for s in _SOFTWARE_RENDERERS)

    def release(self) -> None:
        """Destroy the context (on its owner thread)."""
        if self._release is not None:
            self._release()
            self._release = None


def _egl_context() -> tuple[str, Any]:
    try:
        egl = ctypes.CDLL('libEGL.so.1')
    except OSError as exc:
        raise BackendUnavailable(f'libEGL is not installed: {exc}') from None
    vp, i32 = ctypes.c_void_p, ctypes.c_int
    egl.eglGetProcAddress.restype = vp
    egl.eglGetProcAddress.argtypes = [ctypes.c_char_p]
    egl.eglInitialize.argtypes = [vp, ctypes.POINTER(i32), ctypes.POINTER(i32)]
    egl.eglBindAPI.argtypes = [ctypes.c_uint]
    egl.eglChooseConfig.argtypes = [vp, ctypes.POINTER(i32), ctypes.POINTER(vp), i32,
                                    ctypes.POINTER(i32)]
    egl.eglCreateContext.restype = vp
    egl.eglCreateContext.argtypes = [vp, vp, vp, ctypes.POINTER(i32)]
    egl.eglMakeCurrent.argtypes = [vp, vp, vp, vp]
    egl.eglDestroyContext.argtypes = [vp, vp]
    egl.eglTerminate.argtypes = [vp]
    address = egl.eglGetProcAddress(b'eglGetPlatformDisplayEXT')
    if not address:
        raise BackendUnavailable('EGL has no eglGetPlatformDisplayEXT')
    get_display = ctypes.CFUNCTYPE(vp, ctypes.c_uint, vp, vp)(address)
    display = get_display(_EGL_PLATFORM_SURFACELESS_MESA, None, None)
    major, minor = i32(), i32()
    if not display or not egl.eglInitialize(display, ctypes.byref(major), ctypes.byref(minor)):
        raise BackendUnavailable('no EGL surfaceless display (needs Mesa\'s '
                                 'EGL_MESA_platform_surfaceless)')
    if not egl.eglBindAPI(_EGL_OPENGL_API):
        raise BackendUnavailable('EGL cannot bind the desktop OpenGL API')
    config, count = vp(), i32()
    attrs = (i32 * 5)(_EGL_RENDERABLE_TYPE, _EGL_OPENGL_BIT, _EGL_SURFACE_TYPE, 0, _EGL_NONE)
    if not egl.eglChooseConfig(display, attrs, ctypes.byref(config), 1, ctypes.byref(count)) \
            or count.value < 1:
        raise BackendUnavailable('EGL has no OpenGL config without a surface')
    ctx_attrs = (i32 * 7)(_EGL_CONTEXT_MAJOR_VERSION, 4, _EGL_CONTEXT_MINOR_VERSION, 5,
                          _EGL_CONTEXT_OPENGL_PROFILE_MASK, _EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT,
                          _EGL_NONE)
    context = egl.eglCreateContext(display, config, None, ctx_attrs)
    if not context:
        raise BackendUnavailable('EGL could not make an OpenGL 4.5 core context')
    if not egl.eglMakeCurrent(display, None, None, context):
        raise BackendUnavailable('EGL could not make the context current')

    def release() -> None:
        egl.eglMakeCurrent(display, None, None, None)
        egl.eglDestroyContext(display, context)
        egl.eglTerminate(display)

    return 'egl', release


def _glfw_context() -> tuple[str, Any]:
    import glfw

    if not glfw.init():
        raise BackendUnavailable('GLFW could not initialise')
    for hint, value in ((glfw.VISIBLE, glfw.FALSE), (glfw.CONTEXT_VERSION_MAJOR, 4),
                        (glfw.CONTEXT_VERSION_MINOR, 5),
                        (glfw.OPENGL_PROFILE, glfw.OPENGL_CORE_PROFILE)):
        glfw.window_hint(hint, value)
    window = glfw.create_window(1, 1, 'tfjs_py', None, None)
    if not window:
        glfw.terminate()
        raise BackendUnavailable('GLFW could not make a hidden OpenGL 4.5 window')
    glfw.make_context_current(window)

    def release() -> None:
        glfw.make_context_current(None)
        glfw.destroy_window(window)
        glfw.terminate()

    return 'glfw', release


def _cores() -> int:
    if hasattr(os, 'sched_getaffinity'):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def create_context() -> GlContext:
    """Make an OpenGL 4.5 core context current on this thread (see module doc).
    Raises BackendUnavailable, saying why, when none can be made."""
    errors = []
    makers = (_glfw_context, _egl_context) if HAS_DISPLAY else (_egl_context,)
    # llvmpipe reads LP_NUM_THREADS when its screen is made, inside make().
    inline = 'LP_NUM_THREADS' not in os.environ and _cores() <= 2
    if inline:
        os.environ['LP_NUM_THREADS'] = '0'
    try:
        for make in makers:
            try:
                kind, release = make()
                break
            except BackendUnavailable as exc:
                errors.append(str(exc))
        else:
            raise BackendUnavailable('; '.join(errors))
    finally:
        if inline:
            del os.environ['LP_NUM_THREADS']
    try:
        from OpenGL import GL

        renderer = GL.glGetString(GL.GL_RENDERER).decode()
        version = GL.glGetString(GL.GL_VERSION).decode()
        max_size = int(GL.glGetIntegerv(GL.GL_MAX_TEXTURE_SIZE))
        if (int(GL.glGetIntegerv(GL.GL_MAJOR_VERSION)),
                int(GL.glGetIntegerv(GL.GL_MINOR_VERSION))) < (4, 3):
            raise BackendUnavailable(f'OpenGL {version} has no compute shaders (needs 4.3)')
    except Exception:
        release()
        raise
    return GlContext(kind, renderer, version, max_size, release)
