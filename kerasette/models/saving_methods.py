"""``Model.save``, ``Model.save_weights`` and ``Model.load_weights`` (the work is in ``kerasette.saving``)."""


class SavingMethods:
    """Mixin giving a Model Keras's saving methods."""

    def save(self, filepath, overwrite=True, include_optimizer=True):
        """Save the whole model to ``.keras`` or ``.h5``; see ``kerasette.saving.save_model``."""
        from kerasette.saving import saving_api

        saving_api.save_model(self, filepath, overwrite=overwrite, include_optimizer=include_optimizer)

    def save_weights(self, filepath, overwrite=True):
        """Save the weights to ``.weights.h5`` (Keras 3 layout) or ``.h5`` (tf.keras 2 layout)."""
        from kerasette.saving import saving_api

        saving_api.save_weights(self, filepath, overwrite=overwrite)

    def load_weights(self, filepath, skip_mismatch=False, by_name=False):
        """Load weights saved by kerasette or Keras; see ``kerasette.saving.load_weights``."""
        from kerasette.saving import saving_api

        saving_api.load_weights(self, filepath, skip_mismatch=skip_mismatch, by_name=by_name)
