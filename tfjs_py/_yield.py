"""The one place that decides when training gives the event loop a turn.

Training steps run synchronously on the loop's thread; between steps the
loop driver asks a `YieldPolicy` whether to checkpoint (an anyio checkpoint:
other tasks run, and a pending cancellation is raised there). The policy is
tfjs' `yieldEvery`: 'auto', 'batch', 'epoch', 'never', or a number of
milliseconds (yield at the first batch end at least that long after the last
yield). Unlike tfjs, the policy holds whatever kind of callbacks are given.

'auto' differs from tfjs on purpose. tfjs' 'auto' is a 125 ms throttle, which
lets a fit hold the loop for 125 ms plus a step; here 'auto' yields at the
first batch end at least `AUTO_YIELD_EVERY_MS` (4 ms) after the last yield.
One yield costs ~20 us on asyncio, so this costs under 1% of throughput.
A traced step (every batch once the step is traced) also gives the loop its
turns between its kernels (`pause`), so other tasks (a 5 ms ticker, a
server) wait at most ~4 ms plus one kernel, however long the step: the
benchmark CNN's 17 ms steps leave a ticker's p99 lag at ~7 ms instead of
~25. The step's weight update lands at its end, all at once: other tasks
see the weights of the last full batch, and a cancellation keeps them. An
eager step (the first batches, `runEagerly`) runs in one go.

Callbacks may be plain functions or coroutine functions: `call` awaits what
needs awaiting.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
from anyio.lowlevel import checkpoint_if_cancelled

AUTO_YIELD_EVERY_MS = 4.0
# A yield sleeps this long rather than just rescheduling itself: a task woken
# by an expired timer needs one more loop pass on asyncio, and a bare
# checkpoint would start the next batch before it runs. Measured with a 5 ms
# ticker beside ~6 ms steps (yieldEvery 'batch'): lag p50 18.8 ms with a bare
# checkpoint, 6.5 ms with this; with a 125 ms throttle, 384 ms vs 124 ms.
_YIELD_SLEEP_S = 1e-6
_MODES = ('auto', 'batch', 'epoch', 'never')

YieldEvery = str | int | float | None
OnYield = Callable[[int, int, dict[str, Any]], Any]


async def maybe_await(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


async def call(fn: Callable[..., Any] | None, *args: Any) -> Any:
    """Call a plain or coroutine function and return its (awaited) result."""
    if fn is None:
        return None
    result = fn(*args)
    if result is not None and inspect.isawaitable(result):
        return await result
    return result


def normalize_yield_every(yieldEvery: YieldEvery) -> str | float:
    """'batch', 'epoch', 'never' or a throttle in milliseconds ('auto' = 4)."""
    if yieldEvery is None or yieldEvery == 'auto':
        return AUTO_YIELD_EVERY_MS
    if isinstance(yieldEvery, str):
        if yieldEvery in _MODES:
            return yieldEvery
    elif isinstance(yieldEvery, int | float) and not isinstance(yieldEvery, bool):
        if yieldEvery >= 0:
            return float(yieldEvery)
    raise ValueError(f'yieldEvery must be one of {", ".join(map(repr, _MODES))} or a '
                     f'non-negative number of milliseconds, got {yieldEvery!r}')


def _now_ms() -> float:
    return time.monotonic() * 1000.0


class YieldPolicy:
    """Checkpoints at batch and epoch ends as `yieldEvery` says, calling the
    onYield hooks (epoch, batch, logs) each time it yields. `now` (a clock in
    milliseconds, as tfjs' util.now) and `nextFrame` (awaited instead of the
    loop turn) replace the clock and the wait, as tfjs' nowFunc and
    nextFrameFunc do.

    Between yields, a batch end only checks for a cancellation (an anyio
    checkpoint that does not let other tasks run, ~5 us) when `checkCancel`:
    the caller passes False when no user code runs between batches, since
    nothing else can cancel a scope while the loop does not turn, and the
    next yield delivers any cancellation anyway."""

    def __init__(self, yieldEvery: YieldEvery = 'auto', onYield: list[OnYield] | None = None,
                 now: Callable[[], float] | None = None,
                 nextFrame: Callable[[], Any] | None = None, checkCancel: bool = True) -> None:
        self.mode = normalize_yield_every(yieldEvery)
        self.on_yield = list(onYield or [])
        if self.mode == 'never' and self.on_yield:
            raise ValueError('yieldEvery is "never" but an onYield callback was given; '
                             'change yieldEvery or remove the callback')
        self._now = now or _now_ms
        self._next_frame = nextFrame
        self._check_cancel = checkCancel
        self._last = self._now()

    async def _yield(self, epoch: int, batch: int, logs: dict[str, Any]) -> None:
        for hook in self.on_yield:
            await call(hook, epoch, batch, logs)
        await self._turn()

    async def _turn(self) -> None:
        """Let the event loop run (other tasks; a pending cancellation is raised)."""
        if self._next_frame is not None:
            await call(self._next_frame)
            await checkpoint_if_cancelled()
        else:
            await anyio.sleep(_YIELD_SLEEP_S)
        self._last = self._now()

    def pause(self) -> Awaitable[None] | None:
        """Asked between the kernels of a traced training step (Program.replay):
        the turn of the event loop a throttle ('auto', or milliseconds) says is
        due, to await; None when none is, and always in the other modes. The
        step updates the weights at its end, all at once: meanwhile other tasks
        see the last full batch's, and a cancellation leaves them so. onYield
        hooks are not called mid-step (the batch has no logs yet)."""
        mode = self.mode
        if mode.__class__ is float and self._now() - self._last >= mode:
            return self._turn()
        return None

    async def batch_end(self, epoch: int, batch: int, logs: dict[str, Any]) -> None:
        mode = self.mode
        if mode.__class__ is float:
            if self._now() - self._last >= mode:
                await self._yield(epoch, batch, logs)
                return
        elif mode == 'batch':
            await self._yield(epoch, batch, logs)
            return
        if self._check_cancel:
            await checkpoint_if_cancelled()

    async def epoch_end(self, epoch: int, batch: int, logs: dict[str, Any]) -> None:
        if self.mode == 'epoch':
            await self._yield(epoch, batch, logs)


__all__ = ['AUTO_YIELD_EVERY_MS', 'YieldPolicy', 'call', 'maybe_await',
           'normalize_yield_every']
