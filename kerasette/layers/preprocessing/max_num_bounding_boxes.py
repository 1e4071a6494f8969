"""MaxNumBoundingBoxes: pad or truncate the bounding boxes of each image to a fixed number."""

from kerasette import ops
from kerasette.layers.preprocessing import arguments
from kerasette.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer


class MaxNumBoundingBoxes(BaseImagePreprocessingLayer):
    """Ensure the maximum number of bounding boxes.

    Called on ``{"images": ..., "bounding_boxes": {"boxes": (batch, n, 4), "labels": (batch, n)}}``,
    it keeps the first ``max_number`` boxes of each image and pads with ``fill_value`` up to
    ``max_number``; images, labels and masks pass unchanged. This is the only kerasette layer that
    accepts bounding boxes: it does not move them, so their format does not matter.

    Args:
        max_number: int, the number of boxes per image.
        fill_value: int, the value of padding boxes and labels. Defaults to -1.
        **kwargs: base layer arguments (``name``, ``dtype``, ``data_format``...).

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> data = {"images": np.zeros((2, 4, 4, 3), "float32"),
        ...         "bounding_boxes": {"boxes": np.ones((2, 3, 4), "float32"), "labels": np.ones((2, 3), "int32")}}
        >>> out = layers.MaxNumBoundingBoxes(max_number=5)(data)
        >>> out["bounding_boxes"]["boxes"].shape, out["bounding_boxes"]["labels"].numpy()[0].tolist()
        ((2, 5, 4), [1, 1, 1, -1, -1])
    """

    _USE_BASE_FACTOR = False
    _ALWAYS_ACTIVE = True

    def __init__(self, max_number, fill_value=-1, **kwargs):
        box_format = kwargs.pop("bounding_box_format", None)
        super().__init__(**kwargs)
        self.max_number = arguments.positive_int(self, "max_number", max_number)
        self.fill_value = int(arguments.number(self, "fill_value", fill_value))
        self.bounding_box_format = box_format

    def _transform_batch(self, images, transformation, interpolation):
        return images

    def _call_dict(self, data, args, kwargs):
        boxes = data.get("bounding_boxes")
        out = super()._call_dict({k: v for k, v in data.items() if k != "bounding_boxes"}, args, kwargs)
        if boxes is not None:
            out["bounding_boxes"] = self.transform_bounding_boxes(boxes)
        return out

    def transform_bounding_boxes(self, bounding_boxes, transformation=None, training=True):
        """Pad or truncate ``bounding_boxes["boxes"]`` and ``["labels"]`` to ``max_number`` per image.

        Args:
            bounding_boxes: a dict with "boxes" (batch, n, 4) and "labels" (batch, n).
            transformation: unused (nothing is random).
            training: unused (the layer acts in inference too).

        Returns:
            A new dict with "boxes" (batch, max_number, 4) and "labels" (batch, max_number).

        Raises:
            ValueError: for other keys or shapes.
        """
        if not isinstance(bounding_boxes, dict) or set(bounding_boxes) != {"boxes", "labels"}:
            raise ValueError(f"Layer `{self.name}` expects bounding_boxes as a dict with the keys 'boxes' and "
                             f"'labels'. Received: {bounding_boxes!r:.200}")
        boxes, labels = (ops.convert_to_tensor(bounding_boxes[k]) for k in ("boxes", "labels"))
        if boxes.ndim != 3 or boxes.shape[-1] != 4 or labels.shape != boxes.shape[:2]:
            raise ValueError(f"Layer `{self.name}` expects boxes of shape (batch, n, 4) and labels of shape "
                             f"(batch, n). Received boxes {boxes.shape} and labels {labels.shape}.")
        count = boxes.shape[1]
        keep = min(count, self.max_number)
        pad = self.max_number - keep
        boxes = ops.pad(ops.slice(boxes, [0, 0, 0], [boxes.shape[0], keep, 4]), ((0, 0), (0, pad), (0, 0)),
                        constant_values=self.fill_value)
        labels = ops.pad(ops.slice(labels, [0, 0], [labels.shape[0], keep]), ((0, 0), (0, pad)),
                         constant_values=self.fill_value)
        return {**bounding_boxes, "boxes": boxes, "labels": labels}

    def get_config(self):
        config = {**super().get_config(), "max_number": self.max_number, "fill_value": self.fill_value}
        if self.bounding_box_format is not None:
            config["bounding_box_format"] = self.bounding_box_format
        return config
