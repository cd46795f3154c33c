"""The direction of dependencies (DESIGN.md): ops, gradients, layers and models
never import a backend; backends never import ops."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / 'tfjs_py'


def _imports(path: Path) -> set[str]:
    """Absolute module names imported by a file (relative imports resolved)."""
    parts = path.relative_to(PACKAGE.parent).with_suffix('').parts
    package = parts[:-1] if parts[-1] != '__init__' else parts[:-1]
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(package[:len(package) - node.level + 1])
                name = '.'.join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ''
            out.add(name)
            out.update(f'{name}.{alias.name}' for alias in node.names)
    return out


def _files(*folders: str) -> list[Path]:
    return [p for f in folders if (PACKAGE / f).exists()
            for p in sorted((PACKAGE / f).rglob('*.py'))]


FORBIDDEN = [
    (('ops', 'gradients', 'layers', 'models', 'data', 'io'), 'tfjs_py.backends.'),
    (('backends',), 'tfjs_py.ops'),
    (('backends',), 'tfjs_py.gradients'),
    (('backends',), 'tfjs_py.layers'),
]


@pytest.mark.parametrize('folders, prefix', FORBIDDEN)
def test_no_forbidden_imports(folders, prefix):
    offenders = []
    for path in _files(*folders):
        for name in _imports(path):
            if name.startswith(prefix) and not name.startswith('tfjs_py.backends.backend'):
                offenders.append(f'{path.relative_to(PACKAGE.parent)} imports {name}')
    assert not offenders, '\n'.join(offenders)
