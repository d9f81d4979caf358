"""Pages for a partnership and its charter: the partnership, its charter versions and
principles, inviting signatories, signing and pledging, progress returns and their review."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from commonweal.accounts.access import active_membership, request_user
from commonweal.accounts.roles import COUNCIL_EDITOR_ROLES
from commonweal.core.forms import add_validation_errors
from commonweal.core.views import PAGE_SIZE, carry_out, querystring_without_page
from commonweal.fairwork.access import assessment_for_user
from commonweal.financial_years import financial_year_label, financial_year_of
from commonweal.monitoring.evidence import EvidenceRefused
from commonweal.partnership import exports, selectors, services
from commonweal.partnership.access import (
    PartnershipAccess,
    evidence_for_user,
    is_coordinator,
    partnership_for_user,
    pledge_for_user,
    progress_return_for_user,
    signatory_for_user,
)
from commonweal.partnership.forms import (
    AdoptForm,
    CharterTextForm,
    CoordinatorForm,
    EndForm,
    InviteSignatoryForm,
    NetworkInviteForm,
    NetworkLinkForm,
    NetworkStartForm,
    PartnershipForm,
    PartnershipSettingsForm,
    PledgeCitationForm,
    PledgeForm,
    PrincipleForm,
    ProgressReturnForm,
    ReviewForm,
    SignForm,
)
from commonweal.partnership.models import (
    CharterStatus,
    PledgeKind,
    Principle,
    ReturnStatus,
    SignatoryStatus,
)

# --- Partnerships ----------------------------------------------------------------------------


@login_required
def partnership_list(request: HttpRequest) -> HttpResponse:
    membership = active_membership(request)
    today = timezone.localdate()
    rows = []
    for partnership in selectors.partnerships_for(membership.organisation):
        access = PartnershipAccess(membership, partnership, is_coordinator(membership, partnership))
        work = selectors.waiting_work(
            partnership,
            organisation=membership.organisation,
            coordinator=access.is_coordinator,
            today=today,
        )
        rows.append((partnership, access, work))
    return render(
        request,
        "partnership/partnership_list.html",
        {
            "rows": rows,
            "can_start": membership.organisation.is_council
            and membership.role in COUNCIL_EDITOR_ROLES,
        },
    )


@login_required
def partnership_new(request: HttpRequest) -> HttpResponse:
    membership = active_membership(request)
    if not membership.organisation.is_council:
        raise Http404("Only councils and combined authorities start partnerships")
    if membership.role not in COUNCIL_EDITOR_ROLES:
        raise PermissionDenied("You need to be a council editor to start a partnership")
    form = PartnershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            partnership = services.partnership_create(
                owner=membership.organisation,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                by=request_user(request),
            )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            messages.success(request, "Partnership started. Write its charter next.")
            return redirect("partnership:charter-draft", pk=partnership.pk)
    return render(request, "partnership/partnership_new.html", {"form": form})


def _own_signatory(access: PartnershipAccess) -> Any:
    return (
        access.partnership.signatories.filter(organisation_id=access.membership.organisation_id)
        .order_by("-invited_at")
        .first()
    )


@login_required
def partnership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partnership, access = partnership_for_user(request, pk)
    today = timezone.localdate()
    version = selectors.adopted_charter(partnership)
    return render(
        request,
        "partnership/partnership_detail.html",
        {
            "partnership": partnership,
            "access": access,
            "version": version,
            "principles": selectors.principles_of(version) if version else [],
            "draft": selectors.draft_charter(partnership) if access.is_owner else None,
            "signatories": selectors.signed_with_pledges(partnership),
            "invited": selectors.signatories_of(partnership, statuses=[SignatoryStatus.INVITED])
            if access.is_owner
            else [],
            "counts": selectors.charter_counts(partnership),
            "own_signatory": _own_signatory(access),
            "work": selectors.waiting_work(
                partnership,
                organisation=access.membership.organisation,
                coordinator=access.is_coordinator,
                today=today,
            ),
            "networks": selectors.networks_of(partnership),
            "my_networks": selectors.network_ids_of(access.membership.organisation),
        },
    )


@login_required
def partnership_settings(request: HttpRequest, pk: int) -> HttpResponse:
    partnership, access = partnership_for_user(request, pk)
    if not access.is_owner:
        raise Http404("No such partnership")
    form = PartnershipSettingsForm(
        request.POST or None,
        initial={
            "description": partnership.description,
            "is_public": partnership.is_public,
            "return_due_days": partnership.return_due_days,
            "reminder_days_before": partnership.reminder_days_before,
        },
    )
    if request.method == "POST":
        access.require_coordinator()
        if form.is_valid():
            try:
                services.partnership_update(
                    partnership=partnership, by=request_user(request), **form.cleaned_data
                )
            except ValidationError as problem:
                add_validation_errors(form, problem)
            else:
                messages.success(request, "Settings saved")
                return redirect("partnership:settings", pk=pk)
    coordinator_form = (
        CoordinatorForm(candidates=selectors.coordinator_candidates(partnership))
        if access.is_coordinator
        else None
    )
    return render(
        request,
        "partnership/settings.html",
        {
            "partnership": partnership,
            "access": access,
            "form": form,
            "coordinators": partnership.coordinators.select_related("user"),
            "coordinator_form": coordinator_form,
        },
    )


@login_required
@require_POST
def coordinator_add(request: HttpRequest, pk: int) -> HttpResponse:
    partnership, access = partnership_for_user(request, pk)
    access.require_coordinator()
    form = CoordinatorForm(request.POST, candidates=selectors.coordinator_candidates(partnership))
    if not form.is_valid():
        messages.error(request, "Select a person to add as a coordinator")
        return redirect("partnership:settings", pk=pk)
    user = form.cleaned_data["user"]
    carry_out(
        request,
        lambda: services.coordinator_add(
            partnership=partnership, user=user, by=request_user(request)
        ),
        f"{user.full_name} is now a coordinator",
    )
    return redirect("partnership:settings", pk=pk)


@login_required
@require_POST
def coordinator_remove(request: HttpRequest, pk: int, coordinator_pk: int) -> HttpResponse:
    partnership, access = partnership_for_user(request, pk)
    access.require_coordinator()
    coordinator = partnership.coordinators.filter(pk=coordinator_pk).select_related("user").first()
    if coordinator is None:
        raise Http404("No such coordinator")
    carry_out(
        request,
        lambda: services.coordinator_remove(coordinator=coordinator, by=request_user(request)),
        f"{coordinator.user.full_name} is no longer a coordinator",
    )
    return redirect("partnership:settings", pk=pk)


# --- The charter -------------------------------------------------------------------------------


@login_required
def charter_versions(request: HttpRequest, pk: int) -> HttpResponse:
    partnership, access = partnership_for_user(request, pk)
    versions = selectors.charter_versions(partnership)
    if not access.is_owner:
        versions = versions.exclude(status=CharterStatus.DRAFT)
    return render(
        request,
        "partnership/charter_versions.html",
        {"partnership": partnership, "access": access, "versions": versions},
    )


@login_required
def charter_version(request: HttpRequest, pk: int, version_pk: int) -> HttpResponse:
    partnership, access = partnership_for_user(request, pk)
    version = partnership.charter_versions.filter(pk=version_pk).first()
    if version is None or (version.status == CharterStatus.DRAFT and not access.is_owner):
        raise Http404("No such version of the charter")
    if version.status == CharterStatus.DRAFT:
        return redirect("partnership:charter-draft", pk=pk)
    return render(
        request,
        "partnership/charter_version.html",
        {
            "partnership": partnership,
            "access": access,
            "version": version,
            "principles": selectors.principles_of(version),
        },
    )


def _draft_for_coordinator(request: HttpRequest, pk: int) -> tuple[Any, PartnershipAccess, Any]:
    partnership, access = partnership_for_user(request, pk)
    if not access.is_owner:
        raise Http404("No such partnership")
    draft = selectors.draft_charter(partnership)
    return partnership, access, draft


@login_required
def charter_draft(request: HttpRequest, pk: int) -> HttpResponse:
    partnership, access, draft = _draft_for_coordinator(request, pk)
    if draft is None:
        return render(
            request,
            "partnership/charter_no_draft.html",
            {
                "partnership": partnership,
                "access": access,
                "version": selectors.adopted_charter(partnership),
            },
        )
    form = CharterTextForm(
        request.POST or None, initial={"title": draft.title, "introduction": draft.introduction}
    )
    if request.method == "POST":
        access.require_coordinator()
        if form.is_valid():
            try:
                services.charter_draft_update(
                    version=draft,
                    title=form.cleaned_data["title"],
                    introduction=form.cleaned_data["introduction"],
                    by=request_user(request),
                )
            except ValidationError as problem:
                add_validation_errors(form, problem)
            else:
                messages.success(request, "Charter text saved")
                return redirect("partnership:charter-draft", pk=pk)
    return render(
        request,
        "partnership/charter_draft.html",
        {
            "partnership": partnership,
            "access": access,
            "draft": draft,
            "form": form,
            "principles": selectors.principles_of(draft),
            "adopt_form": AdoptForm(),
        },
    )


@login_required
@require_POST
def charter_new_draft(request: HttpRequest, pk: int) -> HttpResponse:
    partnership, access = partnership_for_user(request, pk)
    access.require_coordinator()
    carry_out(
        request,
        lambda: services.charter_new_draft(partnership=partnership, by=request_user(request)),
        "A new draft holds the adopted charter's text. Change it, then adopt it.",
    )
    return redirect("partnership:charter-draft", pk=pk)


@login_required
@require_POST
def charter_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    partnership, access, draft = _draft_for_coordinator(request, pk)
    access.require_coordinator()
    if draft is None:
        raise Http404("There is no draft to adopt")
    form = AdoptForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("partnership:charter-draft", pk=pk)
    if carry_out(
        request,
        lambda: services.charter_publish(
            version=draft, adopted_on=form.cleaned_data["adopted_on"], by=request_user(request)
        ),
        f"Version {draft.number} of the charter is adopted",
    ):
        return redirect("partnership:detail", pk=pk)
    return redirect("partnership:charter-draft", pk=pk)


def _principle_page(request: HttpRequest, pk: int, principle: Principle | None) -> HttpResponse:
    partnership, access, draft = _draft_for_coordinator(request, pk)
    access.require_coordinator()
    if draft is None:
        raise Http404("There is no draft of the charter to change")
    initial = (
        {
            "title": principle.title,
            "text": principle.text,
            "cwb_pillars": principle.cwb_pillars,
            "measures": list(principle.measures.all()),
        }
        if principle
        else None
    )
    form = PrincipleForm(
        request.POST or None,
        initial=initial,
        measures=selectors.measures_for_principles(partnership),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if principle is None:
                services.principle_add(
                    version=draft,
                    title=data["title"],
                    text=data["text"],
                    cwb_pillars=data["cwb_pillars"],
                    measures=list(data["measures"]),
                    by=request_user(request),
                )
            else:
                services.principle_update(
                    principle=principle,
                    title=data["title"],
                    text=data["text"],
                    cwb_pillars=data["cwb_pillars"],
                    measures=list(data["measures"]),
                    by=request_user(request),
                )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            messages.success(request, "Principle saved")
            return redirect("partnership:charter-draft", pk=pk)
    return render(
        request,
        "partnership/principle_form.html",
        {"partnership": partnership, "draft": draft, "principle": principle, "form": form},
    )


@login_required
def principle_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _principle_page(request, pk, None)


def _draft_principle(request: HttpRequest, pk: int, principle_pk: int) -> Principle:
    _, _, draft = _draft_for_coordinator(request, pk)
    principle: Principle | None = (
        draft.principles.filter(pk=principle_pk).first() if draft else None
    )
    if principle is None:
        raise Http404("No such principle in the draft")
    return principle


@login_required
def principle_edit(request: HttpRequest, pk: int, principle_pk: int) -> HttpResponse:
    return _principle_page(request, pk, _draft_principle(request, pk, principle_pk))


@login_required
@require_POST
def principle_remove(request: HttpRequest, pk: int, principle_pk: int) -> HttpResponse:
    principle = _draft_principle(request, pk, principle_pk)
    _, access = partnership_for_user(request, pk)
    access.require_coordinator()
    carry_out(
        request,
        lambda: services.principle_remove(principle=principle, by=request_user(request)),
        f"Principle {principle.number} removed",
    )
    return redirect("partnership:charter-draft", pk=pk)


# --- Signatories -------------------------------------------------------------------------------


@login_required
def signatory_list(request: HttpRequest, pk: int) -> HttpResponse:
    """Everyone invited, signed, declined or withdrawn (the owning council's history)."""
    partnership, access = partnership_for_user(request, pk)
    if not access.is_owner:
        raise Http404("No such partnership")
    signatories = selectors.signatories_of(partnership)
    status = request.GET.get("status", "")
    if status in SignatoryStatus.values:
        signatories = signatories.filter(status=status)
    query = request.GET.get("q", "").strip()
    if query:
        signatories = signatories.filter(organisation__name__icontains=query)
    if request.GET.get("format") == "csv":
        return exports.csv_response(
            f"{partnership.slug}-signatories.csv",
            exports.signatory_rows(selectors.signed_with_pledges(partnership)),
        )
    page = Paginator(signatories, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "partnership/signatory_list.html",
        {
            "partnership": partnership,
            "access": access,
            "page_obj": page,
            "status": status,
            "query": query,
            "statuses": SignatoryStatus.choices,
            "querystring_without_page": querystring_without_page(request),
        },
    )


@login_required
def signatory_invite(request: HttpRequest, pk: int) -> HttpResponse:
    partnership, access = partnership_for_user(request, pk)
    access.require_coordinator()
    form = InviteSignatoryForm(
        request.POST or None, candidates=selectors.organisations_to_invite(partnership)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        new = (
            services.NewOrganisation(name=data["new_name"], postcode=data["new_postcode"])
            if data["new_name"].strip()
            else None
        )
        try:
            signatory = services.signatory_invite(
                partnership=partnership,
                sector=data["sector"],
                email=data["email"],
                organisation=data["organisation"],
                new_organisation=new,
                by=request_user(request),
            )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            messages.success(
                request, f"{signatory.organisation.name} is invited. {data['email']} has the link."
            )
            return redirect("partnership:detail", pk=pk)
    return render(
        request,
        "partnership/signatory_invite.html",
        {
            "partnership": partnership,
            "form": form,
            "adopted": selectors.adopted_charter(partnership),
        },
    )


@login_required
def signatory_detail(request: HttpRequest, pk: int) -> HttpResponse:
    signatory, access = signatory_for_user(request, pk)
    today = timezone.localdate()
    return render(
        request,
        "partnership/signatory_detail.html",
        {
            "signatory": signatory,
            "partnership": signatory.partnership,
            "access": access,
            "can_write": access.can_write_for(signatory),
            "pledges": selectors.pledges_of(signatory),
            "returns": selectors.returns_for_signatory(signatory, today=today),
            "version": signatory.charter_version
            or selectors.adopted_charter(signatory.partnership),
            "today": today,
        },
    )


@login_required
def signatory_sign(request: HttpRequest, pk: int) -> HttpResponse:
    signatory, access = signatory_for_user(request, pk)
    access.require_write_for(signatory)
    if signatory.status != SignatoryStatus.INVITED:
        messages.error(request, f"{signatory.organisation.name} is not waiting to sign")
        return redirect("partnership:signatory", pk=pk)
    user = request_user(request)
    is_own = signatory.organisation_id == access.membership.organisation_id
    form = SignForm(
        request.POST or None,
        initial={"signed_by_name": user.full_name, "signed_on": timezone.localdate()}
        if is_own
        else None,
    )
    version = selectors.adopted_charter(signatory.partnership)
    if request.method == "POST" and form.is_valid():
        try:
            services.signatory_sign(signatory=signatory, by=user, **form.cleaned_data)
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            messages.success(
                request, f"{signatory.organisation.name} signed the charter. Add its pledges."
            )
            return redirect("partnership:pledge-new", pk=pk)
    return render(
        request,
        "partnership/signatory_sign.html",
        {
            "signatory": signatory,
            "partnership": signatory.partnership,
            "form": form,
            "version": version,
            "principles": selectors.principles_of(version) if version else [],
            "is_own": is_own,
        },
    )


@login_required
def signatory_end(request: HttpRequest, pk: int) -> HttpResponse:
    """Decline an invitation, or withdraw from the charter (kept in the history)."""
    signatory, access = signatory_for_user(request, pk)
    access.require_write_for(signatory)
    if not signatory.is_current:
        messages.error(request, f"{signatory.organisation.name} has already ended its signature")
        return redirect("partnership:signatory", pk=pk)
    form = EndForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.signatory_end(
                signatory=signatory,
                reason=form.cleaned_data["reason"],
                on=form.cleaned_data["on"],
                by=request_user(request),
            )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            messages.success(
                request,
                f"{signatory.organisation.name} {signatory.get_status_display().lower()}",
            )
            return redirect("partnership:signatory", pk=pk)
    return render(
        request,
        "partnership/signatory_end.html",
        {"signatory": signatory, "partnership": signatory.partnership, "form": form},
    )


@login_required
def pledge_new(request: HttpRequest, pk: int) -> HttpResponse:
    signatory, access = signatory_for_user(request, pk)
    access.require_write_for(signatory)
    if signatory.status != SignatoryStatus.SIGNED:
        messages.error(request, "Sign the charter before making pledges")
        return redirect("partnership:signatory", pk=pk)
    first_year = financial_year_of(signatory.signed_on or timezone.localdate())
    form = PledgeForm(request.POST or None, signatory=signatory, first_year=first_year)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.pledge_add(
                signatory=signatory,
                principle=data["principle"],
                kind=data["kind"],
                measure=data["measure"],
                quantity=data["quantity"],
                target_year=data["target_year"],
                commitment=data["commitment"],
                made_on=data["made_on"],
                by=request_user(request),
            )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            messages.success(request, "Pledge added")
            if "another" in request.POST:
                return redirect("partnership:pledge-new", pk=pk)
            return redirect("partnership:signatory", pk=pk)
    return render(
        request,
        "partnership/pledge_form.html",
        {
            "signatory": signatory,
            "partnership": signatory.partnership,
            "form": form,
            "principles": selectors.principles_of(signatory.charter_version)
            if signatory.charter_version
            else [],
        },
    )


@login_required
@require_POST
def pledge_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    pledge, access = pledge_for_user(request, pk)
    access.require_write_for(pledge.signatory)
    carry_out(
        request,
        lambda: services.pledge_withdraw(
            pledge=pledge, on=timezone.localdate(), by=request_user(request)
        ),
        "Pledge withdrawn. Its returns stay on record.",
    )
    return redirect("partnership:signatory", pk=pledge.signatory_id)


@login_required
def eflg_pledge_cite(request: HttpRequest, pk: int) -> HttpResponse:
    """Cite a charter pledge as evidence for an Equality Framework self-assessment (`pk`):
    chosen from the pledges the council may see, and checked again by the pledge's access
    helper."""
    assessment, access = assessment_for_user(request, pk)
    access.require_edit()
    pledges = selectors.citable_pledges(access.council.pk)
    form = PledgeCitationForm(
        request.POST or None,
        pledges=[(str(p.pk), selectors.pledge_citation_label(p)) for p in pledges],
    )
    if request.method == "POST" and form.is_valid():
        pledge, _ = pledge_for_user(request, int(form.cleaned_data["pledge"]))
        try:
            services.pledge_cite(
                pledge=pledge,
                assessment=assessment,
                description=form.cleaned_data["description"],
                by=request_user(request),
            )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            messages.success(request, "Pledge cited as evidence")
            return redirect("fairwork:eflg-criterion", assessment.criterion_id)
    return render(
        request,
        "partnership/pledge_cite.html",
        {"form": form, "assessment": assessment, "has_pledges": bool(pledges)},
    )


# --- Progress returns ------------------------------------------------------------------------


@login_required
@require_POST
def return_start(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    pledge, access = pledge_for_user(request, pk)
    access.require_write_for(pledge.signatory)
    try:
        progress_return = services.progress_return_start(
            pledge=pledge, financial_year=year, by=request_user(request)
        )
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
        return redirect("partnership:signatory", pk=pledge.signatory_id)
    return redirect("partnership:return-edit", pk=progress_return.pk)


@login_required
def return_detail(request: HttpRequest, pk: int) -> HttpResponse:
    progress_return, access = progress_return_for_user(request, pk)
    pledge = progress_return.pledge
    unit = pledge.measure.unit if pledge.kind == PledgeKind.TARGET and pledge.measure else None
    review_form = None
    if access.is_coordinator and progress_return.status == ReturnStatus.SUBMITTED:
        review_form = ReviewForm(
            unit=unit,
            initial={"reviewed_quantity": progress_return.reported_quantity},
        )
    return render(
        request,
        "partnership/return_detail.html",
        {
            "progress_return": progress_return,
            "pledge": pledge,
            "signatory": pledge.signatory,
            "partnership": pledge.signatory.partnership,
            "access": access,
            "can_write": access.can_write_for(pledge.signatory)
            and progress_return.status in (ReturnStatus.DRAFT, ReturnStatus.QUERIED),
            "review_form": review_form,
            "messages_thread": progress_return.messages.select_related("author"),
            "evidence": progress_return.evidence.all(),
            "due_on": selectors.due_rule(pledge.signatory.partnership).due_on(
                progress_return.financial_year
            ),
        },
    )


@login_required
def return_edit(request: HttpRequest, pk: int) -> HttpResponse:
    progress_return, access = progress_return_for_user(request, pk)
    pledge = progress_return.pledge
    access.require_write_for(pledge.signatory)
    if progress_return.status not in (ReturnStatus.DRAFT, ReturnStatus.QUERIED):
        messages.error(request, "This return has been sent and can no longer be changed")
        return redirect("partnership:return-detail", pk=pk)
    unit = pledge.measure.unit if pledge.kind == PledgeKind.TARGET and pledge.measure else None
    queried = progress_return.status == ReturnStatus.QUERIED
    form = ProgressReturnForm(
        request.POST or None,
        request.FILES or None,
        unit=unit,
        queried=queried,
        initial={
            "progress": progress_return.progress,
            "reported_quantity": progress_return.reported_quantity,
            "narrative": progress_return.narrative,
            "evidence_url": progress_return.evidence_url,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = request_user(request)
        try:
            services.progress_return_save(
                progress_return=progress_return,
                progress=data["progress"],
                reported_quantity=data.get("reported_quantity"),
                narrative=data["narrative"],
                evidence_url=data["evidence_url"],
                evidence_file=data.get("evidence_file"),
                by=user,
            )
            if "submit" in request.POST:
                services.progress_return_submit(
                    progress_return=progress_return, by=user, answer=data.get("answer", "")
                )
        except EvidenceRefused as refused:
            form.add_error("evidence_file", str(refused))
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            if "submit" in request.POST:
                messages.success(
                    request,
                    f"Return {progress_return.reference} sent to the partnership's coordinators",
                )
                return redirect("partnership:return-detail", pk=pk)
            messages.success(request, "Saved. Send it when it is ready.")
            return redirect("partnership:return-edit", pk=pk)
    return render(
        request,
        "partnership/return_edit.html",
        {
            "progress_return": progress_return,
            "pledge": pledge,
            "signatory": pledge.signatory,
            "partnership": pledge.signatory.partnership,
            "form": form,
            "queried": queried,
            "messages_thread": progress_return.messages.select_related("author"),
            "evidence": progress_return.evidence.all(),
        },
    )


@login_required
@require_POST
def return_review(request: HttpRequest, pk: int) -> HttpResponse:
    progress_return, access = progress_return_for_user(request, pk)
    access.require_coordinator()
    pledge = progress_return.pledge
    unit = pledge.measure.unit if pledge.kind == PledgeKind.TARGET and pledge.measure else None
    form = ReviewForm(request.POST, unit=unit)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.progress_return_review(
                progress_return=progress_return,
                decision=data["decision"],
                reviewed_quantity=data.get("reviewed_quantity"),
                note=data["note"],
                by=request_user(request),
            )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            messages.success(
                request,
                f"Return {progress_return.reference} "
                f"{'accepted' if data['decision'] == 'accept' else 'queried'}",
            )
            return redirect("partnership:reviews", pk=pledge.signatory.partnership_id)
    progress_return.refresh_from_db()
    return render(
        request,
        "partnership/return_detail.html",
        {
            "progress_return": progress_return,
            "pledge": pledge,
            "signatory": pledge.signatory,
            "partnership": pledge.signatory.partnership,
            "access": access,
            "can_write": False,
            "review_form": form,
            "form": form,
            "messages_thread": progress_return.messages.select_related("author"),
            "evidence": progress_return.evidence.all(),
            "due_on": selectors.due_rule(pledge.signatory.partnership).due_on(
                progress_return.financial_year
            ),
        },
        status=400,
    )


@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """Evidence is always a download, never shown inline, and only to those who may see the
    return."""
    record, _ = evidence_for_user(request, pk)
    response = FileResponse(
        record.file.open("rb"),
        as_attachment=True,
        filename=record.original_name,
        content_type=record.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def review_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The owning council's list of returns: waiting for review first, then all of them."""
    partnership, access = partnership_for_user(request, pk)
    if not access.is_owner:
        raise Http404("No such partnership")
    returns = selectors.returns_of(partnership)
    status = request.GET.get("status", "")
    if status in ReturnStatus.values:
        returns = returns.filter(status=status)
    year = request.GET.get("year", "")
    if year.isdigit():
        returns = returns.filter(financial_year=int(year))
    if request.GET.get("format") == "csv":
        return exports.csv_response(
            f"{partnership.slug}-progress-returns.csv", exports.return_rows(returns)
        )
    page = Paginator(returns, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "partnership/review_list.html",
        {
            "partnership": partnership,
            "access": access,
            "waiting": selectors.review_queue(partnership),
            "page_obj": page,
            "status": status,
            "year": year,
            "statuses": [c for c in ReturnStatus.choices if c[0] != ReturnStatus.DRAFT],
            "years": [
                (str(y), financial_year_label(y))
                for y in sorted(
                    set(selectors.returns_of(partnership).values_list("financial_year", flat=True)),
                    reverse=True,
                )
            ],
            "querystring_without_page": querystring_without_page(request),
        },
    )


@login_required
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """Returns owed, sent, accepted and queried per year; targets, self-reported and reviewed
    figures per measure, side by side and never added."""
    partnership, access = partnership_for_user(request, pk)
    if not access.is_owner:
        raise Http404("No such partnership")
    return render(
        request,
        "partnership/progress.html",
        {
            "partnership": partnership,
            "access": access,
            "years": selectors.progress_by_year(partnership, today=timezone.localdate()),
        },
    )


# --- Networks grown from the charter ------------------------------------------------------------


@login_required
def networks(request: HttpRequest, pk: int) -> HttpResponse:
    partnership, access = partnership_for_user(request, pk)
    links = list(selectors.networks_of(partnership))
    invite_forms = []
    if access.is_coordinator:
        invite_forms = [
            (link, NetworkInviteForm(candidates=selectors.anchor_signatories_to_invite(link)))
            for link in links
        ]
    return render(
        request,
        "partnership/networks.html",
        {
            "partnership": partnership,
            "access": access,
            "links": links,
            "invite_forms": invite_forms,
            "start_form": NetworkStartForm() if access.is_coordinator else None,
            "link_form": NetworkLinkForm(candidates=selectors.networks_to_link(partnership))
            if access.is_coordinator
            else None,
        },
    )


@login_required
@require_POST
def network_start(request: HttpRequest, pk: int) -> HttpResponse:
    partnership, access = partnership_for_user(request, pk)
    access.require_coordinator()
    form = NetworkStartForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter the name of the network")
        return redirect("partnership:networks", pk=pk)
    name = form.cleaned_data["name"]
    carry_out(
        request,
        lambda: services.network_start(
            partnership=partnership, name=name, by=request_user(request)
        ),
        f"{name} started. Invite the anchor institutions that signed the charter.",
    )
    return redirect("partnership:networks", pk=pk)


@login_required
@require_POST
def network_link(request: HttpRequest, pk: int) -> HttpResponse:
    partnership, access = partnership_for_user(request, pk)
    access.require_coordinator()
    form = NetworkLinkForm(request.POST, candidates=selectors.networks_to_link(partnership))
    if not form.is_valid():
        messages.error(request, "Select a network your council convenes")
        return redirect("partnership:networks", pk=pk)
    network = form.cleaned_data["network"]
    carry_out(
        request,
        lambda: services.network_link(
            partnership=partnership, network=network, by=request_user(request)
        ),
        f"{network.name} now grows from the charter",
    )
    return redirect("partnership:networks", pk=pk)


@login_required
@require_POST
def network_invite(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    partnership, access = partnership_for_user(request, pk)
    access.require_coordinator()
    link = partnership.network_links.filter(pk=link_pk).select_related("network").first()
    if link is None:
        raise Http404("No such network of this partnership")
    form = NetworkInviteForm(request.POST, candidates=selectors.anchor_signatories_to_invite(link))
    if not form.is_valid():
        messages.error(request, "Select an anchor institution that signed the charter")
        return redirect("partnership:networks", pk=pk)
    signatory = form.cleaned_data["signatory"]
    carry_out(
        request,
        lambda: services.network_invite_signatory(
            link=link, signatory=signatory, by=request_user(request)
        ),
        f"{signatory.organisation.name} is invited to {link.network.name}. Its figures count "
        "once one of its people accepts.",
    )
    return redirect("partnership:networks", pk=pk)
