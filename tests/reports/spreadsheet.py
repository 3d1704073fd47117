"""A CSV file as a spreadsheet opens it: Python's csv module splits the cells, and a text cell that begins with `=`,
`+`, `-`, `@`, a tab or a carriage return is one a spreadsheet would evaluate (OWASP's CSV injection rule)."""

from __future__ import annotations

import csv
import io
import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"-?\d+(\.\d+)?")  # a number is read as a number, a negative one too


def cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def records(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def live_formulas(text: str) -> list[str]:
    """Every cell of the file that a spreadsheet would run as a formula."""
    return [c for row in cells(text) for c in row if c.startswith(FORMULA_START) and not NUMBER.fullmatch(c)]
