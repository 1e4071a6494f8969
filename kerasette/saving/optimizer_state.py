"""Restoring an optimizer's saved state (iteration, learning rate, slots) for resuming training."""

import warnings

from kerasette.saving import safe_h5


def _tf_keras2_without_lr(names, count, variables):
    return (count == len(variables) - 1 and len(variables) > 1 and variables[1].name == "learning_rate"
            and bool(names) and names[0].rsplit("/", 1)[-1].startswith(("iteration", "iter")))


def restore_optimizer(model, datasets, names, source):
    """Build the optimizer on the model's trainable weights and set its state from saved datasets.

    Accepts the Keras 3 / kerasette order (iteration, learning_rate, slots) and
    tf.keras 2's (iteration, slots: the learning rate then comes from the
    config). Shapes are compared before anything is read. A state that does
    not fit leaves the optimizer fresh, with a warning (as Keras does).

    Returns:
        True if the state was restored.
    """
    optimizer = model.optimizer
    optimizer.build(model.trainable_weights)
    variables = optimizer.variables
    targets = list(variables)
    if _tf_keras2_without_lr(names, len(datasets), variables):
        targets = [variables[0]] + variables[2:]
    fits = len(datasets) == len(targets) and all(
        tuple(d.shape) == tuple(v.shape) for d, v in zip(datasets, targets))
    if not fits:
        warnings.warn(f"The optimizer state in {source} ({len(datasets)} values) does not fit optimizer "
                      f"`{optimizer.name}` ({len(variables)} variables); the optimizer starts fresh.", stacklevel=3)
        return False
    values = {id(v): safe_h5.read_dataset(d, v.shape, f"optimizer variable `{v.path}`")
              for d, v in zip(datasets, targets)}
    optimizer.set_weights([values.get(id(v), v.numpy()) for v in variables])
    return True
