"""The stateful core: backends, tensors, reference counts, scopes and the tape."""
