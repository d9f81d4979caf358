"""The valuation package's names are imported when first used, from the table in its
__init__; the table must say what the type checkers' imports say, or a name would be missing
at run time only."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import commonweal.valuation as valuation


def _type_checking_imports() -> dict[str, str]:
    tree = ast.parse(Path(valuation.__file__).read_text())
    block = next(
        node
        for node in tree.body
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING"
    )
    names = {}
    for node in block.body:
        assert isinstance(node, ast.ImportFrom)
        for alias in node.names:
            home = node.module
            if home == "commonweal.valuation":
                home = f"commonweal.valuation.{alias.name}"
            names[alias.asname or alias.name] = home
    return names


def test_the_table_of_homes_is_the_type_checkers_imports():
    assert _type_checking_imports() == valuation._HOMES


def test_every_exported_name_resolves():
    assert set(valuation.__all__) <= set(valuation._HOMES)
    for name in valuation._HOMES:
        assert getattr(valuation, name) is not None


def test_importing_the_package_imports_none_of_its_modules():
    code = (
        "import sys, commonweal.valuation.tags; "
        "print(sorted(m for m in sys.modules if m.startswith('commonweal.valuation.')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "['commonweal.valuation.tags']"


def test_an_unknown_name_is_an_attribute_error():
    try:
        valuation.no_such_name  # noqa: B018
    except AttributeError as error:
        assert "no_such_name" in str(error)
    else:
        raise AssertionError("an unknown name resolved")
