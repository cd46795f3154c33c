"""Dataset: an async, re-iterable stream of elements, as tfjs' tf.data.Dataset.

Every transformation returns a new Dataset; iterating a Dataset makes a fresh
async iterator from its source each time. Stages that run ahead (prefetch)
need a task group: `forEachAsync`, `toArray` and fitDataset iterate inside
one (`async with dataset.iterate() as it`), so prefetch runs concurrently
there; a bare `async for` has no task group, and prefetch then passes
elements through in order without running ahead.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import anyio
import numpy as np

from .._naming import AttrDict, SnakeAliases
from ..engine.engine import ENGINE
from ..engine.tensor import Tensor
from .elements import batch_rows, dispose_unless_kept

# Makes the async iterator of one pass, given the task group of the iteration
# (or None).
Source = Callable[[Any], AsyncIterator[Any]]
Size = int | float | None  # None: unknown; math.inf: infinite


async def maybe_await(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


class DataIterator(SnakeAliases):
    """tfjs' LazyIterator: `await it.next()` gives {'value', 'done'}."""

    def __init__(self, stream: AsyncIterator[Any]) -> None:
        self._stream = stream

    async def next(self) -> AttrDict:
        try:
            return AttrDict(value=await self._stream.__anext__(), done=False)
        except StopAsyncIteration:
            return AttrDict(value=None, done=True)

    def __aiter__(self) -> AsyncIterator[Any]:
        return self._stream

    async def aclose(self) -> None:
        close = getattr(self._stream, 'aclose', None)
        if close is not None:
            await close()


class Dataset(SnakeAliases):
    def __init__(self, source: Source, size: Size) -> None:
        self._source = source
        self.size = size

    # -- iteration -------------------------------------------------------------
    def __aiter__(self) -> AsyncIterator[Any]:
        return self._source(None)

    async def iterator(self) -> DataIterator:
        return DataIterator(self._source(None))

    @asynccontextmanager
    async def iterate(self) -> AsyncIterator[DataIterator]:
        """An iterator whose run-ahead stages work concurrently; leaving the
        block stops them and disposes what they buffered."""
        try:
            async with anyio.create_task_group() as tg:
                stream = self._source(tg)
                try:
                    yield DataIterator(stream)
                finally:
                    await DataIterator(stream).aclose()
                    tg.cancel_scope.cancel()
        except BaseExceptionGroup as group:
            # One failure (the usual case) surfaces as itself, not as a group.
            if len(group.exceptions) == 1:
                raise group.exceptions[0] from None
            raise

    async def forEachAsync(self, f: Callable[[Any], Any]) -> None:
        async with self.iterate() as it:
            async for element in it:
                await maybe_await(f(element))

    async def toArray(self) -> list[Any]:
        if self.size == math.inf:
            raise ValueError('cannot convert an infinite dataset to an array')
        out = []
        async with self.iterate() as it:
            async for element in it:
                out.append(element)
        return out

    # -- transformations --------------------------------------------------------
    def _derive(self, stage: Callable[[AsyncIterator[Any], Any], AsyncIterator[Any]],
                size: Size) -> Dataset:
        source = self._source
        return Dataset(lambda tg: stage(source(tg), tg), size)

    def map(self, transform: Callable[[Any], Any]) -> Dataset:
        """Apply a plain function to each element inside tidy(); input tensors
        it does not return are disposed."""

        async def stage(upstream: AsyncIterator[Any], tg: Any) -> AsyncIterator[Any]:
            async for element in upstream:
                mapped = ENGINE.tidy(lambda element=element: transform(element))
                dispose_unless_kept(element, mapped)
                yield mapped

        return self._derive(stage, self.size)

    def mapAsync(self, transform: Callable[[Any], Awaitable[Any]]) -> Dataset:
        """Apply a coroutine function to each element (no tidy: it may await);
        input tensors it does not return are disposed."""

        async def stage(upstream: AsyncIterator[Any], tg: Any) -> AsyncIterator[Any]:
            async for element in upstream:
                mapped = await maybe_await(transform(element))
                dispose_unless_kept(element, mapped)
                yield mapped

        return self._derive(stage, self.size)

    def filter(self, predicate: Callable[[Any], Any]) -> Dataset:
        async def stage(upstream: AsyncIterator[Any], tg: Any) -> AsyncIterator[Any]:
            async for element in upstream:
                verdict = ENGINE.tidy(lambda element=element: _truth(predicate(element)))
                if verdict:
                    yield element
                else:
                    ENGINE.dispose(element)

        return self._derive(stage, None)

    def batch(self, batchSize: int, smallLastBatch: bool = True) -> Dataset:
        if not isinstance(batchSize, int) or batchSize < 1:
            raise ValueError(f'batch: batchSize must be a positive integer, got {batchSize!r}')

        async def stage(upstream: AsyncIterator[Any], tg: Any) -> AsyncIterator[Any]:
            rows: list[Any] = []
            async for element in upstream:
                rows.append(element)
                if len(rows) == batchSize:
                    yield _batch_and_dispose(rows)
                    rows = []
            if rows:
                if smallLastBatch:
                    yield _batch_and_dispose(rows)
                else:
                    ENGINE.dispose(rows)

        size = self.size
        if size is not None and size != math.inf:
            size = math.ceil(size / batchSize) if smallLastBatch else size // batchSize
        return self._derive(stage, size)

    def concatenate(self, dataset: Dataset) -> Dataset:
        first, second = self._source, dataset._source

        async def source(tg: Any) -> AsyncIterator[Any]:
            async for element in first(tg):
                yield element
            async for element in second(tg):
                yield element

        size = (self.size + dataset.size
                if self.size is not None and dataset.size is not None else None)
        return Dataset(source, size)

    def repeat(self, count: int | None = None) -> Dataset:
        base = self._source

        async def source(tg: Any) -> AsyncIterator[Any]:
            done = 0
            while count is None or count < 0 or done < count:
                empty = True
                async for element in base(tg):
                    empty = False
                    yield element
                done += 1
                if empty:
                    return

        if count is not None and count >= 0:
            size = self.size * count if self.size is not None else None
        else:
            size = math.inf if self.size != 0 else 0
        return Dataset(source, size)

    def take(self, count: int) -> Dataset:
        async def stage(upstream: AsyncIterator[Any], tg: Any) -> AsyncIterator[Any]:
            if count <= 0:
                return
            taken = 0
            async for element in upstream:
                yield element
                taken += 1
                if taken >= count:
                    return

        size = None if self.size is None else min(self.size, max(count, 0))
        return self._derive(stage, size)

    def skip(self, count: int) -> Dataset:
        async def stage(upstream: AsyncIterator[Any], tg: Any) -> AsyncIterator[Any]:
            skipped = 0
            async for element in upstream:
                if skipped < count:
                    skipped += 1
                    ENGINE.dispose(element)
                    continue
                yield element

        size = self.size
        if size is not None and size != math.inf:
            size = max(0, size - max(count, 0))
        return self._derive(stage, size)

    def shuffle(self, bufferSize: int, seed: int | str | None = None,
                reshuffleEachIteration: bool = True) -> Dataset:
        """Shuffle through a buffer of bufferSize elements; the same seed gives
        the same order, and each pass reshuffles unless told otherwise."""
        if not isinstance(bufferSize, int) or bufferSize < 1:
            raise ValueError(f'shuffle: bufferSize must be a positive integer, got {bufferSize!r}')
        seeds = np.random.default_rng(_seed_value(seed))
        fixed = int(seeds.integers(2**63))
        base = self._source

        async def source(tg: Any) -> AsyncIterator[Any]:
            rng = np.random.default_rng(int(seeds.integers(2**63))
                                        if reshuffleEachIteration else fixed)
            buffer: list[Any] = []
            async for element in base(tg):
                if len(buffer) < bufferSize:
                    buffer.append(element)
                    continue
                index = int(rng.integers(len(buffer)))
                out, buffer[index] = buffer[index], element
                yield out
            while buffer:
                yield buffer.pop(int(rng.integers(len(buffer))))

        return Dataset(source, self.size)

    def prefetch(self, bufferSize: int) -> Dataset:
        """Run up to bufferSize elements ahead of the consumer, concurrently,
        when iterated inside `iterate()` (see the module note)."""
        if not isinstance(bufferSize, int) or bufferSize < 1:
            raise ValueError(f'prefetch: bufferSize must be a positive integer, got '
                             f'{bufferSize!r}')

        async def stage(upstream: AsyncIterator[Any], tg: Any) -> AsyncIterator[Any]:
            if tg is None:
                async for element in upstream:
                    yield element
                return
            send, receive = anyio.create_memory_object_stream(bufferSize)

            async def produce() -> None:
                async with send:
                    async for element in upstream:
                        try:
                            await send.send(element)
                        except BaseException as exc:
                            ENGINE.dispose(element)
                            if isinstance(exc, anyio.BrokenResourceError):
                                return  # the consumer stopped early
                            raise

            tg.start_soon(produce)
            try:
                async for element in receive:
                    yield element
            finally:
                for leftover in _drain(receive):
                    ENGINE.dispose(leftover)
                receive.close()

        return self._derive(stage, self.size)


def _drain(receive: Any) -> list[Any]:
    out = []
    while True:
        try:
            out.append(receive.receive_nowait())
        except (anyio.WouldBlock, anyio.EndOfStream, anyio.ClosedResourceError):
            return out


def _truth(value: Any) -> bool:
    if isinstance(value, Tensor):
        return bool(value.dataSync().reshape(-1)[0])
    return bool(value)


def _seed_value(seed: int | str | None) -> int | None:
    if seed is None or isinstance(seed, int):
        return seed
    return int.from_bytes(str(seed).encode()[:16].ljust(16, b'\0'), 'little')


def _batch_and_dispose(rows: list[Any]) -> Any:
    batched = ENGINE.tidy(lambda: batch_rows(rows))
    dispose_unless_kept(rows, batched)
    return batched
