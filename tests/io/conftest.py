"""Fixtures shared by the io tests."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def fresh_names():
    """Models loaded here take tfjs' layer names ('conv1d_Conv1D1', ...): give the
    process-wide name counters back afterwards, so later tests that name their
    layers the same way see unsuffixed weight names."""
    from tfjs_py.layers import base
    saved = dict(base._tensor_names), dict(base._uid_counters)
    yield
    base._tensor_names.clear()
    base._tensor_names.update(saved[0])
    base._uid_counters.clear()
    base._uid_counters.update(saved[1])
