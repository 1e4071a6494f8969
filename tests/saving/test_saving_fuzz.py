"""Issue 12: mutated files of every format either load or raise the one error type naming the file.

A few hundred cases with a fixed seed (``fuzz_harness`` has the mutations and the outcomes); each
load runs in a worker process limited to 1 GiB of address space and 10 seconds.
``benchmarks/fuzz_loading.py`` runs the same harness on thousands of cases.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import fuzz_harness  # noqa: E402

CASES = 320
SEED = 12


def test_mutated_files_load_or_raise_invalid_file_error():
    summary = fuzz_harness.fuzz(CASES, seed=SEED, workers=2, timeout=10.0, memory_limit=1024**3)
    bad = summary["bad"]
    details = "\n".join(f"{r['outcome']} {r['kind']} {r['model']} {r['what']}: {r['message'][-800:]}" for r in bad[:5])
    assert not bad, f"{len(bad)} bad outcomes {summary['outcomes']}:\n{details}"
    assert summary["cases"] == CASES
    assert summary["outcomes"].get("error", 0) > CASES // 3  # the mutations do break files
    assert summary["outcomes"].get("loaded_same", 0) + summary["outcomes"].get("loaded_changed", 0) > 0
    assert set(summary["by_kind"]) == set(fuzz_harness.KINDS)
    assert summary["max_rss_mb"] < 1024 and summary["max_seconds"] < 10
