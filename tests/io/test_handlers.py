"""IO handlers: file (atomic save, safe paths), http (a real local server),
memory, save handlers and the router."""

from __future__ import annotations

import email.parser
import email.policy
import http.server
import json
import os
import threading
from pathlib import Path

import numpy as np
import pytest

from tfjs_py.io import handlers
from tfjs_py.io.errors import ModelFormatError
from tfjs_py.io.weights import decode_weights, encode_weights

TOPOLOGY = {'class_name': 'Sequential', 'config': {'name': 'seq', 'layers': []},
            'keras_version': 'tfjs-layers 4.22.0', 'backend': 'tensor_flow.js'}


def artifacts(value: float = 1.0) -> dict:
    data, specs = encode_weights([('dense/kernel', np.full((2, 1), value, np.float32),
                                   'float32')])
    return {'modelTopology': TOPOLOGY, 'weightSpecs': specs, 'weightData': data,
            'format': 'layers-model', 'generatedBy': 'TensorFlow.js tfjs-layers v4.22.0',
            'convertedBy': None, 'userDefinedMetadata': {'note': 'hi'}}


async def test_file_save_writes_what_tfjs_node_writes(tmp_path):
    result = await handlers.FileHandler(tmp_path / 'm').save(artifacts())
    files = sorted(p.name for p in (tmp_path / 'm').iterdir())
    assert files == ['model.json', 'weights.bin']
    text = (tmp_path / 'm' / 'model.json').read_text()
    doc = json.loads(text)
    assert list(doc) == ['modelTopology', 'weightsManifest', 'format', 'generatedBy',
                         'convertedBy', 'userDefinedMetadata']
    assert doc['weightsManifest'] == [{'paths': ['weights.bin'], 'weights': [
        {'name': 'dense/kernel', 'shape': [2, 1], 'dtype': 'float32'}]}]
    assert text == json.dumps(doc, separators=(',', ':'))
    info = result.modelArtifactsInfo
    assert info.modelTopologyType == 'JSON' and info.weightDataBytes == 8
    assert info.modelTopologyBytes == len(json.dumps(TOPOLOGY, separators=(',', ':')))


async def test_file_round_trip_by_file_and_folder(tmp_path):
    await handlers.route(f'file://{tmp_path}', 'save').save(artifacts(3.0))
    for target in (tmp_path / 'model.json', tmp_path, f'file://{tmp_path}/model.json'):
        loaded = await handlers.route(target, 'load').load()
        assert loaded.modelTopology == TOPOLOGY and loaded.format == 'layers-model'
        assert loaded.userDefinedMetadata == {'note': 'hi'}
        values = decode_weights(loaded.weightData, loaded.weightSpecs)
        assert values['dense/kernel'].tolist() == [[3.0], [3.0]]


async def test_failed_save_leaves_previous_model_untouched(tmp_path, monkeypatch):
    await handlers.FileHandler(tmp_path).save(artifacts(1.0))
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    real_replace = os.replace

    def failing_replace(src, dst):
        if str(dst).endswith('weights.bin'):
            raise OSError('disk full')
        real_replace(src, dst)

    monkeypatch.setattr(os, 'replace', failing_replace)
    with pytest.raises(OSError, match='disk full'):
        await handlers.FileHandler(tmp_path).save(artifacts(2.0))
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert after == before


async def test_save_into_a_file_path_is_refused(tmp_path):
    (tmp_path / 'x').write_text('')
    with pytest.raises(FileExistsError, match='exists as a file'):
        await handlers.FileHandler(tmp_path / 'x').save(artifacts())


@pytest.mark.parametrize('path', ['../outside.bin', '/etc/passwd', 'http://evil/x.bin',
                                  'a/../../b.bin', 'C:/x.bin', 'a\\..\\b'])
async def test_weight_paths_leaving_the_folder_are_refused(tmp_path, path):
    doc = {'modelTopology': TOPOLOGY, 'weightsManifest': [{'paths': [path], 'weights': []}]}
    (tmp_path / 'model.json').write_text(json.dumps(doc))
    with pytest.raises(ModelFormatError, match='weight path'):
        await handlers.FileHandler(tmp_path / 'model.json').load()


async def test_symlink_out_of_the_folder_is_refused(tmp_path):
    model = tmp_path / 'model'
    model.mkdir()
    (tmp_path / 'secret.bin').write_bytes(b'\0' * 8)
    (model / 'w.bin').symlink_to(tmp_path / 'secret.bin')
    doc = {'modelTopology': TOPOLOGY, 'weightsManifest': [{'paths': ['w.bin'], 'weights': [
        {'name': 'w', 'shape': [2], 'dtype': 'float32'}]}]}
    (model / 'model.json').write_text(json.dumps(doc))
    with pytest.raises(ModelFormatError, match='outside the model folder'):
        await handlers.FileHandler(model / 'model.json').load()


@pytest.mark.parametrize('content, error, match', [
    (b'{not json', ModelFormatError, 'not valid JSON'),
    (b'[1, 2]', ModelFormatError, 'JSON object'),
    (b'{"format": "layers-model"}', ModelFormatError, 'neither modelTopology'),
])
async def test_malformed_model_json(tmp_path, content, error, match):
    (tmp_path / 'model.json').write_bytes(content)
    with pytest.raises(error, match=match):
        await handlers.FileHandler(tmp_path / 'model.json').load()


async def test_missing_files(tmp_path):
    with pytest.raises(FileNotFoundError, match='does not exist'):
        await handlers.FileHandler(tmp_path / 'nope.json').load()
    doc = {'modelTopology': TOPOLOGY, 'weightsManifest': [{'paths': ['gone.bin'], 'weights': []}]}
    (tmp_path / 'model.json').write_text(json.dumps(doc))
    with pytest.raises(FileNotFoundError, match='gone.bin'):
        await handlers.FileHandler(tmp_path / 'model.json').load()


async def test_memory_and_save_handlers():
    a = artifacts()
    assert handlers.fromMemory(a).load()['weightSpecs'] == a['weightSpecs']
    legacy = handlers.fromMemory(TOPOLOGY, a['weightSpecs'], a['weightData'])
    assert legacy.load()['modelTopology'] == TOPOLOGY
    seen = []

    async def keep(art):
        seen.append(art)
        return {'ok': True}

    assert await handlers.withSaveHandler(keep).save(a) == {'ok': True} and seen == [a]


def test_router():
    assert isinstance(handlers.route('https://x/model.json', 'load'), handlers.HTTPHandler)
    assert isinstance(handlers.route('file:///tmp/m', 'save'), handlers.FileHandler)
    assert isinstance(handlers.route(Path('/tmp/m'), 'load'), handlers.FileHandler)
    mem = handlers.fromMemory(artifacts())
    assert handlers.route(mem, 'load') is mem
    with pytest.raises(ValueError, match='browser storage'):
        handlers.route('localstorage://m', 'save')
    with pytest.raises(ValueError, match="unsupported URL scheme 'ftp'"):
        handlers.route('ftp://x/model.json', 'load')
    with pytest.raises(TypeError, match='IO handler'):
        handlers.route(42, 'load')


class _Server:
    """A static file server on 127.0.0.1 that also records POSTed bodies."""

    def __init__(self, folder: Path) -> None:
        posts = self.posts = []

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=str(folder), **kwargs)

            def do_POST(self):
                length = int(self.headers['Content-Length'])
                posts.append((self.headers['Content-Type'], self.rfile.read(length),
                              dict(self.headers)))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.url = f'http://127.0.0.1:{self.httpd.server_address[1]}'
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


async def test_http_load_with_shards_progress_and_headers(tmp_path):
    data, specs = encode_weights([('w', np.arange(6, dtype=np.float32), 'float32')])
    (tmp_path / 'sub').mkdir()
    (tmp_path / 'sub' / 's1.bin').write_bytes(data[:10])
    (tmp_path / 'sub' / 's2.bin').write_bytes(data[10:])
    doc = {'modelTopology': TOPOLOGY, 'format': 'layers-model',
           'weightsManifest': [{'paths': ['s1.bin', 's2.bin'], 'weights': specs}]}
    (tmp_path / 'sub' / 'model.json').write_text(json.dumps(doc))
    progress = []
    with _Server(tmp_path) as server:
        handler = handlers.http(f'{server.url}/sub/model.json', {'onProgress': progress.append,
                                                                  'requestInit': {'headers': {
                                                                      'X-Token': 'abc'}}})
        loaded = await handler.load()
        assert decode_weights(loaded.weightData, loaded.weightSpecs)['w'].tolist() == list(range(6))
        assert progress == [0.5, 1.0]
        moved = handlers.http(f'{server.url}/elsewhere/model.json',
                              weightPathPrefix=f'{server.url}/sub/')
        with pytest.raises(OSError, match='404'):
            await moved.load()


async def test_http_save_posts_the_tfjs_multipart_body(tmp_path):
    with _Server(tmp_path) as server:
        result = await handlers.route(f'{server.url}/upload', 'save').save(artifacts())
        assert result.modelArtifactsInfo.weightDataBytes == 8
        content_type, body, _ = server.posts[0]
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b'Content-Type: ' + content_type.encode() + b'\r\n\r\n' + body)
    parts = {part.get_param('name', header='content-disposition'): part
             for part in message.iter_parts()}
    assert set(parts) == {'model.json', 'model.weights.bin'}
    doc = json.loads(parts['model.json'].get_payload(decode=True))
    assert doc['weightsManifest'][0]['paths'] == ['./model.weights.bin']
    assert parts['model.weights.bin'].get_payload(decode=True) == artifacts()['weightData']
