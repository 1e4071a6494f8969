"""The optimizer state that resuming training needs (iteration, learning rate, slots), in Keras's order.

Keras stores optimizer variables by position: ``iteration``, ``learning_rate``,
then the slots of each trainable variable in the order of
``model.trainable_variables``, which follows Keras's layer order
(``models/graph.py``). kerasette may have built its optimizer on another order,
so the state is written and read through ``keras_ordered_variables``, which
lines the optimizer's variables up with the order Keras uses. Slots are
matched through their paths (``<optimizer>/<variable path>_<slot>``), which
name each (variable, slot) pair uniquely.
"""

import warnings

from kerasette.saving import safe_h5


def keras_ordered_variables(model, optimizer):
    """The optimizer's variables in Keras's order; builds the optimizer (in that order) if needed."""
    wanted = list(model.trainable_weights)
    if not optimizer.built:
        optimizer.build(wanted)
    built_on = optimizer._trainable_variables
    if len(built_on) == len(wanted) and all(a is b for a, b in zip(built_on, wanted)):
        return optimizer.variables
    try:  # a shadow optimizer built in Keras's order gives the slot paths in that order
        shadow = type(optimizer).from_config(optimizer.get_config())
        shadow.build(wanted)
    except (TypeError, ValueError, NotImplementedError):
        return optimizer.variables
    by_path = {v.path: v for v in optimizer.variables}
    shadow_paths = [v.path for v in shadow.variables]
    if len(by_path) != len(optimizer.variables) or sorted(by_path) != sorted(shadow_paths):
        return optimizer.variables
    return [by_path[path] for path in shadow_paths]


def _tf_keras2_without_lr(names, count, variables):
    return (count == len(variables) - 1 and len(variables) > 1 and variables[1].name == "learning_rate"
            and bool(names) and names[0].rsplit("/", 1)[-1].startswith(("iteration", "iter")))


def restore_optimizer(model, datasets, names, source):
    """Set the model's optimizer state from saved (opened, not yet read) datasets.

    Accepts the Keras 3 / kerasette layout (iteration, learning_rate, slots) and
    tf.keras 2's (iteration, slots: the learning rate then comes from the
    config). Shapes are compared before anything is read. A state that does
    not fit leaves the optimizer fresh, with a warning (as Keras does).

    Returns:
        True if the state was restored.
    """
    optimizer = model.optimizer
    variables = keras_ordered_variables(model, optimizer)
    targets = list(variables)
    if _tf_keras2_without_lr(names, len(datasets), variables):
        targets = [variables[0]] + variables[2:]
    fits = len(datasets) == len(targets) and all(
        tuple(d.shape) == tuple(v.shape) for d, v in zip(datasets, targets))
    if not fits:
        warnings.warn(f"The optimizer state in {source} ({len(datasets)} values) does not fit optimizer "
                      f"`{optimizer.name}` ({len(variables)} variables); the optimizer starts fresh.", stacklevel=3)
        return False
    values = [(v, safe_h5.read_dataset(d, v.shape, f"optimizer variable `{v.path}`"))
              for d, v in zip(datasets, targets)]
    for variable, value in values:
        variable.assign(value.astype(variable.dtype))
    return True
