"""tf.setBackend/getBackend/ready, tf.env() flags, scopes per task."""

from __future__ import annotations

import warnings

import anyio
import pytest

import tfjs_py as tf


async def test_set_backend_and_ready():
    await tf.ready()
    assert tf.getBackend() == 'cpu'
    assert await tf.setBackend('cpu') is True
    assert tf.backend().name == 'cpu'
    assert tf.findBackend('cpu') is tf.backend()
    with pytest.raises(ValueError, match='unknown backend'):
        await tf.setBackend('tpu')


def test_env_flags():
    env = tf.env()
    assert env.get('DEBUG') is False
    assert env.getNumber('EPSILON') == pytest.approx(1e-7)
    with pytest.raises(ValueError, match="unknown flag 'DEBGU'.*did you mean 'DEBUG'"):
        env.get('DEBGU')
    assert 'DEBUG' in env.flags


def test_debug_mode_reports_kernels(capsys):
    tf.env().set('DEBUG', True)
    try:
        a = tf.tensor([1.0, 2.0])
        with pytest.warns(UserWarning, match='NaN or Infinity'):
            b = a.div(0.0)
    finally:
        tf.env().set('DEBUG', False)
    out = capsys.readouterr().out
    assert 'RealDiv' in out and '[2]' in out
    tf.dispose([a, b])


async def test_tidy_scopes_are_per_task():
    """Two tasks interleaving tidy-like scopes never dispose each other's tensors."""
    results = {}

    async def worker(name: str, delay: float) -> None:
        x = tf.tensor([1.0])
        # A scope opened in one task must not capture tensors of the other.
        def body():
            y = x.add(1.0)
            return y
        for _ in range(5):
            out = tf.tidy(body)
            await anyio.sleep(delay)
            out.dispose()
        results[name] = x.arraySync()
        x.dispose()

    async with anyio.create_task_group() as tg:
        tg.start_soon(worker, 'a', 0.001)
        tg.start_soon(worker, 'b', 0.0)
    assert results == {'a': [1.0], 'b': [1.0]}




def test_async_reads_under_trio():
    async def main():
        t = tf.tensor([[1, 2]])
        values = await t.data()
        nested = await t.array()
        t.dispose()
        return values.tolist(), nested

    assert anyio.run(main, backend='trio') == ([1, 2], [[1, 2]])


def test_a_backend_made_for_set_backend_is_not_a_later_default_choice():
    # Like 'gl' on llvmpipe: refused by default, available to setBackend.
    from tfjs_py.backends.backend import BackendUnavailable
    from tfjs_py.backends.cpu import CpuBackend

    class Picky(CpuBackend):
        def usable_by_default(self) -> bool:
            return False

    def factory(explicit: bool) -> Picky:
        if not explicit:
            raise BackendUnavailable('a software renderer')
        return Picky()

    eng = tf.engine()
    active = eng._backend
    eng.register_backend('picky', factory, priority=10)
    try:
        eng._instance('picky', explicit=True)
        eng._backend = None
        with warnings.catch_warnings():  # other refused backends (gl here) may warn
            warnings.simplefilter('ignore')
            assert eng.backend.name == 'cpu'
    finally:
        eng._backend = active
        eng.remove_backend('picky')
        eng._factories.pop('picky', None)
