"""Texture storage: each tensor's data is one R32F (float32) or R32I (int32,
bool) texture holding the flat row-major values.

Flat index i lives at texel (i & (W - 1), i >> log2 W) with W the largest power
of two within GL_MAX_TEXTURE_SIZE (`tex_shift`): a tensor of n <= W values is
one row of width n, a bigger one fills rows of width W. Every shader uses the
same two-instruction mapping, with no per-texture uniform.

The pool recycles textures by (physical shape, format), as tfjs' WebGL
texture manager does; its bookkeeping runs on any thread under a lock, while
creating and deleting GL textures is queued to the owner thread. Commands run
in submission order, so a texture released here and handed out again is only
written after every earlier command that read it. A release only appends to a
deque (atomic, no lock): garbage collection may free a tensor on any thread,
even inside the pool's own critical section, and must never wait for it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, deque
from typing import Any

import numpy as np

from . import raw
from .worker import GlWorker

FLOAT, INT = 'R32F', 'R32I'
FORMAT_OF = {'float32': FLOAT, 'int32': INT, 'bool': INT}
HOST_TYPE = {FLOAT: np.float32, INT: np.int32}
# R32*: tensor storage; RGBA32*: scratch operands packed four values a texel (matMul).
BYTES_PER_TEXEL = {'R32F': 4, 'R32I': 4, 'RGBA32F': 16, 'RGBA32I': 16}


def tex_shift(max_texture_size: int) -> int:
    """log2 of the row width: the largest power of two <= GL_MAX_TEXTURE_SIZE."""
    return max_texture_size.bit_length() - 1


def physical_shape(size: int, shift: int) -> tuple[int, int]:
    """(width, height) of the texture holding `size` values."""
    width = 1 << shift
    if size <= width:
        return max(size, 1), 1
    height = -(-size // width)
    if height > width:
        raise ValueError(f'a tensor of {size} values does not fit in one texture '
                         f'(at most {width * width})')
    return width, height


class Texture:
    """One GL texture; `name` is set on the owner thread when it is made."""

    __slots__ = ('width', 'height', 'fmt', 'name')

    def __init__(self, width: int, height: int, fmt: str) -> None:
        self.width = width
        self.height = height
        self.fmt = fmt
        self.name = 0

    @property
    def nbytes(self) -> int:
        return self.width * self.height * BYTES_PER_TEXEL[self.fmt]


class TexData:
    """The record of one tensor's data on 'gl': a texture of `size` values of
    `dtype` (None when size is 0), or host values for the dtypes no texture
    holds (string, complex64), as tfjs' WebGL keeps strings on the CPU."""

    __slots__ = ('texture', 'size', 'dtype', 'host', 'reading')

    def __init__(self, texture: Texture | None, size: int, dtype: str,
                 host: np.ndarray | None = None) -> None:
        self.texture = texture
        self.size = size
        self.dtype = dtype
        self.host = host
        self.reading: Any = None  # the Future of a read in flight, shared by readers


class TexturePool:
    def __init__(self, worker: GlWorker, shift: int, max_free_bytes: int = 256 << 20) -> None:
        self._worker = worker
        self.shift = shift
        self.max_free_bytes = max_free_bytes
        self._free: OrderedDict[tuple[int, int, str], list[Texture]] = OrderedDict()
        self._lock = threading.Lock()
        self._released: deque[Texture] = deque()
        self.bytes_allocated = 0  # every texture that exists: in use and free
        self.bytes_free = 0
        self.num_free = 0

    def acquire(self, size: int, dtype: str) -> Texture:
        """A texture for `size` values of `dtype`."""
        return self.acquire_texels(size, FORMAT_OF[dtype])

    def acquire_texels(self, texels: int, fmt: str) -> Texture:
        """A texture of at least `texels` texels of format `fmt` (BYTES_PER_TEXEL)."""
        width, height = physical_shape(texels, self.shift)
        key = (width, height, fmt)
        with self._lock:
            evicted = self._drain() if self._released else []
            stack = self._free.get(key)
            if stack:
                tex = stack.pop()
                if not stack:
                    del self._free[key]
                self.bytes_free -= tex.nbytes
                self.num_free -= 1
            else:
                tex = Texture(*key)
                self.bytes_allocated += tex.nbytes
                self._worker.submit(_create, tex)
        self._delete(evicted)
        return tex

    def release(self, tex: Texture) -> None:
        """Return a texture for reuse, from any thread, without waiting."""
        self._released.append(tex)

    def sync(self) -> None:
        """Take in the released textures (before reading the counts)."""
        with self._lock:
            evicted = self._drain()
        self._delete(evicted)

    def _drain(self) -> list[Texture]:
        """Move released textures to the free lists (holding the lock); return
        the oldest free ones beyond max_free_bytes, to delete."""
        evicted = []
        while self._released:
            tex = self._released.popleft()
            key = (tex.width, tex.height, tex.fmt)
            self._free.setdefault(key, []).append(tex)
            self._free.move_to_end(key)
            self.bytes_free += tex.nbytes
            self.num_free += 1
        while self.bytes_free > self.max_free_bytes:
            old_key = next(iter(self._free))
            stack = self._free[old_key]
            old = stack.pop(0)
            if not stack:
                del self._free[old_key]
            self.bytes_free -= old.nbytes
            self.bytes_allocated -= old.nbytes
            self.num_free -= 1
            evicted.append(old)
        return evicted

    def _delete(self, textures: list[Texture]) -> None:
        for tex in textures:
            self._worker.submit(_delete, tex)

    def clear(self) -> None:
        """Delete every free texture."""
        with self._lock:
            evicted = self._drain()
            textures = [t for stack in self._free.values() for t in stack]
            self._free.clear()
            for tex in textures:
                self.bytes_allocated -= tex.nbytes
            self.bytes_free = 0
            self.num_free = 0
        self._delete(evicted + textures)


# -- on the owner thread --------------------------------------------------------------------
def _create(tex: Texture) -> None:
    tex.name = raw.gl().create_texture(tex.width, tex.height, tex.fmt)


def _delete(tex: Texture) -> None:
    if tex.name:
        raw.gl().delete_texture(tex.name)
        tex.name = 0


def upload(tex: Texture, values: np.ndarray) -> None:
    """Write host values (contiguous, of the texture's type, padded to the texture).
    Rows of 4-byte texels need only GL's default 4-byte unpack alignment."""
    fmt, kind = raw.PIXEL_FORMAT[tex.fmt]
    gl = raw.gl()
    call = gl.glTextureSubImage2D if values.size > raw.SMALL_TRANSFER \
        else gl.glTextureSubImage2DSmall
    call(tex.name, 0, 0, 0, tex.width, tex.height, fmt, kind, values.ctypes.data)


def download(tex: Texture, size: int) -> np.ndarray:
    """The first `size` values of a texture, after every write to it has landed."""
    gl = raw.gl()
    gl.glMemoryBarrier(raw.TEXTURE_UPDATE_BARRIER_BIT)
    out = np.empty(tex.width * tex.height, HOST_TYPE[tex.fmt])
    fmt, kind = raw.PIXEL_FORMAT[tex.fmt]
    call = gl.glGetTextureImage if out.size > raw.SMALL_TRANSFER else gl.glGetTextureImageSmall
    call(tex.name, 0, fmt, kind, out.nbytes, out.ctypes.data)
    return out[:size]
