"""Gradient accumulation (``gradient_accumulation_steps=n``), as ``keras.optimizers.Optimizer`` does it.

Each call of ``apply`` adds the gradients to ``gradient_accumulator`` slots; every ``n``-th call
updates the variables with the mean of the ``n`` gradients (clipping and weight decay apply to
that mean) and resets the accumulators. ``iterations`` then counts updates
(``raw steps // n``), while a learning-rate schedule still sees the raw step count, as in Keras 3.
"""

from kerasette import ops


def build_accumulators(optimizer, variables):
    """One ``gradient_accumulator`` slot per variable (after the EMA averages, before the optimizer's slots).

    Args:
        optimizer: the optimizer being built.
        variables: its trainable variables.

    Returns:
        The list of accumulator slots, in the order of ``variables``.
    """
    return optimizer.add_optimizer_variables(variables, "gradient_accumulator")


def accumulate(optimizer, grads, variables, raw_step):
    """Add ``grads`` to the accumulators, or return the mean gradients when this call completes a cycle.

    Args:
        optimizer: a built optimizer with ``gradient_accumulation_steps`` set.
        grads: the gradients of this call (Tensors), one per variable.
        variables: the variables they belong to.
        raw_step: the number of ``apply`` calls before this one.

    Returns:
        None on an accumulating call; on every ``n``-th call the list of mean gradients
        ``(grad + accumulated) / n`` (all accumulators are reset).
    """
    steps = optimizer.gradient_accumulation_steps
    accumulators = [optimizer._accumulated_gradients[optimizer._get_variable_index(v)] for v in variables]
    if (raw_step + 1) % steps != 0:
        for grad, accumulator in zip(grads, accumulators):
            accumulator.assign(ops.add(grad, accumulator))
        return None
    means = [ops.divide(ops.add(grad, accumulator), float(steps)) for grad, accumulator in zip(grads, accumulators)]
    for accumulator in optimizer._accumulated_gradients:
        accumulator.assign(ops.zeros(accumulator.shape, accumulator.dtype))
    return means
