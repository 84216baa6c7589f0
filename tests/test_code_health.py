"""Code health rules a newcomer can rely on, checked on every run.

- No module in `pipeline/` over MODULE_LINES lines, no function over FUNCTION_LINES lines
  (docs/code-size.md lists the largest, made by `scripts/code_size.py`).
- That `pipeline/` imports nothing of Airflow, and DAG files only the hook, Airflow and the pipeline, is
  checked in tests/test_settings_security.py.
"""

from __future__ import annotations

from pathlib import Path

from scripts.code_size import FUNCTION_LINES, MODULE_LINES, function_sizes, module_sizes

ROOT = Path(__file__).resolve().parent.parent


def test_no_pipeline_module_over_the_limit():
    over = [(path, n) for path, n in module_sizes(ROOT / "pipeline") if n > MODULE_LINES]
    assert over == [], f"modules over {MODULE_LINES} lines: {over}"


def test_no_pipeline_function_over_the_limit():
    over = [(path, name, n) for path, name, n in function_sizes(ROOT / "pipeline") if n > FUNCTION_LINES]
    assert over == [], f"functions over {FUNCTION_LINES} lines: {over}"
