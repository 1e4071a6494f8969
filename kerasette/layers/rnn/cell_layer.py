"""What SimpleRNN, LSTM and GRU share: their cell's arguments read through the layer, and their config."""

from kerasette import regularizers
from kerasette.layers.input_spec import InputSpec
from kerasette.layers.rnn.rnn import RNN

# The config keys of SimpleRNN after the RNN ones, in Keras's order; LSTM and GRU add theirs.
SIMPLE_RNN_KEYS = ("units", "activation", "use_bias", "kernel_initializer", "recurrent_initializer",
                   "bias_initializer", "kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
                   "activity_regularizer", "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout",
                   "recurrent_dropout")


def _cell_property(name):
    return property(lambda self: getattr(self.cell, name), doc=f"The cell's ``{name}``.")


class CellLayer(RNN):
    """An ``RNN`` over one built-in cell that the layer creates from its own arguments (Keras's LSTM, GRU...).

    Subclasses set ``config_keys`` (the cell arguments of the config, in Keras's order) and call
    ``super().__init__(cell, use_cudnn=..., **rnn_kwargs)``. The cell's arguments read through the
    layer (``layer.units``...); ``use_cudnn`` chooses the fused implementation: ``"auto"`` when it
    applies, False never, True always (a ValueError where it cannot).

    Args:
        cell: the cell.
        use_cudnn: ``"auto"``, True or False.
        **kwargs: the ``RNN`` arguments.
    """

    config_keys = SIMPLE_RNN_KEYS

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name in cls.config_keys + ("seed",):
            if name != "activity_regularizer" and name not in vars(cls):
                setattr(cls, name, _cell_property(name))

    def __init__(self, cell, use_cudnn="auto", **kwargs):
        super().__init__(cell, **kwargs)
        self.input_spec = InputSpec(ndim=3)
        if use_cudnn not in ("auto", True, False):
            raise ValueError(f"Invalid value for argument `use_cudnn` of layer `{self.name}`. Expected one of "
                             f"{{'auto', True, False}}. Received: use_cudnn={use_cudnn!r}")
        self.use_cudnn = use_cudnn

    def call(self, sequences, initial_state=None, mask=None, training=None):
        return super().call(sequences, initial_state=initial_state, mask=mask, training=training)

    def get_config(self):
        config = super().get_config()
        del config["cell"]
        cell = self.cell.get_config()
        cell["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        return {**config, **{key: cell[key] for key in self.config_keys}, "seed": self.cell.seed}

    @classmethod
    def from_config(cls, config):
        """Create the layer from ``get_config``'s output.

        Args:
            config: the dict of constructor arguments.

        Returns:
            A new, unbuilt layer.
        """
        return cls(**config)


def cell_kwargs(name, kwargs):
    """The base arguments a layer passes on to its cell, as Keras: dtype, trainable and a fixed name.

    Args:
        name: the cell's name (``"lstm_cell"``...).
        kwargs: the layer's keyword arguments.

    Returns:
        A dict of keyword arguments for the cell.
    """
    return {"dtype": kwargs.get("dtype"), "trainable": kwargs.get("trainable", True), "name": name}
