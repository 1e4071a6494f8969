"""What a saved model carries besides its weights so that training resumes exactly.

``fit`` after ``load_model`` continues bit for bit (numpy backend) where the saved run would have gone
on: the epoch count, the shuffling seed and the number of epochs run (each epoch's order comes from
both), and the state of every ``SeedGenerator`` a layer holds (Dropout masks and other random layers).
The state is a small JSON object that the savers store beside Keras's own fields, which Keras ignores.
"""

import numbers

from kerasette.ops.random import SeedGenerator

_MAX_COUNT = 2**63 - 1


def _seed_generators(model):
    """``{"<layer path>/<attribute>": SeedGenerator}`` over every layer, nested models included."""
    found = {}

    def visit(layer, prefix):
        for attribute, value in vars(layer).items():
            if isinstance(value, SeedGenerator):
                found[f"{prefix}{layer.name}/{attribute}"] = value
        for sublayer in layer._sublayers():
            visit(sublayer, f"{prefix}{layer.name}/")

    for layer in model._sublayers():
        visit(layer, "")
    return found


def get_training_state(model):
    """The JSON-serializable training state of ``model`` (see the module docstring)."""
    return {
        "epochs_trained": int(model.epochs_trained),
        "shuffle_seed": model._shuffle_seed,
        "epochs_run": int(model._epochs_run),
        "seed_generators": {path: [g.seed, g.counter] for path, g in _seed_generators(model).items()},
    }


def _count(state, key, source, allow_none=False):
    value = state.get(key, None if allow_none else 0)
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not 0 <= value <= _MAX_COUNT:
        raise ValueError(f"{source}: the saved training state has an invalid `{key}`: expected a non-negative "
                         f"integer, received {str(value)[:80]}.")
    return int(value)


def check_training_state(state, source):
    """``state`` validated (a ValueError naming ``source`` otherwise), with defaults for missing keys."""
    if not isinstance(state, dict):
        raise ValueError(f"{source}: the saved training state is not a JSON object.")
    checked = {
        "epochs_trained": _count(state, "epochs_trained", source),
        "shuffle_seed": _count(state, "shuffle_seed", source, allow_none=True),
        "epochs_run": _count(state, "epochs_run", source),
        "seed_generators": {},
    }
    generators = state.get("seed_generators", {})
    if not isinstance(generators, dict):
        raise ValueError(f"{source}: the saved training state's `seed_generators` is not a JSON object.")
    for path, pair in generators.items():
        if not (isinstance(pair, list) and len(pair) == 2):
            raise ValueError(f"{source}: the saved state of random stream {path!r} is not a [seed, counter] pair.")
        checked["seed_generators"][path] = [_count({"seed": pair[0]}, "seed", source),
                                            _count({"counter": pair[1]}, "counter", source)]
    return checked


def set_training_state(model, state, source="the file"):
    """Restore a state from ``get_training_state`` (checked first: nothing changes on a bad one).

    Random streams the file names but the model lacks, or the other way round, are left as they are:
    the weights loaded fine, and only bit-exact resumption is at stake.
    """
    checked = check_training_state(state, source)
    generators = _seed_generators(model)
    model.epochs_trained = checked["epochs_trained"]
    model._shuffle_seed = checked["shuffle_seed"]
    model._epochs_run = checked["epochs_run"]
    for path, (seed, counter) in checked["seed_generators"].items():
        if path in generators:
            generators[path].seed, generators[path].counter = seed, counter
