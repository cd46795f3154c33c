"""IO handlers: where model artifacts are loaded from and saved to.

Model artifacts are a dict with tfjs' camelCase keys: modelTopology,
weightSpecs, weightData (bytes), format, generatedBy, convertedBy,
trainingConfig, userDefinedMetadata. A handler has `load()` and/or
`save(artifacts)`, plain functions or coroutines.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlparse

import anyio

from .._naming import AttrDict, normalize_config
from . import js_json
from .errors import ModelFormatError
from .paths import check_relative, resolve_inside
from .weights import read_manifest

MODEL_JSON = 'model.json'
FILE_WEIGHTS = 'weights.bin'          # tfjs-node's file:// name
HTTP_WEIGHTS = 'model.weights.bin'    # tfjs' http save name
_ARTIFACT_KEYS = ('trainingConfig', 'signature', 'userDefinedMetadata', 'modelInitializer')


def model_json(artifacts: dict, weights_path: str) -> dict:
    """model.json's content, keys in the order tfjs-node writes them."""
    out = {'modelTopology': artifacts.get('modelTopology'),
           'weightsManifest': [{'paths': [weights_path],
                                'weights': artifacts.get('weightSpecs') or []}],
           'format': artifacts.get('format'),
           'generatedBy': artifacts.get('generatedBy'),
           'convertedBy': artifacts.get('convertedBy')}
    for key in _ARTIFACT_KEYS:
        if artifacts.get(key) is not None:
            out[key] = artifacts[key]
    return out


def artifacts_info(artifacts: dict) -> AttrDict:
    """tfjs' ModelArtifactsInfo for JSON topologies."""
    def json_bytes(value: Any) -> int:
        if value is None:
            return 0
        return len(js_json.dumps(value).encode())

    return AttrDict(dateSaved=datetime.now(UTC), modelTopologyType='JSON',
                    modelTopologyBytes=json_bytes(artifacts.get('modelTopology')),
                    weightSpecsBytes=json_bytes(artifacts.get('weightSpecs')),
                    weightDataBytes=len(artifacts.get('weightData') or b''))


def parse_model_json(text: str | bytes, where: str) -> dict:
    try:
        document = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ModelFormatError(f'{where}: not valid JSON ({exc})') from None
    if not isinstance(document, dict):
        raise ModelFormatError(f'{where}: model.json must hold a JSON object')
    if 'modelTopology' not in document and 'weightsManifest' not in document:
        raise ModelFormatError(f'{where}: neither modelTopology nor weightsManifest is present')
    return document


def artifacts_from_json(document: dict, specs: list | None, data: bytes | None) -> AttrDict:
    out = AttrDict(modelTopology=document.get('modelTopology'),
                   format=document.get('format'), generatedBy=document.get('generatedBy'),
                   convertedBy=document.get('convertedBy'))
    if specs is not None:
        out.weightSpecs = specs
        out.weightData = data
    for key in _ARTIFACT_KEYS:
        if document.get(key) is not None:
            out[key] = document[key]
    return out


class FileHandler:
    """`file://` paths: load a model.json (or a folder holding one) and its
    shards; save model.json + weights.bin into a folder, atomically."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)

    async def load(self) -> AttrDict:
        return await anyio.to_thread.run_sync(self._load)

    def _load(self) -> AttrDict:
        path = self.path / MODEL_JSON if self.path.is_dir() else self.path
        if not path.exists():
            raise FileNotFoundError(f'{path} does not exist: loading failed')
        document = parse_model_json(path.read_bytes(), str(path))
        specs = data = None
        if document.get('weightsManifest') is not None:
            def read_shard(relative: str) -> bytes:
                shard = resolve_inside(path.parent, relative, str(path))
                if not shard.is_file():
                    raise FileNotFoundError(f'weight file {shard} (listed in {path}) does not '
                                            'exist')
                return shard.read_bytes()

            specs, data = read_manifest(document['weightsManifest'], read_shard, str(path))
        return artifacts_from_json(document, specs, data)

    async def save(self, artifacts: dict) -> AttrDict:
        return await anyio.to_thread.run_sync(self._save, artifacts)

    def _save(self, artifacts: dict) -> AttrDict:
        folder = self.path
        if folder.exists() and not folder.is_dir():
            raise FileExistsError(f'{folder} exists as a file; saving needs a folder')
        folder.mkdir(parents=True, exist_ok=True)
        text = js_json.dumps(model_json(artifacts, FILE_WEIGHTS))
        weights = artifacts.get('weightData') or b''
        staged: list[tuple[str, str]] = []
        try:
            for name, payload in ((FILE_WEIGHTS, weights), (MODEL_JSON, text.encode())):
                fd, tmp = tempfile.mkstemp(prefix=f'.{name}.', dir=folder)
                staged.append((tmp, str(folder / name)))
                with os.fdopen(fd, 'wb') as f:
                    f.write(payload)
                    f.flush()
                    os.fsync(f.fileno())
            # Weights first, then the JSON that refers to them: a reader never sees
            # a new model.json with old weights.
            for tmp, final in staged:
                os.replace(tmp, final)
            staged.clear()
        finally:
            for tmp, _ in staged:
                if os.path.exists(tmp):
                    os.unlink(tmp)
        return AttrDict(modelArtifactsInfo=artifacts_info(artifacts))


_HTTP_SCHEMA = {'method': 'POST', 'headers': None, 'requestInit': None, 'weightPathPrefix': None,
                'onProgress': None, 'fetchFunc': None, 'weightUrlConverter': None,
                'streamWeights': False}


class HTTPHandler:
    """`http(s)://` URLs: GET model.json and its shards (relative to it, or to
    weightPathPrefix); save POSTs the multipart body tfjs' http handler sends."""

    def __init__(self, url: str, options: dict | None = None, **kwargs: Any) -> None:
        self.url = url
        self.options = normalize_config('tf.io.http', _HTTP_SCHEMA, options, kwargs)

    def _headers(self) -> dict:
        headers = dict(self.options['headers'] or {})
        init = self.options['requestInit'] or {}
        headers.update(init.get('headers') or {})
        return headers

    async def load(self) -> AttrDict:
        import httpx

        async with httpx.AsyncClient(headers=self._headers(), follow_redirects=True) as client:
            response = await client.get(self.url)
            if response.status_code != 200:
                raise OSError(f'{self.url}: request for model.json failed with status '
                              f'{response.status_code}')
            document = parse_model_json(response.content, self.url)
            manifest = document.get('weightsManifest')
            if manifest is None:
                return artifacts_from_json(document, None, None)
            if not isinstance(manifest, list):
                raise ModelFormatError(f'{self.url}: weightsManifest must be a list of groups')
            prefix = self.options['weightPathPrefix'] or self.url.rsplit('/', 1)[0] + '/'
            paths = [check_relative(p, self.url) for group in manifest
                     for p in (group.get('paths') or [] if isinstance(group, dict) else [])]
            shards: dict[str, bytes] = {}
            on_progress = self.options['onProgress']
            for i, relative in enumerate(paths):
                url = urljoin(prefix, relative)
                shard = await client.get(url)
                if shard.status_code != 200:
                    raise OSError(f'{url}: request for a weight shard failed with status '
                                  f'{shard.status_code}')
                shards[relative] = shard.content
                if on_progress is not None:
                    result = on_progress((i + 1) / len(paths))
                    if hasattr(result, '__await__'):
                        await result
            specs, data = read_manifest(manifest, shards.__getitem__, self.url)
            return artifacts_from_json(document, specs, data)

    async def save(self, artifacts: dict) -> AttrDict:
        import httpx

        text = js_json.dumps(model_json(artifacts, f'./{HTTP_WEIGHTS}'))
        files = {MODEL_JSON: (MODEL_JSON, text.encode(), 'application/json')}
        if artifacts.get('weightData') is not None:
            files[HTTP_WEIGHTS] = (HTTP_WEIGHTS, bytes(artifacts['weightData']),
                                   'application/octet-stream')
        async with httpx.AsyncClient(headers=self._headers()) as client:
            response = await client.request(self.options['method'], self.url, files=files)
        if not 200 <= response.status_code < 300:
            raise OSError(f'{self.url}: saving failed with status {response.status_code}')
        return AttrDict(modelArtifactsInfo=artifacts_info(artifacts), responses=[response])


class MemoryHandler:
    """tf.io.fromMemory: artifacts already in memory."""

    def __init__(self, artifacts: dict) -> None:
        self.artifacts = artifacts

    def load(self) -> AttrDict:
        return AttrDict(self.artifacts)


class SaveHandler:
    """tf.io.withSaveHandler: save by calling a function with the artifacts."""

    def __init__(self, save_fn: Callable[[dict], Any]) -> None:
        self.save_fn = save_fn

    async def save(self, artifacts: dict) -> Any:
        result = self.save_fn(artifacts)
        if hasattr(result, '__await__'):
            result = await result
        return result


def fromMemory(modelArtifacts: Any, weightSpecs: list | None = None,
               weightData: bytes | None = None,
               trainingConfig: dict | None = None) -> MemoryHandler:
    """Artifacts dict, or (modelTopology, weightSpecs, weightData, trainingConfig)."""
    if isinstance(modelArtifacts, dict) and ('modelTopology' in modelArtifacts or
                                             'weightSpecs' in modelArtifacts):
        return MemoryHandler(dict(modelArtifacts))
    return MemoryHandler({'modelTopology': modelArtifacts, 'weightSpecs': weightSpecs,
                          'weightData': weightData, 'trainingConfig': trainingConfig})


def withSaveHandler(saveHandler: Callable[[dict], Any]) -> SaveHandler:
    return SaveHandler(saveHandler)


def http(path: str, loadOptions: dict | None = None, **kwargs: Any) -> HTTPHandler:
    return HTTPHandler(path, loadOptions, **kwargs)


def fileSystem(path: str | os.PathLike) -> FileHandler:
    return FileHandler(path)


_BROWSER_SCHEMES = ('localstorage', 'indexeddb', 'downloads')


def route(target: Any, purpose: str, options: dict | None = None) -> Any:
    """The handler for a URL, a path or a handler object."""
    method = 'load' if purpose == 'load' else 'save'
    if hasattr(target, method) and not isinstance(target, str | os.PathLike):
        return target
    if isinstance(target, os.PathLike):
        return FileHandler(target)
    if not isinstance(target, str):
        raise TypeError(f'cannot {purpose} a model with {type(target).__name__}: give a path, '
                        f'a file:// or http(s):// URL, or an IO handler with {method}()')
    scheme = urlparse(target).scheme.lower()
    if scheme in ('http', 'https'):
        return HTTPHandler(target, options)
    if scheme == 'file':
        return FileHandler(target[len('file://'):])
    if scheme in _BROWSER_SCHEMES:
        raise ValueError(f'{target}: {scheme}:// is a browser storage; in Python use a path, '
                         'file://, http(s):// or an IO handler')
    if scheme and len(scheme) > 1:
        raise ValueError(f'{target}: unsupported URL scheme {scheme!r}')
    return FileHandler(target)
