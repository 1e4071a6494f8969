"""``clone_model``: a new model with the same architecture and freshly initialized weights."""

from kerasette.models.model import Model


def clone_model(model, input_tensors=None, clone_function=None, custom_objects=None):
    """Rebuild ``model`` from its config (new layers, new weights), as ``keras.models.clone_model``."""
    if not isinstance(model, Model):
        raise ValueError(f"Expected `model` to be a Model instance. Received: {model!r}")
    if input_tensors is not None or clone_function is not None:
        raise NotImplementedError("clone_model supports only the default arguments (no input_tensors/clone_function).")
    return type(model).from_config(model.get_config(), custom_objects=custom_objects)
