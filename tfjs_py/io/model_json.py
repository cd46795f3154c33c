"""The one boundary between tfjs' camelCase configs and the Keras snake_case
JSON of model.json.

As tfjs does: every key changes case, and so does every string value, except
the values of `name` and `className` keys and the layer names that open the
entries of `inbound_nodes`, `input_layers` and `output_layers`.
"""

from __future__ import annotations

from typing import Any

from .._naming import camel_to_snake, snake_to_camel

_NAME_LISTS = {'inboundNodes', 'inputLayers', 'outputLayers', 'kerasHistory'}


def _is_layer_name(key: str | None, index: int, value: Any) -> bool:
    return key in _NAME_LISTS and index == 0 and isinstance(value, str)


def to_pythonic(config: Any, key: str | None = None) -> Any:
    """camelCase config -> snake_case JSON (tfjs' convertTsToPythonic)."""
    if config is None or isinstance(config, bool | int | float):
        return config
    if isinstance(config, str):
        return camel_to_snake(config)
    if isinstance(config, list | tuple):
        return [item if _is_layer_name(key, i, item) else to_pythonic(item, key)
                for i, item in enumerate(config)]
    if isinstance(config, dict):
        out = {}
        for k, v in config.items():
            if k in ('name', 'className') and isinstance(v, str):
                out[camel_to_snake(k)] = v
            else:
                out[camel_to_snake(k)] = to_pythonic(v, k)
        return out
    raise TypeError(f'cannot serialize a {type(config).__name__} into model JSON')


def from_pythonic(config: Any, key: str | None = None) -> Any:
    """snake_case JSON -> camelCase config (tfjs' convertPythonicToTs)."""
    if config is None or isinstance(config, bool | int | float):
        return config
    if isinstance(config, str):
        return snake_to_camel(config)
    if isinstance(config, list):
        return [item if _is_layer_name(key, i, item) else from_pythonic(item, key)
                for i, item in enumerate(config)]
    if isinstance(config, dict):
        out = {}
        for k, v in config.items():
            if k == 'name' and isinstance(v, str):
                out[k] = v
            else:
                camel = snake_to_camel(k)
                out[camel] = from_pythonic(v, camel)
        return out
    raise TypeError(f'unexpected {type(config).__name__} in model JSON')
