"""``Config``: a dict of named settings with attribute access, freezing and JSON export (``keras.utils.Config``)."""

import copy
import difflib
import json

_OWN = ("_config", "_frozen")


class Config:
    """A dict-like container of named values, as ``keras.utils.Config``.

    Values are set and read as attributes (``config.seed = 1``) or items (``config["seed"]``);
    ``freeze()`` forbids further changes; ``to_json()`` exports the values. Iterating gives the
    keys in sorted order, as Keras's does.

    Args:
        **kwargs: the initial values.

    Example:
        >>> from kerasette.utils import Config
        >>> config = Config(learning_rate=0.1)
        >>> config.momentum = 0.9
        >>> config["momentum"], list(config), config.to_json()
        (0.9, ['learning_rate', 'momentum'], '{"learning_rate": 0.1, "momentum": 0.9}')
        >>> config.freeze()
        >>> config.seed = 1
        Traceback (most recent call last):
        ...
        ValueError: Cannot mutate attribute(s) because the config is frozen.
    """

    def __init__(self, **kwargs):
        object.__setattr__(self, "_config", dict(kwargs))
        object.__setattr__(self, "_frozen", False)

    @property
    def frozen(self):
        """Whether the config refuses changes."""
        return self._frozen

    def freeze(self):
        """Refuse any further change."""
        object.__setattr__(self, "_frozen", True)

    def unfreeze(self):
        """Allow changes again."""
        object.__setattr__(self, "_frozen", False)

    def _raise_if_frozen(self):
        if self._frozen:
            raise ValueError("Cannot mutate attribute(s) because the config is frozen.")

    def as_dict(self):
        """A shallow copy of the values as a plain dict."""
        return copy.copy(self._config)

    def to_json(self):
        """The values as JSON text."""
        return json.dumps(self._config)

    def keys(self):
        """The names, as ``dict.keys``."""
        return self._config.keys()

    def values(self):
        """The values, as ``dict.values``."""
        return self._config.values()

    def items(self):
        """``(name, value)`` pairs, as ``dict.items``."""
        return self._config.items()

    def get(self, keyname, value=None):
        """The value of ``keyname``, or ``value`` if it is not set.

        Args:
            keyname: the name.
            value: the default.
        """
        return self._config.get(keyname, value)

    def pop(self, *args):
        """Remove a name and return its value, as ``dict.pop``.

        Args:
            *args: the name, and optionally a default.
        """
        self._raise_if_frozen()
        return self._config.pop(*args)

    def update(self, *args, **kwargs):
        """Set several values, as ``dict.update``.

        Args:
            *args: a dict or pairs.
            **kwargs: names and values.
        """
        self._raise_if_frozen()
        self._config.update(*args, **kwargs)

    def __setattr__(self, name, value):
        if name in _OWN or name in type(self).__dict__:
            raise AttributeError(f"Cannot set {name!r}: it is a method or property of Config.")
        self._raise_if_frozen()
        self._config[name] = value

    def __getattr__(self, name):
        config = object.__getattribute__(self, "_config")
        if name in config:
            return config[name]
        message = f"Unknown attribute: '{name}'."
        close = difflib.get_close_matches(name, list(config), n=1, cutoff=0.7)
        if close:
            message += f" Did you mean '{close[0]}'?"
        raise AttributeError(message)

    def __setitem__(self, key, item):
        self._raise_if_frozen()
        self._config[key] = item

    def __getitem__(self, key):
        return self._config[key]

    def __delitem__(self, key):
        self._raise_if_frozen()
        del self._config[key]

    def __contains__(self, item):
        return item in self._config

    def __iter__(self):
        return iter(sorted(self._config))

    def __len__(self):
        return len(self._config)

    def __repr__(self):
        return f"<Config {self._config}>"
