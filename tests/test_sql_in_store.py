"""Only counter/store/ knows the tables: no other module of the counter (or its sync client) holds SQL
that names one. The table names come from a real database created by the migrations."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from counter.store import open_store

ROOT = Path(__file__).resolve().parent.parent
SCANNED = [ROOT / "counter", ROOT / "sync"]
ALLOWED = [ROOT / "counter" / "store", ROOT / "sync" / "hub"]
"""The counter's store, and the hub's own database package (its tables are not the counter's)."""
VERBS = r"\b(SELECT|INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|WITH)\b"


def table_names(tmp_path: Path) -> set[str]:
    """Every table, virtual table and view of a freshly migrated counter database."""
    store = open_store(tmp_path / "counter.db", encrypt=False)
    try:
        with store.read() as session:
            rows = session.connection().exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'")
            return {str(row[0]) for row in rows}
    finally:
        store.close()


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the string constants that are docstrings (prose, not SQL)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def sql_naming_tables(path: Path, tables: set[str]) -> list[str]:
    """The string literals of one module that read like SQL and name a table (f-strings by their text parts)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    prose = _docstrings(tree)
    names = "|".join(sorted(map(re.escape, tables), key=len, reverse=True))
    naming = re.compile(rf"\b(FROM|JOIN|INTO|UPDATE|TABLE|ON)\s+[\"'`]?({names})\b", re.IGNORECASE)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in prose:
            text = node.value
        else:
            continue
        if re.search(VERBS, text) and naming.search(text):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {text.strip()[:70]}")
    return found


def test_only_the_store_holds_sql_naming_a_table(tmp_path: Path) -> None:
    """counter/store/ is the one package that spells out SQL on the counter's tables."""
    tables = table_names(tmp_path)
    assert {"dossier", "dossier_event", "audit_log", "citizen", "sync_state"} <= tables
    offenders = [hit for folder in SCANNED for path in sorted(folder.rglob("*.py"))
                 if not any(path.is_relative_to(allowed) for allowed in ALLOWED)
                 for hit in sql_naming_tables(path, tables)]
    assert offenders == []


def test_the_check_sees_sql_where_it_is(tmp_path: Path) -> None:
    """The same check finds the store's own statements (so an empty list above means something)."""
    tables = table_names(tmp_path)
    store = sorted((ROOT / "counter" / "store").rglob("*.py"))
    hits = [hit for path in store for hit in sql_naming_tables(path, tables)]
    assert any("dump.py" in hit for hit in hits) and any("migrations.py" in hit for hit in hits)
