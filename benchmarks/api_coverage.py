"""How much of Keras 3's public API kerasette has, namespace by namespace.

    python benchmarks/api_coverage.py [--missing] [--json]

The Keras names come from ``benchmarks/data/keras_api_names.json``, extracted once from Keras 3.15.1
(``dir()`` of each public namespace, modules left out), so this runs without Keras installed. A name
counts as present when ``kerasette.<namespace>`` has an attribute of that name. Namespaces that only
make sense with TensorFlow, JAX or torch underneath (distribution, export, legacy wrappers, applications'
ImageNet models, ...) are listed apart and not counted.
"""

import argparse
import importlib
import json
import os

KERAS_NAMES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "keras_api_names.json")

# The namespaces the compatibility promise covers (issue 13), in the order the report prints them.
COUNTED = ["layers", "ops", "losses", "metrics", "optimizers", "optimizers.schedules", "callbacks", "activations",
           "initializers", "regularizers", "constraints", "random", "saving", "utils", "models", "config",
           "backend", "tree", "mixed_precision", "dtype_policies", "quantizers", "keras"]
# Namespaces tied to another engine or to assets kerasette does not ship, and why.
NOT_COUNTED = {
    "applications": "Keras's ImageNet architectures need their ImageNet weights (downloads); kerasette ships "
                    "its own Fashion-MNIST applications under different names",
    "datasets": "submodules only (kerasette has mnist and fashion_mnist)",
    "distribution": "JAX-only data/model parallelism; kerasette.distribute (MPI) is its own API",
    "export": "TensorFlow SavedModel export",
    "legacy": "empty in Keras 3",
    "preprocessing": "tf.data-based image and sequence helpers",
    "visualization": "plotting helpers for bounding boxes and segmentation masks",
    "wrappers": "scikit-learn wrappers",
}


def _namespace(path):
    """The kerasette module for a Keras namespace path, or None when kerasette has no such module."""
    module = importlib.import_module("kerasette")
    if path == "keras":
        return module
    for part in path.split("."):
        module = getattr(module, part, None)
        if module is None:
            return None
    return module


def coverage():
    """``{namespace: (keras names, present names, missing names)}`` for the counted namespaces."""
    with open(KERAS_NAMES, encoding="utf-8") as f:
        keras_names = json.load(f)["namespaces"]
    report = {}
    for path in COUNTED:
        names = keras_names.get(path, [])
        module = _namespace(path)
        present = [n for n in names if module is not None and hasattr(module, n)]
        missing = [n for n in names if n not in present]
        report[path] = (names, present, missing)
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--missing", action="store_true", help="list the missing names per namespace")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args()
    report = coverage()
    if args.json:
        print(json.dumps({k: {"keras": len(n), "kerasette": len(p), "missing": m} for k, (n, p, m) in report.items()},
                         indent=1))
        return
    total_keras = sum(len(n) for n, _, _ in report.values())
    total_present = sum(len(p) for _, p, _ in report.values())
    print(f"{'namespace':22s} {'keras':>6s} {'kerasette':>9s} {'coverage':>8s}")
    for path, (names, present, missing) in report.items():
        share = len(present) / len(names) if names else 1.0
        print(f"{path:22s} {len(names):6d} {len(present):9d} {share:8.1%}")
        if args.missing and missing:
            print("    missing: " + ", ".join(missing))
    print(f"{'all counted':22s} {total_keras:6d} {total_present:9d} {total_present / total_keras:8.1%}")
    print("\nNot counted (tied to another engine or to assets kerasette does not ship):")
    for path, why in NOT_COUNTED.items():
        print(f"  {path}: {why}")


if __name__ == "__main__":
    main()
