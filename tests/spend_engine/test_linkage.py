"""Supplier linkage layers: identifiers, exact names, Splink, human decisions."""

import csv
import random
from datetime import date
from pathlib import Path

import pytest

from commonweal.spend_engine.linkage import (
    LinkMethod,
    LinkThresholds,
    PriorDecision,
    RegisterEntry,
    ReviewDecision,
    SupplierRecord,
    link_suppliers,
    link_to_registers,
)

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def record(record_id: str, name: str, **extra: object) -> SupplierRecord:
    fields: dict[str, object] = {
        "anchor": "sheffield",
        "source_supplier_id": None,
        "spend_pence": 100_000,
    }
    fields.update(extra)
    return SupplierRecord(record_id=record_id, raw_name=name, **fields)  # type: ignore[arg-type]


def realistic_fixture() -> list[SupplierRecord]:
    """A small creditor list in the style of a council's published spend file."""
    names = [
        "CARLTON FUELS",
        "CARLTON FUELS LIMITED",
        "BIRCHENALLHOWDEN LTD",
        "BIRCHENALL HOWDEN LTD",
        "SHEFFIELD COLLEGE",
        "THE SHEFFIELD COLLEGE",
        "SHEFFIELD MIND",
        "SHEFFIELD CITY TRUST",
        "SHEFFIELD WILDLIFE TRUST",
        "NEXT STEP CARE MANAGEMENT LTD",
        "NEXT STEP CARE MANAGMENT LTD",
        "YORKSHIRE WATER",
        "YORKSHIRE PURCHASING ORGANISATION",
        "GREAT TORRINGTON & DIST C D TRST",
        "AMEY LG LTD",
        "KIER LTD",
        "ACTION FOR CHILDREN",
        "ACTION HOUSING AND SUPPORT LTD",
        "PIKE JOINERY LTD",
        "VOYAGE CARE",
        "MARKHAM HOUSE",
    ]
    return [record(f"R{index:03d}", name) for index, name in enumerate(names)]


def clusters(result_records: list[SupplierRecord], **kwargs: object) -> dict[str, str]:
    result = link_suppliers(result_records, **kwargs)  # type: ignore[arg-type]
    names = {r.record_id: r.raw_name for r in result_records}
    return {names[link.record_id]: link.cluster_id for link in result.links}


def test_it_links_variants_of_one_supplier_and_keeps_different_suppliers_apart() -> None:
    cluster = clusters(realistic_fixture())
    assert cluster["CARLTON FUELS"] == cluster["CARLTON FUELS LIMITED"]
    assert cluster["SHEFFIELD COLLEGE"] == cluster["THE SHEFFIELD COLLEGE"]
    assert cluster["SHEFFIELD CITY TRUST"] != cluster["SHEFFIELD WILDLIFE TRUST"]
    assert cluster["YORKSHIRE WATER"] != cluster["YORKSHIRE PURCHASING ORGANISATION"]
    assert cluster["ACTION FOR CHILDREN"] != cluster["ACTION HOUSING AND SUPPORT LTD"]


def test_it_records_the_layer_that_made_each_link() -> None:
    records = realistic_fixture()
    result = link_suppliers(records)
    method = {link.record_id: link.method for link in result.links}
    by_name = {r.raw_name: r.record_id for r in records}
    assert method[by_name["THE SHEFFIELD COLLEGE"]] is LinkMethod.EXACT_NAME
    assert method[by_name["CARLTON FUELS LIMITED"]] is LinkMethod.PROBABILISTIC
    assert method[by_name["KIER LTD"]] is LinkMethod.UNLINKED
    probability = {link.record_id: link.probability for link in result.links}
    assert probability[by_name["THE SHEFFIELD COLLEGE"]] == 1.0
    assert LinkThresholds().accept <= probability[by_name["CARLTON FUELS LIMITED"]] < 1.0


def test_the_identifier_layer_beats_names() -> None:
    records = [
        record("A", "VOYAGE CARE", source_supplier_id="522429"),
        record("B", "MARKHAM HOUSE", source_supplier_id="522429"),
        record("C", "ACME SUPPLIES", company_number="1234567"),
        record("D", "ZENITH TRADING", company_number="01234567"),
        record("E", "HOPE CHURCH", charity_number="GB-CHC-1000611"),
        record("F", "HOPE CENTRE", charity_number="1000611"),
        record("G", "VOYAGE CARE", source_supplier_id="1", anchor="rotherham"),
    ]
    result = link_suppliers(records)
    cluster = result.cluster_of()
    method = {link.record_id: link.method for link in result.links}
    assert cluster["A"] == cluster["B"] == "A"
    assert cluster["C"] == cluster["D"]
    assert cluster["E"] == cluster["F"]
    assert method["D"] is LinkMethod.IDENTIFIER
    # same name at another anchor joins by name, and the whole cluster now relies on it
    assert cluster["G"] == "A"
    assert method["G"] is LinkMethod.EXACT_NAME


def test_a_supplier_id_only_counts_within_its_own_anchor() -> None:
    records = [
        record("A", "ACME SUPPLIES", source_supplier_id="100", anchor="sheffield"),
        record("B", "ZENITH TRADING", source_supplier_id="100", anchor="rotherham"),
    ]
    cluster = link_suppliers(records).cluster_of()
    assert cluster["A"] != cluster["B"]


def reject(a: str, b: str) -> PriorDecision:
    return PriorDecision(a, b, ReviewDecision.REJECT, "j.officer", date(2026, 10, 1))


def accept(a: str, b: str) -> PriorDecision:
    return PriorDecision(a, b, ReviewDecision.ACCEPT, "j.officer", date(2026, 10, 1))


def test_a_human_reject_splits_a_pair_the_model_would_join() -> None:
    records = realistic_fixture()
    assert clusters(records)["CARLTON FUELS"] == clusters(records)["CARLTON FUELS LIMITED"]
    decided = clusters(records, prior_decisions=[reject("Carlton Fuels", "CARLTON FUELS LTD")])
    assert decided["CARLTON FUELS"] != decided["CARLTON FUELS LIMITED"]


def test_a_human_accept_joins_a_pair_the_model_would_not() -> None:
    records = realistic_fixture()
    assert clusters(records)["VOYAGE CARE"] != clusters(records)["MARKHAM HOUSE"]
    result = link_suppliers(records, prior_decisions=[accept("VOYAGE CARE", "MARKHAM HOUSE")])
    by_id = {r.record_id: r.raw_name for r in records}
    cluster = {by_id[link.record_id]: link for link in result.links}
    assert cluster["VOYAGE CARE"].cluster_id == cluster["MARKHAM HOUSE"].cluster_id
    assert cluster["MARKHAM HOUSE"].method is LinkMethod.HUMAN
    assert [d.reviewer for d in result.decisions_applied] == ["j.officer"]


def test_decisions_are_reused_on_the_next_period_with_new_record_ids() -> None:
    decisions = [
        accept("VOYAGE CARE", "MARKHAM HOUSE"),
        reject("CARLTON FUELS", "CARLTON FUELS LTD"),
    ]
    next_period = [
        record("Q2-1", "Voyage Care"),
        record("Q2-2", "MARKHAM HOUSE (SP)"),
        record("Q2-3", "CARLTON FUELS LIMITED"),
        record("Q2-4", "CARLTON FUELS"),
        *realistic_fixture()[2:12],
    ]
    cluster = link_suppliers(next_period, prior_decisions=decisions).cluster_of()
    assert cluster["Q2-1"] == cluster["Q2-2"]
    assert cluster["Q2-3"] != cluster["Q2-4"]


def test_the_latest_decision_on_a_pair_wins() -> None:
    earlier = PriorDecision(
        "VOYAGE CARE", "MARKHAM HOUSE", ReviewDecision.ACCEPT, "a", date(2025, 1, 1)
    )
    later = PriorDecision(
        "MARKHAM HOUSE", "VOYAGE CARE", ReviewDecision.REJECT, "b", date(2026, 1, 1)
    )
    cluster = clusters(realistic_fixture(), prior_decisions=[later, earlier])
    assert cluster["VOYAGE CARE"] != cluster["MARKHAM HOUSE"]


def test_uncertain_pairs_go_to_the_review_list_with_the_spend_at_stake() -> None:
    records = [
        record("A", "SHIREBROOK FIELDS", spend_pence=250_000),
        record("B", "SHIREBROOK FIELDS CARE HOME", spend_pence=1_000_000),
        *realistic_fixture()[:12],
    ]
    result = link_suppliers(records, thresholds=LinkThresholds(accept=0.99, review=0.05))
    item = next(
        i
        for i in result.review
        if {i.name_a, i.name_b} == {"SHIREBROOK FIELDS", "SHIREBROOK FIELDS CARE HOME"}
    )
    assert 0.05 <= item.probability < 0.99
    assert item.spend_at_stake_pence == 1_250_000
    cluster = result.cluster_of()
    assert cluster["A"] != cluster["B"]


def test_it_refuses_thresholds_in_the_wrong_order() -> None:
    with pytest.raises(ValueError, match="review <= accept"):
        LinkThresholds(accept=0.8, review=0.9)


def test_it_names_a_repeated_record_id() -> None:
    with pytest.raises(ValueError, match="record_id 'A' is repeated"):
        link_suppliers([record("A", "X"), record("A", "Y")])


def test_output_is_the_same_whatever_the_input_order() -> None:
    records = realistic_fixture()
    shuffled = list(records)
    random.Random(7).shuffle(shuffled)
    first, second = link_suppliers(records), link_suppliers(shuffled)
    assert first.cluster_of() == second.cluster_of()
    assert first.review == second.review


def test_it_reports_the_share_of_spend_in_multi_name_clusters() -> None:
    records = [
        record("A", "CARLTON FUELS", spend_pence=300),
        record("B", "CARLTON FUELS LTD", spend_pence=100),
        record("C", "KIER LTD", spend_pence=600),
    ]
    result = link_suppliers(records)
    assert result.total_spend_pence == 1000
    assert result.spend_in_multi_name_clusters_pence == 400
    assert result.share_of_spend_in_multi_name_clusters == pytest.approx(0.4)


def test_it_links_clusters_to_registers_by_number_or_by_name_and_postcode() -> None:
    records = [
        record("A", "ACME SUPPLIES LTD", company_number="123", spend_pence=700),
        record("B", "HOPE CENTRE", postcode="s1 2hh", spend_pence=200),
        record("C", "HOPE CENTRE TRUST", spend_pence=100),
    ]
    result = link_suppliers(records)
    registers = link_to_registers(
        result,
        records,
        companies=[RegisterEntry("00000123", "ACME SUPPLIES LIMITED", "S9 1AA")],
        charities=[
            RegisterEntry("1000611", "THE HOPE CENTRE", "S1 2HH"),
            RegisterEntry("1000612", "HOPE CENTRE TRUST", None),
        ],
    )
    found = {(m.cluster_id, m.register, m.identifier, m.method) for m in registers.matches}
    assert found == {
        ("A", "companies_house", "00000123", "identifier"),
        ("B", "charity", "1000611", "name_and_postcode"),
    }
    assert registers.share_of_spend_linked == pytest.approx(0.9)


SHEFFIELD_2016 = SHARED_DATA / "spend" / "sheffield" / "clean" / "2016-07.csv"


@pytest.mark.skipif(not SHEFFIELD_2016.exists(), reason="shared Sheffield spend data absent")
def test_auto_accepted_links_on_sheffield_names_are_precise() -> None:
    """Sheffield's creditor numbers are the truth. Their creditor file holds duplicate
    accounts ("CARLTON FUELS" / "CARLTON FUELS LTD"), so a link between names whose core
    names are identical counts as right even across two creditor numbers."""
    from commonweal.spend_engine.names import core_supplier_name

    numbers: dict[str, set[str]] = {}
    with SHEFFIELD_2016.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            name, number = row["Supplier Name"].strip(), row["Address Book No."].strip()
            if name and number and name != "REDACTED PERSONAL DATA":
                numbers.setdefault(name, set()).add(number)
    names = sorted(numbers)
    records = [record(f"S{i:05d}", name) for i, name in enumerate(names)]
    result = link_suppliers(records)
    members: dict[str, list[str]] = {}
    for link in result.links:
        members.setdefault(link.cluster_id, []).append(names[int(link.record_id[1:])])
    pairs = [
        (a, b) for group in members.values() for i, a in enumerate(group) for b in group[i + 1 :]
    ]
    right = [
        (a, b)
        for a, b in pairs
        if numbers[a] & numbers[b] or core_supplier_name(a) == core_supplier_name(b)
    ]
    assert len(pairs) >= 10
    assert len(right) / len(pairs) >= 0.98
