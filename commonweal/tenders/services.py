"""Writes for tenders: issue, invite, offers (draft, upload, submit), opening, evaluation, award."""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from commonweal.accounts import services as account_services
from commonweal.accounts.models import Membership, Organisation, User
from commonweal.accounts.roles import OrganisationKind, Role
from commonweal.commissioning import services as commissioning_services
from commonweal.commissioning.models import Procurement, WrittenQuestion
from commonweal.commissioning.selectors import chosen_measures
from commonweal.contracts.services import CommitmentInput, contract_create
from commonweal.core.audit import acting_as, record_event
from commonweal.frameworks.engine_inputs import deflator_for_version
from commonweal.frameworks.models import Measure
from commonweal.tenders.evaluation import results_digest
from commonweal.tenders.models import (
    AnswerScore,
    ConflictDeclaration,
    EvaluationSignature,
    EvaluatorAssignment,
    LineModeration,
    ModeratedScore,
    Offer,
    OfferAnswer,
    OfferDocument,
    OfferLine,
    OfferSubmission,
    PlausibilityConfirmation,
    Tender,
    TenderInvitation,
)
from commonweal.tenders.selectors import (
    bidders,
    conflicted_people,
    descriptor_scale,
    evaluation_record,
    standing,
    tender_evaluation,
)
from commonweal.valuation import (
    ValueType,
    person_references,
    price_year_for,
    splits_a_person,
    tags,
)

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
PEOPLE_TAGS = frozenset({tags.LOCAL_EMPLOYMENT, tags.DISADVANTAGED})
"""Measures whose lines may name the people they are about."""
HOURS_TAGS = frozenset({tags.VOLUNTEERING_HOURS, tags.TRAINING_HOURS})
"""Measures whose hours are checked against the workforce's hours."""
DOCUMENT_EXTENSIONS = (".pdf", ".docx", ".xlsx", ".odt", ".ods", ".csv", ".png", ".jpg", ".jpeg")


def share_link(tender: Tender) -> str:
    return settings.SITE_URL + reverse("tenders:join", args=[tender.share_token])


def _price_year(procurement: Procurement, issued: datetime) -> int:
    """The price year by valuation.price_year_for: the issue year with the council's deflator,
    the proxies' one year when they share it, else as far as the shipped GDP deflator goes."""
    version = procurement.measure_set_version
    return price_year_for(
        proxy_years=(
            m.proxy.price_year for m in chosen_measures(procurement) if hasattr(m, "proxy")
        ),
        issue_year=issued.year,
        deflator=deflator_for_version(version),
        chosen_by_council=bool(version and version.deflator_id),
    )


def tender_issue(*, procurement: Procurement, deadline: datetime, by: User) -> Tender:
    """Issue the tender of a fully planned procurement; the plan is then fixed."""
    now = timezone.now()
    if deadline <= now:
        raise ValidationError({"deadline": "The deadline must be in the future"})
    with transaction.atomic(), acting_as(by):
        commissioning_services.procurement_mark_issued(procurement=procurement, by=by)
        assert procurement.measure_set_version is not None
        tender = Tender(
            procurement=procurement,
            council=procurement.council,
            reference=f"CW-{now:%Y}-{secrets.token_hex(3).upper()}",
            deadline=deadline,
            measure_set_version=procurement.measure_set_version,
            price_year=_price_year(procurement, now),
            share_token=secrets.token_urlsafe(24),
            issued_at=now,
            issued_by=by,
        )
        tender.full_clean()
        tender.save()
    return tender


def tender_invite(*, tender: Tender, email: str, by: User) -> TenderInvitation:
    if tender.is_past_deadline:
        raise ValidationError("The deadline has passed, so nobody new can be invited")
    email = email.strip().lower()
    if tender.invitations.filter(email=email).exists():
        raise ValidationError({"email": f"{email} has already been invited"})
    invitation = TenderInvitation(tender=tender, email=email, invited_by=by)
    invitation.full_clean()
    link = share_link(tender)
    with transaction.atomic(), acting_as(by):
        invitation.save()
        transaction.on_commit(
            lambda: send_mail(
                subject=f"Invitation to tender: {tender.title}",
                message=(
                    f"{tender.council.name} invites you to make an offer for “{tender.title}” "
                    f"(reference {tender.reference}).\n\nThe deadline is "
                    f"{timezone.localtime(tender.deadline):%d %B %Y at %H:%M}.\n\n"
                    f"Read the requirements and register free: {link}"
                ),
                from_email=None,
                recipient_list=[email],
            )
        )
    return invitation


def supplier_register(
    *,
    organisation_name: str,
    company_number: str,
    postcode: str,
    is_sme: bool | None,
    full_name: str,
    email: str,
    password: str,
) -> User:
    """Register a supplier organisation and its first person, free, from a tender link."""
    email = email.strip().lower()
    if User.objects.filter(email=email).exists():
        raise ValidationError(
            {"email": "There is already an account with this email address; sign in instead"}
        )
    with transaction.atomic():
        organisation = account_services.organisation_create(
            by=None,
            kind=OrganisationKind.SUPPLIER,
            name=organisation_name.strip(),
            company_number=company_number,
            postcode=postcode.strip().upper(),
            is_sme=is_sme,
        )
        # Anyone with the link can register any address: it must be confirmed before an
        # offer is made in that person's name (offer_submit).
        user = User(email=email, full_name=full_name.strip(), email_confirmation_pending=True)
        user.set_password(password)
        user.full_clean()
        with acting_as(None):
            user.save()
        account_services.membership_create(
            user=user, organisation=organisation, role=Role.SUPPLIER_ADMIN, by=user
        )
        account_services.email_confirmation_send(user=user)
    return user


def offer_start(*, tender: Tender, supplier: Organisation, by: User) -> Offer:
    """The supplier's offer on the tender, created empty the first time."""
    if not supplier.is_supplier:
        raise PermissionDenied("Only a supplier can make an offer")
    if not Membership.objects.filter(user=by, organisation=supplier).exists():
        raise PermissionDenied("You do not belong to this supplier")
    if tender.is_past_deadline:
        raise ValidationError("The deadline has passed; this tender no longer takes offers")
    offer, _ = Offer.objects.get_or_create(
        tender=tender, supplier=supplier, defaults={"created_by": by}
    )
    return offer


def _require_before_deadline(tender: Tender) -> None:
    if timezone.now() >= tender.deadline:
        raise ValidationError(
            f"The deadline ({timezone.localtime(tender.deadline):%d %B %Y %H:%M}) has passed; "
            "offers can no longer be changed or submitted"
        )


MAX_PEOPLE_PER_LINE = 200
PERSON_REFERENCE_LENGTH = 30


def offer_save_draft(
    *,
    offer: Offer,
    by: User,
    quantities: Mapping[tuple[str, int], Decimal | None],
    answers: Mapping[int, str],
    workforce_fte: Decimal | None = None,
    people: Mapping[str, str] | None = None,
    activities: Mapping[str, str] | None = None,
) -> Offer:
    """Replace the draft's quantities (by measure code and contract year), answers, workforce
    size, and the references for the people and the activity behind each measure's lines."""
    tender = offer.tender
    _require_before_deadline(tender)
    procurement = tender.procurement
    measures = {m.code: m for m in chosen_measures(procurement)}
    questions = {q.pk: q for q in procurement.questions.all()}
    people = {code: text for code, text in (people or {}).items() if text.strip()}
    activities = {code: text.strip() for code, text in (activities or {}).items() if text.strip()}
    problems = []
    for (code, year), quantity in quantities.items():
        if code not in measures:
            problems.append(f"{code} is not a measure of this tender")
        elif quantity is not None and measures[code].value_type == ValueType.QUALITATIVE:
            problems.append(
                f"{code} is a written measure: describe it in your answers, not as a number"
            )
        if not 1 <= year <= procurement.contract_years:
            problems.append(
                f"Year {year} is outside the contract's {procurement.contract_years} years"
            )
        if quantity is not None and quantity < 0:
            problems.append(f"The quantity for {code} in year {year} must be 0 or more")
        elif code in measures and quantity is not None:
            unit = measures[code].unit
            if splits_a_person(unit, quantity):
                problems.append(
                    f"{code} counts whole {unit}: enter a whole number for year {year}, not "
                    f"{quantity.normalize():f} (FTE may be fractional, a person may not)"
                )
    for code, text in people.items():
        measure = measures.get(code)
        if measure is None or not set(measure.tags) & PEOPLE_TAGS:
            problems.append(f"People are named only on job measures, not on {code}")
            continue
        refs = person_references(text)
        long = [ref for ref in refs if len(ref) > PERSON_REFERENCE_LENGTH]
        if long:
            problems.append(
                f"Person reference '{long[0][:40]}' for {code} is too long: use short "
                "references like H1 or P-07, never names"
            )
        if len(refs) > MAX_PEOPLE_PER_LINE:
            problems.append(f"Name at most {MAX_PEOPLE_PER_LINE} people for {code}")
    for code, text in activities.items():
        if code not in measures:
            problems.append(f"{code} is not a measure of this tender")
        elif len(text) > 100:
            problems.append(f"The activity for {code} is too long: use up to 100 characters")
    if workforce_fte is not None and not (workforce_fte.is_finite() and workforce_fte >= 0):
        problems.append("Enter the workforce as 0 or more full-time equivalents, like 12.5")
    unknown = set(answers) - set(questions)
    if unknown:
        problems.append(f"Questions {sorted(unknown)} are not questions of this tender")
    if problems:
        raise ValidationError(problems)
    with transaction.atomic(), acting_as(by):
        offer.lines.all().delete()
        OfferLine.objects.bulk_create(
            OfferLine(
                offer=offer,
                measure=measures[code],
                contract_year=year,
                quantity=quantity,
                people=", ".join(person_references(people.get(code, ""))),
                activity=activities.get(code, ""),
            )
            for (code, year), quantity in sorted(quantities.items())
            if quantity is not None
        )
        for question_id, text in answers.items():
            OfferAnswer.objects.update_or_create(
                offer=offer, question=questions[question_id], defaults={"text": text}
            )
        offer.workforce_fte = workforce_fte
        offer.save()
    return offer


def offer_attach_document(*, offer: Offer, by: User, upload: UploadedFile[bytes]) -> OfferDocument:
    _require_before_deadline(offer.tender)
    name = (upload.name or "document").rsplit("/", 1)[-1]
    if not name.lower().endswith(DOCUMENT_EXTENSIONS):
        raise ValidationError(
            {
                "file": f"{name} is not a type we accept; upload a PDF, Word, Excel, ODF, CSV or image file"
            }
        )
    if (upload.size or 0) > MAX_DOCUMENT_BYTES:
        raise ValidationError({"file": f"{name} is bigger than 10 MB; upload a smaller file"})
    document = OfferDocument(offer=offer, file=upload, name=name, uploaded_by=by)
    with transaction.atomic(), acting_as(by):
        document.save()
    return document


def offer_submit(*, offer: Offer, by: User) -> OfferSubmission:
    """Freeze the draft as a numbered submission. Refused at or after the deadline, and from
    someone who registered through the share link until they confirm their email address."""
    if by.email_confirmation_pending:
        raise ValidationError(
            f"Confirm your email address before you submit: follow the link we sent to "
            f"{by.email}. You can ask for it again on your offer page."
        )
    with transaction.atomic(), acting_as(by):
        tender = Tender.objects.select_for_update().get(pk=offer.tender_id)
        _require_before_deadline(tender)
        drafted = list(offer.lines.select_related("measure"))
        lines: list[dict[str, Any]] = [
            {
                "measure_code": line.measure.code,
                "contract_year": line.contract_year,
                "quantity": str(line.quantity),
                "people": line.people,
                "activity": line.activity,
            }
            for line in drafted
        ]
        if not any(line.quantity > 0 for line in drafted):
            raise ValidationError("Offer at least one quantity above 0 before you submit")
        hours = sorted(
            {
                line.measure.code
                for line in drafted
                if line.quantity > 0 and set(line.measure.tags) & HOURS_TAGS
            }
        )
        if hours and offer.workforce_fte is None:
            raise ValidationError(
                f"Enter the workforce delivering the contract, in full-time equivalents, so "
                f"the hours you offer under {', '.join(hours)} can be checked"
            )
        answers = {str(a.question_id): a.text for a in offer.answers.all()}
        missing = [
            number
            for number, question in enumerate(tender.procurement.questions.all(), start=1)
            if not answers.get(str(question.pk), "").strip()
        ]
        if missing:
            raise ValidationError(
                f"Answer question{'s' if len(missing) > 1 else ''} {', '.join(map(str, missing))} before you submit"
            )
        number = offer.submissions.count() + 1
        submission = OfferSubmission(
            offer=offer,
            number=number,
            reference=f"{tender.reference}-{secrets.token_hex(3).upper()}-{number}",
            submitted_at=timezone.now(),
            submitted_by=by,
            lines=lines,
            answers=answers,
            document_names=list(offer.documents.values_list("name", flat=True)),
            workforce_fte=offer.workforce_fte,
        )
        submission.full_clean()
        submission.save()
    return submission


def tender_open(*, tender: Tender, by: User) -> Tender:
    """Open the offers after the deadline: an audited event, done once."""
    if not tender.is_past_deadline:
        raise ValidationError("Offers can be opened only after the deadline")
    if tender.opened_at is not None:
        raise ValidationError("The offers have already been opened")
    with transaction.atomic(), acting_as(by):
        tender.opened_at = timezone.now()
        tender.opened_by = by
        tender.save()
        count = (
            OfferSubmission.objects.filter(offer__tender=tender).values("offer").distinct().count()
        )
        record_event(
            instance=tender,
            by=by,
            organisation_id=tender.council_id,
            event="Offers opened",
            detail=f"{count} offer(s) opened after the deadline of {tender.deadline.isoformat()}",
        )
    return tender


def _require_not_signed_off(tender: Tender) -> None:
    if tender.signed_off_at is not None:
        raise ValidationError("The evaluation has been signed off; nothing in it can change")


def _require_opened_and_open_for_scoring(tender: Tender) -> None:
    # The seal holds in the services too: nothing about an offer is touched before opening.
    if tender.opened_at is None:
        raise PermissionDenied("Offers are sealed until the tender is opened after its deadline")
    _require_not_signed_off(tender)


def _check_level(tender: Tender, level: str) -> None:
    try:
        descriptor_scale(tender.procurement.descriptor_scale).level(level)
    except ValueError as unknown:
        raise ValidationError({"level": str(unknown)}) from None


def _require_evaluating(tender: Tender, by: User) -> None:
    """Only someone who takes part, has declared about every bidder and has no conflict of
    interest may score, moderate, enter marks or sign: enforced here, whatever the route."""
    position = standing(by, tender)
    if position.is_conflicted:
        raise PermissionDenied(
            f"{by} declared a conflict of interest ({', '.join(position.conflicted_with)}) "
            "and takes no part in this evaluation"
        )
    if not position.takes_part:
        raise PermissionDenied("Only the tender's commissioner and its evaluators evaluate it")
    if not position.has_declared:
        raise PermissionDenied(
            "Declare, about every bidder, whether you have a conflict of interest first "
            f"(not yet declared: {', '.join(position.undeclared)})"
        )


def evaluator_assign(*, tender: Tender, evaluator: User, by: User) -> EvaluatorAssignment:
    _require_not_signed_off(tender)
    if not Membership.objects.filter(
        user=evaluator,
        organisation=tender.council,
        role__in=[Role.EVALUATOR, Role.COMMISSIONER, Role.COUNCIL_ADMIN],
    ).exists():
        raise ValidationError({"evaluator": "Select an evaluator from your council"})
    if tender.evaluators.filter(evaluator=evaluator).exists():
        raise ValidationError({"evaluator": f"{evaluator} is already an evaluator"})
    if evaluator.pk in conflicted_people(tender):
        raise ValidationError(
            {"evaluator": f"{evaluator} has declared a conflict of interest on this tender"}
        )
    assignment = EvaluatorAssignment(tender=tender, evaluator=evaluator, assigned_by=by)
    with transaction.atomic(), acting_as(by):
        assignment.save()
    return assignment


def conflicts_declare(
    *, tender: Tender, conflicted_with: Sequence[Offer], details: str, by: User
) -> list[ConflictDeclaration]:
    """Declare conflicts of interest with named bidders, once the offers are opened.

    The first declaration covers every bidder: a conflict with those in `conflicted_with` and
    none with the rest. Later declarations add conflicts as they arise; a conflict, once
    declared, is never withdrawn. Whoever declares a conflict is shut out of the tender's
    offers and evaluation at once; a council admin may reassign their work.
    """
    if tender.opened_at is None:
        raise ValidationError(
            "Declarations are made once the offers are opened and the bidders can be named"
        )
    position = standing(by, tender)
    if not position.takes_part:
        raise PermissionDenied("Only the tender's commissioner and its evaluators declare")
    offers = bidders(tender)
    known = {offer.pk for offer in offers}
    chosen = {offer.pk for offer in conflicted_with}
    if chosen - known:
        raise ValidationError("Choose bidders who made an offer on this tender")
    if chosen and not details.strip():
        raise ValidationError({"details": "Describe the conflict of interest"})
    existing = {
        d.offer_id: d
        for d in ConflictDeclaration.objects.filter(tender=tender, person=by, offer__isnull=False)
    }
    first = not existing
    if not first and not chosen:
        raise ValidationError(
            {"conflicted_with": "Select the bidder you have a new conflict of interest with"}
        )
    already = sorted(
        o.supplier.name
        for o in offers
        if o.pk in chosen and existing.get(o.pk) and existing[o.pk].has_conflict
    )
    if already:
        raise ValidationError(f"You have already declared a conflict with {', '.join(already)}")
    now = timezone.now()
    written = []
    with transaction.atomic(), acting_as(by):
        for offer in offers:
            conflict = offer.pk in chosen
            declaration = existing.get(offer.pk)
            if declaration is None:
                declaration = ConflictDeclaration(tender=tender, person=by, offer=offer)
            elif not conflict:
                continue
            declaration.has_conflict = conflict
            declaration.details = details.strip() if conflict else ""
            declaration.declared_at = now
            declaration.full_clean()
            declaration.save()
            written.append(declaration)
        names = [o.supplier.name for o in offers if o.pk in chosen]
        record_event(
            instance=tender,
            by=by,
            organisation_id=tender.council_id,
            event="Conflict of interest declared" if names else "No conflict of interest declared",
            detail=(
                f"{by.full_name} declared a conflict of interest with {', '.join(names)}: "
                f"{details.strip()}. They take no further part in this evaluation."
                if names
                else f"{by.full_name} declared no conflict of interest with any of the "
                f"{len(offers)} bidder(s)"
            ),
        )
    return written


def evaluator_reassign(
    *, assignment: EvaluatorAssignment, replacement: User, reason: str, by: User
) -> EvaluatorAssignment:
    """A council admin stands an evaluator down (typically after a declared conflict) and
    assigns their work to someone else, who declares for themselves before reading offers."""
    tender = assignment.tender
    _require_not_signed_off(tender)
    if not Membership.objects.filter(
        user=by, organisation=tender.council, role=Role.COUNCIL_ADMIN
    ).exists():
        raise PermissionDenied("Only a council admin reassigns an evaluator's work")
    if not assignment.is_active:
        raise ValidationError(f"{assignment.evaluator} has already been stood down")
    if not reason.strip():
        raise ValidationError({"reason": "Write why the work is reassigned"})
    with transaction.atomic(), acting_as(by):
        new = evaluator_assign(tender=tender, evaluator=replacement, by=by)
        assignment.stood_down_at = timezone.now()
        assignment.stood_down_by = by
        assignment.stood_down_reason = reason.strip()
        assignment.replaced_by = new
        assignment.save()
        record_event(
            instance=tender,
            by=by,
            organisation_id=tender.council_id,
            event="Evaluator reassigned",
            detail=f"{assignment.evaluator.full_name} stood down; {replacement.full_name} "
            f"evaluates instead. Reason: {reason.strip()}",
        )
    return new


def answer_score_record(
    *,
    assignment: EvaluatorAssignment,
    offer: Offer,
    question: WrittenQuestion,
    level: str,
    rationale: str,
    by: User,
) -> AnswerScore:
    tender = assignment.tender
    _require_opened_and_open_for_scoring(tender)
    if assignment.evaluator_id != by.pk or not assignment.is_active:
        raise PermissionDenied("Only the evaluator assigned scores their own answers")
    _require_evaluating(tender, by)
    if offer.tender_id != tender.pk or question.procurement_id != tender.procurement_id:
        raise ValidationError("That answer is not part of this tender")
    _check_level(tender, level)
    if not rationale.strip():
        raise ValidationError({"rationale": "Write why you chose this level"})
    with transaction.atomic(), acting_as(by):
        score, _ = AnswerScore.objects.update_or_create(
            assignment=assignment,
            offer=offer,
            question=question,
            defaults={"level": level, "rationale": rationale.strip()},
        )
    return score


def moderation_record(
    *, offer: Offer, question: WrittenQuestion, level: str, notes: str, by: User
) -> ModeratedScore:
    tender = offer.tender
    _require_opened_and_open_for_scoring(tender)
    _require_evaluating(tender, by)
    if question.procurement_id != tender.procurement_id:
        raise ValidationError("That question is not part of this tender")
    _check_level(tender, level)
    if not AnswerScore.objects.filter(offer=offer, question=question).exists():
        raise ValidationError("Evaluators must score this answer independently before moderation")
    if not notes.strip():
        raise ValidationError(
            {"notes": "Write the moderation notes: how the consensus was reached"}
        )
    with transaction.atomic(), acting_as(by):
        moderated, _ = ModeratedScore.objects.update_or_create(
            offer=offer,
            question=question,
            defaults={"level": level, "notes": notes.strip(), "moderated_by": by},
        )
    return moderated


def _offered_row(offer: Offer, measure_code: str, contract_year: int) -> tuple[str, Decimal]:
    """The submission that counts and the line's offered quantity; refused if not offered."""
    submission = offer.latest_submission()
    if submission is not None:
        for row in submission.lines:
            if row["measure_code"] == measure_code and int(row["contract_year"]) == contract_year:
                return submission.reference, Decimal(row["quantity"])
    raise ValidationError(
        f"{offer.supplier.name} offered nothing under {measure_code} in year {contract_year}"
    )


def offer_line_moderate(
    *,
    offer: Offer,
    measure_code: str,
    contract_year: int,
    evaluated_quantity: Decimal,
    reason: str,
    by: User,
    set_aside: bool = False,
) -> LineModeration:
    """Evaluate one offered line at a lower quantity, or set it aside, with the reason.

    The offered quantity is kept; the evaluated one is what is scored and awarded.
    """
    tender = offer.tender
    _require_opened_and_open_for_scoring(tender)
    _require_evaluating(tender, by)
    reference, offered = _offered_row(offer, measure_code, contract_year)
    if set_aside:
        evaluated_quantity = Decimal(0)
    if not reason.strip():
        raise ValidationError({"reason": "Write why the line is evaluated differently"})
    if evaluated_quantity < 0:
        raise ValidationError({"evaluated_quantity": "Enter 0 or more"})
    if evaluated_quantity > offered:
        raise ValidationError(
            {
                "evaluated_quantity": f"Moderation only reduces a line: enter at most the "
                f"{offered.normalize():f} offered"
            }
        )
    if evaluated_quantity == offered:
        raise ValidationError(
            {
                "evaluated_quantity": "That is the quantity offered; restore the line as "
                "offered instead"
            }
        )
    with transaction.atomic(), acting_as(by):
        moderation, _ = LineModeration.objects.update_or_create(
            offer=offer,
            measure_code=measure_code,
            contract_year=contract_year,
            defaults={
                "submission_reference": reference,
                "offered_quantity": offered,
                "evaluated_quantity": evaluated_quantity,
                "set_aside": set_aside or evaluated_quantity == 0,
                "reason": reason.strip(),
                "moderated_by": by,
                "moderated_at": timezone.now(),
            },
        )
        record_event(
            instance=tender,
            by=by,
            organisation_id=tender.council_id,
            event="Offer line moderated",
            detail=f"{offer.supplier.name}, {measure_code} year {contract_year}: offered "
            f"{offered.normalize():f}, evaluated {evaluated_quantity.normalize():f}"
            f"{' (set aside)' if moderation.set_aside else ''}. Reason: {reason.strip()}",
        )
    return moderation


def offer_line_restore(
    *, offer: Offer, measure_code: str, contract_year: int, reason: str, by: User
) -> None:
    """Evaluate a moderated line as offered again, with the reason."""
    tender = offer.tender
    _require_opened_and_open_for_scoring(tender)
    _require_evaluating(tender, by)
    moderation = LineModeration.objects.filter(
        offer=offer, measure_code=measure_code, contract_year=contract_year
    ).first()
    if moderation is None:
        raise ValidationError("That line is already evaluated as offered")
    if not reason.strip():
        raise ValidationError({"reason": "Write why the line is evaluated as offered again"})
    with transaction.atomic(), acting_as(by):
        moderation.delete()
        record_event(
            instance=tender,
            by=by,
            organisation_id=tender.council_id,
            event="Offer line restored",
            detail=f"{offer.supplier.name}, {measure_code} year {contract_year}: evaluated as "
            f"offered again. Reason: {reason.strip()}",
        )


def offer_plausibility_confirm(*, offer: Offer, reason: str, by: User) -> PlausibilityConfirmation:
    """Accept an implausible offer's value as it stands, with the reason (for example, evidence
    the bidder gave in answer to a clarification question)."""
    tender = offer.tender
    _require_opened_and_open_for_scoring(tender)
    _require_evaluating(tender, by)
    if not reason.strip():
        raise ValidationError({"reason": "Write why the offer's value can stand"})
    with transaction.atomic(), acting_as(by):
        confirmation, _ = PlausibilityConfirmation.objects.update_or_create(
            offer=offer,
            defaults={"reason": reason.strip(), "confirmed_by": by, "confirmed_at": timezone.now()},
        )
        record_event(
            instance=tender,
            by=by,
            organisation_id=tender.council_id,
            event="Offer value confirmed",
            detail=f"{offer.supplier.name}: value confirmed although implausible. Reason: "
            f"{reason.strip()}",
        )
    return confirmation


def price_quality_record(
    *, offer: Offer, price_marks: Decimal | None, quality_marks: Decimal | None, by: User
) -> Offer:
    """Price and quality scores as entered from the council's tender system."""
    tender = offer.tender
    _require_opened_and_open_for_scoring(tender)
    _require_evaluating(tender, by)
    procurement = tender.procurement
    for label, marks, out_of in (
        ("price", price_marks, procurement.price_percent),
        ("quality", quality_marks, procurement.quality_percent),
    ):
        if marks is not None and not Decimal(0) <= marks <= (out_of or Decimal(0)):
            raise ValidationError(
                {f"{label}_marks": f"Enter a {label} score between 0 and {out_of}"}
            )
    with transaction.atomic(), acting_as(by):
        offer.price_marks = price_marks
        offer.quality_marks = quality_marks
        offer.save(update_fields=["price_marks", "quality_marks", "updated_at"])
        record_event(
            instance=tender,
            by=by,
            organisation_id=tender.council_id,
            event="Price and quality scores entered",
            detail=f"{offer.supplier.name}: price {price_marks}, quality {quality_marks}",
        )
    return offer


def sign_off_people(tender: Tender) -> int:
    return tender.procurement.policy_version.sign_off_people


def evaluation_sign_off(*, tender: Tender, by: User) -> Tender:
    """Sign the evaluation. It locks (after which no score, note or decision in it can change)
    once the council's number of people with no conflict of interest have signed the same
    results; a signature on results that have changed since no longer counts."""
    if tender.opened_at is None:
        raise ValidationError("Open the offers before signing off the evaluation")
    _require_not_signed_off(tender)
    _require_evaluating(tender, by)
    results = tender_evaluation(tender)
    if not results:
        raise ValidationError("There are no offers to sign off")
    incomplete = [f"{r.bidder.name}: needs {', '.join(r.missing)}" for r in results if r.missing]
    incomplete += [
        f"{r.bidder.name}: its offer is implausible ({r.implausible[0].message}) Moderate it, "
        "or confirm its value with a reason, before sign-off"
        for r in results
        if r.plausibility_unresolved
    ]
    if incomplete:
        raise ValidationError(incomplete)
    digest = results_digest(results)
    needed = sign_off_people(tender)
    with transaction.atomic(), acting_as(by):
        EvaluationSignature.objects.update_or_create(
            tender=tender,
            person=by,
            defaults={"results_digest": digest, "signed_at": timezone.now()},
        )
        signed = [s for s in evaluation_record(tender, results).signatures if s.counts]
        names = ", ".join(s.person for s in signed)
        if len(signed) < needed:
            record_event(
                instance=tender,
                by=by,
                organisation_id=tender.council_id,
                event="Evaluation signed",
                detail=f"{by.full_name} signed ({len(signed)} of {needed} needed: {names})",
            )
            return tender
        tender.signed_off_at = timezone.now()
        tender.signed_off_by = by
        tender.save()
        record_event(
            instance=tender,
            by=by,
            organisation_id=tender.council_id,
            event="Evaluation signed off",
            detail=f"Signed by {names}. "
            + "; ".join(
                f"{r.rank}. {r.bidder.name} {r.overall.total if r.overall else ''}" for r in results
            ),
        )
    return tender


def _add_months(start: date, months: int) -> date:
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, 28))


def tender_award(
    *, tender: Tender, start_date: date, contract_manager: User | None, by: User
) -> Any:
    """Award to the first-ranked offer: its latest submission becomes the contract's commitments."""

    if tender.signed_off_at is None:
        raise ValidationError("Sign off the evaluation before you award")
    if tender.awarded_at is not None:
        raise ValidationError("This tender has already been awarded")
    results = tender_evaluation(tender)
    first = [r for r in results if r.rank == 1]
    if len(first) != 1:
        raise ValidationError(
            "More than one bidder shares first place; the tie rule did not separate them"
        )
    winner = first[0]
    submission = OfferSubmission.objects.select_related("offer__supplier").get(
        reference=winner.bidder.reference
    )
    procurement = tender.procurement
    measures = {
        m.code: m
        for m in Measure.objects.filter(pk__in=procurement.chosen_measures.values("measure_id"))
    }
    # The contract carries the offer as evaluated; the offered quantities are kept beside it.
    evaluated: dict[str, dict[int, Decimal]] = defaultdict(dict)
    offered: dict[str, dict[int, Decimal]] = defaultdict(dict)
    for original, line in zip(winner.bidder.lines, winner.bidder.evaluated_lines, strict=True):
        evaluated[line.measure_code][line.contract_year] = line.quantity
        offered[line.measure_code][line.contract_year] = original.quantity
    notes: dict[str, list[str]] = defaultdict(list)
    for moderation in winner.bidder.moderations.values():
        code, year = moderation.line_ref.rsplit("-Y", 1)
        notes[code].append(
            f"Year {year}: {'set aside' if moderation.set_aside else 'reduced'} at evaluation "
            f"by {moderation.by}: {moderation.reason}"
        )
    commitments = [
        CommitmentInput(
            measure=measures[code],
            quantities_by_year=quantities,
            offered_by_year=offered[code],
            evaluation_note="\n".join(notes.get(code, [])),
        )
        for code, quantities in evaluated.items()
        if any(q != 0 for q in quantities.values())
    ]
    with transaction.atomic(), acting_as(by):
        contract = contract_create(
            council=tender.council,
            supplier=submission.offer.supplier,
            title=procurement.title,
            reference=tender.reference,
            value_pence=procurement.estimated_value_pence,
            start_date=start_date,
            end_date=_add_months(start_date, procurement.duration_months) - timedelta(days=1),
            directorate=procurement.directorate,
            contract_manager=contract_manager,
            measure_set_version=tender.measure_set_version,
            price_year=tender.price_year,
            commitments=commitments,
            source="award",
            by=by,
        )
        tender.awarded_offer = submission.offer
        tender.awarded_at = timezone.now()
        tender.contract_id = contract.pk
        tender.save()
        record_event(
            instance=tender,
            by=by,
            organisation_id=tender.council_id,
            event="Tender awarded",
            detail=f"Awarded to {submission.offer.supplier.name} ({submission.reference}); contract {contract.pk}",
        )
    return contract
