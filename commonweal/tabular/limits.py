"""How much of an uploaded table Commonweal will read, and the problems a reader reports.

Every limit is checked as early as it can be: the file's size before it is opened, a
workbook's unpacked size and the extent of its worksheets before a worksheet is loaded, the
nesting of a JSON file before it is parsed, and rows, columns and cell lengths as each record
is read, so that nothing larger than the limits is ever held in memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

_MiB = 1024**2


@dataclass(frozen=True)
class Limits:
    """The most an uploaded table may hold. Each limit is a setting (its name is in the
    field's ``setting`` metadata) so that a council can raise one for an unusual file."""

    max_bytes: int = field(default=256 * _MiB, metadata={"setting": "COMMONWEAL_UPLOAD_MAX_BYTES"})
    #: A zipped workbook (.xlsx, .xlsm, .ods) once unpacked: a small file can unpack to far more.
    max_unpacked_bytes: int = field(
        default=1024 * _MiB, metadata={"setting": "COMMONWEAL_UPLOAD_MAX_UNPACKED_BYTES"}
    )
    #: Rows of one table: a CSV file, or one worksheet (the most a spreadsheet holds).
    max_rows: int = field(default=1_048_576, metadata={"setting": "COMMONWEAL_UPLOAD_MAX_ROWS"})
    #: Columns of any row; no spend, contracts or framework file needs more than a few dozen.
    max_columns: int = field(default=500, metadata={"setting": "COMMONWEAL_UPLOAD_MAX_COLUMNS"})
    #: Rows times columns of a worksheet's used range: a workbook reader holds all of its
    #: cells at once (about 32 bytes each), and a few cells far apart span millions.
    max_cells: int = field(default=20_000_000, metadata={"setting": "COMMONWEAL_UPLOAD_MAX_CELLS"})
    #: Characters in one cell (the most an Excel cell holds).
    max_cell_characters: int = field(
        default=32_767, metadata={"setting": "COMMONWEAL_UPLOAD_MAX_CELL_CHARACTERS"}
    )
    #: Levels of nesting in a JSON file (a Commonweal export uses four).
    max_json_depth: int = field(
        default=32, metadata={"setting": "COMMONWEAL_UPLOAD_MAX_JSON_DEPTH"}
    )

    def __post_init__(self) -> None:
        for limit in fields(self):
            value = getattr(self, limit.name)
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"{limit.metadata['setting']} must be a whole number above 0")

    @staticmethod
    def setting(name: str) -> str:
        """The setting that holds the limit ``name`` (a field of this class)."""
        return str(next(f.metadata["setting"] for f in fields(Limits) if f.name == name))


class TableError(ValueError):
    """A file cannot be read as a table. ``file`` names it; ``row`` (a spreadsheet row, from
    1) and ``column`` (a spreadsheet letter, or a worksheet's title and letter) say where, when
    the problem is in one place; ``problem`` says what is wrong and how to put it right."""

    def __init__(
        self, file: str, problem: str, *, row: int | None = None, column: str | None = None
    ) -> None:
        self.file = file
        self.problem = problem
        self.row = row
        self.column = column
        super().__init__(f"{file}: {self.where}{problem}")

    @property
    def where(self) -> str:
        """ "row 3, column C: " (empty when the problem is with the whole file)."""
        places = []
        if self.row is not None:
            places.append(f"row {self.row}")
        if self.column is not None:
            places.append(f"column {self.column}")
        return f"{', '.join(places)}: " if places else ""


class LimitExceeded(TableError):
    """A file goes beyond one of the ``Limits``; ``limit`` is the field's name."""

    def __init__(
        self,
        file: str,
        problem: str,
        *,
        limit: str,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.limit = limit
        super().__init__(
            file, f"{problem} (the limit is set by {Limits.setting(limit)})", row=row, column=column
        )


def size_text(size: int) -> str:
    """A number of bytes as people say it: "600 KB", "135 MB", "1.5 GB"."""
    if size >= 1024**3:
        return f"{size / 1024**3:.1f} GB"
    if size >= _MiB:
        return f"{size / _MiB:,.0f} MB"
    return f"{max(1, round(size / 1024)):,} KB"
