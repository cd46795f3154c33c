"""The thread that owns the GL context and runs every GL call, in order.

Kernels submit their dispatches and return at once (as WebGL queues work on
the GPU); a read waits for its own command, which runs after everything
submitted before it. Two reasons for a thread of its own (DESIGN.md): on
llvmpipe glDispatchCompute computes on the calling thread before it returns,
so only GL work off the event loop's thread keeps the loop free; and a context
is current on one thread only, while ops may run on any thread.

Commands go into one deque, in submission order; the queue only carries
wake-ups. An idle thread is woken by a command someone waits for (a read, a
call) or once WAKE_BATCH commands are waiting, and then runs everything
queued in one go: a training step of dozens of small dispatches costs one
thread hand-off (and no fight over the GIL with the thread that submits),
not one per op. `flush()` wakes it without waiting.
"""

from __future__ import annotations

import queue
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from .context import GlContext, create_context

_STOP = object()  # queued as (_STOP, (), a Future): ends the loop
WAKE_BATCH = 64


class GlWorker:
    def __init__(self) -> None:
        self._commands: deque = deque()
        self._wake: queue.SimpleQueue = queue.SimpleQueue()
        # True while the thread may be blocked on _wake. A submitter that sees
        # it posts a wake-up; the thread re-reads the deque after setting it,
        # so no command waits for a wake-up that never comes.
        self._idle = False
        self._error: BaseException | None = None
        started: Future = Future()
        self._thread = threading.Thread(target=self._main, args=(started,), name='tfjs_py-gl',
                                        daemon=True)
        self._thread.start()
        self.context: GlContext = started.result()

    def _main(self, started: Future) -> None:
        try:
            context = create_context()
        except BaseException as exc:
            started.set_exception(exc)
            return
        started.set_result(context)
        commands, wake = self._commands, self._wake
        while True:
            self._idle = True
            if not commands:
                wake.get()
            self._idle = False
            while commands:
                fn, args, future = commands.popleft()
                if future is None:
                    try:
                        fn(*args)
                    except BaseException as exc:  # kept for the next call() to raise
                        if self._error is None:
                            self._error = exc
                elif fn is _STOP:
                    context.release()
                    return
                elif future.set_running_or_notify_cancel():
                    try:
                        future.set_result(fn(*args))
                    except BaseException as exc:
                        future.set_exception(exc)

    def _put(self, item: Any, wake: bool = True) -> None:
        commands = self._commands
        commands.append(item)
        if self._idle and (wake or len(commands) >= WAKE_BATCH):
            self._idle = False
            self._wake.put(None)

    def flush(self) -> None:
        """Start running the queued commands now (without waiting for them)."""
        if self._commands and self._idle:
            self._idle = False
            self._wake.put(None)

    @property
    def on_owner_thread(self) -> bool:
        return threading.current_thread() is self._thread

    def submit(self, fn: Callable[..., Any], *args: Any) -> None:
        """Queue fn(*args) without waiting; a failure is raised by the next call()."""
        self._put((fn, args, None), False)

    def future(self, fn: Callable[..., Any], *args: Any) -> Future:
        """Queue fn(*args); its Future completes when it has run."""
        future: Future = Future()
        if self.on_owner_thread:
            try:
                future.set_result(fn(*args))
            except BaseException as exc:
                future.set_exception(exc)
        else:
            self._put((fn, args, future))
        return future

    def call(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run fn(*args) on the owner thread after everything queued; return its result."""
        result = self.future(fn, *args).result()
        self.raise_pending()
        return result

    def raise_pending(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise RuntimeError(f'a queued GL command failed: {error}') from error

    def stop(self) -> None:
        """Finish the queue, destroy the context and end the thread."""
        if self._thread.is_alive():
            self._put((_STOP, (), Future()))
            if not self.on_owner_thread:
                self._thread.join()
