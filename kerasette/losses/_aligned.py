"""``AlignedLoss``: the base of losses that are one module function plus its keyword arguments.

As Keras's ``LossFunctionWrapper`` does, ``call`` first lines up ``y_true`` and ``y_pred`` when their
ranks differ by a trailing axis of 1, so ``(N,)`` targets against ``(N, 1)`` predictions never
broadcast into an ``(N, N)`` matrix.
"""

from kerasette.losses import _checks
from kerasette.losses._base import Loss, squeeze_or_expand_to_same_rank


class AlignedLoss(Loss):
    """A loss computed by ``_function(y_true, y_pred, **arguments)`` after rank alignment.

    Subclasses set ``_function`` (a staticmethod), list in ``_arguments`` the attributes passed to it
    (they are also the extra ``get_config`` keys) and may set ``_check`` to the host-side target check.

    Args:
        name: the loss's name.
        reduction: as for ``Loss``.
        dtype: compute dtype (None: ``y_pred``'s own dtype).
    """

    _function = None
    _arguments = ()
    _check = staticmethod(_checks.check_regression)

    def call(self, y_true, y_pred):
        """Per-sample values of the loss function with this loss's arguments."""
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return type(self)._function(y_true, y_pred, **{key: getattr(self, key) for key in self._arguments})

    def check_targets(self, y_true, output_shape):
        """Validate the user's host targets for this loss (see ``Loss.check_targets``)."""
        type(self)._check(self.name, y_true, output_shape)

    def get_config(self):
        """The base config plus the loss function's arguments."""
        return {**super().get_config(), **{key: getattr(self, key) for key in self._arguments}}
