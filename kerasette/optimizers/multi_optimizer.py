"""``OptimizerMap`` and ``MultiOptimizer``: a different optimizer per variable, as in ``keras.optimizers``."""

import re
from collections.abc import MutableMapping

from kerasette import ops
from kerasette.optimizers.base import Optimizer, _registry
from kerasette.optimizers.loss_scale_optimizer import LossScaleOptimizer, serialize_nested


def _check_inner(optimizer, what):
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"Invalid value for {what}. Expected an `Optimizer` instance. Received: {optimizer!r}")
    if isinstance(optimizer, (LossScaleOptimizer, MultiOptimizer)):
        raise ValueError(
            f"Invalid value for {what}: a `{type(optimizer).__name__}` cannot be used inside a `MultiOptimizer` "
            "(wrap the MultiOptimizer instead)."
        )
    return optimizer


@_registry.register("optimizermap")
class OptimizerMap(MutableMapping):
    """Maps variable paths (exact, or regular expressions matching the whole path) to optimizers.

    ``optimizer_map[path]`` is the optimizer of the exact key ``path`` if there is one, else the
    one whose key, read as a regular expression, ``re.fullmatch``-es ``path``, else
    ``default_optimizer``. Calling the map on a variable looks up ``variable.path``.

    kerasette's variable paths are ``<layer>/<weight>`` (``"dense/kernel"``); Keras 3 prefixes the
    model's name (``"sequential/dense/kernel"``), so a pattern such as ``".*dense/.*"`` fits both.

    Args:
        default_optimizer: the ``Optimizer`` of the variables no key matches.
        optimizer_map: a dict from path (or pattern) to ``Optimizer``, or None.

    Raises:
        TypeError: if ``default_optimizer`` or a value is not an ``Optimizer``, or ``optimizer_map`` not a dict.
        ValueError: for a duplicate key, a wrapper optimizer, or a path that several patterns match.

    Example:
        >>> from kerasette import optimizers
        >>> mapping = optimizers.OptimizerMap(optimizers.SGD(), {"encoder/.*": optimizers.Adam()})
        >>> mapping["encoder/dense/kernel"].name, mapping["decoder/dense/kernel"].name
        ('adam', 'sgd')
    """

    def __init__(self, default_optimizer, optimizer_map=None):
        self._default_optimizer = _check_inner(default_optimizer, "argument `default_optimizer` of `OptimizerMap`")
        if optimizer_map is not None and not isinstance(optimizer_map, dict):
            raise TypeError(
                "Invalid value for argument `optimizer_map` of `OptimizerMap`. Expected a dict from variable "
                f"path (or regular expression) to optimizer. Received: optimizer_map={optimizer_map!r}"
            )
        self._optimizer_map = {}
        for key, optimizer in (optimizer_map or {}).items():
            self[key] = optimizer

    @property
    def default_optimizer(self):
        """The optimizer of the variables no key matches."""
        return self._default_optimizer

    def __getitem__(self, key):
        if key in self._optimizer_map:
            return self._optimizer_map[key]
        matches = [pattern for pattern in self._optimizer_map if re.fullmatch(pattern, key)]
        if len(matches) > 1:
            raise ValueError(f"Several optimizers are assigned to variable `{key}` (patterns {matches}).")
        return self._optimizer_map[matches[0]] if matches else self._default_optimizer

    def __setitem__(self, key, optimizer):
        if not isinstance(key, str):
            raise TypeError(f"An `OptimizerMap` key must be a variable path or pattern (str). Received: {key!r}")
        if key in self._optimizer_map:
            known = self._optimizer_map[key].name
            raise ValueError(f"`{key}` is already in the OptimizerMap (with optimizer `{known}`).")
        self._optimizer_map[key] = _check_inner(optimizer, f"the optimizer of `{key}` in `OptimizerMap`")

    def __delitem__(self, key):
        del self._optimizer_map[key]

    def __len__(self):
        return len(self._optimizer_map)

    def __iter__(self):
        return iter(self._optimizer_map)

    def __call__(self, variable):
        """The optimizer of ``variable`` (looked up by its path)."""
        return self[variable.path]

    def get_config(self):
        """``default_optimizer`` and ``optimizer_map``, serialized in Keras's nested form."""
        return {
            "default_optimizer": serialize_nested(self._default_optimizer),
            "optimizer_map": {key: serialize_nested(value) for key, value in self._optimizer_map.items()},
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Rebuild the map and its optimizers from ``get_config()`` (ours or Keras's).

        Args:
            config: a dict from ``get_config``.
            custom_objects: a dict of the user's classes by name, or None.

        Returns:
            A new ``OptimizerMap``.
        """
        from kerasette import optimizers

        default = optimizers.deserialize(config["default_optimizer"], custom_objects)
        mapping = {k: optimizers.deserialize(v, custom_objects) for k, v in (config.get("optimizer_map") or {}).items()}
        return cls(default, mapping)


@_registry.register("multioptimizer")
class MultiOptimizer(Optimizer):
    """Delegates each variable to its own optimizer, chosen by an ``OptimizerMap`` or a function.

    ``build`` asks ``optimizer_map(variable)`` for each variable and builds every inner optimizer
    on its share; ``apply`` hands each its gradients. The inner optimizers keep their own
    learning rates, step counters, clipping and weight decay (``optimizers`` lists them); this
    wrapper has no learning rate of its own (reading or setting ``learning_rate`` raises
    ``AttributeError``, as in Keras) and counts its ``apply`` calls in ``iterations``. Its variables
    are its own (``iteration``, ``learning_rate``) followed by each inner optimizer's.

    Args:
        optimizer_map: an ``OptimizerMap``, or a function from a variable to an ``Optimizer`` (such a
            MultiOptimizer cannot be serialized: kerasette never loads code from a config).
        loss_scale_factor: float > 0 or None, set on every inner optimizer.
        name: str or None. Defaults to ``"multi_optimizer"``.

    Raises:
        TypeError: if ``optimizer_map`` is neither an ``OptimizerMap`` nor callable.

    Example:
        >>> from kerasette import ops, optimizers
        >>> encoder = ops.Variable([1.0], name="kernel", path="encoder/kernel")
        >>> head = ops.Variable([1.0], name="kernel", path="head/kernel")
        >>> mapping = optimizers.OptimizerMap(optimizers.SGD(0.5), {"encoder/.*": optimizers.SGD(0.1)})
        >>> optimizers.MultiOptimizer(mapping).apply([ops.ones((1,)), ops.ones((1,))], [encoder, head])
        >>> [round(float(v.numpy()[0]), 4) for v in (encoder, head)]
        [0.9, 0.5]
    """

    _default_name = "multi_optimizer"

    def __init__(self, optimizer_map, loss_scale_factor=None, name=None):
        if not isinstance(optimizer_map, OptimizerMap) and not callable(optimizer_map):
            raise TypeError(
                "Invalid value for argument `optimizer_map` of optimizer `MultiOptimizer`. Expected an "
                f"`OptimizerMap` or a function from variable to optimizer. Received: optimizer_map={optimizer_map!r}"
            )
        self._inner_optimizers = []
        super().__init__(learning_rate=0.0, loss_scale_factor=loss_scale_factor, name=name)
        self._optimizer_map = optimizer_map
        if isinstance(optimizer_map, OptimizerMap):
            for optimizer in list(optimizer_map.values()) + [optimizer_map.default_optimizer]:
                self._add_inner(optimizer)

    def _add_inner(self, optimizer):
        if not any(optimizer is known for known in self._inner_optimizers):
            optimizer.loss_scale_factor = self.loss_scale_factor
            self._inner_optimizers.append(optimizer)
        return next(i for i, known in enumerate(self._inner_optimizers) if known is optimizer)

    @property
    def optimizers(self):
        """The inner optimizers, in the order of their variables in ``variables``."""
        return list(self._inner_optimizers)

    @property
    def loss_scale_factor(self):
        """The loss scale factor, shared by every inner optimizer (settable)."""
        return self._loss_scale_factor

    @loss_scale_factor.setter
    def loss_scale_factor(self, value):
        self._loss_scale_factor = value
        for optimizer in self._inner_optimizers:
            optimizer.loss_scale_factor = value

    @property
    def learning_rate(self):
        """Not available: each inner optimizer has its own (``optimizers[i].learning_rate``)."""
        raise AttributeError(
            "A `MultiOptimizer` has no learning rate of its own: read it on the inner optimizers "
            "(`optimizer.optimizers[i].learning_rate`)."
        )

    @learning_rate.setter
    def learning_rate(self, value):
        raise AttributeError(
            "A `MultiOptimizer` has no learning rate of its own: set it on the inner optimizers "
            "(`optimizer.optimizers[i].learning_rate = ...`)."
        )

    @property
    def variables(self):
        """This wrapper's ``iteration`` and ``learning_rate``, then each inner optimizer's variables."""
        variables = list(self._variables)
        for optimizer in self._inner_optimizers:
            variables.extend(optimizer.variables)
        return variables

    def build(self, variables):
        """Choose each variable's optimizer, then build every inner optimizer on its variables.

        Args:
            variables: the trainable variables to optimize.

        Raises:
            TypeError: if the map gives something else than an ``Optimizer``.
            ValueError: if it gives a ``LossScaleOptimizer`` or a ``MultiOptimizer``.
        """
        if self.built:
            return
        variables = list(variables)
        self._owner = {}
        for variable in variables:
            optimizer = _check_inner(self._optimizer_map(variable), f"the optimizer of variable `{variable.path}`")
            self._owner[id(variable)] = self._add_inner(optimizer)
        for i, optimizer in enumerate(self._inner_optimizers):
            mine = [v for v in variables if self._owner[id(v)] == i]
            if mine:
                optimizer.build(mine)
        super().build(variables)

    def scale_loss(self, loss):
        """The loss times ``loss_scale_factor``; each inner optimizer divides its gradients by it in ``apply``.

        Args:
            loss: the loss, a scalar Tensor.

        Returns:
            The scaled loss.
        """
        for optimizer in self._inner_optimizers:
            optimizer._loss_scaled_by = self.loss_scale_factor
        return loss if self.loss_scale_factor is None else ops.multiply(loss, self.loss_scale_factor)

    def apply(self, grads, trainable_variables=None):
        """Hand each inner optimizer the gradients of its variables, then count the step.

        Args:
            grads: one gradient per variable (None for a variable to leave alone).
            trainable_variables: the Variables to update (None: those of ``build``).

        Raises:
            ValueError: when unbuilt without variables, for mismatched lengths or unknown variables.
        """
        grads = list(grads)
        if not grads:
            return
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    f"Optimizer `{self.name}` is not built: pass `trainable_variables` to `apply`, "
                    "or call `build(variables)` first."
                )
            trainable_variables = self._trainable_variables
        trainable_variables = list(trainable_variables)
        self.build(trainable_variables)
        if len(grads) != len(trainable_variables):
            raise ValueError(
                f"Expected one gradient per variable: received {len(grads)} gradients "
                f"for {len(trainable_variables)} variables."
            )
        unknown = [v.path for v in trainable_variables if id(v) not in self._owner]
        if unknown:
            raise ValueError(f"Unknown variables {unknown} for optimizer `{self.name}`: it was built on others.")
        shares = [([], []) for _ in self._inner_optimizers]
        for grad, variable in zip(grads, trainable_variables):
            share = shares[self._owner[id(variable)]]
            share[0].append(grad)
            share[1].append(variable)
        for optimizer, (share_grads, share_variables) in zip(self._inner_optimizers, shares):
            if share_variables:
                optimizer.apply(share_grads, share_variables)
        with ops.stop_recording():
            step = self._host_iterations()
            self._iterations.assign(ops.add(self._iterations, 1))
            self._host_copies[id(self._iterations)] = (self._iterations.version, step + 1)

    def finalize_variable_values(self, var_list):
        """Each inner optimizer's ``finalize_variable_values`` on its variables.

        Args:
            var_list: the trainable variables.
        """
        var_list, owner = list(var_list), getattr(self, "_owner", {})
        for i, optimizer in enumerate(self._inner_optimizers):
            mine = [v for v in var_list if owner.get(id(v)) == i]
            if mine:
                optimizer.finalize_variable_values(mine)

    def get_config(self):
        """``optimizer_map`` (an ``OptimizerMap``'s config, Keras's nested form), ``loss_scale_factor``, ``name``.

        Raises:
            NotImplementedError: for a map given as a function.
        """
        if not isinstance(self._optimizer_map, OptimizerMap):
            raise NotImplementedError(
                f"`MultiOptimizer` `{self.name}` chooses optimizers with a function, which kerasette cannot "
                "serialize (it never loads code from a config): use an `OptimizerMap` of variable-path patterns, "
                "or save the model with `include_optimizer=False`."
            )
        return {
            "optimizer_map": {
                "module": "keras.optimizers",
                "class_name": "OptimizerMap",
                "config": self._optimizer_map.get_config(),
                "registered_name": None,
            },
            "loss_scale_factor": self.loss_scale_factor,
            "name": self.name,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Rebuild the wrapper, its map and inner optimizers from ``get_config()`` (ours or Keras's).

        Args:
            config: a dict from ``get_config``.
            custom_objects: a dict of the user's classes by name, or None.

        Returns:
            A new ``MultiOptimizer``.
        """
        config = dict(config)
        mapping = config.pop("optimizer_map")
        if isinstance(mapping, dict):
            mapping = OptimizerMap.from_config(mapping.get("config", mapping), custom_objects)
        return cls(mapping, **config)
