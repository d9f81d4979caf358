from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from commonweal.accounts.access import active_membership, request_user, require_council_admin
from commonweal.accounts.middleware import ACTIVE_MEMBERSHIP_KEY
from commonweal.accounts.models import Membership, User
from commonweal.accounts.organisation_pages import follow_job
from commonweal.accounts.roles import Role
from commonweal.commissioning.access import procurement_for_user, require_planner
from commonweal.commissioning.selectors import chosen_measures, issue_problems
from commonweal.commissioning.tender_pack import BIDDER_GUIDANCE, evaluation_method, offer_workbook
from commonweal.commissioning.views import DOCX, XLSX
from commonweal.core.downloads import attachment, csv_attachment
from commonweal.core.forms import add_validation_errors
from commonweal.core.jobs import job_start
from commonweal.core.uploads import reads_in_background, upload_forget, upload_keep
from commonweal.tenders import offline, services, tasks
from commonweal.tenders.access import (
    MANAGER_ROLES,
    own_offer,
    require_manager,
    signed_off_tender,
    submitted_offer_for_council,
    supplier_membership,
    tender_by_share_token,
    tender_for_council_member,
    tender_for_declaring,
    tender_with_offers,
)
from commonweal.tenders.evaluation import method_summary, report_csv, report_docx
from commonweal.tenders.forms import (
    AssignEvaluatorForm,
    AwardForm,
    ConfirmValueForm,
    DeclarationForm,
    DocumentForm,
    InviteForm,
    IssueForm,
    LineModerationForm,
    ModerationForm,
    OfferForm,
    PriceQualityForm,
    ReassignForm,
    RegisterForm,
    ScoreForm,
    WorkbookUploadForm,
)
from commonweal.tenders.models import AnswerScore, ModeratedScore, Offer, OfferDocument, Tender
from commonweal.tenders.offline import WorkbookProblems
from commonweal.tenders.selectors import (
    bidders,
    descriptor_scale,
    evaluation_panel,
    evaluation_record,
    evaluation_settings,
    result_for_offer,
    standing,
    tender_evaluation,
    tenders_for_council,
    tenders_for_supplier,
    value_draft,
)
from commonweal.valuation.money import plain_number

OFFER_WORKBOOK_PURPOSE = "offer-workbooks"

# --- Lists and issuing --------------------------------------------------------------------------


@login_required
def tender_list(request: HttpRequest) -> HttpResponse:
    membership = active_membership(request)
    organisation = membership.organisation
    if organisation.is_council:
        tenders = tenders_for_council(organisation)
    elif organisation.is_supplier:
        tenders = tenders_for_supplier([organisation.pk])
    else:
        raise Http404("No tenders here")
    return render(
        request,
        "tenders/tender_list.html",
        {"tenders": tenders, "is_supplier": organisation.is_supplier},
    )


@login_required
def tender_issue(request: HttpRequest, procurement_pk: int) -> HttpResponse:
    procurement, membership = procurement_for_user(request_user(request), procurement_pk)
    require_planner(membership)
    if hasattr(procurement, "tender"):
        return redirect("tenders:detail", pk=procurement.tender.pk)
    problems = issue_problems(procurement)
    form = IssueForm(request.POST or None)
    if request.method == "POST" and not problems and form.is_valid():
        deadline = timezone.make_aware(
            datetime.combine(form.cleaned_data["deadline_date"], form.cleaned_data["deadline_time"])
        )
        try:
            tender = services.tender_issue(
                procurement=procurement, deadline=deadline, by=request_user(request)
            )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            messages.success(request, f"Tender {tender.reference} issued")
            return redirect("tenders:detail", pk=tender.pk)
    return render(
        request,
        "tenders/issue.html",
        {"form": form, "procurement": procurement, "problems": problems},
    )


@login_required
def tender_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    tender, membership = tender_for_council_member(user, pk)
    position = standing(user, tender, membership)
    return render(
        request,
        "tenders/tender_detail.html",
        {
            "tender": tender,
            "is_manager": membership.role in MANAGER_ROLES,
            "is_admin": membership.role == Role.COUNCIL_ADMIN,
            "share_link": services.share_link(tender),
            "invitations": tender.invitations.all(),
            "invite_form": InviteForm(),
            "panel": evaluation_panel(tender),
            "has_evaluators": tender.evaluators.filter(stood_down_at__isnull=True).exists(),
            "standing": position,
            # The seal: the number of offers is shown only once the tender is opened.
            "offer_count": (
                tender.offers.filter(submissions__isnull=False).distinct().count()
                if tender.opened_at
                else None
            ),
        },
    )


@login_required
@require_POST
def tender_invite(request: HttpRequest, pk: int) -> HttpResponse:
    tender, membership = tender_for_council_member(request_user(request), pk)
    require_manager(membership)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            services.tender_invite(
                tender=tender, email=form.cleaned_data["email"], by=request_user(request)
            )
        except ValidationError as problem:
            messages.error(request, problem.messages[0])
        else:
            messages.success(request, f"Invitation sent to {form.cleaned_data['email']}")
    else:
        messages.error(
            request, "Enter an email address in the correct format, like name@example.com"
        )
    return redirect("tenders:detail", pk=tender.pk)


# --- Bidders ------------------------------------------------------------------------------------


def tender_join(request: HttpRequest, token: str) -> HttpResponse:
    """The share link: read the requirements, register free, or start an offer."""
    tender = tender_by_share_token(token)
    procurement = tender.procurement
    membership: Membership | None = getattr(request, "membership", None)
    form = None
    if not request.user.is_authenticated:
        form = RegisterForm(request.POST or None)
        if request.method == "POST" and not tender.is_past_deadline and form.is_valid():
            data = form.cleaned_data
            try:
                user = services.supplier_register(
                    organisation_name=data["organisation_name"],
                    company_number=data["company_number"],
                    postcode=data["postcode"],
                    is_sme=data["is_sme"] == "yes",
                    full_name=data["full_name"],
                    email=data["email"],
                    password=data["password"],
                )
            except ValidationError as problem:
                add_validation_errors(form, problem)
            else:
                login(request, user)  # the one backend in AUTHENTICATION_BACKENDS
                supplier_membership_row = user.memberships.get()
                request.session[ACTIVE_MEMBERSHIP_KEY] = supplier_membership_row.pk
                services.offer_start(
                    tender=tender, supplier=supplier_membership_row.organisation, by=user
                )
                messages.success(
                    request, f"You have registered {supplier_membership_row.organisation.name}"
                )
                return redirect("tenders:offer", pk=tender.pk)
    elif request.method == "POST":
        if membership is None or not membership.organisation.is_supplier:
            raise PermissionDenied("Switch to a supplier organisation to make an offer")
        try:
            services.offer_start(
                tender=tender, supplier=membership.organisation, by=request_user(request)
            )
        except ValidationError as problem:
            messages.error(request, problem.messages[0])
            return redirect("tenders:join", token=token)
        return redirect("tenders:offer", pk=tender.pk)
    return render(
        request,
        "tenders/join.html",
        {
            "tender": tender,
            "procurement": procurement,
            "form": form,
            "measures": chosen_measures(procurement),
            "method": evaluation_method(procurement),
            "guidance": BIDDER_GUIDANCE,
            "questions": procurement.questions.all(),
            "years": range(1, procurement.contract_years + 1),
            "is_supplier": membership is not None and membership.organisation.is_supplier,
        },
    )


def _offer_context(tender: Tender, offer: Offer) -> dict[str, Any]:
    procurement = tender.procurement
    try:
        valuation = value_draft(offer)
    except ValueError as problem:
        valuation, valuation_error = None, str(problem)
    else:
        valuation_error = ""
    return {
        "tender": tender,
        "offer": offer,
        "procurement": procurement,
        "valuation": valuation,
        "valuation_error": valuation_error,
        "submissions": offer.submissions.all(),
        "latest": offer.latest_submission(),
        "documents": offer.documents.all(),
        "document_form": DocumentForm(),
        "guidance": BIDDER_GUIDANCE,
        "method": evaluation_method(procurement),
    }


@login_required
def offer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    tender, offer = own_offer(request_user(request), pk)
    procurement = tender.procurement
    measures = chosen_measures(procurement)
    questions = list(procurement.questions.all())
    initial: dict[str, Any] = {
        f"q_{line.measure.code}_{line.contract_year}": plain_number(line.quantity)
        for line in offer.lines.select_related("measure")
    }
    initial.update({f"a_{a.question_id}": a.text for a in offer.answers.all()})
    for line in offer.lines.select_related("measure"):
        if line.people:
            initial[f"people_{line.measure.code}"] = line.people
        if line.activity:
            initial[f"activity_{line.measure.code}"] = line.activity
    initial["workforce_fte"] = offer.workforce_fte
    form = OfferForm(
        request.POST or None,
        initial=initial,
        measures=measures,
        years=procurement.contract_years,
        questions=questions,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_save_draft(
                offer=offer,
                by=request_user(request),
                quantities=form.quantities(),
                answers=form.answers(),
                workforce_fte=form.cleaned_data.get("workforce_fte"),
                people=form.people(),
                activities=form.activities(),
            )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            if request.POST.get("action") == "check":
                return redirect("tenders:offer-check", pk=tender.pk)
            messages.success(request, "Draft saved. Nothing is submitted until you submit it.")
            return redirect("tenders:offer", pk=tender.pk)
    context = _offer_context(tender, offer)
    valuation = context["valuation"]
    value_by_measure = valuation.by_measure if valuation else {}
    context.update(
        {
            "form": form,
            "rows": [
                (measure, [form[name] for name in names], value_by_measure.get(measure.code))
                for measure, names in form.rows
            ],
            "answer_fields": [form[name] for _, name in form.question_fields],
            "detail_fields": [form[name] for name in form.detail_fields],
            "written_measures": form.written,
            "years": range(1, procurement.contract_years + 1),
        }
    )
    return render(request, "tenders/offer_edit.html", context)


@login_required
def offer_check(request: HttpRequest, pk: int) -> HttpResponse:
    tender, offer = own_offer(request_user(request), pk)
    context = _offer_context(tender, offer)
    context["answers"] = [
        (number, q, offer.answers.filter(question=q).first())
        for number, q in enumerate(tender.procurement.questions.all(), start=1)
    ]
    context["lines"] = offer.lines.select_related("measure")
    return render(request, "tenders/offer_check.html", context)


@login_required
@require_POST
def offer_submit(request: HttpRequest, pk: int) -> HttpResponse:
    tender, offer = own_offer(request_user(request), pk)
    try:
        submission = services.offer_submit(offer=offer, by=request_user(request))
    except ValidationError as problem:
        for message in problem.messages:
            messages.error(request, message)
        return redirect("tenders:offer-check", pk=tender.pk)
    return redirect("tenders:offer-confirmation", pk=tender.pk, number=submission.number)


@login_required
def offer_confirmation(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    tender, offer = own_offer(request_user(request), pk)
    submission = get_object_or_404(offer.submissions, number=number)
    return render(
        request, "tenders/offer_confirmation.html", {"tender": tender, "submission": submission}
    )


@login_required
def offer_workbook_download(request: HttpRequest, pk: int) -> HttpResponse:
    tender, offer = own_offer(request_user(request), pk)
    quantities = {
        (line.measure.code, line.contract_year): line.quantity
        for line in offer.lines.select_related("measure")
    }
    answers = {a.question_id: a.text for a in offer.answers.all()}
    lines = list(offer.lines.select_related("measure"))
    content = offer_workbook(
        tender.procurement,
        quantities=quantities,
        answers=answers,
        supplier_name=offer.supplier.name,
        people={line.measure.code: line.people for line in lines if line.people},
        activities={line.measure.code: line.activity for line in lines if line.activity},
        workforce_fte=offer.workforce_fte,
    )
    return attachment(content, XLSX, f"offer-{tender.reference}.xlsx")


@login_required
def offer_upload(request: HttpRequest, pk: int) -> HttpResponse:
    tender, offer = own_offer(request_user(request), pk)
    form = WorkbookUploadForm(request.POST or None, request.FILES or None)
    problems: list[Any] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["workbook"]
        path = upload_keep(upload, purpose=OFFER_WORKBOOK_PURPOSE)
        if reads_in_background(path):
            job = job_start(
                organisation=offer.supplier,
                kind="offer_workbook",
                title=f"Reading your offer workbook for {tender}",
                by=request_user(request),
                task=tasks.import_offer_workbook,
                args=[offer.pk, str(path), upload.name, request_user(request).pk],
            )
            return follow_job(job)
        try:
            offline.offer_workbook_import(
                offer=offer, path=path, name=upload.name, by=request_user(request)
            )
        except WorkbookProblems as found:
            problems = found.problems
            form.add_error(
                "workbook",
                f"The workbook has {len(problems)} problem{'s' if len(problems) != 1 else ''}; nothing has been saved",
            )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            messages.success(
                request,
                "Your workbook has been read and saved as your draft. Check it, then submit.",
            )
            return redirect("tenders:offer-check", pk=tender.pk)
        finally:
            upload_forget(path)
    return render(
        request, "tenders/offer_upload.html", {"form": form, "tender": tender, "problems": problems}
    )


@login_required
@require_POST
def offer_document_add(request: HttpRequest, pk: int) -> HttpResponse:
    tender, offer = own_offer(request_user(request), pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.offer_attach_document(
                offer=offer, by=request_user(request), upload=form.cleaned_data["file"]
            )
        except ValidationError as problem:
            for message in problem.messages:
                messages.error(request, message)
        else:
            messages.success(request, "Document attached")
    else:
        messages.error(request, "Select a file to attach")
    return redirect("tenders:offer", pk=tender.pk)


@login_required
def offer_document_download(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    """The supplier's own document; or, after opening, one that was part of an offer's latest
    submission, for the people who may read offers."""
    user = request_user(request)
    if supplier_membership(user):
        _, offer = own_offer(user, pk)
        document = offer.documents.filter(pk=document_pk).first()
    else:
        tender, _, _ = tender_with_offers(user, pk)
        document = OfferDocument.objects.filter(offer__tender=tender, pk=document_pk).first()
        latest = document.offer.latest_submission() if document else None
        # A document attached after the last submission was never submitted: it stays sealed.
        if latest is None or (document and document.uploaded_at > latest.submitted_at):
            document = None
    if document is None:
        raise Http404("No such document")
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.name)


# --- Opening and evaluation ---------------------------------------------------------------------


@login_required
@require_POST
def tender_open(request: HttpRequest, pk: int) -> HttpResponse:
    tender, membership = tender_for_council_member(request_user(request), pk)
    require_manager(membership)
    try:
        services.tender_open(tender=tender, by=request_user(request))
    except ValidationError as problem:
        messages.error(request, problem.messages[0])
    else:
        messages.success(
            request, "The offers are open. Opening has been recorded in the audit trail."
        )
    return redirect("tenders:detail", pk=tender.pk)


@login_required
def evaluator_assign(request: HttpRequest, pk: int) -> HttpResponse:
    tender, membership = tender_for_council_member(request_user(request), pk)
    require_manager(membership)
    candidates = (
        User.objects.filter(
            memberships__organisation=tender.council,
            memberships__role__in=[Role.EVALUATOR, Role.COMMISSIONER, Role.COUNCIL_ADMIN],
        )
        .exclude(evaluator_assignments__tender=tender)
        .order_by("full_name")
    )
    form = AssignEvaluatorForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluator_assign(
                tender=tender, evaluator=form.cleaned_data["evaluator"], by=request_user(request)
            )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            messages.success(request, f"{form.cleaned_data['evaluator']} is an evaluator")
            return redirect("tenders:detail", pk=tender.pk)
    return render(request, "tenders/evaluator_assign.html", {"form": form, "tender": tender})


@login_required
def evaluator_declare(request: HttpRequest, pk: int) -> HttpResponse:
    """Declare conflicts of interest, per named bidder, once the offers are opened."""
    user = request_user(request)
    tender, _, position = tender_for_declaring(user, pk)
    offers = bidders(tender)
    first = not position.conflicted_with and len(position.undeclared) == len(offers)
    choosable = [o for o in offers if o.supplier.name not in position.conflicted_with]
    form = DeclarationForm(request.POST or None, bidders=choosable, first=first)
    if request.method == "POST" and form.is_valid():
        try:
            services.conflicts_declare(
                tender=tender,
                conflicted_with=form.conflicted_offers(),
                details=form.cleaned_data["details"],
                by=user,
            )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            messages.success(request, "Declaration recorded in the audit trail")
            return redirect("tenders:detail", pk=tender.pk)
    return render(
        request,
        "tenders/declaration.html",
        {"form": form, "tender": tender, "first": first, "standing": position},
    )


@login_required
def evaluator_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    """A council admin stands an evaluator down and gives their work to someone else."""
    user = request_user(request)
    tender, membership = tender_for_council_member(user, pk)
    require_council_admin(membership)
    if tender.signed_off_at is not None:
        raise PermissionDenied("The evaluation has been signed off; nothing in it can change")
    active = tender.evaluators.filter(stood_down_at__isnull=True).select_related("evaluator")
    candidates = (
        User.objects.filter(
            memberships__organisation=tender.council,
            memberships__role__in=[Role.EVALUATOR, Role.COMMISSIONER, Role.COUNCIL_ADMIN],
        )
        .exclude(evaluator_assignments__tender=tender)
        .exclude(conflict_declarations__tender=tender, conflict_declarations__has_conflict=True)
        .distinct()
        .order_by("full_name")
    )
    form = ReassignForm(request.POST or None, assignments=active, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.evaluator_reassign(
                assignment=form.cleaned_data["assignment"],
                replacement=form.cleaned_data["replacement"],
                reason=form.cleaned_data["reason"],
                by=user,
            )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            messages.success(request, f"{new.evaluator} now evaluates this tender")
            return redirect("tenders:detail", pk=tender.pk)
    return render(request, "tenders/evaluator_reassign.html", {"form": form, "tender": tender})


@login_required
def offer_list(request: HttpRequest, pk: int) -> HttpResponse:
    tender, membership, _ = tender_with_offers(request_user(request), pk)
    results = tender_evaluation(tender)
    offers = {
        o.latest_submission().reference: o  # type: ignore[union-attr]
        for o in tender.offers.filter(submissions__isnull=False).distinct()
    }
    return render(
        request,
        "tenders/offer_list.html",
        {
            "tender": tender,
            "rows": [(r, offers[r.bidder.reference]) for r in results],
            "is_manager": membership.role in MANAGER_ROLES,
        },
    )


@login_required
def offer_detail(request: HttpRequest, pk: int, offer_pk: int) -> HttpResponse:
    tender, offer, membership, position = submitted_offer_for_council(
        request_user(request), pk, offer_pk
    )
    user = request_user(request)
    results = tender_evaluation(tender)
    result = result_for_offer(results, offer)
    submission = offer.latest_submission()
    assert submission is not None
    scale = descriptor_scale(tender.procurement.descriptor_scale)
    levels = [(level.label, f"{level.label}: {level.description}") for level in scale.levels]
    assignment = position.assignment
    may_score = assignment is not None and position.may_evaluate and tender.signed_off_at is None
    questions = list(tender.procurement.questions.all())
    forms_by_question = []
    posted_question = request.POST.get("question") if request.method == "POST" else None
    for number, question in enumerate(questions, start=1):
        own = (
            AnswerScore.objects.filter(
                assignment=assignment, offer=offer, question=question
            ).first()
            if assignment
            else None
        )
        data = request.POST if posted_question == str(question.pk) else None
        form = ScoreForm(
            data,
            levels=levels,
            prefix=f"q{question.pk}",
            initial={"level": own.level, "rationale": own.rationale} if own else None,
        )
        if data is not None and may_score and form.is_valid():
            assert assignment is not None
            try:
                services.answer_score_record(
                    assignment=assignment,
                    offer=offer,
                    question=question,
                    level=form.cleaned_data["level"],
                    rationale=form.cleaned_data["rationale"],
                    by=user,
                )
            except ValidationError as problem:
                add_validation_errors(form, problem)
            else:
                messages.success(request, f"Your score for question {number} is saved")
                return redirect("tenders:offer-detail", pk=tender.pk, offer_pk=offer.pk)
        answer = submission.answers.get(str(question.pk), "")
        forms_by_question.append((number, question, answer, form, own))
    if request.method == "POST" and not may_score:
        raise PermissionDenied("Only an evaluator who declared no conflict scores answers")
    return render(
        request,
        "tenders/offer_detail.html",
        {
            "tender": tender,
            "offer": offer,
            "submission": submission,
            "result": result,
            "questions": forms_by_question,
            "may_score": may_score,
            "may_moderate": position.may_evaluate and tender.signed_off_at is None,
            "is_manager": membership.role in MANAGER_ROLES,
            "documents": offer.documents.filter(uploaded_at__lte=submission.submitted_at),
            "confirm_form": ConfirmValueForm(),
        },
    )


def _line_result(result: Any, measure_code: str, contract_year: int) -> Any:
    for comparison in result.comparisons if result else ():
        line = comparison.offered
        if line.measure_code == measure_code and line.contract_year == contract_year:
            return comparison
    raise Http404("No such line in this offer")


@login_required
def line_moderate(
    request: HttpRequest, pk: int, offer_pk: int, measure_code: str, contract_year: int
) -> HttpResponse:
    """Evaluate one offered line at a lower quantity, set it aside, or restore it as offered."""
    user = request_user(request)
    tender, offer, _, position = submitted_offer_for_council(user, pk, offer_pk)
    if not position.may_evaluate or tender.signed_off_at is not None:
        raise PermissionDenied("Only evaluators with no conflict moderate, until sign-off")
    comparison = _line_result(
        result_for_offer(tender_evaluation(tender), offer), measure_code, contract_year
    )
    form = LineModerationForm(
        request.POST or None, offered=comparison.offered, moderated=comparison.moderation
    )
    if request.method == "POST" and form.is_valid():
        decision = form.cleaned_data["decision"]
        try:
            if decision == "restore":
                services.offer_line_restore(
                    offer=offer,
                    measure_code=measure_code,
                    contract_year=contract_year,
                    reason=form.cleaned_data["reason"],
                    by=user,
                )
            else:
                services.offer_line_moderate(
                    offer=offer,
                    measure_code=measure_code,
                    contract_year=contract_year,
                    evaluated_quantity=form.cleaned_data.get("evaluated_quantity") or Decimal(0),
                    set_aside=decision == "set_aside",
                    reason=form.cleaned_data["reason"],
                    by=user,
                )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            messages.success(
                request, f"{measure_code} year {contract_year} moderated; the reason is recorded"
            )
            return redirect("tenders:offer-detail", pk=tender.pk, offer_pk=offer.pk)
    return render(
        request,
        "tenders/line_moderate.html",
        {"form": form, "tender": tender, "offer": offer, "line": comparison},
    )


@login_required
@require_POST
def offer_value_confirm(request: HttpRequest, pk: int, offer_pk: int) -> HttpResponse:
    """Confirm an implausible offer's value as it stands, with the reason."""
    user = request_user(request)
    tender, offer, _, position = submitted_offer_for_council(user, pk, offer_pk)
    if not position.may_evaluate or tender.signed_off_at is not None:
        raise PermissionDenied("Only evaluators with no conflict confirm values, until sign-off")
    form = ConfirmValueForm(request.POST)
    if form.is_valid():
        try:
            services.offer_plausibility_confirm(
                offer=offer, reason=form.cleaned_data["reason"], by=user
            )
        except ValidationError as problem:
            for message in problem.messages:
                messages.error(request, message)
        else:
            messages.success(request, "The offer's value is confirmed; the reason is recorded")
    else:
        messages.error(request, "Write why the offer's value can stand")
    return redirect("tenders:offer-detail", pk=tender.pk, offer_pk=offer.pk)


@login_required
def offer_moderate(request: HttpRequest, pk: int, offer_pk: int) -> HttpResponse:
    tender, offer, membership, _ = submitted_offer_for_council(request_user(request), pk, offer_pk)
    require_manager(membership)
    if tender.signed_off_at is not None:
        raise PermissionDenied("The evaluation has been signed off; nothing in it can change")
    scale = descriptor_scale(tender.procurement.descriptor_scale)
    levels = [(level.label, f"{level.label}: {level.description}") for level in scale.levels]
    posted = request.POST.get("question") if request.method == "POST" else None
    items = []
    for number, question in enumerate(tender.procurement.questions.all(), start=1):
        agreed = ModeratedScore.objects.filter(offer=offer, question=question).first()
        data = request.POST if posted == str(question.pk) else None
        form = ModerationForm(
            data,
            levels=levels,
            prefix=f"q{question.pk}",
            initial={"level": agreed.level, "notes": agreed.notes} if agreed else None,
        )
        if data is not None and form.is_valid():
            try:
                services.moderation_record(
                    offer=offer,
                    question=question,
                    level=form.cleaned_data["level"],
                    notes=form.cleaned_data["notes"],
                    by=request_user(request),
                )
            except ValidationError as problem:
                add_validation_errors(form, problem)
            else:
                messages.success(request, f"Consensus for question {number} recorded")
                return redirect("tenders:offer-moderate", pk=tender.pk, offer_pk=offer.pk)
        scores = AnswerScore.objects.filter(offer=offer, question=question).select_related(
            "assignment__evaluator"
        )
        items.append((number, question, scores, form))
    price_form = PriceQualityForm(
        request.POST if posted == "price" else None,
        initial={"price_marks": offer.price_marks, "quality_marks": offer.quality_marks},
    )
    if posted == "price" and price_form.is_valid():
        try:
            services.price_quality_record(
                offer=offer,
                price_marks=price_form.cleaned_data["price_marks"],
                quality_marks=price_form.cleaned_data["quality_marks"],
                by=request_user(request),
            )
        except ValidationError as problem:
            add_validation_errors(price_form, problem)
        else:
            messages.success(request, "Price and quality scores saved")
            return redirect("tenders:offer-moderate", pk=tender.pk, offer_pk=offer.pk)
    return render(
        request,
        "tenders/offer_moderate.html",
        {"tender": tender, "offer": offer, "items": items, "price_form": price_form},
    )


@login_required
def evaluation(request: HttpRequest, pk: int) -> HttpResponse:
    tender, membership, position = tender_with_offers(request_user(request), pk)
    results = tender_evaluation(tender)
    return render(
        request,
        "tenders/evaluation.html",
        {
            "tender": tender,
            "results": results,
            "complete": bool(results) and all(r.overall is not None for r in results),
            "is_manager": membership.role in MANAGER_ROLES,
            "standing": position,
            "record": evaluation_record(tender, results),
            "method": method_summary(evaluation_settings(tender)),
        },
    )


@login_required
@require_POST
def evaluation_sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    tender, _, _ = tender_with_offers(request_user(request), pk)
    try:
        services.evaluation_sign_off(tender=tender, by=request_user(request))
    except ValidationError as problem:
        for message in problem.messages:
            messages.error(request, message)
        return redirect("tenders:evaluation", pk=tender.pk)
    if tender.signed_off_at is None:
        messages.success(
            request,
            "You have signed these results. The evaluation locks when "
            f"{services.sign_off_people(tender)} people with no conflict of interest have signed "
            "the same results.",
        )
        return redirect("tenders:evaluation", pk=tender.pk)
    messages.success(request, "The evaluation is signed off and locked")
    return redirect("tenders:report", pk=tender.pk)


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    tender, membership = signed_off_tender(request_user(request), pk)
    results = tender_evaluation(tender)
    return render(
        request,
        "tenders/report.html",
        {
            "tender": tender,
            "results": results,
            "record": evaluation_record(tender, results),
            "method": method_summary(evaluation_settings(tender)),
            "may_award": membership.role in MANAGER_ROLES and tender.awarded_at is None,
        },
    )


@login_required
def report_docx_download(request: HttpRequest, pk: int) -> HttpResponse:
    tender, _ = signed_off_tender(request_user(request), pk)
    results = tender_evaluation(tender)
    content = report_docx(
        title=tender.title,
        council=tender.council.name,
        reference=tender.reference,
        results=results,
        method=method_summary(evaluation_settings(tender)),
        record=evaluation_record(tender, results),
    )
    return attachment(content, DOCX, f"evaluation-{tender.reference}.docx")


@login_required
def report_csv_download(request: HttpRequest, pk: int) -> HttpResponse:
    tender, _ = signed_off_tender(request_user(request), pk)
    response = csv_attachment(f"evaluation-{tender.reference}.csv")
    results = tender_evaluation(tender)
    response.write(report_csv(results, evaluation_record(tender, results)))
    return response


@login_required
def tender_award(request: HttpRequest, pk: int) -> HttpResponse:
    tender, membership = signed_off_tender(request_user(request), pk)
    require_manager(membership)
    if tender.awarded_at is not None:
        return redirect("contracts:detail", pk=tender.contract_id)
    candidates = User.objects.filter(
        memberships__organisation=tender.council,
        memberships__role__in=[Role.CONTRACT_MANAGER, Role.COMMISSIONER, Role.COUNCIL_ADMIN],
    ).order_by("full_name")
    form = AwardForm(request.POST or None, candidates=candidates)
    results = tender_evaluation(tender)
    winner = next((r for r in results if r.rank == 1), None)
    if request.method == "POST" and form.is_valid():
        try:
            contract = services.tender_award(
                tender=tender,
                start_date=form.cleaned_data["start_date"],
                contract_manager=form.cleaned_data["contract_manager"],
                by=request_user(request),
            )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            messages.success(
                request, "Awarded. The contract and its commitments have been created."
            )
            return redirect("contracts:detail", pk=contract.pk)
    return render(request, "tenders/award.html", {"form": form, "tender": tender, "winner": winner})
