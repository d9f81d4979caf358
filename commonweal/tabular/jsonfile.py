"""JSON files, their nesting checked before they are parsed (Python's parser recurses once
for every level, so a few kilobytes of brackets would otherwise exhaust its stack)."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from commonweal.tabular.limits import LimitExceeded, Limits, TableError
from commonweal.tabular.sniff import check_size

# A string (whose brackets do not count; possessive, so a string left open is scanned once),
# a quote that opens no complete string, or a run of opening or of closing brackets.
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*+"|"|[\[{]+|[\]}]+')


def json_depth(text: str, stop_above: int) -> int:
    """How deeply the arrays and objects of a JSON text nest (counting up to ``stop_above``
    + 1, where it stops looking)."""
    depth = deepest = 0
    for token in _TOKEN.finditer(text):
        first = token.group()[0]
        if first in "[{":
            depth += token.end() - token.start()
            deepest = max(deepest, depth)
            if deepest > stop_above:
                break
        elif first in "]}":
            depth -= token.end() - token.start()
        elif token.end() - token.start() == 1:
            break  # a string left open: the parser will say where
    return deepest


def read_json(path: Path, name: str, limits: Limits) -> Any:
    """The document a JSON file holds (numbers with a decimal point as ``Decimal``)."""
    check_size(path, name, limits)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TableError(name, f"the file is not JSON written in UTF-8 ({error})") from None
    if json_depth(text, limits.max_json_depth) > limits.max_json_depth:
        raise _too_deep(name, limits)
    try:
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as error:
        raise TableError(
            name,
            f"this is not valid JSON: {error.msg} at line {error.lineno}, character {error.colno}",
        ) from None
    except RecursionError:
        raise _too_deep(name, limits) from None
    except ValueError as error:
        raise TableError(name, f"this is not valid JSON ({error})") from None


def _too_deep(name: str, limits: Limits) -> LimitExceeded:
    return LimitExceeded(
        name,
        f"the JSON nests more than {limits.max_json_depth} levels deep",
        limit="max_json_depth",
    )
