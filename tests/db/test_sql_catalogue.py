"""docs/sql-functions.md lists every `greenroom_*` PostgreSQL function, and says rightly which bypass row-level
security.

A SECURITY DEFINER function sees every tenant; the catalogue is where each one's reason is written down. These
tests fail when a function exists that the catalogue does not list (in the migrations' text or in the migrated
database), when the catalogue lists one that does not exist, or when a row's arguments, SECURITY DEFINER flag or
migration is wrong; and when a SECURITY DEFINER function forgets the rules every one of them keeps.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.db.rls import APP_ROLE
from tests.support.database import Db

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "docs" / "sql-functions.md"
MIGRATIONS = ROOT / "migrations" / "versions"

# | `greenroom_x(p_a text)` | yes | `0003_row_level_security` | …
ROW = re.compile(r"^\|\s*`(greenroom_\w+)\((.*?)\)`\s*\|\s*(yes|no)\s*\|\s*`(\d{4}_\w+)`\s*\|", re.MULTILINE)
# From `create [or replace] function name(` to the body's opening `$$`: arguments, result, language, options.
CREATE = re.compile(r"create\s+(?:or\s+replace\s+)?function\s+(greenroom_\w+)\s*\((.*?)\$\$", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Entry:
    arguments: str
    definer: bool
    migration: str


def catalogue() -> dict[str, Entry]:
    entries: dict[str, Entry] = {}
    for name, arguments, definer, migration in ROW.findall(CATALOGUE.read_text()):
        assert name not in entries, f"{name} is listed twice in {CATALOGUE.name}"
        entries[name] = Entry(arguments, definer == "yes", migration)
    assert entries, f"no catalogue rows found in {CATALOGUE.name}: has the table's layout changed?"
    return entries


def created_by_migrations() -> dict[str, tuple[str, bool]]:
    """Each function's last definition in the migrations' upgrade() text (file order is revision order): the
    migration and whether it is SECURITY DEFINER."""
    last: dict[str, tuple[str, bool]] = {}
    for path in sorted(MIGRATIONS.glob("[0-9][0-9][0-9][0-9]_*.py")):
        upgrade = path.read_text().split("\ndef downgrade", 1)[0]
        for name, header in CREATE.findall(upgrade):
            last[name] = (path.stem, bool(re.search(r"security\s+definer", header, re.IGNORECASE)))
    return last


def in_database(db: Db) -> dict[str, dict[str, Any]]:
    rows = db.fetch(
        """select p.proname as name, pg_get_function_identity_arguments(p.oid) as arguments,
                  p.prosecdef as definer, p.proconfig as config, p.proacl::text[] as acl,
                  has_function_privilege($1, p.oid, 'execute') as app_may_execute
           from pg_proc p join pg_namespace n on n.oid = p.pronamespace
           where n.nspname = 'public' and p.proname like 'greenroom\\_%'""",
        APP_ROLE,
    )
    names = [r["name"] for r in rows]
    assert len(names) == len(set(names)), (
        f"an overloaded greenroom_* function: the catalogue has one row per name: {names}"
    )
    return {r["name"]: r for r in rows}


def test_the_catalogue_lists_what_the_migrations_create() -> None:
    listed, created = catalogue(), created_by_migrations()
    assert sorted(created.keys() - listed.keys()) == [], f"created by a migration, missing from {CATALOGUE.name}"
    assert sorted(listed.keys() - created.keys()) == [], f"in {CATALOGUE.name}, created by no migration"
    for name, (migration, definer) in created.items():
        assert listed[name].migration == migration, f"{name} is last defined in {migration}"
        assert listed[name].definer == definer, f"{name}: SECURITY DEFINER is {'yes' if definer else 'no'}"


def test_the_catalogue_lists_what_the_migrated_database_has(db: Db) -> None:
    listed, present = catalogue(), in_database(db)
    assert sorted(present.keys() - listed.keys()) == [], f"in the database, missing from {CATALOGUE.name}"
    assert sorted(listed.keys() - present.keys()) == [], f"in {CATALOGUE.name}, not in the database"
    for name, row in present.items():
        assert listed[name].arguments == row["arguments"], f"{name}: the database's arguments are {row['arguments']}"
        assert listed[name].definer == row["definer"], (
            f"{name}: SECURITY DEFINER is {'yes' if row['definer'] else 'no'}"
        )


def test_every_security_definer_function_pins_its_search_path_and_only_the_app_role_may_call_it(db: Db) -> None:
    for name, row in in_database(db).items():
        if not row["definer"]:
            continue
        assert "search_path=public" in (row["config"] or []), f"{name}: SECURITY DEFINER without a fixed search_path"
        assert row["app_may_execute"], f"{name}: {APP_ROLE} may not execute it"
        # An ACL entry for PUBLIC reads "=X/owner"; no ACL at all means PostgreSQL's default, EXECUTE for PUBLIC.
        acl = row["acl"] or ["=X/(default)"]
        assert not [a for a in acl if a.startswith("=")], f"{name}: EXECUTE is not revoked from PUBLIC: {acl}"


APP = ROOT / "app"
# The "called from" cell: the row's fourth column, up to the next `|`.
CALLERS = re.compile(r"^\|\s*`(greenroom_\w+)\(.*?\)`\s*\|[^|]*\|[^|]*\|([^|]*)\|", re.MULTILINE)


def sql_strings(path: Path) -> str:
    """Every string literal of a module except its docstrings: where SQL lives."""
    tree = ast.parse(path.read_text())
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return "\n".join(
        n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings
    )


def test_the_catalogue_names_who_calls_each_function() -> None:
    """Each module of app/ whose SQL names a function is in its "called from" cell, and each module the cell names
    (outside parentheses) has it in its SQL. A function named only by other functions or policies lists none."""
    callers: dict[str, set[str]] = {}
    for path in sorted(APP.rglob("*.py")):
        text = sql_strings(path)
        for name in set(re.findall(r"\b(greenroom_\w+)\s*\(", text)):
            callers.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    # The modules named outside parentheses are the callers; a parenthesis may say who uses them.
    listed = {
        name: set(re.findall(r"app/[\w/]+\.py", re.sub(r"\([^)]*\)", "", cell)))
        for name, cell in CALLERS.findall(CATALOGUE.read_text())
    }
    wrong = []
    for name, cell in listed.items():
        missing = callers.get(name, set()) - cell
        if missing:
            wrong.append(f"{name}: called from {sorted(missing)}, not listed")
        for path in cell:
            if path not in callers.get(name, set()):
                wrong.append(f"{name}: listed as called from {path}, whose SQL does not name it")
    assert not wrong, "\n".join(wrong)
