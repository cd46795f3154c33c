"""Traced steps: the kernels one call of a tensor function runs, recorded once
and replayed for later calls.

fit() runs the same function for every batch: a forward pass, a loss and its
gradients, the same kernels with the same attrs on data of the same shapes.
Replaying the recorded kernels runs them without the Python of the ops, the
layers and the tape (for a small model that Python costs as much as the
kernels). This is what Keras does by compiling its training step.

A function can be traced when it is pure: its results depend only on its
argument tensors, the current values of variables and tensors made before the
call, and host values that are the same at every call; it may assign
variables (batch normalization's moving averages), which a replay does once
its kernels ran. Recording checks what it can see: no variable is made or
updated by a kernel, no tensor value is read back to the host, a tensor kept
by keep() is among the results. A recording is used
only once a second call recorded the very same program (same kernels, attrs,
shapes, host constants, variables and outside tensors): a host value that
changes from call to call (a counter) then shows up as a difference, and the
function stays eager. Random values are the exception: they are made by a
function given to the engine (Engine.make_drawn), which a replay calls again.
What recording cannot see is Python state read by the function and changed
between calls (a layer's attribute set by hand during fit): a replay uses the
value recorded.

A key whose recordings keep failing or differing, or whose replays keep
stopping, stays eager after MAX_STRIKES.

A replay binds the arguments, the variables' current data and the outside
tensors, runs each kernel on stand-in tensors, frees each intermediate after
its last use, and wraps the results as new tensors. A kernel result of another
shape than recorded (data-dependent shapes), a disposed outside tensor or a
tensor on another backend stops the replay before anything escapes: the call
then runs eagerly and is recorded again. An async call (`call_async`, fit's
training step) may pause between kernels to let the event loop run; the
variables still get their new data only at the end.
"""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from types import FunctionType
from typing import Any

import numpy as np

from ..backends.backend import Backend, DataId
from .scope import RECORDER, TAPES
from .tensor import Tensor, Variable

_new = object.__new__
# Failed recordings, mismatches and stopped replays before a key stays eager.
MAX_STRIKES = 3
# Keys kept per cache: the oldest goes first (a fit with a new batch size adds one).
MAX_KEYS = 16


# Asked after each kernel of a replay that may pause: something to await
# (a turn of the event loop), or None to go on.
Pause = Callable[[], Awaitable[Any] | None]


class _Diverged(Exception):
    """A replay met something its recording did not (a shape, a freed tensor)."""


def complete(coro: Coroutine[Any, Any, Any]) -> Any:
    """The result of a coroutine that never suspends (a replay or a traced
    call given no pause), run synchronously."""
    try:
        coro.send(None)
    except StopIteration as done:
        return done.value
    coro.close()
    raise RuntimeError('a traced call without pauses suspended')


def same_value(a: Any, b: Any) -> bool:
    """Whether two attr or host values are equal, for deciding that two
    recordings are one program (NaN equals nothing: such a program stays eager)."""
    if a is b:
        return True
    if a.__class__ is not b.__class__:
        return False
    if isinstance(a, np.ndarray):
        return a.shape == b.shape and a.dtype == b.dtype and bool(np.array_equal(a, b))
    if isinstance(a, FunctionType):
        return same_function(a, b)
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same_value(a[k], b[k]) for k in a)
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return False


def same_function(f: Callable, g: Callable) -> bool:
    """Whether two functions made by the same code hold equal values (two calls
    of an op making the closure that draws its random numbers)."""
    code = getattr(f, '__code__', None)
    if code is None or code is not getattr(g, '__code__', None):
        return False
    cells_f, cells_g = f.__closure__ or (), g.__closure__ or ()
    return (len(cells_f) == len(cells_g)
            and same_value(f.__defaults__, g.__defaults__)
            and all(same_value(a.cell_contents, b.cell_contents)
                    for a, b in zip(cells_f, cells_g, strict=True)))


class Recording:
    """What one call did, in slots: each piece of data the kernels saw gets a
    slot, numbered in order of first sight, so two calls that did the same
    thing give equal recordings.

    A slot is bound to ('arg', i), ('var', variable), ('ext', tensor made
    before the call), ('const', host values, dtype), ('draw', function making
    host values, dtype, shape) or ('out', step, j).
    """

    def __init__(self, backend: Backend, args: Sequence[Tensor]) -> None:
        self.backend = backend
        self.slot_of: dict[int, int] = {}  # id(DataId) -> slot
        self.seen: list[DataId] = []  # keeps each DataId alive, so no id() is reused
        self.bindings: list[tuple] = []
        self.steps: list[tuple] = []  # (name, ((slot, shape, dtype) | None, ...), attrs, out specs)
        self.kept: list[Tensor] = []
        self.views: set[int] = set()  # ids of the views made during the call
        self.assigns: list[tuple[Variable, int]] = []  # (variable, slot of its new data)
        self.failure: str | None = None
        for i, t in enumerate(args):
            self._slot(t, ('arg', i))

    # -- the engine's hooks, called while the function runs ------------------------
    def _slot(self, t: Tensor, binding: tuple | None = None) -> int:
        data = t.dataId
        slot = self.slot_of.get(id(data))
        if slot is None:
            if binding is None:
                # First seen as an input: made before the call.
                binding = ('var', t) if isinstance(t, Variable) else ('ext', t)
            slot = len(self.bindings)
            self.slot_of[id(data)] = slot
            self.seen.append(data)
            self.bindings.append(binding)
        elif binding is None and self.bindings[slot][0] in ('var', 'ext'):
            if self.bindings[slot][1] is not t and t.id not in self.views:
                # Another outside tensor on the same data: a variable's data may
                # change before a replay while the other tensor keeps the old one.
                self.fail('two outside tensors share their data')
        return slot

    def inputs(self, inputs: tuple) -> tuple:
        """A kernel's inputs as (slot, shape, dtype) (None for None)."""
        return tuple(None if t is None else (self._slot(t), t._shape, t.dtype) for t in inputs)

    def kernel(self, name: str, inputs: tuple, attrs: dict, outputs: tuple) -> None:
        self._step(name, self.inputs(inputs), attrs, outputs)

    def update(self, name: str, refs: tuple, attrs: dict | Callable[[], dict],
               targets: tuple[Variable, ...]) -> None:
        """A kernel whose results became the data of `targets` (refs: its inputs
        before that): a step, then assignments. Attrs given as the function
        that makes them are made again at each replay."""
        self._step(name, refs, attrs, targets)
        self.assigns.extend((v, self.slot_of[id(v.dataId)]) for v in targets)

    def _step(self, name: str, refs: tuple, attrs: Any, outputs: tuple) -> None:
        step = len(self.steps)
        for j, o in enumerate(outputs):
            self._slot(o, ('out', step, j))
        self.steps.append((name, refs, attrs, tuple((o._shape, o.dtype) for o in outputs)))

    def view(self, x: Tensor, out: Tensor) -> None:
        """A shared kernel's output views x's data: it takes x's slot."""
        self._slot(x)
        self.views.add(out.id)

    def assign(self, v: Variable, value: Tensor) -> None:
        """v takes value's data: a replay does the same once its kernels ran
        (reads of v after this point already use value's slot)."""
        self.assigns.append((v, self._slot(value)))

    def constant(self, values: np.ndarray, dtype: str, t: Tensor) -> None:
        self._slot(t, ('const', values, dtype))

    def drawn(self, draw: Callable[[], np.ndarray], dtype: str, t: Tensor) -> None:
        self._slot(t, ('draw', draw, dtype, t._shape))

    def fail(self, why: str) -> None:
        if self.failure is None:
            self.failure = why

    # -- after the call ------------------------------------------------------------
    def returns(self, results: Sequence[Tensor | None]) -> tuple | None:
        """The results as (slot, shape, dtype, kept) entries (None for None), or
        None if the call cannot be replayed."""
        if self.failure is not None:
            return None
        out = []
        for t in results:
            if t is None:
                out.append(None)
                continue
            slot = self.slot_of.get(id(t.dataId))
            if slot is None:
                return None  # an outside tensor returned as it is
            out.append((slot, t._shape, t.dtype, t.kept))
        returned = {id(t) for t in results if t is not None}
        if any(id(t) not in returned for t in self.kept):
            self.fail('a tensor kept by keep() is not among the results')
            return None
        return tuple(out)

    def same_as(self, other: Recording, returns: tuple, other_returns: tuple) -> bool:
        if (self.backend is not other.backend or len(self.steps) != len(other.steps)
                or len(self.bindings) != len(other.bindings) or returns != other_returns
                or len(self.assigns) != len(other.assigns)):
            return False
        for (v1, s1), (v2, s2) in zip(self.assigns, other.assigns, strict=True):
            if v1 is not v2 or s1 != s2:
                return False
        for a, b in zip(self.bindings, other.bindings, strict=True):
            if a[0] != b[0]:
                return False
            if a[0] == 'const':
                if a[2] != b[2] or not same_value(a[1], b[1]):
                    return False
            elif a[0] == 'draw':
                if a[2:] != b[2:] or not same_function(a[1], b[1]):
                    return False
            elif a[0] in ('var', 'ext'):
                if a[1] is not b[1]:
                    return False
            elif a != b:
                return False
        for (n1, r1, a1, o1), (n2, r2, a2, o2) in zip(self.steps, other.steps, strict=True):
            if n1 != n2 or r1 != r2 or o1 != o2 or not same_value(a1, a2):
                return False
        return True


class _Carrier(Tensor):
    """A stand-in tensor a replayed kernel reads its input from: never counted,
    never in a scope. It keeps the data it was last given (freed data has no
    record left, so nothing is held), and releases nothing when collected."""

    __slots__ = ()

    def __del__(self) -> None:
        pass


def _carrier(shape: tuple[int, ...], dtype: str) -> Tensor:
    t = _new(_Carrier)
    t.id = -1
    t._shape = shape
    t.dtype = dtype
    t.dataId = None
    t.kept = False
    return t


class Program:
    """A recording made runnable: kernels looked up, stand-in inputs made, the
    host constants written to the backend (held until dispose), and for every
    step the intermediates whose last use it is."""

    def __init__(self, engine: Any, rec: Recording, returns: tuple) -> None:
        self.engine = engine
        self.backend = backend = rec.backend
        n = len(rec.bindings)
        self.fixed: list[DataId | None] = [None] * n
        self.args: list[tuple[int, int]] = []
        self.outside: list[tuple[int, Tensor]] = []
        self.draws: list[tuple[int, Callable, tuple[int, ...]]] = []
        for slot, binding in enumerate(rec.bindings):
            kind = binding[0]
            if kind == 'arg':
                self.args.append((binding[1], slot))
            elif kind in ('var', 'ext'):
                self.outside.append((slot, binding[1]))
            elif kind == 'const':
                self.fixed[slot] = engine.backend_data(backend, binding[1])
            elif kind == 'draw':
                self.draws.append((slot, binding[1], binding[3]))
        self.assigns = rec.assigns
        # Outputs kept to the end: the results, and the variables' new data.
        returned = {r[0] for r in returns if r is not None}
        # The data a replay makes and owns: kernel outputs and fresh draws.
        owned = {slot for slot, b in enumerate(rec.bindings) if b[0] in ('out', 'draw')}
        self.owned = sorted(owned)
        self.held = [slot for slot in {s for _, s in rec.assigns}
                     if slot in owned and slot not in returned]
        returned.update(self.held)
        last_use: dict[int, int] = {}
        for k, (_, refs, _, _) in enumerate(rec.steps):
            for ref in refs:
                if ref is not None:
                    last_use[ref[0]] = k
        release: list[list[int]] = [[] for _ in rec.steps]
        for slot in owned - returned:
            # An unused output goes as soon as its own step is done, an unused
            # draw after the first step.
            binding = rec.bindings[slot]
            unused = binding[1] if binding[0] == 'out' else 0
            if rec.steps:
                release[last_use.get(slot, unused)].append(slot)
            else:
                self.held.append(slot)
        out_slot = {b[1:]: slot for slot, b in enumerate(rec.bindings) if b[0] == 'out'}
        # A result takes its output's own reference; a second view of the same
        # output, or data held elsewhere (an argument, a variable), one more.
        handed: set[int] = set()
        self.returns = []
        for entry in returns:
            if entry is None:
                self.returns.append(None)
                continue
            slot = entry[0]
            self.returns.append((*entry, slot in handed or slot not in owned))
            handed.add(slot)
        self.steps = []
        # Functions making attrs anew (an optimizer's step attrs), each called
        # once per replay, as an eager step makes its attrs once for all the
        # variables it updates (equal bound methods are one function).
        self.makers: list[Callable[[], dict]] = []
        for k, (name, refs, attrs, specs) in enumerate(rec.steps):
            if name not in backend.kernels:
                engine._find_kernel(backend, name)
            carriers = tuple(None if r is None else _carrier(r[1], r[2]) for r in refs)
            feeds = tuple((c, r[0]) for c, r in zip(carriers, refs, strict=True)
                          if r is not None)
            # One output (most kernels): its slot and spec, not 1-tuples.
            multi = len(specs) != 1
            outs = tuple(out_slot[k, j] for j in range(len(specs)))
            live = None
            if callable(attrs):
                if attrs not in self.makers:
                    self.makers.append(attrs)
                live = self.makers.index(attrs)
            self.steps.append((name, carriers, feeds, attrs, live, outs if multi else outs[0],
                               specs if multi else specs[0], tuple(release[k]), multi))

    async def replay(self, args: Sequence[Tensor], pause: Pause | None) -> list[Tensor | None]:
        """The replay; with `pause`, after each kernel it awaits what pause()
        returns, if anything (a turn of the event loop, once one is due). Other
        code may then dispose the program, the variables or outside tensors,
        or give a variable new data: the data bound at the start is held (one
        reference each) until the end. Variables get their new data at the end,
        all at once, and not at all if the replay stops on the way."""
        engine, backend = self.engine, self.backend
        data = list(self.fixed)
        for i, slot in self.args:
            d = args[i].dataId
            if d.backend is not backend:
                raise _Diverged
            data[slot] = d
        for slot, t in self.outside:
            # A variable's current data; a tensor's data changes only when it is
            # disposed (None) or moved to another backend.
            d = t.dataId
            if d is None or d.backend is not backend:
                raise _Diverged
            data[slot] = d
        adopt, free = engine._adopt, engine._free
        pinned = [] if pause is None else [d for d in data if d is not None]
        for d in pinned:
            d.refs += 1
        try:
            return await self._execute(data, pause, adopt, free)
        finally:
            for d in pinned:
                d.refs -= 1
                if d.refs == 0:
                    free(d)

    async def _execute(self, data: list, pause: Pause | None, adopt: Callable,
                       free: Callable) -> list[Tensor | None]:
        engine, backend = self.engine, self.backend
        # Looked up per run, as eager calls do: a kernel replaced at run time
        # (a profiler's wrapper) is the one replayed.
        kernels = backend.kernels
        made = [make() for make in self.makers]
        try:
            for slot, draw, shape in self.draws:
                values = draw()
                data[slot] = engine.backend_data(backend, values)
                if values.shape != shape:
                    raise _Diverged
            for name, carriers, feeds, attrs, live, outs, specs, release, multi in self.steps:
                for carrier, slot in feeds:
                    carrier.dataId = data[slot]
                raw = kernels[name](backend, carriers, attrs if live is None else made[live])
                if multi:
                    for slot, spec, r in zip(outs, specs, raw, strict=True):
                        d, shape, dtype = adopt(backend, r)
                        data[slot] = d
                        if shape != spec[0] or dtype != spec[1]:
                            raise _Diverged
                else:
                    d, shape, dtype = adopt(backend, raw)
                    data[outs] = d
                    if shape != specs[0] or dtype != specs[1]:
                        raise _Diverged
                for slot in release:
                    d = data[slot]
                    data[slot] = None
                    d.refs -= 1
                    if d.refs == 0:
                        free(d)
                if pause is not None:
                    wait = pause()
                    if wait is not None:
                        await wait
            if any(v.dataId is None for v, _ in self.assigns):
                raise _Diverged
        except BaseException:
            for slot in self.owned:
                d = data[slot]
                if d is not None:
                    d.refs -= 1
                    if d.refs == 0:
                        free(d)
            raise
        for v, slot in self.assigns:
            d = data[slot]
            if d is not v.dataId:
                d.refs += 1
                engine._replace_data(v, d)
        for slot in self.held:
            d = data[slot]
            d.refs -= 1
            if d.refs == 0:
                free(d)
        results: list[Tensor | None] = []
        for entry in self.returns:
            if entry is None:
                results.append(None)
                continue
            slot, shape, dtype, kept, add_ref = entry
            d = data[slot]
            if add_ref:
                d.refs += 1
            t = engine._new_tensor(shape, dtype, d)
            t.kept = kept
            results.append(t)
        return results

    def dispose(self) -> None:
        """Free the constants, unless their backend was removed meanwhile (its
        data went with it)."""
        fixed, self.fixed = self.fixed, []
        if self.engine.find_backend(self.backend.name) is not self.backend:
            return
        for d in fixed:
            if d is not None:
                d.refs -= 1
                if d.refs == 0:
                    self.engine._free(d)

    # A model dropped without dispose() lets its programs go the same way.
    __del__ = dispose


class TraceCache:
    """Programs of traced calls, by key: `call(fn, args, key)` runs
    fn(*args) -> list of tensors (or None), recorded and then replayed. The
    key is the caller's summary of everything else fn depends on (its closure:
    which variables, which loss); the argument shapes and dtypes are added to
    it. Holds the programs' constants until dispose()."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        # key -> [program or None, last recording, its returns, strikes]
        self.states: dict[tuple, list] = {}
        # Held by the one thread using the cache: another thread could rebind
        # a program's stand-in tensors between two bytecodes. Reentrant: the
        # function a call runs may call it again, and so may another task
        # while a replay is paused (a replay binds its stand-ins right before
        # each kernel, so a nested replay of the same program is safe).
        self._busy = threading.RLock()

    def call(self, fn: Callable[..., list], args: Sequence[Tensor],
             key: tuple = ()) -> list[Tensor | None]:
        if not self._enter():
            return fn(*args)
        try:
            return complete(self._call(fn, args, key, None))
        finally:
            self._busy.release()

    async def call_async(self, fn: Callable[..., list], args: Sequence[Tensor],
                         key: tuple = (), pause: Pause | None = None) -> list[Tensor | None]:
        """call(), with a replay that awaits pause() after each kernel
        (Program.replay); recording and eager calls run in one go."""
        if not self._enter():
            return fn(*args)
        try:
            return await self._call(fn, args, key, pause)
        finally:
            self._busy.release()

    def _enter(self) -> bool:
        """Whether this call may use the cache (holding it until it ends).
        Under a tape or a recording the function runs as it is; a call from
        another thread meanwhile (predict from a thread pool) runs eagerly
        rather than wait."""
        if TAPES.get() or RECORDER.get() is not None or self.engine._debug:
            return False
        return self._busy.acquire(blocking=False)

    async def _call(self, fn: Callable[..., list], args: Sequence[Tensor], key: tuple,
                    pause: Pause | None) -> list[Tensor | None]:
        backend = self.engine.backend
        ids = [id(t.dataId) for t in args]
        # The shapes, and which arguments share data (they share one slot).
        key = (backend, key, tuple((t._shape, t.dtype) for t in args),
               tuple(ids.index(i) for i in ids))
        state = self.states.get(key)
        if state is None:
            if len(self.states) >= MAX_KEYS:
                self._drop(next(iter(self.states)))
            state = self.states[key] = [None, None, None, 0]
        program = state[0]
        if program is not None:
            try:
                return await program.replay(args, pause)
            except _Diverged:
                program.dispose()
                state[0] = None
                state[3] += 1
        if state[3] >= MAX_STRIKES:
            return fn(*args)
        results = self._record(fn, args, state, backend)
        if state[3] >= MAX_STRIKES:
            state[1] = state[2] = None  # eager from now on: no recording to keep
        return results

    def _record(self, fn: Callable[..., list], args: Sequence[Tensor], state: list,
                backend: Backend) -> list:
        rec = Recording(backend, args)
        token = RECORDER.set(rec)
        try:
            results = fn(*args)
        finally:
            RECORDER.reset(token)
        returns = rec.returns(results)
        if returns is None:
            state[1] = state[2] = None
            state[3] += 1
        elif state[1] is None:
            state[1], state[2] = rec, returns
        elif rec.same_as(state[1], returns, state[2]):
            state[0] = Program(self.engine, rec, returns)
            state[1] = state[2] = None
        else:
            state[1], state[2] = rec, returns
            state[3] += 1
        return results

    def _drop(self, key: tuple) -> None:
        program = self.states.pop(key)[0]
        if program is not None:
            program.dispose()

    def dispose(self) -> None:
        # After another thread's call in progress: it may be running a program.
        with self._busy:
            for key in list(self.states):
                self._drop(key)
