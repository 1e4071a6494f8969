"""Utilities: label encodings, seeding, model summaries and plots."""

from kerasette.utils.model_visualization import model_to_dot, plot_model  # noqa: F401
from kerasette.utils.naming import clear_session  # noqa: F401
from kerasette.utils.numerical_utils import to_categorical  # noqa: F401
from kerasette.utils.rng_utils import set_random_seed  # noqa: F401
