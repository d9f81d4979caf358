"""Writes for council policy versions and procurements planned with Social Value by Design."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from commonweal.accounts.models import Organisation, User
from commonweal.commissioning.models import (
    PolicyVersion,
    Procurement,
    ProcurementMeasure,
    ProcurementStatus,
    Section,
    WrittenQuestion,
)
from commonweal.commissioning.selectors import (
    issue_problems,
    policy_in_force,
    published_set_versions,
    selection_problems_for,
)
from commonweal.core.audit import acting_as, save_audited
from commonweal.frameworks.models import LocalMeasureSetVersion, Measure

POLICY_FIELDS = (
    "social_value_required_from_pence",
    "social_value_quantitative_percent",
    "social_value_qualitative_percent",
    "below_threshold_approach",
    "below_threshold_percent",
    "max_measures",
    "max_measures_below_threshold",
    "require_employment_and_skills",
    "scoring_method",
    "target_pence_per_pound",
    "full_marks_at_percent",
    "descriptor_scale",
    "threshold_supplies_services_pence",
    "threshold_works_pence",
    "threshold_light_touch_pence",
    "thresholds_in_force_from",
    "kpi_rule_from_pence",
    "implausible_offer_percent",
    "offer_warning_percent",
    "measure_share_percent",
    "annual_cost_per_fte_pence",
    "sign_off_people",
)


def _require_planning(procurement: Procurement) -> None:
    if procurement.status != ProcurementStatus.PLANNING:
        raise ValidationError(
            "The tender has been issued, so this procurement can no longer change"
        )


def policy_version_create(
    *, council: Organisation, change_note: str, by: User | None, **fields: Any
) -> PolicyVersion:
    """Record a new version of the council's policy; the previous versions stay as they were."""
    unknown = set(fields) - set(POLICY_FIELDS)
    if unknown:
        raise TypeError(f"Unknown policy fields: {sorted(unknown)}")
    if not council.is_council:
        raise ValidationError("Only a council has a social value policy")
    with transaction.atomic(), acting_as(by):
        latest = (
            PolicyVersion.objects.select_for_update()
            .filter(council=council)
            .aggregate(n=Max("number"))["n"]
        )
        version = PolicyVersion(
            council=council,
            number=(latest or 0) + 1,
            change_note=change_note,
            created_by=by,
            **fields,
        )
        version.full_clean()
        if version.social_value_percent > 100:
            raise ValidationError(
                "The social value weightings add up to more than 100%; lower one of them"
            )
        if version.offer_warning_percent >= version.implausible_offer_percent:
            raise ValidationError(
                {
                    "offer_warning_percent": "The % at which an offer is checked must be below "
                    "the % at which it is implausible"
                }
            )
        version.save()
    return version


def policy_ensure(*, council: Organisation, by: User | None) -> PolicyVersion:
    """The policy in force, starting one from Commonweal's defaults if the council has none."""
    return policy_in_force(council) or policy_version_create(
        council=council,
        change_note="Started from Commonweal's defaults (social value at £100k and over, 20%)",
        by=by,
    )


def procurement_create(*, council: Organisation, by: User, **fields: Any) -> Procurement:
    policy = policy_ensure(council=council, by=by)
    procurement = Procurement(council=council, policy_version=policy, **fields)
    _apply_policy_defaults(procurement)
    procurement.completed_sections = [Section.DETAILS.value]
    return save_audited(procurement, by=by)


def _apply_policy_defaults(procurement: Procurement) -> None:
    policy = procurement.policy_version
    if procurement.is_above_social_value_threshold:
        quantitative = policy.social_value_quantitative_percent
        qualitative = policy.social_value_qualitative_percent
    else:
        quantitative, qualitative = policy.below_threshold_percent, Decimal(0)
    remaining = Decimal(100) - quantitative - qualitative
    procurement.social_value_quantitative_percent = quantitative
    procurement.social_value_qualitative_percent = qualitative
    procurement.price_percent = remaining / 2
    procurement.quality_percent = remaining - remaining / 2
    procurement.scoring_method = policy.scoring_method
    procurement.target_pence_per_pound = policy.target_pence_per_pound
    procurement.full_marks_at_percent = policy.full_marks_at_percent
    procurement.descriptor_scale = policy.descriptor_scale


def procurement_update_details(*, procurement: Procurement, by: User, **fields: Any) -> Procurement:
    _require_planning(procurement)
    for name, value in fields.items():
        setattr(procurement, name, value)
    return save_audited(procurement, by=by)


def _mark(procurement: Procurement, section: str, completed: bool) -> None:
    sections = [s for s in procurement.completed_sections if s != section]
    if completed:
        sections.append(section)
    procurement.completed_sections = sections


def procurement_record_consideration(
    *,
    procurement: Procurement,
    by: User,
    wellbeing_improvements: str,
    consulted: bool | None,
    consultation_details: str,
    local_priorities: str,
    decision: str,
    completed: bool,
) -> Procurement:
    """Keep the Social Value Act 2012 consideration with the procurement."""
    _require_planning(procurement)
    procurement.wellbeing_improvements = wellbeing_improvements
    procurement.consulted = consulted
    procurement.consultation_details = consultation_details
    procurement.local_priorities = local_priorities
    procurement.decision = decision
    if completed:
        missing = [
            label
            for label, value in (
                ("how the procurement could improve well-being", wellbeing_improvements),
                ("the local priorities considered", local_priorities),
                ("what you decided", decision),
            )
            if not value.strip()
        ]
        if consulted is None:
            missing.append("whether you consulted")
        if consulted and not consultation_details.strip():
            missing.append("who you consulted")
        if missing:
            raise ValidationError("To complete this section, enter " + ", ".join(missing))
    _mark(procurement, Section.CONSIDERATION, completed)
    return save_audited(procurement, by=by)


def procurement_choose_measures(
    *,
    procurement: Procurement,
    by: User,
    set_version: LocalMeasureSetVersion,
    measures: Sequence[Measure],
    completed: bool,
) -> Procurement:
    """Choose measures from the council's published set; completing requires the policy rules pass."""

    _require_planning(procurement)
    if set_version not in published_set_versions(procurement.council):
        raise ValidationError("Select a measure set your council has published")
    allowed = set(set_version.items.values_list("measure_id", flat=True))
    outside = [m.code for m in measures if m.pk not in allowed]
    if outside:
        raise ValidationError(
            f"Measures {', '.join(outside)} are not in {set_version}; choose from that set"
        )
    if completed:
        problems = selection_problems_for(procurement, measures)
        if problems:
            raise ValidationError(problems)
    with transaction.atomic(), acting_as(by):
        procurement.measure_set_version = set_version
        _mark(procurement, Section.MEASURES, completed)
        procurement.save()
        procurement.chosen_measures.exclude(measure__in=measures).delete()
        for position, measure in enumerate(measures):
            ProcurementMeasure.objects.update_or_create(
                procurement=procurement, measure=measure, defaults={"position": position}
            )
    return procurement


def procurement_set_weighting(
    *, procurement: Procurement, by: User, completed: bool, **fields: Any
) -> Procurement:
    _require_planning(procurement)
    for name, value in fields.items():
        setattr(procurement, name, value)
    if completed:
        weights = [
            procurement.social_value_quantitative_percent,
            procurement.social_value_qualitative_percent,
            procurement.price_percent,
            procurement.quality_percent,
        ]
        given = [w for w in weights if w is not None]
        if len(given) != len(weights):
            raise ValidationError("Enter every weighting to complete this section")
        total = sum(given, Decimal(0))
        if total != 100:
            raise ValidationError(
                f"The weightings add up to {total.normalize():f}%; they must add up to 100%"
            )
        if not procurement.scoring_method or not procurement.descriptor_scale:
            raise ValidationError("Select a scoring method and a descriptor scale")
        if procurement.scoring_method == "target" and not procurement.target_pence_per_pound:
            raise ValidationError({"target_pence_per_pound": "Enter the target in pence per £1"})
        if (
            procurement.scoring_method == "percent_of_contract"
            and not procurement.full_marks_at_percent
        ):
            raise ValidationError(
                {"full_marks_at_percent": "Enter the % of contract value that earns full marks"}
            )
    _mark(procurement, Section.WEIGHTING, completed)
    return save_audited(procurement, by=by)


def question_add(
    *, procurement: Procurement, by: User, text: str, guidance: str, word_limit: int
) -> WrittenQuestion:
    _require_planning(procurement)
    position = procurement.questions.count()
    question = WrittenQuestion(
        procurement=procurement,
        text=text,
        guidance=guidance,
        word_limit=word_limit,
        position=position,
    )
    return save_audited(question, by=by)


def question_remove(*, question: WrittenQuestion, by: User) -> None:
    _require_planning(question.procurement)
    with transaction.atomic(), acting_as(by):
        question.delete()


def procurement_complete_questions(
    *, procurement: Procurement, by: User, completed: bool
) -> Procurement:
    _require_planning(procurement)
    needs_questions = (procurement.social_value_qualitative_percent or 0) > 0
    if completed and needs_questions and not procurement.questions.exists():
        raise ValidationError(
            "Add at least one written question: the written answers carry "
            f"{procurement.social_value_qualitative_percent}% of the marks"
        )
    _mark(procurement, Section.QUESTIONS, completed)
    with transaction.atomic(), acting_as(by):
        procurement.save()
    return procurement


def procurement_mark_issued(*, procurement: Procurement, by: User) -> Procurement:

    problems = issue_problems(procurement)
    if problems:
        raise ValidationError(problems)
    procurement.status = ProcurementStatus.ISSUED
    with transaction.atomic(), acting_as(by):
        procurement.save()
    return procurement
