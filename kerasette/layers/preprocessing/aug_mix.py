"""AugMix: mix an image with several chains of random augmentations of it, while training."""

import numbers

from kerasette import ops
from kerasette import random as keras_random
from kerasette.layers.preprocessing import arguments, augmentation_ops
from kerasette.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer
from kerasette.layers.validation import invalid


class AugMix(BaseImagePreprocessingLayer):
    """Performs the AugMix data augmentation technique (Hendrycks et al., 2020).

    ``num_chains`` chains each apply up to ``chain_depth`` operations (each step picks one of the
    operations or none, at random); the chains are mixed with Dirichlet(alpha) weights and the result
    is mixed with the original image with a Beta(alpha, alpha) weight, then clipped to ``value_range``.
    The choices hold for the whole batch, as in Keras 3, but come from the layer's seeded stream (Keras
    uses Python's unseeded ``random``). At inference the images are returned unchanged.

    Args:
        value_range: the range of the pixel values, e.g. ``(0, 255)`` (default) or ``(0, 1)``.
        num_chains: int, the number of augmentation chains.
        chain_depth: int, the largest number of operations in a chain.
        factor: a float or a pair in [0, 1]: the strength of the operations.
        alpha: float > 0, the concentration of the Dirichlet and Beta distributions.
        all_ops: whether to include brightness, colour degeneration, contrast and sharpness (which the
            AugMix paper leaves out) besides shear, translation, rotation, posterization,
            solarization, auto-contrast and equalization.
        interpolation: "bilinear" (default) or "nearest", for the geometric operations.
        seed: int, the seed of the layer's random stream.
        data_format: "channels_last" or None.
        **kwargs: base layer arguments (``name``, ``dtype``...).

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> x = np.random.default_rng(0).uniform(0, 255, (2, 8, 8, 3)).astype("float32")
        >>> layers.AugMix(seed=3)(x).shape
        (2, 8, 8, 3)
    """

    _USE_BASE_FACTOR = False

    def __init__(self, value_range=(0, 255), num_chains=3, chain_depth=3, factor=0.3, alpha=1.0, all_ops=True,
                 interpolation="bilinear", seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.value_range = arguments.value_range(self, value_range)
        for argument, value in (("num_chains", num_chains), ("chain_depth", chain_depth)):
            if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
                raise invalid(self, argument, "a positive int", value)
        self.num_chains, self.chain_depth = int(num_chains), int(chain_depth)
        self.factor = arguments.factor_range(self, "factor", factor, 0.0, 1.0)
        self.alpha = arguments.number(self, "alpha", alpha)
        if self.alpha <= 0:
            raise invalid(self, "alpha", "a number > 0", alpha)
        self.all_ops = bool(all_ops)
        self.interpolation = arguments.choice(self, "interpolation", interpolation, arguments.INTERPOLATIONS)
        self._set_seed(seed)
        self._names = augmentation_ops.GEOMETRIC_AND_TONAL + (augmentation_ops.COLOR if self.all_ops else ())
        self.augmentations = augmentation_ops.build_augmentations(self, self._names, self.factor, self.value_range,
                                                                  self.interpolation, self.seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        seed = self._seed(seed)
        gammas = keras_random.gamma((self.num_chains,), self.alpha, dtype=self.dtype, seed=seed)
        chain_weights = ops.divide(gammas, ops.sum(gammas))
        weight_sample = keras_random.beta((), self.alpha, self.alpha, dtype=self.dtype, seed=seed)
        choices = ops.convert_to_numpy(keras_random.randint((self.num_chains, self.chain_depth), 0,
                                                            len(self._names) + 1, seed=seed))
        chains = []
        for row in choices.tolist():
            steps = []
            for choice in row:
                if choice < len(self._names):  # the last choice means "no operation"
                    name = self._names[choice]
                    steps.append({"layer_name": name,
                                  "transformation": augmentation_ops.draw(self.augmentations[name], data, seed)})
            chains.append(steps)
        return {"chain_mixing_weights": chain_weights, "weight_sample": weight_sample, "chain_transforms": chains}

    def _transform_batch(self, images, transformation, interpolation):
        if transformation is None:
            return images
        weights = ops.cast(ops.convert_to_tensor(transformation["chain_mixing_weights"]), images.dtype)
        sample = ops.cast(ops.convert_to_tensor(transformation["weight_sample"]), images.dtype)
        mixed = ops.zeros_like(images)
        for index, chain in enumerate(transformation["chain_transforms"]):
            augmented = images
            for step in chain:
                augmented = augmentation_ops.apply(self.augmentations[step["layer_name"]], augmented,
                                                   step["transformation"])
            mixed = ops.add(mixed, ops.multiply(augmented, weights[index]))
        out = ops.add(ops.multiply(sample, images), ops.multiply(ops.subtract(1.0, sample), mixed))
        return ops.clip(out, float(self.value_range[0]), float(self.value_range[1]))

    def get_config(self):
        return {**super().get_config(), "value_range": list(self.value_range), "num_chains": self.num_chains,
                "chain_depth": self.chain_depth, "factor": list(self.factor), "alpha": self.alpha,
                "all_ops": self.all_ops, "interpolation": self.interpolation, "seed": self.seed}
