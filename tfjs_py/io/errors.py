"""The one error type for model files that can't be read as the format says."""


class ModelFormatError(ValueError):
    """A model.json, weights manifest or weight shard is malformed; the message
    names the file and the weight or layer concerned."""
