"""Import a contracts register from a CSV file or a workbook: every problem found, or
everything written.

One row per commitment per contract year. Contract columns repeat on each row of a contract;
a row with no measure code is a contract without commitments. Rows are grouped by reference.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from commonweal.accounts.models import Organisation, User
from commonweal.accounts.roles import COUNCIL_ROLES, OrganisationKind
from commonweal.contracts.models import Contract, ContractSource
from commonweal.contracts.services import WRITTEN_MEASURE, CommitmentInput, contract_create
from commonweal.core.jobs import JobError
from commonweal.core.models import Job
from commonweal.core.uploads import upload_forget, upload_limits
from commonweal.frameworks.models import LocalMeasureSetVersion, Measure
from commonweal.tabular import TableError, read_table
from commonweal.valuation import ValueType

COLUMNS = (
    "reference",
    "title",
    "supplier",
    "value",
    "start_date",
    "end_date",
    "directorate",
    "contract_manager_email",
    "measure_code",
    "contract_year",
    "quantity",
)
REQUIRED = ("reference", "title", "supplier", "value", "start_date", "end_date")


@dataclass(frozen=True)
class ImportProblem:
    row: int
    column: str
    message: str


@dataclass
class PlannedContract:
    reference: str
    title: str
    supplier: Organisation
    value_pence: int
    start_date: date
    end_date: date
    directorate: str
    contract_manager: User | None
    first_row: int
    quantities: dict[int, dict[int, Decimal]] = field(default_factory=dict)
    """Quantities by measure id, then by contract year."""


@dataclass
class ImportPlan:
    contracts: list[PlannedContract]
    problems: list[ImportProblem]
    measures: dict[int, Measure]


#: The key under which a row keeps cells standing beyond the header's columns.
EXTRA_CELLS = "\x00extra"


def read_rows(path: Path, name: str) -> list[dict[str, str]]:
    """The file's data rows as dicts keyed by lower-case column names, one for each row below
    the header (a blank row is kept, empty, so a row's place in the list is its row number
    less two). A CSV in any encoding and delimiter, or the first worksheet with rows of a
    workbook. Raises ``TableError`` naming the file (and row and column) it cannot be read."""
    records = read_table(path, name, upload_limits()).rows
    if not records:
        return []
    header = [cell.strip().lower() for cell in records[0]]
    rows = []
    for record in records[1:]:
        cells = [cell.strip() for cell in record]
        row = dict(zip(header, cells, strict=False))
        row.pop("", None)
        row.update({column: "" for column in header[len(cells) :] if column})
        if extra := [cell for cell in cells[len(header) :] if cell]:
            row[EXTRA_CELLS] = extra[0]
        rows.append(row)
    return rows


def _parse_date(text: str) -> date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date; write it like 2025-04-01 or 01/04/2025")


def _parse_decimal(text: str) -> Decimal:
    try:
        number = Decimal(text.replace(",", "").replace("£", ""))
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a number") from None
    if not number.is_finite():
        raise ValueError(f"{text!r} is not a number")
    return number


def plan_import(
    rows: list[dict[str, str]],
    *,
    council: Organisation,
    measure_set_version: LocalMeasureSetVersion,
) -> ImportPlan:
    """Check every row and column; return the contracts to create and every problem found."""
    problems: list[ImportProblem] = []
    if any(any(row.values()) for row in rows):
        missing = [column for column in REQUIRED if column not in rows[0]]
        for column in missing:
            problems.append(ImportProblem(1, column, "This column is missing from the header"))
        if missing:
            return ImportPlan([], problems, {})
    else:
        problems.append(ImportProblem(1, "", "The file has no rows of data"))
        return ImportPlan([], problems, {})

    measures = {
        m.code.upper(): m
        for m in Measure.objects.filter(pk__in=measure_set_version.items.values("measure_id"))
    }
    existing = set(Contract.objects.filter(council=council).values_list("reference", flat=True))
    suppliers = list(Organisation.objects.filter(kind=OrganisationKind.SUPPLIER))
    by_name = {s.name.lower(): s for s in suppliers}
    by_number = {s.company_number: s for s in suppliers if s.company_number}
    managers = {
        u.email.lower(): u
        for u in User.objects.filter(
            memberships__organisation=council, memberships__role__in=COUNCIL_ROLES
        )
    }
    planned: dict[str, PlannedContract] = {}
    for number, row in enumerate(rows, start=2):

        def problem(column: str, message: str, number: int = number) -> None:
            problems.append(ImportProblem(number, column, message))

        if not any(row.values()):
            continue
        if EXTRA_CELLS in row:
            problem(
                "",
                f"The row has more cells than the header has columns (extra value "
                f"{row[EXTRA_CELLS]!r}); put a value with a comma in it in quotes, or give the "
                "column a heading",
            )
            continue

        reference = row.get("reference", "")
        if not reference:
            problem("reference", "Enter the contract reference")
            continue
        contract = planned.get(reference)
        if contract is None:
            if reference in existing:
                problem("reference", f"A contract with reference {reference} already exists")
                continue
            parsed: dict[str, Any] = {}
            for column in REQUIRED:
                if not row.get(column):
                    problem(column, f"Enter the {column.replace('_', ' ')}")
            supplier_text = row.get("supplier", "")
            supplier = by_number.get(supplier_text.upper()) or by_name.get(supplier_text.lower())
            if supplier_text and supplier is None:
                problem(
                    "supplier",
                    f"No registered supplier is called or has company number {supplier_text!r}",
                )
            for column in ("start_date", "end_date"):
                if row.get(column):
                    try:
                        parsed[column] = _parse_date(row[column])
                    except ValueError as error:
                        problem(column, str(error))
            if row.get("value"):
                try:
                    value = _parse_decimal(row["value"])
                    if value <= 0:
                        raise ValueError("The contract value must be above £0")
                    parsed["value_pence"] = int((value * 100).to_integral_value())
                except ValueError as error:
                    problem("value", str(error))
            if (
                "start_date" in parsed
                and "end_date" in parsed
                and parsed["end_date"] < parsed["start_date"]
            ):
                problem("end_date", "The end date is before the start date")
            email = row.get("contract_manager_email", "").lower()
            manager = managers.get(email) if email else None
            if email and manager is None:
                problem("contract_manager_email", f"{email} is not a member of {council.name}")
            if supplier is None or len(parsed) < 3 or not row.get("title"):
                continue
            contract = PlannedContract(
                reference=reference,
                title=row["title"],
                supplier=supplier,
                value_pence=parsed["value_pence"],
                start_date=parsed["start_date"],
                end_date=parsed["end_date"],
                directorate=row.get("directorate", ""),
                contract_manager=manager,
                first_row=number,
            )
            planned[reference] = contract
        code = row.get("measure_code", "").upper()
        if not code:
            continue
        measure = measures.get(code)
        if measure is None:
            problem("measure_code", f"{code} is not a measure of {measure_set_version}")
            continue
        if measure.value_type == ValueType.QUALITATIVE:
            problem("measure_code", WRITTEN_MEASURE.format(code=code))
            continue
        try:
            year = int(row.get("contract_year", ""))
            if year < 1:
                raise ValueError
        except ValueError:
            problem("contract_year", "Enter the contract year as a whole number from 1, like 2")
            continue
        try:
            quantity = _parse_decimal(row.get("quantity", ""))
        except ValueError as error:
            problem("quantity", str(error))
            continue
        by_year = contract.quantities.setdefault(measure.pk, {})
        if year in by_year:
            problem("contract_year", f"{code} already has a quantity for year {year}")
            continue
        by_year[year] = quantity
    return ImportPlan(list(planned.values()), problems, {m.pk: m for m in measures.values()})


def carry_out_import(
    plan: ImportPlan,
    *,
    council: Organisation,
    measure_set_version: LocalMeasureSetVersion,
    price_year: int,
    by: User,
) -> list[Contract]:
    """Create every planned contract in one transaction; any problem leaves nothing written.

    Problems the services find (for example a year after the contract ends) are raised as
    ImportFailed naming the row of the contract.
    """
    created: list[Contract] = []
    problems: list[ImportProblem] = []
    with transaction.atomic():
        for planned in plan.contracts:
            try:
                created.append(
                    contract_create(
                        council=council,
                        supplier=planned.supplier,
                        title=planned.title,
                        reference=planned.reference,
                        value_pence=planned.value_pence,
                        start_date=planned.start_date,
                        end_date=planned.end_date,
                        directorate=planned.directorate,
                        contract_manager=planned.contract_manager,
                        measure_set_version=measure_set_version,
                        price_year=price_year,
                        commitments=[
                            CommitmentInput(plan.measures[measure_id], by_year)
                            for measure_id, by_year in planned.quantities.items()
                        ],
                        source=ContractSource.IMPORT,
                        by=by,
                    )
                )
            except ValidationError as error:
                for column, messages in error.message_dict.items():
                    for message in messages:
                        problems.append(ImportProblem(planned.first_row, column, message))
        if problems:
            transaction.set_rollback(True)
            raise ImportFailed(problems)
    return created


class ImportFailed(Exception):
    def __init__(self, problems: list[ImportProblem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problems")


# Registers read once and kept for the next step --------------------------------------------


def rows_keep(path: Path, name: str) -> list[dict[str, str]]:
    """Read an uploaded register and keep its rows beside it (``rows.json``), so that the
    check and the import read them rather than the file. Raises ``TableError``."""
    rows = read_rows(path, name)
    (path.parent / "rows.json").write_text(json.dumps(rows), encoding="utf-8")
    return rows


def rows_kept(path: Path) -> list[dict[str, str]] | None:
    """The rows ``rows_keep`` kept for the upload at ``path``; None when there are none."""
    kept = path.parent / "rows.json"
    if not kept.is_file():
        return None
    rows: list[dict[str, str]] = json.loads(kept.read_text(encoding="utf-8"))
    return rows


def _problem_lines(problems: list[ImportProblem]) -> list[str]:
    return [
        f"row {problem.row}"
        + (f", column {problem.column}" if problem.column else "")
        + f": {problem.message}"
        for problem in problems
    ]


def register_check_job(*, job: Job, path: str, name: str, council_id: int, version_id: int) -> str:
    """The background job of the upload step: read and check the register; the check page
    next, or every problem listed."""
    upload = Path(path)
    retry = reverse("contracts:import")
    try:
        rows = rows_keep(upload, name)
    except TableError as problem:
        upload_forget(upload)
        raise JobError(str(problem), retry_url=retry) from problem
    plan = plan_import(
        rows,
        council=Organisation.objects.get(pk=council_id),
        measure_set_version=LocalMeasureSetVersion.objects.get(pk=version_id),
    )
    if plan.problems:
        upload_forget(upload)
        raise JobError.listing(_problem_lines(plan.problems), retry_url=retry)
    return reverse("contracts:import-check")


def register_import_job(
    *,
    job: Job,
    path: str,
    council_id: int,
    version_id: int,
    price_year: int,
    by_id: int,
) -> str:
    """The background job of the confirm step: create every contract, or none."""
    upload = Path(path)
    council = Organisation.objects.get(pk=council_id)
    version = LocalMeasureSetVersion.objects.get(pk=version_id)
    plan = plan_import(rows_kept(upload) or [], council=council, measure_set_version=version)
    try:
        if plan.problems:
            raise ImportFailed(plan.problems)
        carry_out_import(
            plan,
            council=council,
            measure_set_version=version,
            price_year=price_year,
            by=User.objects.get(pk=by_id),
        )
    except ImportFailed as failure:
        raise JobError.listing(
            _problem_lines(failure.problems), retry_url=reverse("contracts:import")
        ) from failure
    finally:
        upload_forget(upload)
    return reverse("contracts:list")
