"""Load official reference data (postcodes, deprivation, authorities, registers) into Parquet.

Each loader reads the publisher's own file layout with DuckDB (every column as text, headers
matched case-, space- and punctuation-insensitively across vintages), writes
``<output_dir>/<kind>/<version>/<kind>.parquet`` atomically, and returns the version label, row
count and sha256 of every source file, so a classification can say exactly which data it used.
Nothing here downloads anything; :data:`OFFICIAL_SOURCES` tells an operator where to fetch it.
"""

# SQL here is assembled from quoted identifiers (file headers) and escaped literals, because
# DuckDB cannot bind column names or file lists as parameters.
# ruff: noqa: S608
from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from commonweal.spend_engine.files import file_sha256
from commonweal.spend_engine.layouts import normalise_header
from commonweal.spend_engine.sql import sql_string, sql_string_list
from commonweal.tabular.limits import TableError
from commonweal.tabular.sniff import HEAD_BYTES, check_text, workbook_format


@dataclass(frozen=True)
class OfficialSource:
    title: str
    url: str
    licence: str


#: Where each kind of reference data is published (for the ``refdata download`` command).
OFFICIAL_SOURCES: dict[str, OfficialSource] = {
    "onspd": OfficialSource(
        "ONS Postcode Directory (ONSPD)",
        "https://geoportal.statistics.gov.uk/search?q=PRD_ONSPD",
        "OGL v3.0; Contains OS data and Royal Mail data © Crown copyright and database right",
    ),
    "nspl": OfficialSource(
        "National Statistics Postcode Lookup (NSPL)",
        "https://geoportal.statistics.gov.uk/search?q=PRD_NSPL",
        "OGL v3.0; Contains OS data and Royal Mail data © Crown copyright and database right",
    ),
    "codepoint_open": OfficialSource(
        "OS Code-Point Open",
        "https://osdatahub.os.uk/downloads/open/CodePointOpen",
        "OGL v3.0; Contains OS data, Royal Mail data and National Statistics data © Crown copyright",
    ),
    "iod2019": OfficialSource(
        "English Indices of Deprivation 2019, File 7",
        "https://www.gov.uk/government/statistics/english-indices-of-deprivation-2019",
        "OGL v3.0",
    ),
    "iod2025": OfficialSource(
        "English Indices of Deprivation 2025, File 7",
        "https://www.gov.uk/government/statistics/english-indices-of-deprivation-2025",
        "OGL v3.0",
    ),
    "lad_to_combined_authority": OfficialSource(
        "ONS Local Authority District to Combined Authority lookup",
        "https://geoportal.statistics.gov.uk/search?q=LUP_LAD_CAUTH",
        "OGL v3.0",
    ),
    "mysociety_local_authorities": OfficialSource(
        "mySociety UK Local Authority Names and Codes",
        "https://github.com/mysociety/uk_local_authority_names_and_codes",
        "CC BY 4.0 (mySociety)",
    ),
    "companies_house": OfficialSource(
        "Companies House Free Company Data Product (BasicCompanyData)",
        "https://download.companieshouse.gov.uk/en_output.html",
        "Companies House: no restriction on use (not OGL)",
    ),
    "charity_commission": OfficialSource(
        "Charity Commission for England and Wales register extract",
        "https://register-of-charities.charitycommission.gov.uk/en/register/full-register-download",
        "OGL v3.0",
    ),
    "contracts_finder": OfficialSource(
        "Contracts Finder and Find a Tender award notices (OCDS release packages)",
        "https://www.contractsfinder.service.gov.uk/apidocumentation",
        "OGL v3.0",
    ),
    "charity_company_numbers": OfficialSource(
        "Charity number to company number lookup (drkane/charity-lookups)",
        "https://github.com/drkane/charity-lookups",
        "ODbL (share-alike)",
    ),
}

#: The nine English regions (ONS RGN codes), for sources that give the region only by name.
ENGLISH_REGION_CODES: dict[str, str] = {
    "north east": "E12000001",
    "north west": "E12000002",
    "yorkshire and the humber": "E12000003",
    "east midlands": "E12000004",
    "west midlands": "E12000005",
    "east of england": "E12000006",
    "london": "E12000007",
    "south east": "E12000008",
    "south west": "E12000009",
}

#: Companies House categories that signal a voluntary, community or social enterprise.
VCSE_COMPANY_CATEGORIES: dict[str, str] = {
    "community interest company": "vcse",
    "charitable incorporated organisation": "vcse",
    "scottish charitable incorporated organisation": "vcse",
    "registered society": "vcse",
    "industrial and provident society": "vcse",
    # Guarantee companies include trade bodies and management companies, so only "possible".
    "pri/lbg/nsc (private, limited by guarantee, no share capital, use of 'limited' exemption)": (
        "possible_vcse"
    ),
    "pri/ltd by guar/nsc (private, limited by guarantee, no share capital)": "possible_vcse",
}

#: Accounts categories filed by small or micro companies (a weak SME signal).
SMALL_ACCOUNTS_CATEGORIES: tuple[str, ...] = (
    "micro entity",
    "small",
    "total exemption small",
    "total exemption full",
    "audit exemption subsidiary",
    "unaudited abridged",
    "audited abridged",
    "filing exemption subsidiary",
    "dormant",
)


class RefdataError(Exception):
    """A reference file could not be loaded; nothing was written."""


@dataclass(frozen=True)
class RejectedRow:
    """A row of a reference file that was not loaded, and why (as spend imports report them)."""

    file: str
    row: int
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        return (
            f"{self.file}: row {self.row}, column '{self.column}': '{self.value}' is {self.reason}"
        )


#: How many rejected rows a result carries to show; every one is in ``rejects.csv``.
REJECTS_SHOWN = 10


@dataclass(frozen=True)
class RefdataResult:
    kind: str
    version: str
    path: Path
    row_count: int
    source_hashes: dict[str, str]
    rows_rejected: int = 0
    #: ``rejects.csv`` beside the Parquet (file, row, column, value, reason), when it has any.
    rejects_path: Path | None = None
    first_rejects: tuple[RejectedRow, ...] = ()


# --- shared machinery -----------------------------------------------------------------------


def _check_version(version: str) -> None:
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", version):
        raise RefdataError(f"version label '{version}' must be letters, digits, '.', '_' or '-'")


def _read_header(path: Path, delimiter: str | None = None) -> tuple[list[str], str]:
    with path.open("rb") as raw:
        head = raw.read(HEAD_BYTES)
    kind = workbook_format(head)
    if kind is not None:
        raise RefdataError(
            f"{path.name}: this is an .{kind} workbook, not a CSV file; open it in a "
            "spreadsheet, save it as CSV and load that"
        )
    try:
        check_text(head, path.name)
    except TableError as problem:
        raise RefdataError(str(problem)) from None
    with path.open("r", encoding="utf-8-sig", errors="replace") as handle:
        line = handle.readline().rstrip("\r\n")
    if not line:
        raise RefdataError(f"{path.name}: the file is empty")
    if delimiter is None:
        delimiter = max((",", "\t", "|"), key=line.count)
    return [h.strip().strip('"').strip() for h in line.split(delimiter)], delimiter


def _pick(headers: Sequence[str], path: Path, *patterns: str, required: bool = True) -> str | None:
    """The first header whose normalised form fully matches one of the patterns (in order)."""
    normalised = [normalise_header(h) for h in headers]
    for pattern in patterns:
        for header, key in zip(headers, normalised, strict=True):
            if re.fullmatch(pattern, key):
                return header
    if required:
        raise RefdataError(
            f"{path.name}: no column like {patterns[0]!r} among {', '.join(headers)}"
        )
    return None


def _col(header: str | None) -> str:
    return "NULL" if header is None else '"' + header.replace('"', '""') + '"'


def _read_csv(paths: Sequence[Path], delimiter: str) -> str:
    return (
        f"read_csv({sql_string_list(paths)}, header = true, all_varchar = true, "
        f"delim = {sql_string(delimiter)}, quote = '\"', escape = '\"', "
        "normalize_names = false, null_padding = true, parallel = false)"
    )


#: A UK postcode as written: outward code, optional spaces, inward code, in either case, with
#: nothing else (so neither '=S60 1AE' nor 'S60-1AE'). The same text in Python and DuckDB (RE2).
POSTCODE_PATTERN = r"\s*[A-Za-z]{1,2}[0-9][A-Za-z0-9]?\s*[0-9][A-Za-z]{2}\s*"

_POSTCODE_SQL = """
CASE WHEN regexp_full_match({0}, {1})
     THEN left(upper(regexp_replace({0}, '\\s', '', 'g')),
               length(regexp_replace({0}, '\\s', '', 'g')) - 3)
          || ' ' || right(upper(regexp_replace({0}, '\\s', '', 'g')), 3) END
"""


def postcode_sql(expression: str) -> str:
    """SQL that normalises a postcode to 'S60 1AE' form, or NULL when it is not one."""
    return _POSTCODE_SQL.format(expression, sql_string(POSTCODE_PATTERN))


_PSEUDO_CODE = "regexp_full_match({0}, '[EWSNL]99999999')"


def _code_sql(header: str | None) -> str:
    """A GSS code column, with blanks and ONS 'not applicable' pseudo-codes made NULL."""
    if header is None:
        return "NULL"
    value = f"nullif(trim({_col(header)}), '')"
    return f"CASE WHEN {_PSEUDO_CODE.format(value)} THEN NULL ELSE {value} END"


@dataclass(frozen=True)
class RowCheck:
    """A value that makes a row unusable: ``fails_sql`` is true of such a row, given the raw
    column ``header``; the row is then rejected with ``reason``, not loaded."""

    header: str
    fails_sql: str
    reason: str


def _postcode_check(header: str) -> RowCheck:
    return RowCheck(
        header, f"{postcode_sql(_col(header))} IS NULL", "not a UK postcode (like S60 1AE)"
    )


def _gss_code_check(header: str) -> RowCheck:
    value = f"trim({_col(header)})"
    return RowCheck(
        header,
        f"nullif({value}, '') IS NOT NULL AND NOT regexp_full_match({value}, '[A-Z][0-9]{{8}}')",
        "not a GSS code (a letter and eight digits, like E08000018)",
    )


#: The United Kingdom, the Channel Islands and the Isle of Man lie within these latitudes and
#: longitudes (Jersey 49.2 N, Unst 60.8 N; Fermanagh 8.2 W, Lowestoft 1.8 E).
UK_LATITUDES = (49, 61)
UK_LONGITUDES = (-9, 2)


def _no_grid_reference_sql(latitude: str | None) -> str:
    """ONS directories give latitude 99.999999 (and longitude 0) where a postcode has no grid
    reference: no position, not a wrong one."""
    return "FALSE" if latitude is None else f"TRY_CAST({_col(latitude)} AS DOUBLE) = 99.999999"


def _coordinate_check(
    header: str, latitude: str | None, bounds: tuple[int, int], what: str
) -> RowCheck:
    number = f"TRY_CAST({_col(header)} AS DOUBLE)"
    low, high = bounds
    return RowCheck(
        header,
        f"nullif(trim({_col(header)}), '') IS NOT NULL AND NOT {_no_grid_reference_sql(latitude)} "
        f"AND NOT coalesce(isfinite({number}) AND {number} BETWEEN {low} AND {high}, FALSE)",
        f"not a {what} in the United Kingdom (a number from {low} to {high})",
    )


def _coordinate_sql(header: str | None, latitude: str | None) -> str:
    if header is None:
        return "NULL::DOUBLE"
    return (
        f"CASE WHEN {_no_grid_reference_sql(latitude)} THEN NULL "
        f"ELSE TRY_CAST({_col(header)} AS DOUBLE) END"
    )


def _write(
    kind: str,
    version: str,
    output_dir: Path,
    select_sql: str,
    sources: Sequence[Path],
    *,
    rejects_sql: str | None = None,
) -> RefdataResult:
    """Write ``select_sql`` as the version's Parquet, and ``rejects_sql`` (file, row, column,
    value, reason), when given, as ``rejects.csv`` beside it; all or nothing."""
    _check_version(version)
    for source in sources:
        if not source.is_file():
            raise RefdataError(f"{source}: file not found")
    hashes = {source.name: file_sha256(source) for source in sources}
    final = Path(output_dir) / kind / version
    final.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{version}.", dir=final.parent))
    target = work / f"{kind}.parquet"
    rejects = work / "rejects.csv"
    names = ", ".join(s.name for s in sources)
    con = duckdb.connect(config={"memory_limit": "1GB", "temp_directory": str(work / "tmp")})
    try:
        con.execute(
            f"COPY ({select_sql}) TO {sql_string(target)} (FORMAT parquet, COMPRESSION zstd)"
        )
        row = con.execute(f"SELECT count(*) FROM read_parquet({sql_string(target)})").fetchone()
        count = int(row[0]) if row else 0
        rejected: list[RejectedRow] = []
        rejected_count = 0
        if rejects_sql is not None:
            con.execute(f"COPY ({rejects_sql}) TO {sql_string(rejects)} (HEADER)")
            rejected_count = _count_rows(con, rejects)
            rejected = [
                RejectedRow(str(f), int(r), str(c), str(v or ""), str(why))
                for f, r, c, v, why in con.execute(
                    f"SELECT * FROM read_csv({sql_string(rejects)}, header = true, "
                    f"all_varchar = true) LIMIT {REJECTS_SHOWN}"
                ).fetchall()
            ]
    except duckdb.Error as error:
        shutil.rmtree(work, ignore_errors=True)
        raise RefdataError(f"{names}: cannot be loaded as {kind} ({error})") from error
    finally:
        con.close()
    shutil.rmtree(work / "tmp", ignore_errors=True)
    if count == 0:
        shutil.rmtree(work, ignore_errors=True)
        if rejected:
            raise RefdataError(
                f"{names}: all {rejected_count} rows were rejected; {_without_file(rejected[0])}"
            )
        raise RefdataError(f"{names}: no rows to load as {kind}")
    if not rejected_count:
        rejects.unlink(missing_ok=True)
    if final.exists():
        shutil.rmtree(final)
    work.rename(final)
    return RefdataResult(
        kind,
        version,
        final / f"{kind}.parquet",
        count,
        hashes,
        rows_rejected=rejected_count,
        rejects_path=final / "rejects.csv" if rejected_count else None,
        first_rejects=tuple(rejected),
    )


def _count_rows(con: duckdb.DuckDBPyConnection, csv_path: Path) -> int:
    row = con.execute(
        f"SELECT count(*) FROM read_csv({sql_string(csv_path)}, header = true, all_varchar = true)"
    ).fetchone()
    return int(row[0]) if row else 0


def _without_file(reject: RejectedRow) -> str:
    return str(reject).removeprefix(f"{reject.file}: ")


def _checked_sources(
    sources: Sequence[tuple[Path, str]], *, where: str, checks: Sequence[RowCheck], first_row: int
) -> str:
    """Rows of each source (its file name and row number as ``_file``, ``_file_index`` and
    ``_row``) kept by ``where``, with the first failing check's column, value and reason
    (``_column``, ``_value``, ``_reason``; NULL when the row passes every check)."""
    rows = " UNION ALL ".join(
        f"SELECT *, {sql_string(path.name)} AS _file, {index} AS _file_index, "
        f"row_number() OVER () + {first_row - 1} AS _row FROM {reader}"
        for index, (path, reader) in enumerate(sources)
    )

    def case(pick: Callable[[RowCheck], str]) -> str:
        if not checks:
            return "NULL::VARCHAR"
        return (
            "CASE "
            + " ".join(f"WHEN {check.fails_sql} THEN {pick(check)}" for check in checks)
            + " END"
        )

    return f"""
        SELECT *, {case(lambda c: sql_string(c.header))} AS _column,
               {case(lambda c: _col(c.header))}::VARCHAR AS _value,
               {case(lambda c: sql_string(c.reason))} AS _reason
        FROM ({rows}) WHERE {where}
    """


def _rejects_select(checked: str) -> str:
    return f"""
        SELECT _file AS file, _row AS row, _column AS "column", _value AS value, _reason AS reason
        FROM ({checked}) WHERE _reason IS NOT NULL ORDER BY _file_index, _row
    """


# --- postcodes --------------------------------------------------------------------------------

#: Columns of the postcode Parquet (NSPL/ONSPD and Code-Point Open share it).
POSTCODE_COLUMNS = (
    "postcode, lad_code, ward_code, lsoa_code, lsoa_vintage, region_code, latitude, longitude, "
    "imd_rank, is_live, source"
)


def load_postcode_directory(
    files: Sequence[Path | str], *, output_dir: Path | str, version: str
) -> RefdataResult:
    """Load ONSPD or NSPL CSVs (any vintage, one file or per-area multi-CSV) as postcodes.

    Only live postcodes are kept (``doterm`` blank). The LSOA vintage (2011 or 2021) comes from
    the column name, so deprivation is only joined on the matching boundaries.
    """
    paths = [Path(f) for f in files]
    headers, delimiter = _read_header(paths[0])
    postcode = _pick(headers, paths[0], "pcds", "pcd", "pcd2", "postcode")
    terminated = _pick(headers, paths[0], "doterm", required=False)
    lad = _pick(headers, paths[0], "oslaua", "laua", r"lad\d\dcd", "lad", required=False)
    ward = _pick(headers, paths[0], "osward", "ward", r"wd\d\dcd", required=False)
    lsoa21 = _pick(headers, paths[0], "lsoa21", "lsoa21cd", required=False)
    lsoa11 = _pick(headers, paths[0], "lsoa11", "lsoa11cd", required=False)
    region = _pick(headers, paths[0], "rgn", r"rgn\d\dcd", required=False)
    lat = _pick(headers, paths[0], "lat", required=False)
    long = _pick(headers, paths[0], "long", required=False)
    imd = _pick(headers, paths[0], "imd", required=False)
    if lad is None:
        raise RefdataError(f"{paths[0].name}: no local authority column (oslaua, laua or ladNNcd)")
    lsoa, vintage = (lsoa21, "2021") if lsoa21 else (lsoa11, "2011") if lsoa11 else (None, None)
    live = "TRUE" if terminated is None else f"nullif(trim({_col(terminated)}), '') IS NULL"
    assert postcode is not None  # required
    checks = [
        _postcode_check(postcode),
        *(_gss_code_check(h) for h in (lad, ward, lsoa, region) if h is not None),
        *([_coordinate_check(lat, lat, UK_LATITUDES, "latitude")] if lat else []),
        *([_coordinate_check(long, lat, UK_LONGITUDES, "longitude")] if long else []),
    ]
    # Terminated postcodes are left out by design, not rejected.
    checked = _checked_sources(
        [(path, _read_csv([path], delimiter)) for path in paths],
        where=live,
        checks=checks,
        first_row=2,
    )
    select = f"""
        SELECT {postcode_sql(_col(postcode))} AS postcode, {_code_sql(lad)} AS lad_code,
               {_code_sql(ward)} AS ward_code, {_code_sql(lsoa)} AS lsoa_code,
               {"NULL" if vintage is None else sql_string(vintage)}::VARCHAR AS lsoa_vintage,
               {_code_sql(region)} AS region_code,
               {_coordinate_sql(lat, lat)} AS latitude, {_coordinate_sql(long, lat)} AS longitude,
               TRY_CAST({_col(imd)} AS INTEGER) AS imd_rank, TRUE AS is_live,
               'ONS postcode directory'::VARCHAR AS source
        FROM ({checked}) WHERE _reason IS NULL
    """
    return _write(
        "postcodes", version, Path(output_dir), select, paths, rejects_sql=_rejects_select(checked)
    )


def load_codepoint_open(
    files: Sequence[Path | str], *, headers_file: Path | str, output_dir: Path | str, version: str
) -> RefdataResult:
    """Load OS Code-Point Open area CSVs (no header row; names come from the headers file).

    Code-Point Open has the district (LAD) and ward but no LSOA or region, so deprivation is not
    available from it; the region is filled later from the district.
    """
    paths = [Path(f) for f in files]
    header_lines = Path(headers_file).read_text(encoding="utf-8-sig").splitlines()
    long_names = next(
        (line for line in header_lines if "postcode" in line.lower()),
        header_lines[-1] if header_lines else "",
    )
    headers = [h.strip() for h in long_names.split(",")]
    if len(headers) < 9:
        raise RefdataError(f"{Path(headers_file).name}: not a Code-Point Open column headers file")
    columns = "{" + ", ".join(f"{sql_string(h)}: 'VARCHAR'" for h in headers) + "}"
    postcode = _pick(headers, paths[0], "postcode", "pc")
    lad = _pick(headers, paths[0], "admindistrictcode", "dc")
    ward = _pick(headers, paths[0], "adminwardcode", "wc", required=False)
    assert postcode is not None and lad is not None  # required
    checked = _checked_sources(
        [
            (
                path,
                f"read_csv({sql_string_list([path])}, header = false, columns = {columns}, "
                "delim = ',', quote = '\"', escape = '\"', auto_detect = false, "
                "null_padding = true, parallel = false)",
            )
            for path in paths
        ],
        where="TRUE",
        checks=[_postcode_check(postcode), *(_gss_code_check(h) for h in (lad, ward) if h)],
        first_row=1,
    )
    select = f"""
        SELECT {postcode_sql(_col(postcode))} AS postcode, {_code_sql(lad)} AS lad_code,
               {_code_sql(ward)} AS ward_code, NULL::VARCHAR AS lsoa_code,
               NULL::VARCHAR AS lsoa_vintage, NULL::VARCHAR AS region_code,
               NULL::DOUBLE AS latitude, NULL::DOUBLE AS longitude, NULL::INTEGER AS imd_rank,
               TRUE AS is_live, 'OS Code-Point Open'::VARCHAR AS source
        FROM ({checked}) WHERE _reason IS NULL
    """
    return _write(
        "postcodes",
        version,
        Path(output_dir),
        select,
        [*paths, Path(headers_file)],
        rejects_sql=_rejects_select(checked),
    )


# --- deprivation ------------------------------------------------------------------------------


def load_deprivation(
    file: Path | str, *, output_dir: Path | str, index_vintage: str
) -> RefdataResult:
    """Load English IoD LSOA scores, ranks and deciles (official File 7 or the tidy tables).

    ``index_vintage`` is "2019" or "2025"; it is stored with every row and is the version label.
    Decile 1 is the most deprived tenth of LSOAs nationally.
    """
    path = Path(file)
    headers, delimiter = _read_header(path)
    lsoa21 = _pick(headers, path, "lsoa21code", "lsoacode2021", "lsoa21cd", required=False)
    lsoa11 = _pick(headers, path, "lsoa11code", "lsoacode2011", "lsoa11cd", required=False)
    if lsoa21 is None and lsoa11 is None:
        raise RefdataError(f"{path.name}: no LSOA code column (LSOA code (2011) or (2021))")
    lsoa, lsoa_vintage = (lsoa21, "2021") if lsoa21 else (lsoa11, "2011")
    decile = _pick(headers, path, "imddecile", r"indexofmultipledeprivationimddecile.*")
    rank = _pick(headers, path, "imdrank", r"indexofmultipledeprivationimdrank.*", required=False)
    score = _pick(
        headers, path, "imdscore", r"indexofmultipledeprivationimdscore.*", required=False
    )
    select = f"""
        SELECT trim({_col(lsoa)}) AS lsoa_code, {sql_string(lsoa_vintage)} AS lsoa_vintage,
               CAST({_col(decile)} AS TINYINT) AS imd_decile,
               TRY_CAST({_col(rank)} AS INTEGER) AS imd_rank,
               TRY_CAST({_col(score)} AS DECIMAL(9, 3)) AS imd_score,
               {sql_string(index_vintage)} AS index_vintage
        FROM {_read_csv([path], delimiter)}
        WHERE nullif(trim({_col(lsoa)}), '') IS NOT NULL
    """
    return _write("deprivation", index_vintage, Path(output_dir), select, [path])


# --- authorities ------------------------------------------------------------------------------


def load_lad_to_combined_authority(
    file: Path | str, *, output_dir: Path | str, version: str
) -> RefdataResult:
    """Load district -> combined authority (and region) from ONS's LADnn_CAUTHnn lookup or
    mySociety's local authority table.

    mySociety gives the combined authority as its own three-letter code, which is joined back to
    the combined authority's row for the GSS code, and the region by name (mapped to RGN codes);
    its authority type and a district's county are kept, so local areas can be worked out for
    any English council (:mod:`commonweal.spend_engine.geography`). ONS's lookup lists only
    member districts and has no region or county.
    """
    path = Path(file)
    headers, delimiter = _read_header(path)
    source = _read_csv([path], delimiter)
    ons_lad = _pick(headers, path, r"lad\d\dcd", required=False)
    if ons_lad is not None:
        ca_code = _pick(headers, path, r"cauth\d\dcd")
        lad_name = _pick(headers, path, r"lad\d\dnm", required=False)
        ca_name = _pick(headers, path, r"cauth\d\dnm", required=False)
        select = f"""
            SELECT trim({_col(ons_lad)}) AS lad_code, {_col(lad_name)}::VARCHAR AS lad_name,
                   nullif(trim({_col(ca_code)}), '') AS ca_code, {_col(ca_name)}::VARCHAR AS ca_name,
                   NULL::VARCHAR AS region_code, NULL::VARCHAR AS authority_type,
                   NULL::VARCHAR AS county_code, NULL::VARCHAR AS county_name
            FROM {source}
        """
    else:
        _pick(headers, path, "localauthoritycode")
        regions = " ".join(
            f"WHEN {sql_string(name)} THEN {sql_string(code)}"
            for name, code in ENGLISH_REGION_CODES.items()
        )
        select = f"""
            WITH la AS (SELECT * FROM {source})
            SELECT la."gss-code" AS lad_code, la."nice-name" AS lad_name,
                   ca."gss-code" AS ca_code, ca."official-name" AS ca_name,
                   CASE lower(la.region) {regions} END AS region_code,
                   la."local-authority-type" AS authority_type,
                   county."gss-code" AS county_code, county."nice-name" AS county_name
            FROM la LEFT JOIN la AS ca ON ca."local-authority-code" = la."combined-authority"
            LEFT JOIN la AS county ON county."local-authority-code" = la."county-la"
            WHERE la."local-authority-type" <> 'COMB' AND la."gss-code" IS NOT NULL
              AND coalesce(la."current-authority", 'True') = 'True'
        """
    return _write("lad_to_combined_authority", version, Path(output_dir), select, [path])


# --- registers --------------------------------------------------------------------------------


def _company_number_sql(expression: str) -> str:
    cleaned = f"upper(regexp_replace({expression}, '\\s', '', 'g'))"
    return (
        f"CASE WHEN regexp_full_match({cleaned}, '\\d{{1,8}}') THEN lpad({cleaned}, 8, '0') "
        f"WHEN regexp_full_match({cleaned}, '[A-Z]{{2}}\\d{{1,6}}') "
        f"THEN left({cleaned}, 2) || lpad(substr({cleaned}, 3), 6, '0') END"
    )


def _category_case(mapping: dict[str, str], expression: str) -> str:
    whens = " ".join(f"WHEN {sql_string(k)} THEN {sql_string(v)}" for k, v in mapping.items())
    return f"CASE lower(trim({expression})) {whens} END"


def load_companies_house(
    files: Sequence[Path | str], *, output_dir: Path | str, version: str
) -> RefdataResult:
    """Load Companies House BasicCompanyData (all parts of the multi-part CSV).

    Keeps number, name, registered-office postcode, category, status, the previous names (up to
    ten, with a lookup key for every name: see ``company_history``), accounts category and the
    four SIC codes, plus a VCSE signal from the category and a weak SME signal from the accounts
    category (small and micro filers). A row without a valid company number is rejected (listed
    in ``rejects.csv``).
    """
    paths = [Path(f) for f in files]
    headers, delimiter = _read_header(paths[0], ",")
    number = _pick(headers, paths[0], "companynumber")
    name = _pick(headers, paths[0], "companyname")
    postcode = _pick(headers, paths[0], "regaddresspostcode")
    category = _pick(headers, paths[0], "companycategory")
    status = _pick(headers, paths[0], "companystatus")
    accounts = _pick(headers, paths[0], "accountsaccountcategory", required=False)
    sics = [_pick(headers, paths[0], f"siccodesictext{i}", required=False) for i in (1, 2, 3, 4)]
    previous = [
        _pick(headers, paths[0], f"previousname{i}companyname", required=False)
        for i in range(1, 11)
    ]
    previous_list = (
        "list_filter(["
        + ", ".join(f"nullif(trim({_col(p)}), '')" for p in previous)
        + "], lambda n: n IS NOT NULL)"
    )
    from commonweal.spend_engine.company_history import register_name_key_sql

    sic_list = ", ".join(f"nullif(trim({_col(s)}), '')" for s in sics)
    small = ", ".join(sql_string(c) for c in SMALL_ACCOUNTS_CATEGORIES)
    assert number is not None  # required
    checked = _checked_sources(
        [(path, _read_csv([path], delimiter)) for path in paths],
        where="TRUE",
        checks=[
            RowCheck(
                number,
                f"{_company_number_sql(_col(number))} IS NULL",
                "not a company number (8 digits, or 2 letters and 6 digits, like SC123456)",
            )
        ],
        first_row=2,
    )
    select = f"""
        SELECT {_company_number_sql(_col(number))} AS company_number, trim({_col(name)}) AS company_name,
               {postcode_sql(_col(postcode))} AS postcode, trim({_col(category)}) AS category,
               trim({_col(status)}) AS status, {previous_list} AS previous_names,
               list_transform(list_prepend(trim({_col(name)}), {previous_list}),
                              lambda n: {register_name_key_sql("n")}) AS name_keys,
               trim({_col(accounts)}) AS accounts_category,
               list_filter([{sic_list}], lambda s: s IS NOT NULL AND s <> 'None Supplied') AS sic_codes,
               {_category_case(VCSE_COMPANY_CATEGORIES, _col(category))} AS vcse_signal,
               lower(trim({_col(accounts)})) IN ({small}) AS small_accounts
        FROM ({checked}) WHERE _reason IS NULL
    """
    return _write(
        "companies", version, Path(output_dir), select, paths, rejects_sql=_rejects_select(checked)
    )


def load_charity_register(
    file: Path | str, *, output_dir: Path | str, version: str
) -> RefdataResult:
    """Load the Charity Commission's ``charity`` table (tab- or comma-separated extract).

    Main charities only (linked charity number 0 or blank); income is kept in whole pence. A
    row whose charity number or income is not one is rejected (listed in ``rejects.csv``).
    """
    path = Path(file)
    headers, delimiter = _read_header(path)
    number = _pick(headers, path, "registeredcharitynumber")
    linked = _pick(headers, path, "linkedcharitynumber", required=False)
    name = _pick(headers, path, "charityname")
    postcode = _pick(headers, path, "charitycontactpostcode", required=False)
    company = _pick(headers, path, "charitycompanyregistrationnumber", required=False)
    status = _pick(headers, path, "charityregistrationstatus", required=False)
    income = _pick(headers, path, "latestincome", required=False)
    is_cio = _pick(headers, path, "charityiscio", required=False)
    main_only = (
        "TRUE" if linked is None else f"coalesce(nullif(trim({_col(linked)}), ''), '0') = '0'"
    )
    assert number is not None  # required
    checks = [
        RowCheck(
            number,
            f"NOT regexp_full_match(coalesce(trim({_col(number)}), ''), '[0-9]{{6,8}}')",
            "not a registered charity number (6 to 8 digits, like 1000001)",
        )
    ]
    if income is not None:
        checks.append(
            RowCheck(
                income,
                f"nullif(trim({_col(income)}), '') IS NOT NULL "
                f"AND TRY_CAST({_col(income)} AS DECIMAL(18, 2)) IS NULL",
                "not an amount of money (like 185000.00)",
            )
        )
    # Linked (subsidiary) charities are left out by design, not rejected.
    checked = _checked_sources(
        [(path, _read_csv([path], delimiter))], where=main_only, checks=checks, first_row=2
    )
    select = f"""
        SELECT trim({_col(number)}) AS charity_number, trim({_col(name)}) AS charity_name,
               {postcode_sql(_col(postcode))} AS postcode,
               {_company_number_sql(_col(company))} AS company_number,
               trim({_col(status)}) AS registration_status,
               CAST(round(TRY_CAST({_col(income)} AS DECIMAL(18, 2)) * 100) AS BIGINT) AS latest_income_pence,
               lower(trim({_col(is_cio)})) IN ('true', 't', '1', 'yes') AS is_cio
        FROM ({checked}) WHERE _reason IS NULL
    """
    return _write(
        "charities", version, Path(output_dir), select, [path], rejects_sql=_rejects_select(checked)
    )


def load_charity_company_lookup(
    file: Path | str, *, output_dir: Path | str, version: str
) -> RefdataResult:
    """Load the charity number <-> company number cross-reference (org-id pairs, either order).

    Charities registered in England and Wales (GB-CHC), Scotland (GB-SC) and Northern Ireland
    (GB-NIC) are kept, with the regulator's prefix in ``regulator``.
    """
    path = Path(file)
    headers, delimiter = _read_header(path)
    first = _col(_pick(headers, path, "orgida"))
    second = _col(_pick(headers, path, "orgidb"))
    name = _pick(headers, path, "name", required=False)
    charity_pattern = "'GB-(CHC|SC|NIC)-.+'"
    charity = (
        f"CASE WHEN regexp_full_match({first}, {charity_pattern}) THEN {first} ELSE {second} END"
    )
    company = f"CASE WHEN {first} LIKE 'GB-COH-%' THEN {first} ELSE {second} END"
    select = f"""
        SELECT regexp_replace({charity}, '^GB-(CHC|SC|NIC)-', '') AS charity_number,
               regexp_extract({charity}, '^GB-(CHC|SC|NIC)-', 1) AS regulator,
               {_company_number_sql(f"substr({company}, 8)")} AS company_number,
               {_col(name)}::VARCHAR AS name
        FROM {_read_csv([path], delimiter)}
        WHERE (regexp_full_match({first}, {charity_pattern}) AND {second} LIKE 'GB-COH-%')
           OR (regexp_full_match({second}, {charity_pattern}) AND {first} LIKE 'GB-COH-%')
    """
    return _write("charity_company_numbers", version, Path(output_dir), select, [path])


# --- contract award notices (OCDS) -------------------------------------------------------------

#: OCDS party scales (partyScale codelist and UK usage) that mean a small or medium-sized firm.
OCDS_SME_SCALES = frozenset({"micro", "small", "medium", "sme"})


def load_ocds_suppliers(
    files: Sequence[Path | str], *, output_dir: Path | str, version: str
) -> RefdataResult:
    """Load the supplier parties of OCDS release or record packages (JSON, as Contracts Finder and
    Find a Tender publish them): Companies House number, name, scale (``sme`` or ``large``) and
    VCSE flag, each from the latest release that states it.

    Parties without a Companies House number (``GB-COH``) are left out: a name alone is not
    enough to carry a scale over to a council's supplier.
    """
    paths = [Path(f) for f in files]
    with tempfile.TemporaryDirectory() as scratch:
        staged = Path(scratch) / "suppliers.jsonl"
        found = 0
        with staged.open("w", encoding="utf-8") as out:
            for path in paths:
                for release in _ocds_releases(path):
                    for party in release.get("parties") or []:
                        row = _ocds_supplier_row(party, str(release.get("date") or ""))
                        if row is not None:
                            out.write(json.dumps(row) + "\n")
                            found += 1
        if not found:
            names = ", ".join(p.name for p in paths)
            raise RefdataError(
                f"{names}: no supplier with a Companies House number (an OCDS party with the "
                "role 'supplier' and a GB-COH identifier) in these releases"
            )
        number = _company_number_sql("company_number_text")
        select = f"""
            SELECT {number} AS company_number,
                   arg_max(supplier_name, release_date) AS supplier_name,
                   arg_max(scale, release_date) FILTER (WHERE scale IS NOT NULL) AS scale,
                   arg_max(vcse, release_date) FILTER (WHERE vcse IS NOT NULL) AS vcse,
                   max(release_date) AS latest_release_date
            FROM read_json({sql_string(staged)}, format = 'newline_delimited',
                           columns = {{company_number_text: 'VARCHAR', supplier_name: 'VARCHAR',
                                       scale: 'VARCHAR', vcse: 'BOOLEAN', release_date: 'VARCHAR'}})
            WHERE {number} IS NOT NULL
            GROUP BY 1
        """
        return _write("ocds_suppliers", version, Path(output_dir), select, paths)


def _ocds_releases(path: Path) -> Iterator[dict[str, Any]]:
    """The releases of a release package, the compiled releases of a record package, or a bare
    list of releases."""
    if not path.is_file():
        raise RefdataError(f"{path}: file not found")
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise RefdataError(f"{path.name}: not a JSON file ({error})") from error
    if isinstance(document, list):
        releases = document
    elif isinstance(document, dict) and "records" in document:
        releases = [
            record.get("compiledRelease") or (record.get("releases") or [{}])[-1]
            for record in document["records"] or []
            if isinstance(record, dict)
        ]
    elif isinstance(document, dict) and "releases" in document:
        releases = document["releases"] or []
    else:
        raise RefdataError(
            f"{path.name}: not an OCDS release or record package (no 'releases' or 'records')"
        )
    yield from (release for release in releases if isinstance(release, dict))


def _ocds_supplier_row(party: Any, release_date: str) -> dict[str, Any] | None:
    if not isinstance(party, dict) or "supplier" not in (party.get("roles") or []):
        return None
    identifiers = [party.get("identifier"), *(party.get("additionalIdentifiers") or [])]
    numbers = [
        str(i.get("id") or "")
        for i in identifiers
        if isinstance(i, dict) and str(i.get("scheme") or "").upper() == "GB-COH"
    ]
    party_id = str(party.get("id") or "")
    if not numbers and party_id.upper().startswith("GB-COH-"):
        numbers = [party_id[len("GB-COH-") :]]
    if not numbers:
        return None
    found_details = party.get("details")
    details: dict[str, Any] = found_details if isinstance(found_details, dict) else {}
    scale = str(details.get("scale") or "").strip().lower()
    vcse = details.get("vcse")
    if isinstance(vcse, str):
        vcse = {"true": True, "yes": True, "false": False, "no": False}.get(vcse.strip().lower())
    return {
        "company_number_text": numbers[0],
        "supplier_name": str(party.get("name") or ""),
        "scale": "sme" if scale in OCDS_SME_SCALES else "large" if scale == "large" else None,
        "vcse": vcse if isinstance(vcse, bool) else None,
        "release_date": release_date,
    }
