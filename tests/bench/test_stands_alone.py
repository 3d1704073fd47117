"""The benchmarks stand alone: nothing in bench/ imports the test suite, and no bench module reaches into another's
private names. A benchmark must keep running when the tests are reorganised, and its shared helpers are the public
names of bench/support.py and bench/harness.py."""

from __future__ import annotations

import ast
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"


def imports(path: Path) -> list[tuple[str, str]]:
    """(module, name) for every `from module import name` and (module, "") for every `import module`, at any depth."""
    found: list[tuple[str, str]] = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found += [(node.module, alias.name) for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [(alias.name, "") for alias in node.names]
    return found


def test_bench_never_imports_the_tests() -> None:
    offending = [
        f"{path.name}: {module}"
        for path in sorted(BENCH.glob("*.py"))
        for module, _ in imports(path)
        if module == "tests" or module.startswith("tests.")
    ]
    assert not offending, f"bench/ imports the test suite: {offending}"


def test_bench_modules_share_only_public_names() -> None:
    offending = [
        f"{path.name}: from {module} import {name}"
        for path in sorted(BENCH.glob("*.py"))
        for module, name in imports(path)
        if module.startswith("bench.") and name.startswith("_")
    ]
    assert not offending, f"a benchmark imports another module's private name: {offending}"
