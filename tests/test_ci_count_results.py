""".ci/count_results.py: the counts .ci/run adds up, skipped included."""
import importlib.util
from pathlib import Path

SPEC = importlib.util.spec_from_file_location("count_results", Path(__file__).resolve().parents[1] / ".ci" / "count_results.py")
count_results = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(count_results)


def test_a_pytest_summary_gives_passed_failed_and_skipped():
    out = "....s.F\n= 1 failed, 891 passed, 10 skipped, 3 deselected, 2 errors in 29.65s ="
    assert count_results.count(out) == (891, 3, 10)


def test_a_run_where_everything_skipped_counts_its_skips():
    assert count_results.count("===== 6 skipped in 0.20s =====") == (0, 0, 6)


def test_a_schemathesis_summary():
    assert count_results.count("Test cases:\n  3765 generated, 3760 passed, 5 skipped") == (3760, 0, 5)


def test_no_summary_counts_nothing():
    assert count_results.count("Traceback (most recent call last):") == (0, 0, 0)
