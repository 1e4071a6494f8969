"""The optimizer state that resuming training needs (iteration, learning rate, slots), in Keras's order.

Keras stores optimizer variables by position: ``iteration``, ``learning_rate``,
then the slots of each trainable variable in the order of
``model.trainable_variables``, which follows Keras's layer order
(``models/graph.py``). kerasette may have built its optimizer on another order,
so the state is written and read through ``keras_ordered_variables``, which
lines the optimizer's variables up with the order Keras uses. Slots are
matched through their paths (``<optimizer>/<variable path>_<slot>``), which
name each (variable, slot) pair uniquely.

Reading is staged (``stage_optimizer``): every value is read and checked
first, against the variables the optimizer has or, when it is not built
yet, against a shadow copy built on the model's variables, and only
``OptimizerState.apply`` (called once everything else of the load was
checked too) builds the optimizer and assigns.
"""

import math
import warnings

import numpy as np

from kerasette.saving import safe_h5
from kerasette.saving.errors import InvalidFileError


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


def _expected_variables(model, optimizer):
    """The variables the optimizer has (or will have once built), in Keras's order, without building it."""
    if optimizer.built:
        return keras_ordered_variables(model, optimizer)
    try:
        shadow = type(optimizer).from_config(optimizer.get_config())
        shadow.build(list(model.trainable_weights))
    except (TypeError, ValueError, NotImplementedError):  # an optimizer that cannot copy itself: build it now
        return keras_ordered_variables(model, optimizer)
    return shadow.variables


def _tf_keras2_without_lr(names, count, variables):
    return (count == len(variables) - 1 and len(variables) > 1 and variables[1].name == "learning_rate"
            and bool(names) and names[0].rsplit("/", 1)[-1].startswith(("iteration", "iter")))


def _check_value(variable, value, dataset, source):
    """Refuse an iteration that is not a non-negative integer and a learning rate that is not a finite float >= 0."""
    name = variable.name
    if name not in ("iteration", "iterations", "learning_rate"):
        return
    number = value.reshape(-1)[0].item() if value.size == 1 else None
    if name == "learning_rate":
        ok = isinstance(number, (int, float)) and math.isfinite(number) and number >= 0
        expected = "a finite float >= 0"
    else:
        ok = isinstance(number, (int, float)) and math.isfinite(number) and number >= 0 and number == int(number)
        expected = "a non-negative integer"
    if not ok:
        raise InvalidFileError(f"Cannot load {source}: the optimizer's `{name}` (`{dataset.name}`) should be "
                               f"{expected}. Found: {number!r}. Nothing was loaded.", source, dataset.name)


class OptimizerState:
    """Checked optimizer values, assigned by ``apply`` (which builds the optimizer first when needed)."""

    def __init__(self, model, values, skip_learning_rate, expected_count):
        self.model, self.values = model, values
        self.skip_learning_rate, self.expected_count = skip_learning_rate, expected_count

    def targets(self):
        """The variables to assign, in order (building the optimizer, on Keras's order, if it is not built)."""
        variables = keras_ordered_variables(self.model, self.model.optimizer)
        if len(variables) != self.expected_count:
            raise InvalidFileError(f"Optimizer `{self.model.optimizer.name}` has {len(variables)} variables once "
                                   f"built, not the {self.expected_count} its state was checked against.")
        targets = [variables[0]] + variables[2:] if self.skip_learning_rate else list(variables)
        for variable, value in zip(targets, self.values):
            if tuple(variable.shape) != tuple(value.shape):
                raise InvalidFileError(f"Optimizer variable `{variable.path}` has shape {variable.shape}, not "
                                       f"{value.shape} as checked.")
        return targets

    def apply(self, targets=None):
        """Assign the values (``targets`` from ``targets()``, computed here if not given)."""
        for variable, value in zip(targets or self.targets(), self.values):
            variable.assign(np.asarray(value).astype(variable.dtype))


def stage_optimizer(model, datasets, names, source):
    """Read and check the saved optimizer state (opened, not yet read, datasets); nothing is assigned.

    Accepts the Keras 3 / kerasette layout (iteration, learning_rate, slots) and
    tf.keras 2's (iteration, slots: the learning rate then comes from the
    config). Shapes are compared before anything is read. A state that does
    not fit the optimizer (another optimizer, another model) gives a warning
    and None, so the optimizer keeps its state, as Keras does; a state that
    fits but is damaged (unreadable data, a negative or fractional
    iteration) raises.

    Returns:
        An ``OptimizerState`` to ``apply``, or None.

    Raises:
        InvalidFileError: damaged values.
    """
    optimizer = model.optimizer
    variables = _expected_variables(model, optimizer)
    targets = list(variables)
    skip = _tf_keras2_without_lr(names, len(datasets), variables)
    if skip:
        targets = [variables[0]] + variables[2:]
    fits = len(datasets) == len(targets) and all(
        tuple(d.shape) == tuple(v.shape) for d, v in zip(datasets, targets))
    if not fits:
        warnings.warn(f"The optimizer state in {source} ({len(datasets)} values) does not fit optimizer "
                      f"`{optimizer.name}` ({len(variables)} variables); the optimizer state is not restored.",
                      stacklevel=3)
        return None
    values = []
    for dataset, variable in zip(datasets, targets):
        value = safe_h5.read_dataset(dataset, variable.shape, f"optimizer variable `{variable.path}`")
        _check_value(variable, value, dataset, source)
        values.append(value)
    return OptimizerState(model, values, skip, len(variables))
