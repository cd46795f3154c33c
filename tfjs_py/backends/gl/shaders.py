"""Shader sources from the top-level gl/ folder.

`#include "name.glsl"` is resolved here (from the including file's folder,
then gl/include/), each file once, with `#line` markers that number every
file, so a compiler message `3:12(5): error` can be turned back into the
file and line it came from (`describe_log`).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

# tfjs_py/gl links to the top-level gl/ folder, so an installed wheel carries the shaders.
GL_DIR = (Path(__file__).resolve().parents[2] / 'gl').resolve()
GLSL_VERSION = '#version 450 core'
_INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"\s*$')
_LOG_LOCATION = re.compile(r'(\d+):(\d+)\((\d+)\)')


class ShaderSource:
    """A shader with its includes inlined; `files[i]` is source string number i."""

    def __init__(self, text: str, files: list[str]) -> None:
        self.text = text
        self.files = files

    def with_defines(self, defines: tuple[tuple[str, str], ...]) -> str:
        lines = [GLSL_VERSION] + [f'#define {k} {v}' for k, v in defines]
        return '\n'.join(lines) + '\n' + self.text

    def describe_log(self, log: str) -> str:
        """A compiler log with `n:line(col)` turned into `file:line(col)`."""
        def name(m: re.Match) -> str:
            index = int(m.group(1))
            file = self.files[index] if index < len(self.files) else m.group(1)
            return f'{file}:{m.group(2)}({m.group(3)})'
        return _LOG_LOCATION.sub(name, log)


def _resolve(path: Path, files: list[str], seen: set[Path], stack: tuple[Path, ...]) -> str:
    if path in stack:
        raise ValueError(f'{path.relative_to(GL_DIR)}: #include cycle')
    number = len(files)
    files.append(str(path.relative_to(GL_DIR)))
    out = [f'#line 1 {number}']
    for lineno, line in enumerate(path.read_text().splitlines(), 1):
        m = _INCLUDE.match(line)
        if m is None:
            out.append(line)
            continue
        target = path.parent / m.group(1)
        if not target.exists():
            target = GL_DIR / 'include' / m.group(1)
        if not target.exists():
            raise FileNotFoundError(f'{path.relative_to(GL_DIR)}:{lineno}: #include '
                                    f'"{m.group(1)}" not found')
        target = target.resolve()
        if target not in seen:
            seen.add(target)
            out.append(_resolve(target, files, seen, stack + (path,)))
        out.append(f'#line {lineno + 1} {number}')
    return '\n'.join(out)


@functools.cache
def load(name: str) -> ShaderSource:
    """gl/<name> (e.g. 'elementwise/unary.comp') with its includes resolved."""
    path = (GL_DIR / name).resolve()
    if not path.is_file():
        raise FileNotFoundError(f'no shader gl/{name}')
    files: list[str] = []
    text = _resolve(path, files, {path}, ())
    return ShaderSource(text, files)


def all_shaders() -> list[str]:
    """Every compute shader under gl/, as names for load()."""
    return sorted(str(p.relative_to(GL_DIR)) for p in GL_DIR.rglob('*.comp'))
