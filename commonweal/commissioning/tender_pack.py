"""The tender pack bidders receive: requirements, evaluation method in plain words, guidance,
written questions; as HTML (template), DOCX, and an offline offer workbook (XLSX)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from io import BytesIO

from docx import Document
from openpyxl import Workbook
from openpyxl.styles import Font, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from commonweal.commissioning.models import Procurement, ScoringMethod
from commonweal.commissioning.selectors import chosen_measures
from commonweal.core.exports import workbook_bytes
from commonweal.core.templatetags.govuk import pounds

QUANTITIES_SHEET = "Quantities"
ANSWERS_SHEET = "Written answers"
README_SHEET = "Read me"
FIXED_COLUMNS = ("Measure code", "Measure", "Unit")
PEOPLE_COLUMN = "People (your references, never names)"
ACTIVITY_COLUMN = "Activity or programme"
WORKFORCE_SHEET = "Workforce"
WORKFORCE_LABEL = "Workforce delivering this contract, in full-time equivalents"
PEOPLE_TAGS = frozenset({"local-employment", "disadvantaged"})


def _percent(value: Decimal | None) -> str:
    return f"{(value or Decimal(0)).normalize():f}%"


def evaluation_method(procurement: Procurement) -> list[str]:
    """The evaluation method in plain words, one paragraph per point."""
    quantitative = procurement.social_value_quantitative_percent or Decimal(0)
    qualitative = procurement.social_value_qualitative_percent or Decimal(0)
    total = quantitative + qualitative
    lines = [
        f"Social value is worth {_percent(total)} of the total score: {_percent(quantitative)} "
        f"for the social value you offer (the quantities you commit to) and {_percent(qualitative)} "
        "for your written answers about how you will deliver it.",
        f"Price is worth {_percent(procurement.price_percent)} and quality "
        f"{_percent(procurement.quality_percent)}; they are scored in the council's tender system.",
    ]
    method = procurement.scoring_method
    if method == ScoringMethod.RELATIVE_TO_BEST:
        lines.append(
            "We value each offer in pounds using the council's published measure set. The offer "
            "with the highest value gets full marks; every other offer gets its value divided by "
            "the highest value, times the marks available."
        )
    elif method == ScoringMethod.TARGET:
        lines.append(
            "We value each offer in pounds and divide it by the contract value to get pence of "
            f"social value per £1. An offer of {procurement.target_pence_per_pound}p per £1 or more "
            "gets full marks; below that, marks are in proportion to the target."
        )
    elif method == ScoringMethod.PERCENT_OF_CONTRACT:
        lines.append(
            "We value each offer in pounds as a percentage of the contract value. An offer worth "
            f"{procurement.full_marks_at_percent}% of the contract value or more gets full marks; "
            "below that, marks are in proportion."
        )
    if qualitative:
        scale = procurement.get_descriptor_scale_display()
        lines.append(
            f"Each evaluator scores each written answer on its own on the {scale} scale and "
            "writes down why; the evaluators then meet and agree one score for each answer. "
            "Each question carries an equal share of the marks for written answers."
        )
    lines.append(
        "Only activity in the local area that is due to this contract counts. We check each "
        "offer against published counting rules (for example, jobs count as full-time "
        "equivalents in each contract year) and tell you of anything that does not count."
    )
    return lines


BIDDER_GUIDANCE = [
    "Enter a quantity for each measure and each contract year, in the unit shown. Leave a year "
    "blank or enter 0 when you offer nothing that year.",
    "Offer only what you can deliver and evidence: what you offer becomes a commitment in the "
    "contract, and you will report delivery with evidence.",
    "You can work offline: download the offer workbook, fill it in, and upload it. We will list "
    "every problem by sheet, row and column, and save nothing until it is right.",
    "You can save a draft, and submit and resubmit as often as you like until the deadline. "
    "Your latest submission is the one we evaluate. We cannot accept offers after the deadline.",
    "Your offer is sealed: nobody at the council can see it, or how many offers there are, "
    "until the deadline has passed.",
]


def tender_pack_docx(procurement: Procurement) -> bytes:
    document = Document()
    document.add_heading(f"Social value requirements: {procurement.title}", level=0)
    document.add_paragraph(
        f"{procurement.council.name}. Category: {procurement.get_category_display()} "
        f"(CPV {procurement.cpv_code}). Estimated value {pounds(procurement.estimated_value_pence)} "
        f"including VAT over {procurement.duration_months} months."
    )
    document.add_heading("The social value we ask for", level=1)
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, ("Code", "Measure", "Unit", "Evidence you will need"), strict=True
    ):
        cell.text = text
    for measure in chosen_measures(procurement):
        row = table.add_row().cells
        row[0].text = measure.code
        row[1].text = measure.title
        row[2].text = measure.unit
        row[3].text = measure.evidence_expected or "—"
    document.add_heading("How we will evaluate offers", level=1)
    for line in evaluation_method(procurement):
        document.add_paragraph(line)
    document.add_heading("Guidance for bidders", level=1)
    for line in BIDDER_GUIDANCE:
        document.add_paragraph(line, style="List Bullet")
    questions = list(procurement.questions.all())
    if questions:
        document.add_heading("Written questions", level=1)
        for number, question in enumerate(questions, start=1):
            document.add_paragraph(f"Question {number}: {question.text}", style="List Number")
            if question.guidance:
                document.add_paragraph(f"A good answer covers: {question.guidance}")
            document.add_paragraph(f"Up to {question.word_limit} words.")
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def offer_workbook(
    procurement: Procurement,
    *,
    quantities: Mapping[tuple[str, int], Decimal] | None = None,
    answers: Mapping[int, str] | None = None,
    supplier_name: str = "",
    people: Mapping[str, str] | None = None,
    activities: Mapping[str, str] | None = None,
    workforce_fte: Decimal | None = None,
) -> bytes:
    """An offer workbook listing the chosen measures with their unit, a column per contract
    year, and columns for the people and activity behind each measure; the workforce on its
    own sheet. Filled in with a bidder's draft when given. Written measures are answered in
    words, so they have no row."""
    quantities = quantities or {}
    answers = answers or {}
    people = people or {}
    activities = activities or {}
    years = procurement.contract_years
    workbook = Workbook()
    readme = workbook.active
    assert readme is not None
    readme.title = README_SHEET
    for row in (
        [f"Offer workbook: {procurement.title}"],
        [f"Council: {procurement.council.name}"],
        [f"Bidder: {supplier_name}" if supplier_name else "Bidder: (your organisation)"],
        [],
        [
            "Fill in the 'Quantities' sheet: one number per measure and contract year, in the unit "
            "shown. Leave a cell blank for nothing."
        ],
        [
            "In the last two columns, give your own references for the people a job measure is "
            "about (like H1, H2; never names) and the activity behind a measure, so the council "
            "can check nobody and nothing counts twice."
        ],
        [
            "On the 'Workforce' sheet, give the size of the workforce delivering the contract: "
            "volunteering and training hours are checked against it."
        ],
        ["Fill in your answers on the 'Written answers' sheet, in column C."],
        ["Do not rename the sheets, change the measure codes or add columns."],
        ["Upload the workbook on the offer page. Nothing is saved until every problem is fixed."],
    ):
        readme.append(row)
    readme["A1"].font = Font(bold=True, size=14)

    sheet = workbook.create_sheet(QUANTITIES_SHEET)
    header = [
        *FIXED_COLUMNS,
        *(f"Year {year}" for year in range(1, years + 1)),
        PEOPLE_COLUMN,
        ACTIVITY_COLUMN,
    ]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    validation = DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Enter a number",
        error="Enter a number of at least 0 in the measure's unit, like 12.5",
    )
    sheet.add_data_validation(validation)
    counted = [m for m in chosen_measures(procurement) if m.value_type != "qualitative"]
    for row_number, measure in enumerate(counted, start=2):
        values: list[object] = [measure.code, measure.title, measure.unit]
        for year in range(1, years + 1):
            quantity = quantities.get((measure.code, year))
            values.append(float(quantity) if quantity is not None else None)
        names_people = bool(set(measure.tags) & PEOPLE_TAGS)
        values.append(people.get(measure.code, "") if names_people else "not asked")
        values.append(activities.get(measure.code, ""))
        sheet.append(values)
        for column in range(4, 4 + years):
            cell = sheet.cell(row=row_number, column=column)
            cell.protection = Protection(locked=False)
            validation.add(cell)
        for column in range(4 + years, 6 + years):
            sheet.cell(row=row_number, column=column).protection = Protection(locked=False)
    sheet.column_dimensions["B"].width = 60
    sheet.freeze_panes = "D2"

    workforce = workbook.create_sheet(WORKFORCE_SHEET)
    workforce.append(["Question", "Your answer"])
    for cell in workforce[1]:
        cell.font = Font(bold=True)
    workforce.append([WORKFORCE_LABEL, float(workforce_fte) if workforce_fte is not None else None])
    workforce.column_dimensions["A"].width = 70

    answers_sheet = workbook.create_sheet(ANSWERS_SHEET)
    answers_sheet.append(["Question number", "Question", "Your answer"])
    for cell in answers_sheet[1]:
        cell.font = Font(bold=True)
    for number, question in enumerate(procurement.questions.all(), start=1):
        answers_sheet.append([number, question.text, answers.get(question.pk, "")])
    answers_sheet.column_dimensions["B"].width = 60
    answers_sheet.column_dimensions["C"].width = 80
    return workbook_bytes(workbook)
