"""examples/compress.py: float32, int8 and pruned variants of a bundled application, with their table."""

import pytest
from example_scripts import fashion_mnist_or_skip, load_example

import kerasette as keras


@pytest.fixture(scope="module")
def compress():
    fashion_mnist_or_skip()
    return load_example("compress")


def test_compress_prints_one_row_per_variant_with_pruned_zeros_and_smaller_files(backend, compress, capsys):
    rows = compress.main(["--backends", backend.name, "--limit", "20000", "--epochs", "1",
                          "--test-limit", "500"])
    by_variant = {row["variant"]: row for row in rows}
    expected = (["float32", "int8", "pruned", "pruned + int8"] if compress.int8_available() else
                ["float32", "pruned"])
    assert [row["variant"] for row in rows] == expected
    assert {row["backend"] for row in rows} == {backend.name}
    assert keras.backends.backend() == backend.name  # the example leaves the backend as it found it

    dense, pruned = by_variant["float32"], by_variant["pruned"]
    assert dense["accuracy"] > 0.85  # LeNet5's shipped weights: 0.9029 on the 10,000 test images
    assert dense["sparsity"] < 0.01
    assert pruned["sparsity"] == pytest.approx(0.8, abs=0.005)
    assert pruned["accuracy"] > 0.75  # 157 fine-tuning steps (the default run, 1,407 steps: 0.888)
    assert pruned["bytes"] == dense["bytes"]  # same layout: pruning shrinks the compressed file only
    assert pruned["gzip_bytes"] < 0.5 * dense["gzip_bytes"]
    if "int8" in by_variant:
        assert by_variant["int8"]["bytes"] < 0.5 * dense["bytes"]
        assert by_variant["int8"]["accuracy"] == pytest.approx(dense["accuracy"], abs=0.02)
        both = by_variant["pruned + int8"]
        assert both["sparsity"] >= pruned["sparsity"]  # quantizing keeps every zero
        assert both["gzip_bytes"] < 0.5 * by_variant["int8"]["gzip_bytes"]
        assert both["accuracy"] == pytest.approx(pruned["accuracy"], abs=0.03)
    assert all(row["seconds_per_image"] > 0 for row in rows)
    out = capsys.readouterr().out
    assert f"| pruned | {backend.name} |" in out and f"| float32 | {backend.name} |" in out


def test_compress_rejects_an_unknown_application(compress):
    with pytest.raises(SystemExit):
        compress.main(["--model", "AlexNet"])
