"""`commonweal framework …`: import, export, value commitments with, and load shipped frameworks;
import deflator and carbon series."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.template.defaultfilters import pluralize

from commonweal import valuation
from commonweal.accounts.models import Organisation
from commonweal.accounts.selectors import organisation_by_reference
from commonweal.core.commands import CommonwealCommand
from commonweal.frameworks import exporting
from commonweal.frameworks.content import load_shipped_frameworks
from commonweal.frameworks.engine_inputs import (
    carbon_rule,
    deflator_series_for,
    measure_specs_for,
)
from commonweal.frameworks.importing import (
    FIELDS_BY_NAME,
    CellProblem,
    FrameworkImportError,
    ImportProblem,
    Table,
    framework_import,
    parse_decimal,
    read_table,
    suggest_mapping,
)
from commonweal.frameworks.models import (
    CarbonSeries,
    DeflatorSeries,
    FrameworkVersion,
    SourcedSeries,
)
from commonweal.frameworks.services import carbon_series_import, deflator_series_import

COMMITMENT_COLUMNS = {
    "measure_code": ("measure code", "measure", "code"),
    "quantity": ("quantity", "amount", "qty"),
    "contract_year": ("year", "contract year"),
    "deadweight": ("deadweight",),
    "attribution": ("attribution",),
}
REQUIRED_COMMITMENT_COLUMNS = ("measure_code", "quantity", "contract_year")


@dataclass(frozen=True)
class _Printer:
    command: CommonwealCommand

    def problems(self, problems: list[ImportProblem]) -> None:
        for problem in problems:
            row = "" if problem.row is None else str(problem.row)
            column = problem.column or ""
            self.command.stderr.write(
                f"row {row or '-'}\tcolumn {column or '-'}\t{problem.message}"
            )

    def not_imported(self, path: Path, error: FrameworkImportError) -> CommandError:
        """Prints every problem of a refused file and gives the error to stop with."""
        self.problems(error.problems)
        count = len(error.problems)
        return CommandError(f"{path.name} was not imported: {count} problem{pluralize(count)}")


class Command(CommonwealCommand):
    help = "Import, export and load measures frameworks, and value commitments with one."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)

        imp = sub.add_parser("import", help="Import a framework version from CSV, XLSX or JSON")
        imp.add_argument("file", type=Path)
        imp.add_argument("--org", required=True, help="The owning organisation's code or id")
        imp.add_argument("--name", required=True)
        imp.add_argument("--slug", required=True)
        imp.add_argument("--publisher", required=True)
        imp.add_argument("--licence", required=True)
        imp.add_argument("--licence-url", default="")
        imp.add_argument("--source-title", default="")
        imp.add_argument("--source-url", default="")
        imp.add_argument("--year", required=True, type=int)
        imp.add_argument("--in-force-from", required=True, type=date.fromisoformat)
        imp.add_argument("--price-base-year", required=True, type=int)
        imp.add_argument(
            "--restricted",
            action="store_true",
            help="Its values may not leave this instance (for example a licensed TOMs set)",
        )
        imp.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="FIELD=HEADING",
            help="Map a field to a column heading; repeat as needed. Others are guessed.",
        )

        deflator = sub.add_parser(
            "import-deflator",
            help="Import a deflator series from CSV or XLSX with year and index columns",
        )
        deflator.add_argument("file", type=Path)
        deflator.add_argument(
            "--org",
            default="",
            help="The owning council's code or id (omit for a series shared with every council)",
        )
        deflator.add_argument("--name", required=True)
        deflator.add_argument("--slug", required=True)
        deflator.add_argument("--source-title", required=True)
        deflator.add_argument("--licence", required=True)
        deflator.add_argument("--source-url", default="")

        carbon = sub.add_parser(
            "import-carbon",
            help="Import a council's carbon values from CSV or XLSX with year and value columns "
            "(£ per tCO2e in the prices of --price-year)",
        )
        carbon.add_argument("file", type=Path)
        carbon.add_argument(
            "--org",
            default="",
            help="The owning council's code or id (omit for a series shared with every council)",
        )
        carbon.add_argument("--name", required=True)
        carbon.add_argument("--slug", required=True)
        carbon.add_argument("--price-year", required=True, type=int)
        carbon.add_argument("--source-title", required=True, help="Who published the values")
        carbon.add_argument("--licence", required=True)
        carbon.add_argument("--source-url", default="")

        exp = sub.add_parser("export", help="Export a framework version")
        self._version_arguments(exp)
        exp.add_argument("--format", required=True, choices=exporting.FORMATS)
        exp.add_argument("--audience", default="owner", choices=("owner", "public"))
        exp.add_argument("--output", type=Path, help="File to write (stdout if omitted)")

        value = sub.add_parser("value", help="Value a CSV of commitments with a framework version")
        self._version_arguments(value)
        value.add_argument("--input", required=True, type=Path)
        value.add_argument("--format", default="json", choices=("json",))
        value.add_argument("--price-year", type=int)
        value.add_argument("--contract-value", type=Decimal, help="In pounds")
        value.add_argument("--contract-years", type=int)
        value.add_argument("--workforce-fte", type=Decimal)
        value.add_argument("--deflator", help="Slug of a deflator series, to re-base values")
        value.add_argument(
            "--series-org",
            default="",
            help="The council whose --deflator or --carbon-series it is, when not --org (a "
            "shipped framework valued with a council's own series)",
        )
        value.add_argument(
            "--carbon-series",
            help="Slug of a carbon series, to value carbon with in place of the DESNZ series",
        )
        value.add_argument(
            "--carbon-path",
            default="central",
            choices=[path.value for path in valuation.CarbonPath],
            help="The DESNZ series' path (default central)",
        )
        value.add_argument(
            "--first-year",
            type=int,
            help="Calendar year of contract year 1, for carbon valued by the year it is saved "
            "in (default: the price year)",
        )

        sub.add_parser("load-shipped", help="Load the frameworks shipped with Commonweal")

    @staticmethod
    def _version_arguments(parser: CommandParser) -> None:
        parser.add_argument("--framework", required=True, help="The framework's short name")
        parser.add_argument("--org", default="", help="Owner's code (omit for shipped frameworks)")
        parser.add_argument("--version", required=True, type=int, help="The version's year")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "import":
            self._import(options)
        elif action == "import-deflator":
            self._import_deflator(options)
        elif action == "import-carbon":
            self._import_carbon(options)
        elif action == "export":
            self._export(options)
        elif action == "value":
            self._value(options)
        else:
            for shipped in load_shipped_frameworks():
                state = "loaded" if shipped.created else "already loaded"
                self.stdout.write(f"{shipped.slug} {shipped.year}: {state}")

    def _organisation(self, reference: str) -> Organisation | None:
        if not reference:
            return None
        organisation = organisation_by_reference(reference)
        if organisation is None:
            raise CommandError(f"No organisation with code or id {reference!r}")
        return organisation

    def _version(self, options: dict[str, Any]) -> FrameworkVersion:
        owner = self._organisation(options["org"])
        version = (
            FrameworkVersion.objects.select_related("framework")
            .filter(
                framework__owner=owner,
                framework__slug=options["framework"],
                year=options["version"],
            )
            .first()
        )
        if version is None:
            whose = f"of {owner.name}" if owner else "shipped with Commonweal"
            raise CommandError(
                f"No framework {options['framework']!r} {whose} has a {options['version']} version"
            )
        return version

    def _import(self, options: dict[str, Any]) -> None:
        owner = self._organisation(options["org"])
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No file at {path}")
        printer = _Printer(self)
        try:
            table = read_table(path, path.name)
            mapping = {
                field: heading
                for field, heading in suggest_mapping(table.headers).items()
                if heading
            }
            for pair in options["map"]:
                field, separator, heading = pair.partition("=")
                if not separator or field.strip() not in FIELDS_BY_NAME:
                    raise CommandError(
                        f"--map {pair!r}: write FIELD=HEADING with FIELD one of "
                        f"{', '.join(FIELDS_BY_NAME)}"
                    )
                mapping[field.strip()] = heading.strip()
            version = framework_import(
                owner=owner,
                table=table,
                mapping=mapping,
                name=options["name"],
                slug=options["slug"],
                publisher=options["publisher"],
                licence=options["licence"],
                licence_url=options["licence_url"],
                source_title=options["source_title"],
                source_url=options["source_url"],
                values_restricted=options["restricted"],
                year=options["year"],
                in_force_from=options["in_force_from"],
                price_base_year=options["price_base_year"],
                by=None,
            )
        except FrameworkImportError as error:
            raise printer.not_imported(path, error) from None
        self.stdout.write(
            f"Imported version {version.pk}: {version.framework.name} {version.year} (draft), "
            f"{version.themes.count()} themes, "
            f"{sum(theme.outcomes.count() for theme in version.themes.all())} outcomes, "
            f"{version.measures.count()} measures, "
            f"{version.measures.filter(proxy__isnull=False).count()} proxy values"
        )

    def _import_series(
        self,
        options: dict[str, Any],
        import_series: Callable[..., SourcedSeries],
        what: str,
        value_of: Callable[[Any], Decimal],
        **extra: Any,
    ) -> None:
        """Import a deflator or carbon series and print it, a year a line; or every problem."""
        owner = self._organisation(options["org"])
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No file at {path}")
        try:
            series = import_series(
                owner=owner,
                table=read_table(path, path.name),
                name=options["name"],
                slug=options["slug"],
                source_title=options["source_title"],
                source_url=options["source_url"],
                licence=options["licence"],
                by=None,
                **extra,
            )
        except FrameworkImportError as error:
            raise _Printer(self).not_imported(path, error) from None
        points = list(series.points.all())
        whose = owner.name if owner else "shared with every council"
        self.stdout.write(
            f"Imported {what} {series.slug}: {series.name} ({whose}), "
            f"{len(points)} year{pluralize(len(points))}, "
            f"{points[0].year} to {points[-1].year}"
            + (f", £ per tCO2e in {extra['price_year']} prices" if "price_year" in extra else "")
        )
        for point in points:
            self.stdout.write(f"{point.year}\t{value_of(point)}")

    def _import_deflator(self, options: dict[str, Any]) -> None:
        self._import_series(
            options, deflator_series_import, "deflator series", lambda point: point.index
        )

    def _import_carbon(self, options: dict[str, Any]) -> None:
        self._import_series(
            options,
            carbon_series_import,
            "carbon series",
            lambda point: point.value,
            price_year=options["price_year"],
        )

    def _export(self, options: dict[str, Any]) -> None:
        version = self._version(options)
        data = exporting.export_version(
            version, fmt=options["format"], audience=options["audience"]
        )
        output: Path | None = options["output"]
        if output is not None:
            output.write_bytes(data)
            self.stdout.write(f"Wrote {output}")
        elif options["format"] == "xlsx":
            raise CommandError("Give --output for an XLSX export; it is not text")
        else:
            self.stdout.write(data.decode("utf-8-sig"), ending="")

    def _value(self, options: dict[str, Any]) -> None:
        version = self._version(options)
        path: Path = options["input"]
        if not path.is_file():
            raise CommandError(f"No file at {path}")
        try:
            lines = _commitment_lines(read_table(path, path.name))
        except FrameworkImportError as error:
            _Printer(self).problems(error.problems)
            raise CommandError(f"{path.name} could not be read") from None
        deflator = None
        if options["deflator"]:
            owner = self._organisation(options["series_org"] or options["org"])
            series = DeflatorSeries.objects.filter(owner=owner, slug=options["deflator"]).first()
            if series is None:
                raise CommandError(f"No deflator series {options['deflator']!r}")
            deflator = deflator_series_for(series)
        price_year = options["price_year"] or version.price_base_year
        first_year = options["first_year"]
        own_series = None
        if options["carbon_series"]:
            owner = self._organisation(options["series_org"] or options["org"])
            own_series = CarbonSeries.objects.filter(
                owner=owner, slug=options["carbon_series"]
            ).first()
            if own_series is None:
                raise CommandError(f"No carbon series {options['carbon_series']!r}")
        basis = (
            f"--first-year {first_year}"
            if first_year
            else f"no first year was given, so year 1 is the price year, {price_year}"
        )
        try:
            carbon = carbon_rule(
                first_year or price_year,
                basis,
                own_series=own_series,
                path=options["carbon_path"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        try:
            measures = measure_specs_for(version.measures.all())
            result = valuation.value_commitments(
                lines,
                measures,
                price_year=price_year,
                deflator=deflator,
                carbon=carbon,
                contract_value=options["contract_value"],
                contract_years=options["contract_years"],
                workforce_fte=options["workforce_fte"],
            )
        except valuation.InvalidCommitmentLines as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{path.name} could not be valued") from None
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(json.dumps(valuation_as_json(version, result), indent=2))


def _commitment_lines(table: Table) -> list[valuation.CommitmentLine]:
    normalised = {heading.strip().lower().replace("_", " "): heading for heading in table.headers}
    columns: dict[str, int] = {}
    problems = []
    for field, names in COMMITMENT_COLUMNS.items():
        heading = next((normalised[name] for name in names if name in normalised), None)
        if heading is not None:
            columns[field] = table.column(heading)
        elif field in REQUIRED_COMMITMENT_COLUMNS:
            problems.append(
                ImportProblem(
                    None,
                    names[0],
                    f"is missing; columns needed: {', '.join(n[0] for n in COMMITMENT_COLUMNS.values())}",
                )
            )
    if problems:
        raise FrameworkImportError(problems)
    lines = []
    for number, cells in zip(table.row_numbers, table.rows, strict=True):

        def number_in(
            field: str, default: str, cells: list[str] = cells, row: int = number
        ) -> Decimal:
            column = columns.get(field)
            text = cells[column] if column is not None and cells[column] else default
            try:
                return parse_decimal(text, places=6, integer_digits=12, minimum=Decimal("-1e12"))
            except CellProblem as problem:
                heading = table.headers[column] if column is not None else field
                problems.append(ImportProblem(row, heading, str(problem)))
                return Decimal(0)

        year_text = cells[columns["contract_year"]]
        if not year_text.isdigit():
            problems.append(
                ImportProblem(
                    number,
                    table.headers[columns["contract_year"]],
                    f"{year_text!r} is not a contract year (1, 2, 3 …)",
                )
            )
        lines.append(
            valuation.CommitmentLine(
                line_ref=f"row {number}",
                measure_code=cells[columns["measure_code"]],
                contract_year=int(year_text) if year_text.isdigit() else 0,
                quantity=number_in("quantity", ""),
                deadweight=number_in("deadweight", "0"),
                attribution=number_in("attribution", "1"),
            )
        )
    if problems:
        raise FrameworkImportError(problems)
    return lines


def _text(value: object) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(key): _text(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_text(item) for item in value]
    return value


def valuation_as_json(version: FrameworkVersion, result: valuation.ValuationResult) -> Any:
    """The result as plain JSON, with every Decimal as a string so nothing is rounded."""
    return _text(
        {
            "framework": version.framework.slug,
            "version": version.year,
            "price_year": result.price_year,
            "deflator": result.deflator_citation,
            "carbon_rule": result.carbon_rule,
            "total_value": result.total_value,
            "contract_value": result.contract_value,
            "value_per_pound": result.value_per_pound,
            "percent_of_contract_value": result.percent_of_contract_value,
            "by_theme": dict(result.by_theme),
            "by_outcome": dict(result.by_outcome),
            "by_measure": dict(result.by_measure),
            "by_contract_year": dict(result.by_contract_year),
            "record_only_by_unit": dict(result.record_only_by_unit),
            "qualitative_by_unit": dict(result.qualitative_by_unit),
            "lines": [
                {
                    "line": line.line_ref,
                    "measure_code": line.measure_code,
                    "contract_year": line.contract_year,
                    "quantity": line.quantity,
                    "unit": line.unit,
                    "value_type": line.value_type.value,
                    "value": line.value,
                    "proxy_source": line.proxy.citation if line.proxy else None,
                    "explanation": line.explanation_text,
                }
                for line in result.lines
            ],
            "findings": [
                {
                    "rule": finding.rule_code,
                    "severity": finding.severity.value,
                    "message": finding.message,
                    "lines": list(finding.line_refs),
                }
                for finding in result.findings
            ],
            "rules_applied": list(result.rules_applied),
            "rules_skipped": [
                {"rule": skipped.rule_code, "reason": skipped.reason}
                for skipped in result.rules_skipped
            ],
        }
    )
