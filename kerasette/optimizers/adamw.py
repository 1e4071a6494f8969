"""AdamW: Adam with decoupled weight decay, as ``keras.optimizers.AdamW``."""

from kerasette.optimizers.adam import Adam
from kerasette.optimizers.base import _registry


@_registry.register("adamw")
class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter, 2019).

    Each step first shrinks every variable, ``w -= w * weight_decay * lr``, then takes the
    Adam step of ``Adam`` (same slots, ``momentum`` and ``velocity``, so AdamW state files
    are Adam's).

    Args:
        learning_rate: float >= 0 or a LearningRateSchedule. Defaults to 0.001.
        weight_decay: float >= 0. Defaults to 0.004 (None is refused, as in Keras).
        beta_1: float in [0, 1), decay of the first moment. Defaults to 0.9.
        beta_2: float in [0, 1), decay of the second moment. Defaults to 0.999.
        epsilon: float >= 0. Defaults to 1e-7.
        amsgrad: bool. Defaults to False.
        **kwargs: the base ``Optimizer`` arguments.

    Raises:
        ValueError: for ``weight_decay=None`` and out-of-range values.

    Example:
        >>> from kerasette import ops, optimizers
        >>> w = ops.Variable([1.0, 2.0], name="w")
        >>> optimizers.AdamW(learning_rate=0.1, weight_decay=0.5).apply([ops.convert_to_tensor([0.5, -1.0])], [w])
        >>> [round(v, 4) for v in w.numpy().tolist()]
        [0.85, 2.0]
    """

    _default_name = "adam_w"

    def __init__(
        self,
        learning_rate=0.001,
        weight_decay=0.004,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-7,
        amsgrad=False,
        **kwargs,
    ):
        if weight_decay is None:
            raise ValueError(
                "Invalid value for argument `weight_decay` of optimizer `AdamW`. Expected a float >= 0. "
                "Received: weight_decay=None"
            )
        super().__init__(
            learning_rate, beta_1=beta_1, beta_2=beta_2, epsilon=epsilon, amsgrad=amsgrad,
            weight_decay=weight_decay, **kwargs,
        )
