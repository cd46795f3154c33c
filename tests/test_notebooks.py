"""Every notebook runs top to bottom, code cells joined as one coroutine (as
Jupyter's top-level await runs them)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / 'notebooks').glob('*.ipynb'))


@pytest.mark.parametrize('path', NOTEBOOKS, ids=lambda p: p.name)
async def test_notebook_runs(path, capsys):
    cells = json.loads(path.read_text())['cells']
    code = '\n'.join(''.join(c['source']) for c in cells if c['cell_type'] == 'code')
    namespace: dict = {}
    exec('async def __notebook__():\n' + textwrap.indent(code, '    '), namespace)
    await namespace['__notebook__']()
    assert 'Tensor' in capsys.readouterr().out
