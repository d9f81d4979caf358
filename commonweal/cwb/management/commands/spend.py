"""``commonweal spend``: import spend files, link suppliers, list supplier names, show or set
the local areas, analyse."""

from __future__ import annotations

import importlib
import json
import threading
import time
import uuid
from collections.abc import Callable
from itertools import islice
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.template.defaultfilters import pluralize

from commonweal.accounts.models import Organisation
from commonweal.accounts.selectors import organisation_by_reference
from commonweal.core.commands import CommonwealCommand
from commonweal.core.exports import csv_writer
from commonweal.core.templatetags.govuk import pounds
from commonweal.cwb import engines, selectors
from commonweal.cwb.models import SpendImportRun
from commonweal.spend_engine.analysis import Share, SpendAnalysis, percent_of

# The import, linkage and analysis services (DuckDB, Arrow, Splink) are imported by the actions
# that use them, so `spend --help`, `spend withdraw` and `spend suppliers` start without them.


def _uuid_or_none(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


#: Rejected rows listed after an import (the import's page lists them all).
REJECTS_PRINTED = 10
ENGINE_HELP = "duckdb (here, the default) or spark (master from COMMONWEAL_SPARK_MASTER)"


def _check_engine(engine: str) -> None:
    """Start Spark before any work, so a missing PySpark or Java is said plainly up front."""
    if engine == engines.SPARK:
        try:
            engines.spark_session()
        except engines.SparkUnavailable as problem:
            raise CommandError(str(problem)) from None


def _import_splink() -> None:
    """What linking imports first: Splink, and the SQL dialect (sqlglot's DuckDB) Splink loads
    when it checks the model's SQL (a third of a second of Python, profiled)."""
    importlib.import_module("splink")
    importlib.import_module("sqlglot.dialects.duckdb")


class Command(CommonwealCommand):
    help = "Import spend files, link suppliers and analyse spend for an organisation."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser(
            "import",
            help="Import spend files (CSV, or .xlsx, .xlsm, .xls, .ods workbooks) and wait",
        )
        imp.add_argument("--org", required=True, help="GSS code, company number or id")
        imp.add_argument("--publisher", default="", help="Who published the files")
        imp.add_argument("files", nargs="+", type=Path)
        withdraw = sub.add_parser(
            "withdraw", help="Withdraw a finished import: its payments leave every figure"
        )
        withdraw.add_argument("--org", required=True)
        withdraw.add_argument("run", help="Import run id, as printed by spend import")
        link = sub.add_parser("link", help="Link supplier names into the supplier register")
        link.add_argument("--org", required=True)
        link.add_argument(
            "--engine", choices=engines.ENGINES, default=engines.DUCKDB, help=ENGINE_HELP
        )
        suppliers = sub.add_parser("suppliers", help="List published names and their supplier")
        suppliers.add_argument("--org", required=True)
        suppliers.add_argument("--format", choices=["csv"], default="csv")
        analyse = sub.add_parser("analyse", help="CLES spend analysis of one financial year")
        analyse.add_argument("--org", required=True)
        analyse.add_argument("--year", required=True, help="Financial year, like 2024-25")
        analyse.add_argument("--format", choices=["json"], default="json")
        analyse.add_argument(
            "--engine", choices=engines.ENGINES, default=engines.DUCKDB, help=ENGINE_HELP
        )
        run = sub.add_parser(
            "run",
            help="Import spend files, link suppliers and analyse, in one go, timing each stage",
        )
        run.add_argument("--org", required=True, help="GSS code, company number or id")
        run.add_argument("--publisher", default="", help="Who published the files")
        run.add_argument(
            "--year", default="", help="Also print this financial year's analysis as JSON"
        )
        run.add_argument(
            "--engine", choices=engines.ENGINES, default=engines.DUCKDB, help=ENGINE_HELP
        )
        run.add_argument("files", nargs="+", type=Path)

        areas = sub.add_parser(
            "areas", help="Show the local areas; work them out again, or set them by hand"
        )
        areas.add_argument("--org", required=True)
        areas.add_argument(
            "--work-out", action="store_true", help="Work them out again from the lookup"
        )
        areas.add_argument("--borough", help="District codes, like E08000018 (comma-separated)")
        areas.add_argument(
            "--combined-authority", help="District codes of the combined authority or wider area"
        )
        areas.add_argument("--region", help="Region code, like E12000003")
        areas.add_argument(
            "--deprived-deciles", type=int, help="IMD deciles 1 up to this one count as deprived"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = organisation_by_reference(options["org"])
        if organisation is None or organisation.is_supplier:
            raise CommandError(f"No council or anchor partner with reference {options['org']}")
        getattr(self, f"_{options['action']}")(organisation, options)

    def _import(
        self,
        organisation: Organisation,
        options: dict[str, Any],
        warm_up: Callable[[], object] | None = None,
    ) -> SpendImportRun:
        """Import the files; ``warm_up`` (for what the next stage needs) runs in a thread
        meanwhile, started once this stage's own modules are imported: two threads importing
        at once only take turns."""
        from commonweal.cwb import services
        from commonweal.cwb.services import FIELD_LABELS, IncomingFile
        from commonweal.cwb.tasks import import_spend

        warming = threading.Thread(target=warm_up, daemon=True) if warm_up else None
        if warming:
            warming.start()

        files = [IncomingFile(name=path.name, path=path) for path in options["files"]]
        for incoming in files:
            if not incoming.path.is_file():
                raise CommandError(f"{incoming.path}: file not found")
        try:
            run = services.spend_import_start(
                organisation=organisation,
                publisher=options["publisher"] or organisation.name,
                files=files,
                by=None,
            )
        except ValidationError as problem:
            raise CommandError("\n".join(problem.messages)) from None
        missing = [
            (preview.name, [FIELD_LABELS[n] for n in mapping.missing_required])
            for preview, mapping in services.proposed_mappings(run)
            if mapping.missing_required
        ]
        if missing:
            services.spend_import_discard(run=run, by=None)
            raise CommandError(
                "\n".join(
                    f"{name}: no column found for {', '.join(fields)}; choose the columns once "
                    "in the web import, and they are remembered for this publisher"
                    for name, fields in missing
                )
            )
        services.spend_import_confirm(
            run=run, by=None, enqueue=lambda run_id, job_id: import_spend.call(run_id, job_id)
        )
        if warming:
            warming.join()
        run.refresh_from_db()
        if run.status != SpendImportRun.Status.COMPLETED:
            raise CommandError(f"Nothing was imported: {run.error}")
        self.stdout.write(f"Import run {run.pk}")
        self.stdout.write(f"Rows accepted: {run.rows_accepted}")
        self.stdout.write(f"Rows rejected: {run.rows_rejected}")
        for reject in islice(selectors.rejected_rows(run), REJECTS_PRINTED):
            value = f" {reject.value!r}" if reject.value else ""
            self.stdout.write(
                f"  {reject.file}, row {reject.row}, {reject.column}{value}: {reject.reason}"
            )
        if run.rows_rejected > REJECTS_PRINTED:
            self.stdout.write(
                f"  (the first {REJECTS_PRINTED}; every rejected row is on the import's page)"
            )
        self.stdout.write(f"Total: {pounds(run.total_pence)}")
        for file in run.files.all():
            if file.dates_month_first:
                self.stdout.write(
                    f"Note: {file.name} writes its dates month first (as 4/13/2024); read that way"
                )
            if file.amounts_decimal_comma:
                self.stdout.write(
                    f"Note: {file.name} writes its amounts with a decimal comma (as 1185,60); "
                    "read that way"
                )
        for other, count in selectors.imports_repeated_by(run):
            self.stdout.write(
                f"Warning: {count} of these payments are also in import run {other.pk} (same "
                "date, supplier, amount and transaction reference); if the files repeat "
                "payments already imported, withdraw one of the two (spend withdraw)"
            )
        for earlier, later, count in run.repeated_within:
            payments = (
                f"{count} payments in {later} are" if count != 1 else f"1 payment in {later} is"
            )
            self.stdout.write(
                f"Warning: {payments} also in {earlier}, imported with it (same date, supplier, "
                "amount and transaction reference); if one repeats the other, withdraw this "
                "import (spend withdraw) and import it again without the repeat"
            )
        return run

    def _withdraw(self, organisation: Organisation, options: dict[str, Any]) -> None:
        from commonweal.cwb import services

        run_id = _uuid_or_none(options["run"])
        run = selectors.spend_imports(organisation).filter(pk=run_id).first() if run_id else None
        if run is None:
            raise CommandError(f"{organisation.name} has no import run {options['run']}")
        try:
            services.spend_import_withdraw(run=run, by=None)
        except ValidationError as problem:
            raise CommandError("\n".join(problem.messages)) from None
        self.stdout.write(
            f"Import run {run.pk} withdrawn: {run.rows_accepted} payments "
            f"({pounds(run.total_pence)}) are no longer counted; link suppliers again to "
            "update the supplier register"
        )

    def _link(self, organisation: Organisation, options: dict[str, Any]) -> None:
        from commonweal.cwb import services
        from commonweal.cwb.tasks import link_suppliers_task

        engine = options["engine"]
        _check_engine(engine)
        link_run = services.supplier_link_start(
            organisation=organisation,
            by=None,
            enqueue=lambda run_id, job_id: link_suppliers_task.call(run_id, job_id, engine),
        )
        link_run.refresh_from_db()
        if link_run.completed_at is None:
            error = link_run.job.error if link_run.job else ""
            raise CommandError(f"Linking failed: {error}")
        self.stdout.write(
            f"{link_run.record_count} supplier names linked into {link_run.supplier_count} "
            f"suppliers; {link_run.review_count} pairs to review; "
            f"{link_run.decisions_applied} earlier decisions applied"
        )
        found = selectors.register_coverage(organisation)
        share = percent_of(found.spend_pence, found.total_pence)
        self.stdout.write(
            f"{found.suppliers} suppliers found on Companies House or the charity register "
            f"({'—' if share is None else f'{share}%'} of spend)"
        )

    def _suppliers(self, organisation: Organisation, options: dict[str, Any]) -> None:
        writer = csv_writer(self.stdout)
        writer.writerow(selectors.SUPPLIER_CSV_HEADER)
        writer.writerows(selectors.supplier_csv_rows(selectors.supplier_name_rows(organisation)))

    def _areas(self, organisation: Organisation, options: dict[str, Any]) -> None:
        from commonweal.cwb import local_areas
        from commonweal.spend_engine import classify
        from commonweal.spend_engine.geography import AreaNotFound

        given = {
            "borough_lad_codes": options["borough"],
            "combined_authority_lad_codes": options["combined_authority"],
            "region_code": options["region"],
            "deprived_decile_max": options["deprived_deciles"],
        }
        try:
            if options["work_out"]:
                local_areas.local_tiers_work_out(organisation=organisation, by=None)
            tiers = local_areas.local_tiers_for(organisation)
            if any(value is not None for value in given.values()):
                current = {
                    "borough_lad_codes": tiers.borough_lad_codes if tiers else [],
                    "combined_authority_lad_codes": (
                        tiers.combined_authority_lad_codes if tiers else []
                    ),
                    "region_code": tiers.region_code if tiers else "",
                    "deprived_decile_max": (
                        tiers.deprived_decile_max if tiers else classify.DEFAULT_DEPRIVED_DECILE_MAX
                    ),
                }
                for name, value in given.items():
                    if isinstance(value, str):
                        value = [c for c in value.replace(";", ",").split(",") if c.strip()]
                        if name == "region_code":
                            value = "".join(value)
                    if value is not None:
                        current[name] = value
                tiers = local_areas.local_tiers_update(
                    organisation=organisation, by=None, **current
                )
        except ValidationError as problem:
            raise CommandError("\n".join(problem.messages)) from None
        if tiers is None:
            try:
                local_areas.worked_out_local_areas(organisation)
            except AreaNotFound as problem:
                raise CommandError(
                    f"{organisation.name} has no local areas: {problem}. Set them with "
                    "--borough, --combined-authority and --region"
                ) from None
            return
        named = selectors.local_tier_names(tiers)
        self.stdout.write(
            f"Local areas of {organisation.name} "
            + (
                f"(worked out from {tiers.worked_out_from})"
                if tiers.worked_out_from
                else "(set by hand)"
            )
        )
        for label, key, codes in (
            ("Borough", "borough", named.borough),
            ("Combined authority or wider area", "combined_authority", named.combined_authority),
        ):
            described = tiers.descriptions.get(key)
            self.stdout.write(f"{label}: {described}" if described else f"{label}:")
            for code, name in codes:
                self.stdout.write(f"  {code} {name}".rstrip())
        self.stdout.write(f"Region: {tiers.region_code} {named.region}".rstrip())
        self.stdout.write(f"Deprived areas: IMD deciles 1 to {tiers.deprived_decile_max}")

    def _link_again_and_analyse(self, organisation: Organisation, engine: str) -> SpendAnalysis:
        """Link again (quietly: stdout carries the JSON) so suppliers linked before the local
        areas were worked out are placed in them."""
        from commonweal.cwb import analyses, services
        from commonweal.cwb.tasks import link_suppliers_task

        self.stderr.write("Suppliers were linked before local areas were set; linking again")
        link_run = services.supplier_link_start(
            organisation=organisation,
            by=None,
            enqueue=lambda run_id, job_id: link_suppliers_task.call(run_id, job_id, engine),
        )
        link_run.refresh_from_db()
        if link_run.completed_at is None:
            raise CommandError(f"Linking failed: {link_run.job.error if link_run.job else ''}")
        try:
            return analyses.organisation_analysis(organisation, engine=engine)
        except analyses.AnalysisNotReady as problem:
            raise CommandError(str(problem)) from None

    def _analysis(self, organisation: Organisation, engine: str) -> SpendAnalysis:
        from commonweal.cwb import analyses, local_areas

        try:
            return analyses.organisation_analysis(organisation, engine=engine)
        except analyses.SuppliersNotPlaced as problem:
            if local_areas.local_tiers_for(organisation) is None:
                raise CommandError(str(problem)) from None
            return self._link_again_and_analyse(organisation, engine)
        except analyses.AnalysisNotReady as problem:
            raise CommandError(str(problem)) from None

    def _print_year(
        self, organisation: Organisation, analysis: SpendAnalysis, financial_year: str
    ) -> None:
        from commonweal.cwb import analyses

        year = analyses.year_of(analysis, financial_year)
        if year is None:
            held = ", ".join(y.financial_year for y in analysis.years) or "none"
            raise CommandError(f"No spend in {financial_year}; years with spend: {held}")
        data = {"organisation": organisation.name, **analyses.as_json_data(year)}
        self.stdout.write(json.dumps(data, indent=2))

    def _analyse(self, organisation: Organisation, options: dict[str, Any]) -> None:
        _check_engine(options["engine"])
        analysis = self._analysis(organisation, options["engine"])
        self._print_year(organisation, analysis, options["year"])

    def _run(self, organisation: Organisation, options: dict[str, Any]) -> None:
        """Import, link and analyse in one process (what the three commands do, without
        starting three times), saying what each stage did and how long it took."""
        _check_engine(options["engine"])
        started = time.perf_counter()
        self.stdout.write("== Import")
        run = self._import(organisation, options, warm_up=_import_splink)
        imported = time.perf_counter()
        self.stdout.write(
            f"Imported {run.rows_read:,} rows from {len(options['files'])} "
            f"file{pluralize(len(options['files']))}: "
            f"{run.rows_accepted:,} accepted, {run.rows_rejected:,} rejected, "
            f"{pounds(run.total_pence)} in {imported - started:.2f} s"
        )
        self.stdout.write("== Link")
        self._link(organisation, options)
        linked = time.perf_counter()
        self.stdout.write(f"Linked in {linked - imported:.2f} s")
        self.stdout.write("== Analyse")
        analysis = self._analysis(organisation, options["engine"])
        analysed = time.perf_counter()
        for year in analysis.years:
            self.stdout.write(
                f"{year.financial_year}: {year.payment_count:,} payments, "
                f"{pounds(year.total_pence)}; {_percent(year.in_borough)} in the borough, "
                f"{_percent(year.in_combined_authority)} in the combined authority"
            )
        self.stdout.write(
            f"Analysed {len(analysis.years)} financial year{pluralize(len(analysis.years))} "
            f"in {analysed - linked:.2f} s"
        )
        self.stdout.write(
            f"Done in {analysed - started:.2f} s (import {imported - started:.2f} s, "
            f"link {linked - imported:.2f} s, analysis {analysed - linked:.2f} s)"
        )
        if options["year"]:
            self._print_year(organisation, analysis, options["year"])


def _percent(share: Share) -> str:
    return "—" if share.percent is None else f"{share.percent}%"
