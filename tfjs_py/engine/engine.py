"""The engine: backends, tensor creation and disposal, kernels, scopes, tape.

It is the only stateful core. Ops call `run_kernel`; backends register a
factory; tidy scopes and tapes live in ContextVars (engine/scope.py).
"""

from __future__ import annotations

import inspect
import itertools
import os
import time
import warnings
import weakref
from collections.abc import Callable
from typing import Any

import numpy as np

from .._naming import AttrDict, SnakeAliases
from ..backends.backend import Backend, BackendUnavailable, DataId
from ..dtypes import check_dtype
from ..environment import ENV
from . import tensor as tensor_module
from .registry import KERNEL_IMPLS, kernels_for
from .scope import DIFFERENTIATING, RECORDER, SCOPE, TAPES, collect_tensors
from .tape import Tape, backprop
from .tensor import Tensor, Variable, _disposed_error, _ids

BackendFactory = Callable[[bool], Backend]
_new = object.__new__
# Results tidy() gets most often; none of them is awaitable.
_PLAIN_RESULTS = frozenset((Tensor, list, tuple, dict, float, int, type(None)))


class Engine(SnakeAliases):
    def __init__(self) -> None:
        self._factories: dict[str, tuple[BackendFactory, int]] = {}
        self._aliases: dict[str, str] = {}
        self._instances: dict[str, Backend] = {}
        self._backend: Backend | None = None
        self.num_tensors = 0
        self.registeredVariables: weakref.WeakValueDictionary[str, Variable] = (
            weakref.WeakValueDictionary())
        self._variable_ids = itertools.count()
        self._debug = bool(ENV.get('DEBUG'))
        ENV.onChange('DEBUG', lambda v: setattr(self, '_debug', bool(v)))

    # -- backends --------------------------------------------------------------
    def register_backend(self, name: str, factory: BackendFactory, priority: int = 1,
                         aliases: tuple[str, ...] = ()) -> None:
        if name in self._factories:
            raise ValueError(f'backend {name!r} is already registered')
        self._factories[name] = (factory, priority)
        for alias in aliases:
            self._aliases[alias] = name

    def canonical_name(self, name: str) -> str:
        return self._aliases.get(name, name)

    def _instance(self, name: str, explicit: bool) -> Backend:
        name = self.canonical_name(name)
        backend = self._instances.get(name)
        if backend is None:
            if name not in self._factories:
                raise ValueError(f"unknown backend {name!r}; registered: "
                                 f"{', '.join(sorted(self._factories))}")
            backend = self._factories[name][0](explicit)
            backend.name = name
            backend.kernels = kernels_for(name)
            self._instances[name] = backend
        return backend

    def set_backend_sync(self, name: str) -> bool:
        """Make `name` the active backend; False (with a warning) if it can't be made."""
        try:
            self._backend = self._instance(name, explicit=True)
        except BackendUnavailable as exc:
            warnings.warn(f'backend {name!r} is not available: {exc}', stacklevel=3)
            return False
        return True

    def _default_backend(self) -> Backend:
        forced = os.environ.get('TFJS_PY_BACKEND')
        if forced:
            try:
                self._backend = self._instance(forced, explicit=True)
            except BackendUnavailable as exc:
                raise RuntimeError(f'TFJS_PY_BACKEND={forced}: the backend is not available: '
                                   f'{exc}') from exc
            return self._backend
        ranked = sorted(self._factories, key=lambda n: -self._factories[n][1])
        for name in ranked:
            made = self._instances.get(name)
            if made is not None and not made.usable_by_default():
                continue  # made for an explicit setBackend; not a default choice
            try:
                self._backend = self._instance(name, explicit=False)
                return self._backend
            except BackendUnavailable as exc:
                if self._factories[name][1] > 1:
                    warnings.warn(f'backend {name!r} skipped: {exc}', stacklevel=3)
        raise RuntimeError('no backend could be initialised')

    @property
    def backend(self) -> Backend:
        return self._backend or self._default_backend()

    @property
    def backendName(self) -> str:
        return self.backend.name

    def backend_names(self) -> list[str]:
        return sorted(self._factories)

    def find_backend(self, name: str) -> Backend | None:
        return self._instances.get(self.canonical_name(name))

    def remove_backend(self, name: str) -> None:
        name = self.canonical_name(name)
        backend = self._instances.pop(name, None)
        if backend is not None:
            if backend is self._backend:
                self._backend = None
            backend.dispose()

    # -- tensors ----------------------------------------------------------------
    def _new_tensor(self, shape: tuple[int, ...], dtype: str, data: DataId) -> Tensor:
        t = _new(Tensor)
        t.dataId = data
        t.id = next(_ids)
        t._shape = shape
        t.dtype = dtype
        t.kept = False
        self.num_tensors += 1
        scope = SCOPE.get()
        if scope is not None:
            scope.append(t)
        return t

    def _wrap(self, backend: Backend, raw: Any) -> Tensor:
        data, shape, dtype = self._adopt(backend, raw)
        return self._new_tensor(shape, dtype, data)

    @staticmethod
    def _adopt(backend: Backend, raw: Any) -> tuple[DataId, tuple[int, ...], str]:
        """A kernel's raw result as counted data on `backend`, with its shape and dtype."""
        rec, shape, dtype, nbytes = backend.adopt(raw)
        backend.num_data_buffers += 1
        backend.num_bytes += nbytes
        return DataId(backend, rec, nbytes), shape, dtype

    def make_tensor(self, values: np.ndarray, dtype: str) -> Tensor:
        """A tensor holding host values (already of the dtype's NumPy type)."""
        t = self._host_tensor(values, dtype)
        recorder = RECORDER.get()
        if recorder is not None:
            recorder.constant(values, dtype, t)
        return t

    def make_drawn(self, draw: Callable[[], np.ndarray], dtype: str) -> Tensor:
        """A tensor of the host values draw() makes (random numbers, already of
        the dtype's NumPy type): a replay of a traced step draws them again."""
        t = self._host_tensor(draw(), dtype)
        recorder = RECORDER.get()
        if recorder is not None:
            recorder.drawn(draw, dtype, t)
        return t

    def _host_tensor(self, values: np.ndarray, dtype: str) -> Tensor:
        backend = self._backend or self._default_backend()
        return self._new_tensor(values.shape, dtype, self.backend_data(backend, values))

    def backend_data(self, backend: Backend, values: np.ndarray) -> DataId:
        """Host values written to `backend` as counted data no tensor views yet."""
        rec, nbytes = backend.write(values)
        backend.num_data_buffers += 1
        backend.num_bytes += nbytes
        return DataId(backend, rec, nbytes)

    def _free(self, data: DataId) -> None:
        backend = data.backend
        backend.num_data_buffers -= 1
        backend.num_bytes -= data.nbytes
        rec, data.rec = data.rec, None
        backend.free(rec)

    def dispose_tensor(self, t: Tensor) -> None:
        data = t.dataId
        if data is None:
            return
        t.dataId = None
        self.num_tensors -= 1
        data.refs -= 1
        if data.refs == 0:
            self._free(data)

    release = dispose_tensor  # garbage collection drops the reference like dispose

    def dispose_by_user(self, t: Tensor) -> None:
        """dispose() called by user code: a tensor that a recording tape still
        needs for the backward pass is handed to that tape instead."""
        tapes = TAPES.get()
        if tapes and t.dataId is not None and any(t.id in tape.saved_ids for tape in tapes):
            tapes[0].owned.append(t)
            return
        self.dispose_tensor(t)

    def _move(self, t: Tensor, backend: Backend) -> None:
        """Move a tensor's data to `backend`, for every tensor sharing it."""
        recorder = RECORDER.get()
        if recorder is not None:
            recorder.fail('a tensor moved between backends')
        data = t.dataId
        old = data.backend
        values = old.read_sync(data.rec, (t.size,), t.dtype)
        rec, nbytes = backend.write(np.array(values, copy=True))
        old.num_data_buffers -= 1
        old.num_bytes -= data.nbytes
        old.free(data.rec)
        data.backend, data.rec, data.nbytes = backend, rec, nbytes
        backend.num_data_buffers += 1
        backend.num_bytes += nbytes

    # -- kernels ------------------------------------------------------------------
    def _find_kernel(self, backend: Backend, name: str) -> Callable:
        impl = KERNEL_IMPLS.get((name, backend.name))
        if impl is None:
            raise NotImplementedError(f"kernel {name!r} is not implemented on backend "
                                      f"{backend.name!r}")
        backend.kernels[name] = impl
        return impl

    def run_kernel(self, name: str, inputs: tuple, attrs: dict) -> Any:
        """Run a kernel on the active backend; one Tensor out, or a list for
        kernels with several outputs. Records it on the active tapes."""
        if self._debug:
            start = time.perf_counter()
        backend, raw = self._execute(name, inputs, attrs)
        if raw.__class__ is list:
            out: Any = [self._wrap(backend, r) for r in raw]
            outs = tuple(out)
        else:
            out = self._wrap(backend, raw)
            outs = (out,)
        if self._debug:
            self._debug_report(name, outs, time.perf_counter() - start)
        recorder = RECORDER.get()
        if recorder is not None:
            recorder.kernel(name, inputs, attrs, outs)
        tapes = TAPES.get()
        if tapes:
            node = (name, inputs, outs, attrs, None)
            for tape in tapes:
                tape.record(node)
        return out

    def run_kernel_into(self, name: str, inputs: tuple, attrs: dict,
                        targets: tuple[Variable, ...],
                        live: Callable[[], dict] | None = None) -> None:
        """Run a kernel and make its results the new data of `targets` (one
        variable per output, of the output's shape and dtype), with no tensor
        made in between: the optimizers' update step. Not recorded on tapes (an
        update has no gradient). `live`, the function that made attrs (attrs
        that change from step to step), is called again by a traced step's
        replays."""
        recorder = RECORDER.get()
        refs = None if recorder is None else recorder.inputs(inputs)
        backend, raw = self._execute(name, inputs, attrs)
        raws = raw if raw.__class__ is list else [raw]
        if len(raws) != len(targets):
            raise RuntimeError(f'kernel {name!r} gave {len(raws)} results for '
                               f'{len(targets)} variables')
        adopted = [self._adopt(backend, r) for r in raws]
        for v, (_, shape, dtype) in zip(targets, adopted, strict=True):
            if v.dataId is None or shape != v._shape or dtype != v.dtype:
                for d, _, _ in adopted:
                    self._free(d)
                if v.dataId is None:
                    raise _disposed_error(v)
                raise ValueError(f'kernel {name!r} gave a {dtype} result of shape '
                                 f'{list(shape)} for variable {v.name!r} '
                                 f'({v.dtype}, {list(v._shape)})')
        for v, (data, _, _) in zip(targets, adopted, strict=True):
            self._replace_data(v, data)
        if recorder is not None:
            recorder.update(name, refs, attrs if live is None else live, targets)

    def _execute(self, name: str, inputs: tuple, attrs: dict) -> tuple[Backend, Any]:
        """(the active backend, the raw result of kernel `name` run on it), its
        inputs moved there first."""
        backend = self._backend or self._default_backend()
        impl = backend.kernels.get(name) or self._find_kernel(backend, name)
        for t in inputs:
            if t is not None:
                data = t.dataId
                if data is None:
                    raise _disposed_error(t)
                if data.backend is not backend:
                    self._move(t, backend)
        return backend, impl(backend, inputs, attrs)

    def run_shared(self, name: str, x: Tensor, shape: tuple[int, ...], dtype: str,
                   attrs: dict) -> Tensor:
        """A 'shared' kernel (Reshape, Identity, same-dtype Cast): a new tensor
        viewing x's data, with one more reference to it."""
        data = x.dataId
        if data is None:
            raise _disposed_error(x)
        data.refs += 1
        out = self._new_tensor(shape, dtype, data)
        recorder = RECORDER.get()
        if recorder is not None:
            recorder.view(x, out)
        tapes = TAPES.get()
        if tapes:
            node = (name, (x,), (out,), attrs, None)
            for tape in tapes:
                tape.record(node)
        return out

    def recorded_producer(self, t: Tensor) -> tuple | None:
        """The tape node (name, inputs, outputs, attrs, custom) that made t, if
        the visible tape (_visible_tape) recorded t's making; else None."""
        tape = self._visible_tape()
        if tape is None:
            return None
        for node in reversed(tape.nodes):  # latest first: t is most often the last
            for o in node[2]:
                if o is t:
                    return node
        return None

    def recorded_uses(self, t: Tensor) -> int | None:
        """How many nodes of the visible tape take t as an input (None: no tape)."""
        tape = self._visible_tape()
        if tape is None:
            return None
        return sum(1 for node in tape.nodes for i in node[1] if i is t)

    def _visible_tape(self) -> Tape | None:
        """The one tape recording, or (in a gradient function, no tape
        recording) the tape being differentiated; None if there are several."""
        tapes = TAPES.get()
        if tapes:
            return tapes[0] if len(tapes) == 1 else None
        return DIFFERENTIATING.get()

    def _debug_report(self, name: str, outs: tuple, seconds: float) -> None:
        shapes = ', '.join(str(list(o._shape)) for o in outs)
        print(f'{name:<24} {seconds * 1000:8.3f} ms  -> {shapes}')
        if ENV.get('CHECK_COMPUTATION_FOR_ERRORS'):
            for o in outs:
                if o.dtype == 'float32':
                    values = o.dataId.backend.read_sync(o.dataId.rec, o._shape, o.dtype)
                    if not np.isfinite(values).all():
                        warnings.warn(f"found NaN or Infinity in the result of {name!r}",
                                      stacklevel=4)

    # -- scopes -----------------------------------------------------------------
    def tidy(self, fn: Callable[[], Any]) -> Any:
        scope: list[Tensor] = []
        token = SCOPE.set(scope)
        result = None
        try:
            result = fn()
            if result.__class__ not in _PLAIN_RESULTS and inspect.isawaitable(result):
                if inspect.iscoroutine(result):
                    result.close()
                raise TypeError('tidy() takes a plain function; a coroutine cannot be '
                                'tidied, because tensors would outlive the scope across '
                                'awaits. Dispose tensors explicitly in async code.')
        finally:
            SCOPE.reset(token)
            if scope:
                self._end_scope(scope, result)
        return result

    def _end_scope(self, scope: list[Tensor], result: Any) -> None:
        if result is None:
            returned: Any = ()
        elif result.__class__ is Tensor:
            returned = (result,)
        else:
            returned = collect_tensors(result, [], Tensor)
        keep_ids = {t.id for t in returned} if returned else ()
        tapes = TAPES.get()
        if tapes:
            # A tensor a recording tape saved is handed to that tape, not disposed.
            saved = (tapes[0].saved_ids if len(tapes) == 1
                     else set().union(*(tape.saved_ids for tape in tapes)))
            owned = tapes[0].owned
        dispose = self.dispose_tensor
        for t in scope:
            if t.dataId is None or t.kept or t.id in keep_ids:
                continue
            if tapes and t.id in saved:
                owned.append(t)
                continue
            dispose(t)
        if returned:
            parent = SCOPE.get()
            if parent is not None:
                # Identity search (C speed); a result is most often made last.
                parent.extend(t for t in returned if t is scope[-1] or t in scope)

    def keep(self, t: Tensor) -> Tensor:
        recorder = RECORDER.get()
        if recorder is not None:
            recorder.kept.append(t)
        t.kept = True
        return t

    def dispose(self, container: Any) -> None:
        for t in collect_tensors(container, [], Tensor):
            t.dispose()

    # -- variables ----------------------------------------------------------------
    def make_variable(self, initial: Tensor, trainable: bool = True, name: str | None = None,
                      dtype: str | None = None) -> Variable:
        recorder = RECORDER.get()
        if recorder is not None:
            recorder.fail('a variable made')
        if dtype is not None and dtype != initial.dtype:
            check_dtype(dtype)
            initial = self.run_kernel('Cast', (initial,), {'dtype': dtype})
        if name is None:
            name = str(next(self._variable_ids))
            while name in self.registeredVariables:
                name = str(next(self._variable_ids))
        elif name in self.registeredVariables:
            raise ValueError(f'a variable named {name!r} already exists')
        data = initial._data_id()
        data.refs += 1
        v = _new(Variable)
        v.dataId = data
        v.id = next(_ids)
        v._shape = initial._shape
        v.dtype = initial.dtype
        v.kept = False
        v.name = name
        v.trainable = trainable
        self.num_tensors += 1
        self.registeredVariables[name] = v
        return v

    def assign_variable(self, v: Variable, value: Tensor) -> None:
        new = value._data_id()
        old = v._data_id()
        if new is old:
            return
        recorder = RECORDER.get()
        if recorder is not None:
            recorder.assign(v, value)
        if new.backend is not old.backend:
            self._move(value, old.backend)
        new.refs += 1
        self._replace_data(v, new)

    def _replace_data(self, v: Variable, new: DataId) -> None:
        """v holds `new` (already counted as referenced) instead of its old data."""
        old = v.dataId
        v.dataId = new
        old.refs -= 1
        if old.refs == 0:
            self._free(old)

    def dispose_variable(self, v: Variable) -> None:
        recorder = RECORDER.get()
        if recorder is not None:
            recorder.fail(f'variable {v.name!r} disposed')
        if self.registeredVariables.get(v.name) is v:
            del self.registeredVariables[v.name]
        self.dispose_tensor(v)

    def disposeVariables(self) -> None:
        for v in list(self.registeredVariables.values()):
            self.dispose_variable(v)

    # -- gradients ----------------------------------------------------------------
    def gradients(self, f: Callable[[], Tensor], xs: list[Tensor], dy: Tensor | None = None,
                  allow_no_gradients: bool = False) -> tuple[Tensor, list[Tensor | None]]:
        """Run f recording a tape, then backpropagate from its result to xs."""
        tape = Tape()
        outer = TAPES.get()
        y = None
        try:
            # f may raise after the tape saved tensors: the finally below frees them.
            token = TAPES.set(outer + (tape,))
            try:
                y = self.tidy(f)
            finally:
                TAPES.reset(token)
            if not isinstance(y, Tensor):
                raise TypeError('the function given to a gradient must return a Tensor, '
                                f'not {type(y).__name__}')
            if dy is not None and dy._shape != y._shape:
                raise ValueError(f'dy has shape {list(dy._shape)}, but the result of f has '
                                 f'shape {list(y._shape)}')

            def backward() -> list[Tensor | None]:
                seed = dy if dy is not None else self.run_kernel('OnesLike', (y,), {})
                token = DIFFERENTIATING.set(tape)
                try:
                    by_id = backprop(tape.nodes, {x.id for x in xs}, y, seed, self.run_kernel)
                finally:
                    DIFFERENTIATING.reset(token)
                grads = [by_id.get(x.id) for x in xs]
                if not allow_no_gradients and any(g is None for g in grads):
                    raise ValueError('cannot compute the gradient of y = f(x) with respect to '
                                     'x: make sure f encloses every operation that leads from '
                                     'x to y')
                return grads

            grads = self.tidy(backward)
        except BaseException:
            if isinstance(y, Tensor):
                self.dispose_tensor(y)
            raise
        finally:
            if not outer:
                for t in tape.owned:
                    if t is not y:
                        self.dispose_tensor(t)
            else:
                outer[0].owned.extend(tape.owned)
        return y, grads

    def custom_grad(self, f: Callable) -> Callable:
        def run(*inputs: Tensor) -> Tensor:
            for i, t in enumerate(inputs):
                if not isinstance(t, Tensor):
                    raise TypeError(f'customGrad: argument {i} must be a Tensor')
            saved: list[Tensor] = []

            def save(tensors: list[Tensor]) -> None:
                saved.extend(tensors)

            outer = TAPES.get()
            token = TAPES.set(())
            try:
                result = f(*inputs, save)
            finally:
                TAPES.reset(token)
            value, grad_func = result['value'], result['gradFunc']
            outputs = tuple(value) if isinstance(value, list | tuple) else (value,)
            # Beyond tfjs: 'gradFuncTakesNone' gives gradFunc None instead of zeros
            # for the outputs no gradient reached (no zero tensors made and read).
            takes_none = bool(result.get('gradFuncTakesNone', False))

            def gradient(dy: Any, node_inputs: tuple, node_outputs: tuple, attrs: dict) -> tuple:
                grads = grad_func(dy, saved)
                grads = list(grads) if isinstance(grads, list | tuple) else [grads]
                if len(grads) != len(node_inputs):
                    raise ValueError(f'customGrad: gradFunc returned {len(grads)} gradients '
                                     f'for {len(node_inputs)} inputs')
                # Beyond tfjs: a gradient given as a function is computed only
                # when it is needed (a loss's gradient for the targets never is).
                return tuple(None if g is None else g if callable(g) else (lambda g=g: g)
                             for g in grads)

            gradient.takesNone = takes_none  # type: ignore[attr-defined]
            if outer:
                node = ('CustomGrad', tuple(inputs), outputs, {}, gradient)
                for tape in outer:
                    tape.record(node, tuple(saved))
            return value

        return run

    # -- memory -------------------------------------------------------------------
    def memory(self) -> AttrDict:
        backends = list(self._instances.values())
        info = AttrDict(
            numTensors=self.num_tensors,
            numDataBuffers=sum(b.num_data_buffers for b in backends),
            numBytes=sum(b.num_bytes for b in backends),
            unreliable=False,
        )
        for b in backends:
            info.update(b.memory())
        return info

    def reset(self) -> None:
        """Dispose every backend and variable (tests; tfjs' engine.reset)."""
        self.disposeVariables()
        for name in list(self._instances):
            self.remove_backend(name)


ENGINE = Engine()
tensor_module._engine = ENGINE
