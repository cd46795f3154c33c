"""Weight paths in a manifest must stay inside the model's folder."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from .errors import ModelFormatError


def check_relative(path: object, where: str) -> str:
    """A manifest path that is relative, has no scheme and never climbs out."""
    if not isinstance(path, str) or not path:
        raise ModelFormatError(f'{where}: weight path {path!r} must be a non-empty string')
    if '://' in path or path.startswith(('/', '\\')) or ':' in path.split('/')[0]:
        raise ModelFormatError(f'{where}: weight path {path!r} must be relative to model.json')
    if '\\' in path or '\0' in path:
        raise ModelFormatError(f'{where}: weight path {path!r} has a forbidden character')
    if '..' in PurePosixPath(path).parts:
        raise ModelFormatError(f'{where}: weight path {path!r} leaves the model folder')
    return path


def resolve_inside(folder: Path, path: str, where: str) -> Path:
    """The file a checked relative path names, refused if (through links) it
    lies outside the folder."""
    check_relative(path, where)
    base = folder.resolve()
    target = (base / path).resolve()
    if target != base and base not in target.parents:
        raise ModelFormatError(f'{where}: weight path {path!r} resolves outside the model '
                               f'folder {base}')
    return target
