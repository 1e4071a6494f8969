"""Moving averages of the model's variables (``use_ema=True``), as ``keras.optimizers.Optimizer`` keeps them.

After every update the optimizer folds the new value of each trainable variable into its
``average`` slot: ``average = ema_momentum * average + (1 - ema_momentum) * variable``, except on
the first step, where the average starts at the variable's value. With
``ema_overwrite_frequency=n`` the variables are overwritten by their averages every ``n`` steps;
``finalize_variable_values`` (or the ``SwapEMAWeights`` callback) puts them in place on demand.
"""

import numpy as np

from kerasette import ops
from kerasette.ops import updates


def build_averages(optimizer, variables):
    """One ``average`` slot per variable, created before the optimizer's own slots (Keras's order).

    Args:
        optimizer: the optimizer being built.
        variables: its trainable variables.

    Returns:
        The list of average slots, in the order of ``variables``.
    """
    return optimizer.add_optimizer_variables(variables, "average")


def update_averages(optimizer, step):
    """Fold the variables' new values into their averages (Keras's float32 arithmetic).

    Args:
        optimizer: an optimizer with ``use_ema=True``, built.
        step: the step just taken, counted from 0 (the average is reset to the variable at step 0).
    """
    momentum = np.float32(optimizer.ema_momentum) if step != 0 else np.float32(0.0)
    keep, take = float(momentum), float(np.float32(1.0) - momentum)
    for variable, average in zip(optimizer._trainable_variables, optimizer._model_variables_moving_average):
        average.assign(ops.add(ops.multiply(average, keep), ops.multiply(variable, take)))
    frequency = optimizer.ema_overwrite_frequency
    if frequency and (step + 1) % frequency == 0:
        overwrite_with_averages(optimizer, optimizer._trainable_variables)


def overwrite_with_averages(optimizer, variables):
    """Assign each variable its moving average.

    Args:
        optimizer: an optimizer with ``use_ema=True``, built.
        variables: the variables, in the order the optimizer was built with.

    Raises:
        ValueError: when the number of variables differs from the number of averages.
    """
    averages = optimizer._model_variables_moving_average
    if len(variables) != len(averages):
        raise ValueError(
            f"Optimizer `{optimizer.name}` holds moving averages for {len(averages)} variables; received "
            f"{len(variables)} variables to overwrite. Pass the variables the optimizer was built with "
            "(the model's `trainable_weights`)."
        )
    for variable, average in zip(variables, averages):
        variable.assign(average)


def swap_with_averages(optimizer):
    """Exchange the values of the trainable variables and their moving averages, in place.

    Args:
        optimizer: an optimizer with ``use_ema=True``, built.
    """
    for variable, average in zip(optimizer._trainable_variables, optimizer._model_variables_moving_average):
        updates.swap_values(variable, average)
