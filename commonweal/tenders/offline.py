"""Read a bidder's filled-in offer workbook, reporting every problem by sheet, row and column,
and save it as the offer's draft (in a background job: a workbook is never read while the web
request waits)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl.utils import get_column_letter

from commonweal.accounts.models import User
from commonweal.commissioning.selectors import chosen_measures
from commonweal.commissioning.tender_pack import (
    ACTIVITY_COLUMN,
    ANSWERS_SHEET,
    FIXED_COLUMNS,
    PEOPLE_COLUMN,
    QUANTITIES_SHEET,
    WORKFORCE_LABEL,
    WORKFORCE_SHEET,
)
from commonweal.core.exports import original
from commonweal.core.jobs import JobError
from commonweal.core.models import Job
from commonweal.core.uploads import upload_forget, upload_limits
from commonweal.tabular import Limits, TableError, file_head, open_workbook, workbook_format
from commonweal.tenders import services
from commonweal.tenders.models import Offer


@dataclass(frozen=True)
class WorkbookProblem:
    sheet: str
    row: int | None
    column: str | None
    message: str
    whole_file: bool = False
    """The problem is with the file as a whole: ``sheet`` is then the file's name."""

    def __str__(self) -> str:
        where = [self.sheet if self.whole_file else f"sheet '{self.sheet}'"]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}"


@dataclass(frozen=True)
class WorkbookOffer:
    quantities: dict[tuple[str, int], Decimal]
    answers: dict[int, str]
    people: dict[str, str] = field(default_factory=dict)
    """By measure code: the bidder's references for the people a job measure is about."""
    activities: dict[str, str] = field(default_factory=dict)
    workforce_fte: Decimal | None = None


class WorkbookProblems(ValueError):
    def __init__(self, problems: list[WorkbookProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


def read_offer_workbook(
    path: Path,
    name: str,
    limits: Limits,
    *,
    units: Mapping[str, str],
    contract_years: int,
    question_ids: list[int],
) -> WorkbookOffer:
    """Quantities keyed by (measure code, contract year), answers keyed by question id.

    Raises WorkbookProblems listing every problem found; the caller saves nothing then.
    """
    problems: list[WorkbookProblem] = []
    quantities: dict[tuple[str, int], Decimal] = {}
    answers: dict[int, str] = {}
    people: dict[str, str] = {}
    activities: dict[str, str] = {}
    workforce: list[Decimal] = []
    try:
        if workbook_format(file_head(path, name, limits)) is None:
            raise WorkbookProblems(
                [
                    WorkbookProblem(
                        name,
                        None,
                        None,
                        "is not an Excel workbook (.xlsx); download the offer workbook and "
                        "fill that in",
                        whole_file=True,
                    )
                ]
            )
        with open_workbook(path, name, limits) as worksheets:
            sheets = {sheet.title: sheet for sheet in worksheets}
            if QUANTITIES_SHEET not in sheets:
                problems.append(
                    WorkbookProblem(
                        QUANTITIES_SHEET,
                        None,
                        None,
                        f"{name} has no sheet called '{QUANTITIES_SHEET}'; sheets found: "
                        f"{', '.join(sheets)}",
                    )
                )
            else:
                rows = list(sheets[QUANTITIES_SHEET].rows())
                _read_quantities(rows, units, contract_years, quantities, problems)
                _read_details(rows, units, people, activities)
            # Workbooks downloaded before the sheet existed have none; the page asks instead.
            if WORKFORCE_SHEET in sheets:
                _read_workforce(list(sheets[WORKFORCE_SHEET].rows()), workforce, problems)
            if ANSWERS_SHEET in sheets:
                rows = list(sheets[ANSWERS_SHEET].rows())
                _read_answers(rows, question_ids, answers, problems)
            elif question_ids:
                problems.append(
                    WorkbookProblem(
                        ANSWERS_SHEET,
                        None,
                        None,
                        f"{name} has no sheet called '{ANSWERS_SHEET}'",
                    )
                )
    except TableError as problem:
        raise WorkbookProblems(
            [WorkbookProblem(name, problem.row, problem.column, problem.problem, whole_file=True)]
        ) from None
    if problems:
        raise WorkbookProblems(problems)
    return WorkbookOffer(
        quantities, answers, people, activities, workforce[0] if workforce else None
    )


def _read_details(
    rows: list[list[str]],
    units: Mapping[str, str],
    people: dict[str, str],
    activities: dict[str, str],
) -> None:
    """The people and activity columns, found by heading (older workbooks have neither)."""
    header = [cell.strip() for cell in (rows[0] if rows else ())]
    columns = {
        name: header.index(name) for name in (PEOPLE_COLUMN, ACTIVITY_COLUMN) if name in header
    }
    for row in rows[1:]:
        code = row[0].strip() if row else ""
        if code not in units:
            continue  # reported by _read_quantities
        for name, found in ((PEOPLE_COLUMN, people), (ACTIVITY_COLUMN, activities)):
            index = columns.get(name)
            value = row[index].strip() if index is not None and index < len(row) else ""
            if value and value != "not asked":
                found[code] = original(value)  # as it was before the download made it safe


def _read_workforce(
    rows: list[list[str]], workforce: list[Decimal], problems: list[WorkbookProblem]
) -> None:
    for row_number, row in enumerate(rows[1:], start=2):
        cells = [cell.strip() for cell in row] + ["", ""]
        if cells[0] != WORKFORCE_LABEL or not cells[1]:
            continue
        try:
            fte = Decimal(cells[1].replace(",", ""))
        except InvalidOperation:
            fte = Decimal("NaN")
        if not fte.is_finite() or fte < 0:
            problems.append(
                WorkbookProblem(
                    WORKFORCE_SHEET,
                    row_number,
                    "B",
                    f"'{cells[1]}' is not a workforce; enter the full-time equivalents delivering "
                    "the contract as a number, like 12.5",
                )
            )
            return
        workforce.append(fte)
        return


def _read_quantities(
    rows: list[list[str]],
    units: Mapping[str, str],
    contract_years: int,
    quantities: dict[tuple[str, int], Decimal],
    problems: list[WorkbookProblem],
) -> None:
    expected = [*FIXED_COLUMNS, *(f"Year {y}" for y in range(1, contract_years + 1))]
    header = [cell.strip() for cell in (rows[0] if rows else ())]
    if header[: len(expected)] != expected:
        problems.append(
            WorkbookProblem(
                QUANTITIES_SHEET,
                1,
                None,
                f"the headings must be {', '.join(expected)}; found {', '.join(h for h in header if h) or 'none'}",
            )
        )
        return
    seen: set[str] = set()
    for row_number, row in enumerate(rows[1:], start=2):
        cells = [cell.strip() for cell in row] + [""] * (len(expected) - len(row))
        code = cells[0]
        if not code and not any(cells[3 : len(expected)]):
            continue
        if code not in units:
            problems.append(
                WorkbookProblem(
                    QUANTITIES_SHEET,
                    row_number,
                    "A",
                    f"'{code}' is not a measure of this tender; the measures are {', '.join(units)}",
                )
            )
            continue
        if code in seen:
            problems.append(
                WorkbookProblem(
                    QUANTITIES_SHEET, row_number, "A", f"measure {code} appears more than once"
                )
            )
            continue
        seen.add(code)
        for year in range(1, contract_years + 1):
            column = 3 + year
            value = cells[column - 1]
            if not value:
                continue
            letter = get_column_letter(column)
            try:
                quantity = Decimal(value.replace(",", ""))
            except InvalidOperation:
                problems.append(
                    WorkbookProblem(
                        QUANTITIES_SHEET,
                        row_number,
                        letter,
                        f"'{value}' is not a number; enter the quantity of {units[code]} for "
                        f"{code} in year {year} as a number, like 12.5",
                    )
                )
                continue
            if not quantity.is_finite() or quantity < 0:
                problems.append(
                    WorkbookProblem(
                        QUANTITIES_SHEET,
                        row_number,
                        letter,
                        f"{value} is below 0; enter 0 or more {units[code]}",
                    )
                )
                continue
            quantities[(code, year)] = quantity


def _read_answers(
    rows: list[list[str]],
    question_ids: list[int],
    answers: dict[int, str],
    problems: list[WorkbookProblem],
) -> None:
    for row_number, row in enumerate(rows[1:], start=2):
        cells = [cell.strip() for cell in row] + ["", "", ""]
        if not cells[0] and not cells[2]:
            continue
        try:
            number = int(cells[0])
        except ValueError:
            problems.append(
                WorkbookProblem(
                    ANSWERS_SHEET, row_number, "A", f"'{cells[0]}' is not a question number"
                )
            )
            continue
        if not 1 <= number <= len(question_ids):
            problems.append(
                WorkbookProblem(
                    ANSWERS_SHEET,
                    row_number,
                    "A",
                    f"there is no question {number}; questions run from 1 to {len(question_ids)}",
                )
            )
            continue
        # An answer beginning "-" went out as "'-" (core.exports); it comes back as written.
        answers[question_ids[number - 1]] = original(cells[2])


def offer_workbook_import(*, offer: Offer, path: Path, name: str, by: User) -> Offer:
    """Save a filled-in offer workbook as the offer's draft: every quantity it gives (a
    measure and year it leaves empty is cleared) and every answer. Raises WorkbookProblems,
    or ValidationError from the service, having saved nothing."""
    procurement = offer.tender.procurement
    measures = chosen_measures(procurement)
    parsed = read_offer_workbook(
        path,
        name,
        upload_limits(),
        units={m.code: m.unit for m in measures if m.value_type != "qualitative"},
        contract_years=procurement.contract_years,
        question_ids=list(procurement.questions.values_list("pk", flat=True)),
    )
    quantities: dict[tuple[str, int], Decimal | None] = {
        (m.code, year): None for m in measures for year in range(1, procurement.contract_years + 1)
    }
    quantities.update(parsed.quantities)
    return services.offer_save_draft(
        offer=offer,
        by=by,
        quantities=quantities,
        answers=parsed.answers,
        workforce_fte=parsed.workforce_fte,
        people=parsed.people,
        activities=parsed.activities,
    )


def offer_workbook_import_job(*, job: Job, offer_id: int, path: str, name: str, by_id: int) -> str:
    """The background job of a workbook upload: the draft saved, or every problem listed."""
    offer = Offer.objects.select_related("tender__procurement").get(pk=offer_id)
    retry = reverse("tenders:offer-upload", args=[offer.tender_id])
    try:
        offer_workbook_import(
            offer=offer, path=Path(path), name=name, by=User.objects.get(pk=by_id)
        )
    except WorkbookProblems as found:
        raise JobError.listing(found.problems, retry_url=retry) from found
    except ValidationError as problem:
        raise JobError.listing(problem.messages, retry_url=retry) from problem
    finally:
        upload_forget(Path(path))
    return reverse("tenders:offer-check", args=[offer.tender_id])
