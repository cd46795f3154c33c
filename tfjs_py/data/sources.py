"""Where datasets come from: arrays, generators, functions, CSV files, zips."""

from __future__ import annotations

import csv as csv_module
import io
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import anyio

from .._naming import normalize_config
from ..engine.tensor import Tensor
from .dataset import Dataset, maybe_await


def array(items: list[Any]) -> Dataset:
    """A dataset of the items of a list; tensors are cloned on each pass, so
    downstream disposal never touches the caller's tensors."""
    if not isinstance(items, list | tuple):
        raise TypeError(f'tf.data.array takes a list, got {type(items).__name__}')
    items = list(items)

    async def source(tg: Any) -> AsyncIterator[Any]:
        for item in items:
            yield _clone_tensors(item)

    return Dataset(source, len(items))


def _clone_tensors(item: Any) -> Any:
    if isinstance(item, Tensor):
        return item.clone()
    if isinstance(item, dict):
        return {k: _clone_tensors(v) for k, v in item.items()}
    if isinstance(item, list | tuple):
        out = [_clone_tensors(v) for v in item]
        return tuple(out) if isinstance(item, tuple) else out
    return item


def generator(fn: Callable[[], Any]) -> Dataset:
    """A dataset from a function returning a generator, an async generator or
    an iterator; the function is called again for every pass."""
    if not callable(fn):
        raise TypeError('tf.data.generator takes a function that returns a generator')

    async def source(tg: Any) -> AsyncIterator[Any]:
        made = fn()
        if hasattr(made, '__anext__'):
            async for element in made:
                yield element
        elif hasattr(made, '__next__') or hasattr(made, '__iter__'):
            for element in made:
                yield element
                await anyio.lowlevel.checkpoint()
        else:
            raise TypeError('tf.data.generator: the function must return a generator or '
                            f'an iterator, got {type(made).__name__}')

    return Dataset(source, None)


def func(f: Callable[[], Any]) -> Dataset:
    """A dataset from a function returning {'value', 'done'} (or a coroutine of
    it) on each call, as tfjs' tf.data.func."""

    async def source(tg: Any) -> AsyncIterator[Any]:
        while True:
            result = await maybe_await(f())
            if result.get('done'):
                return
            yield result.get('value')

    return Dataset(source, None)


def zip_(datasets: Any) -> Dataset:
    """Elements of several datasets side by side, in the same list/dict
    structure; stops with the shortest."""
    leaves: list[Dataset] = []

    def index(structure: Any) -> Any:
        if isinstance(structure, Dataset):
            leaves.append(structure)
            return len(leaves) - 1
        if isinstance(structure, dict):
            return {k: index(v) for k, v in structure.items()}
        if isinstance(structure, list | tuple):
            return [index(v) for v in structure]
        raise TypeError(f'tf.data.zip takes datasets in lists or dicts, got '
                        f'{type(structure).__name__}')

    shape = index(datasets)
    if not leaves:
        raise ValueError('tf.data.zip needs at least one dataset')

    def rebuild(structure: Any, values: list[Any]) -> Any:
        if isinstance(structure, int):
            return values[structure]
        if isinstance(structure, dict):
            return {k: rebuild(v, values) for k, v in structure.items()}
        return [rebuild(v, values) for v in structure]

    async def source(tg: Any) -> AsyncIterator[Any]:
        streams = [leaf._source(tg) for leaf in leaves]
        while True:
            values = []
            for stream in streams:
                try:
                    values.append(await stream.__anext__())
                except StopAsyncIteration:
                    from ..engine.engine import ENGINE
                    ENGINE.dispose(values)
                    return
            yield rebuild(shape, values)

    sizes = [leaf.size for leaf in leaves]
    size = None if any(s is None for s in sizes) else min(sizes)
    return Dataset(source, size)


_CSV_SCHEMA = {'hasHeader': True, 'columnNames': None, 'columnConfigs': None,
               'configuredColumnsOnly': False, 'delimiter': ',', 'delimWhitespace': False}
_COLUMN_SCHEMA = {'required': False, 'dtype': None, 'default': None, 'isLabel': False}


class CSVDataset(Dataset):
    """Rows of a CSV file as dicts of numbers/strings, or {'xs', 'ys'} when a
    column is a label. The file is read off the event loop, line by line."""

    def __init__(self, source: str | Path, config: dict | None = None, **kwargs: Any) -> None:
        self.config = normalize_config('tf.data.csv', _CSV_SCHEMA, config, kwargs)
        self.path = _local_path(source)
        column_configs = self.config['columnConfigs'] or {}
        self.column_configs = {name: normalize_config(f'tf.data.csv column {name!r}',
                                                      _COLUMN_SCHEMA, cfg)
                               for name, cfg in column_configs.items()}
        self._names: list[str] | None = None
        super().__init__(self._rows, None)

    async def columnNames(self) -> list[str]:
        if self._names is None:
            names = self.config['columnNames']
            header = None
            if self.config['hasHeader'] or names is None:
                async with await anyio.open_file(self.path, newline='') as f:
                    header = self._split(await f.readline())
            if names is None:
                if not self.config['hasHeader']:
                    raise ValueError(f'tf.data.csv({self.path}): columnNames are needed when '
                                     'the file has no header')
                names = header
            names = [str(n).strip() for n in names]
            if len(set(names)) != len(names):
                raise ValueError(f'tf.data.csv({self.path}): duplicate column names {names}')
            unknown = set(self.column_configs) - set(names)
            if unknown:
                raise ValueError(f'tf.data.csv({self.path}): columnConfigs name columns '
                                 f'{sorted(unknown)} that the file does not have')
            self._names = names
        return self._names

    def _split(self, line: str) -> list[str]:
        if self.config['delimWhitespace']:
            return line.split()
        return next(csv_module.reader(io.StringIO(line), delimiter=self.config['delimiter']),
                    [])

    async def _rows(self, tg: Any) -> AsyncIterator[Any]:
        names = await self.columnNames()
        async with await anyio.open_file(self.path, newline='') as f:
            line_no = 0
            async for line in f:
                line_no += 1
                if line_no == 1 and self.config['hasHeader']:
                    continue
                if not line.strip():
                    continue
                yield self._parse(self._split(line), names, line_no)

    def _parse(self, fields: list[str], names: list[str], line_no: int) -> Any:
        if len(fields) != len(names):
            raise ValueError(f'tf.data.csv({self.path}) line {line_no}: {len(fields)} fields '
                             f'for {len(names)} columns')
        features: dict[str, Any] = {}
        labels: dict[str, Any] = {}
        for name, raw in zip(names, fields, strict=True):
            cfg = self.column_configs.get(name)
            if cfg is None and self.config['configuredColumnsOnly']:
                continue
            value = _parse_value(raw.strip(), cfg, name, self.path, line_no)
            (labels if cfg and cfg['isLabel'] else features)[name] = value
        return {'xs': features, 'ys': labels} if labels else features


def _parse_value(raw: str, cfg: dict | None, name: str, path: Path, line_no: int) -> Any:
    dtype = cfg['dtype'] if cfg else None
    if raw == '':
        if cfg and cfg['default'] is not None:
            return cfg['default']
        if cfg and cfg['required']:
            raise ValueError(f'tf.data.csv({path}) line {line_no}: required column {name!r} '
                             'is empty')
        return None
    if dtype == 'string':
        return raw
    if dtype == 'bool':
        return raw.lower() in ('1', 'true')
    try:
        number = float(raw)
    except ValueError:
        if dtype in ('float32', 'int32'):
            raise ValueError(f'tf.data.csv({path}) line {line_no}: column {name!r} value '
                             f'{raw!r} is not a number') from None
        return raw
    # Numbers are float32 as in tfjs (JavaScript numbers), unless int32 is asked for.
    return int(number) if dtype == 'int32' else number


def _local_path(source: str | Path) -> Path:
    text = str(source)
    parsed = urlparse(text)
    if parsed.scheme == 'file':
        return Path(parsed.path)
    if parsed.scheme in ('http', 'https'):
        raise NotImplementedError('tf.data.csv over http(s) arrives with the io handlers; '
                                  'download the file and pass its path')
    return Path(text)


def csv(source: str | Path, csvConfig: dict | None = None, **kwargs: Any) -> CSVDataset:
    return CSVDataset(source, csvConfig, **kwargs)

