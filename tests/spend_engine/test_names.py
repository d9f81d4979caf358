"""Supplier name normalisation: the keys that decide whether two names are one supplier."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commonweal.spend_engine.names import (
    alias_cores,
    core_supplier_name,
    is_initialism_of,
    name_keys,
    normalise_supplier_name,
    qualified_base,
    token_sorted_key,
    trading_entity,
    trading_name,
    trading_owner,
)


def test_it_expands_the_truncations_in_the_domain_brief_example() -> None:
    # domain.md section 7: "GREAT TORRINGTON & DIST C D TRST"
    assert (
        normalise_supplier_name("GREAT TORRINGTON & DIST C D TRST")
        == "GREAT TORRINGTON DISTRICT C D TRUST"
    )


def test_it_treats_ampersand_and_the_word_and_alike() -> None:
    assert normalise_supplier_name("MANOR & CASTLE DEVELOPMENT TRUST") == normalise_supplier_name(
        "MANOR AND CASTLE DEVELOPMENT TRUST"
    )


@pytest.mark.parametrize(
    ("variant", "expected"),
    [
        ("PIKE JOINERY LIMITED", "PIKE JOINERY LTD"),
        ("Pike Joinery Ltd.", "PIKE JOINERY LTD"),
        ("BRITISH TELECOM PUBLIC LIMITED COMPANY", "BRITISH TELECOM PLC"),
        ("DLA PIPER UK LLP", "DLA PIPER UK LLP"),
        ("OPEN MINDS THEATRE COMPANY", "OPEN MINDS THEATRE CO"),
        ("ZEST COMMUNITY INTEREST COMPANY", "ZEST CIC"),
        ("FORD MOTOR COMPANY LIMITED", "FORD MOTOR CO LTD"),
    ],
)
def test_it_unifies_legal_forms(variant: str, expected: str) -> None:
    assert normalise_supplier_name(variant) == expected


def test_it_leaves_company_inside_a_name_alone() -> None:
    assert normalise_supplier_name("COMPANY OF CUTLERS") == "COMPANY OF CUTLERS"


def test_company_inside_a_name_is_co_as_well_but_stays_in_the_core() -> None:
    assert core_supplier_name("HARGREAVE FOUNDRY COMPANY (SALES) LIMITED") == (
        core_supplier_name("HARGREAVE FOUNDRY CO SALES LTD")
    )
    assert core_supplier_name("HARGREAVE FOUNDRY CO SALES LTD") == "HARGREAVE FOUNDRY CO SALES"
    assert core_supplier_name("OPEN MINDS THEATRE COMPANY NORTH") == "OPEN MINDS THEATRE CO NORTH"


def test_an_at_sign_is_read_as_at() -> None:
    assert normalise_supplier_name("KIDZ @ WORK") == normalise_supplier_name("Kidz at Work")
    assert normalise_supplier_name("JIGSAW@WORK") == "JIGSAW AT WORK"


@pytest.mark.parametrize(
    "tagged",
    [
        "SOUTH YORKSHIRE HOUSING ASSOCIATION (SP PMTS ONLY)",
        "SOUTH YORKSHIRE HOUSING ASSC (SP)",
        "THE SOUTH YORKSHIRE HOUSING ASSOC",
    ],
)
def test_it_drops_payment_tags_and_a_leading_the(tagged: str) -> None:
    assert normalise_supplier_name(tagged) == "SOUTH YORKSHIRE HOUSING ASSOCIATION"


def test_it_spells_every_trading_as_the_same_way() -> None:
    assert normalise_supplier_name("THE MANSE T/AS KINGFIELD CARE HOME") == normalise_supplier_name(
        "THE MANSE T/A KINGFIELD CARE HOME"
    )
    assert normalise_supplier_name("DEVAGLADE LIMITED T/A AARON VIEW") == (
        "DEVAGLADE LTD TA AARON VIEW"
    )


def test_it_collapses_repeated_whitespace_and_joins_dotted_initials() -> None:
    assert normalise_supplier_name("EE  LTD") == "EE LTD"
    assert normalise_supplier_name("E.ON") == "EON"
    assert normalise_supplier_name("BARNARDO'S") == "BARNARDOS"


def test_the_core_name_drops_the_legal_form_and_a_uk_before_it() -> None:
    assert core_supplier_name("TUNSTALL HEALTHCARE (UK) LIMITED") == "TUNSTALL HEALTHCARE"
    assert core_supplier_name("TEACHING PERSONNEL LTD") == core_supplier_name("TEACHING PERSONNEL")


def test_a_name_ending_in_uk_has_the_core_of_the_same_name_with_its_legal_form() -> None:
    assert core_supplier_name("BOOTS UK") == core_supplier_name("BOOTS UK LTD") == "BOOTS"
    assert core_supplier_name("UK") == "UK"


def test_the_token_sorted_key_ignores_word_order() -> None:
    assert token_sorted_key("SHEFFIELD CITY COLLEGE") == token_sorted_key("CITY COLLEGE SHEFFIELD")


def test_the_compact_key_ignores_spacing() -> None:
    assert name_keys("BIRCHENALLHOWDEN LTD").compact == name_keys("BIRCHENALL HOWDEN LTD").compact


def test_a_name_that_is_only_the_leading_article_is_kept() -> None:
    assert normalise_supplier_name("THE") == "THE"


def test_limited_is_unified_and_dropped_from_the_core_wherever_it_stands() -> None:
    assert normalise_supplier_name("VODAFONE LIMITED (CORPORATE)") == "VODAFONE LTD CORPORATE"
    assert core_supplier_name("VODAFONE LIMITED (CORPORATE)") == core_supplier_name(
        "VODAFONE LTD (CORPORATE)"
    )
    assert core_supplier_name("ACTION FOR CARE LTD THE LODGE") == "ACTION FOR CARE THE LODGE"


def test_a_full_stop_joins_initials_but_separates_words() -> None:
    assert normalise_supplier_name("NIGHTINGALES RES.HOME") == "NIGHTINGALES RES HOME"
    assert normalise_supplier_name("P.T. SERVICES") == "PT SERVICES"


def test_literal_escapes_left_by_an_encoding_round_trip_are_cleaned() -> None:
    # Wakefield 2018-Q3 prints an acute accent used as an apostrophe as the text "\xB4";
    # a Sheffield name has a dash printed as "\x80\x93".
    assert normalise_supplier_name("ST MICHAEL\\xB4S C E ACADEMY") == "ST MICHAELS C E ACADEMY"
    assert normalise_supplier_name("MANOR & CASTLE \\x80\\x93 OPERATIONS") == (
        "MANOR CASTLE OPERATIONS"
    )


def test_the_compact_key_joins_spelt_out_initials() -> None:
    assert name_keys("ROTHERHAM M B C").compact == name_keys("ROTHERHAM MBC").compact


@pytest.mark.parametrize(
    ("raw", "inner"),
    [
        ("PSC MAILING T/A PSC SYSTEMS", ("PSC MAILING", "PSC SYSTEMS")),
        ("CASTELAYN (SHEFFCARE LTD)", ("CASTELAYN", "SHEFFCARE")),
        ("CHESTNUT GRANGE C/O VOYAGE LTD", ("CHESTNUT GRANGE", "VOYAGE")),
        ("TARGET HOUSING - ROTHERHAM", ("TARGET HOUSING", "ROTHERHAM")),
        ("SEVERN OAKS CARE HOME (C/O CINTRE COMMUN", ("SEVERN OAKS CARE HOME", "CINTRE COMMUN")),
        ("ACME SUPPLIES LTD", ()),
    ],
)
def test_it_finds_the_names_held_inside_a_name(raw: str, inner: tuple[str, ...]) -> None:
    assert alias_cores(raw) == inner


@pytest.mark.parametrize(
    ("raw", "company"),
    [
        ("PRIORY HEALTHCARE LIMITED T/A CRAEGMOOR SHIELING", "PRIORY HEALTHCARE"),
        ("AGROVISTA UK LTD T/A SHERRIFF AMENITY", "AGROVISTA"),
        ("THE MANSE T/A KINGFIELD CARE HOME", ""),
        ("ACME SUPPLIES LTD", ""),
    ],
)
def test_it_reads_the_trading_company_only_when_named_with_its_legal_form(
    raw: str, company: str
) -> None:
    assert trading_entity(raw) == company


@pytest.mark.parametrize(
    ("raw", "company"),
    [
        ("WAKEFIELD & DISTRICT HOUSING LIMITED RENT A/C", "WAKEFIELD DISTRICT HOUSING"),
        ("MITIE PFI LTD - KING ECGBERTS SCHOOL", "MITIE PFI"),
        ("PRIORY HEALTHCARE LIMTED T/A WELLINGTON HOUSE CC", "PRIORY HEALTHCARE"),
        ("FORD MOTOR COMPANY T/A PARTSPLUS", "FORD MOTOR"),
        ("DIMENSIONS (UK) LTD (NEW ERA HOUSING)", "DIMENSIONS"),
    ],
)
def test_a_legal_form_followed_by_more_words_ends_the_company_name(raw: str, company: str) -> None:
    assert trading_entity(raw) == company


def test_the_trading_name_is_what_follows_trading_as() -> None:
    assert trading_name("HOLLYBANK CARE LIMITED T/A ELMSTONE ORCHARD HOUSE") == (
        "ELMSTONE ORCHARD HOUSE"
    )
    assert trading_name("J BLOGGS TRADING AS BLOGGS PLUMBING LTD") == "BLOGGS PLUMBING"
    assert trading_name("HOLLYBANK CARE LIMITED") == ""


def test_the_trading_owner_is_whoever_stands_before_trading_as() -> None:
    assert trading_owner("WITHERSLACK GROUP T/A HALL CLIFFE SCHOOL") == "WITHERSLACK GROUP"
    assert trading_owner("THE MANSE T/A KINGFIELD CARE HOME") == "MANSE"
    assert trading_owner("ACME LTD") == ""


def test_brackets_before_a_legal_form_are_part_of_the_company_name() -> None:
    assert alias_cores("AGE CONCERN (SHEFFIELD) LTD") == ()
    assert alias_cores("ROSEBERRY CARE CENTRES (YORKSHIRE) LTD") == ()
    assert alias_cores("DIMENSIONS (UK) LTD (NEW ERA HOUSING)") == ("DIMENSIONS", "NEW ERA HOUSING")


@given(st.text(alphabet=st.sampled_from(list("ACELMOT/&()-.' 12\\x")), max_size=40))
def test_name_keys_are_consistent_for_any_text(raw: str) -> None:
    keys = name_keys(raw)
    assert keys.compact == keys.core.replace(" ", "")
    assert keys.core not in keys.alias_cores
    assert keys.normalised == keys.normalised.strip()
    assert "  " not in keys.normalised


@pytest.mark.parametrize(
    ("tagged", "expected"),
    [
        ("PENDERELS TRUST DP ONLY", "PENDERELS TRUST"),
        ("CRB DOOR SYSTEMS LTD - DO NOT USE", "CRB DOOR SYSTEMS LTD"),
        ("ORBIS PROTECT LTD USE 524424", "ORBIS PROTECT LTD"),
        ("ARBOURTHORNE TIDDLYWINKS USE396064", "ARBOURTHORNE TIDDLYWINKS"),
        ("USE IT LTD", "USE IT LTD"),
    ],
)
def test_it_drops_account_tags_seen_in_sheffield_2021(tagged: str, expected: str) -> None:
    # Sheffield processed 2021: "DP ONLY" (direct payments), closed accounts, pointers
    assert normalise_supplier_name(tagged) == expected


@pytest.mark.parametrize(
    ("raw", "base"),
    [
        ("BRADFORD COUNCIL (HOUSING)", "BRADFORD COUNCIL"),
        ("SUNSHINE DAY NURSERY(HALLAMSHIRE)", "SUNSHINE DAY NURSERY"),
        ("TARGET HOUSING - ROTHERHAM", "TARGET HOUSING"),
        ("CYCLE EXPERIENCE LTD (PART OF TTC GR", "CYCLE EXPERIENCE"),  # bracket cut short
        ("CASTELAYN (SHEFFCARE LTD)", ""),  # an operator, named with its legal form
        ("AGE CONCERN (SHEFFIELD) LTD", ""),  # brackets inside a company's name
        ("HAVEN HOUSE PROJECT (SP)", ""),  # a payment tag, dropped before this
        ("SHEFFIELD MIND - USE 556296", ""),
        ("PRIORY HEALTHCARE LTD T/A CRAEGMOOR (SHIELING)", ""),  # two names: not this rule
        ("KIER SERVICES MAINTENANCE EAST (KSME)", ""),  # its own initials
        ("ACME SUPPLIES", ""),
    ],
)
def test_it_finds_the_name_a_place_department_or_account_qualifies(raw: str, base: str) -> None:
    assert qualified_base(raw) == base


@pytest.mark.parametrize(
    ("short", "name", "expected"),
    [
        ("KSME", "KIER SERVICES MAINTENANCE EAST", True),
        ("YJBE", "YOUTH JUSTICE BOARD FOR ENGLAND", True),  # little words left out
        ("YJB", "YOUTH JUSTICE BOARD FOR ENGLAND", True),  # the first three
        ("EIS", "SHEFFIELD INTERNATIONAL VENUES", False),
        ("YJ", "YOUTH JUSTICE BOARD", False),  # two letters must be all the initials
        ("KS ME", "KIER SERVICES MAINTENANCE EAST", False),  # one word only
    ],
)
def test_it_recognises_a_name_s_own_initials(short: str, name: str, expected: bool) -> None:
    assert is_initialism_of(short, name) is expected


@pytest.mark.parametrize(
    "tagged",
    [
        "ACME CLEANING LTD (BACS)",
        "ACME CLEANING LTD (CHQ)",
        "Acme Cleaning Ltd (D/D)",
        "ACME CLEANING LTD (DIRECT DEBIT)",
        "ACME CLEANING LTD (PURCHASE CARD)",
        "ACME CLEANING LTD - BACS",
        "ACME CLEANING LIMITED CHEQUE",
        "ACME CLEANING LTD REF 10234",
        "ACME CLEANING LTD - A/C NO 55012",
        "ACME CLEANING LTD (INV 2231)",
        "ACME CLEANING LTD ACCOUNT NO: AB123",
        "ACME CLEANING LTD CUST NO 00912",
    ],
)
def test_it_drops_how_the_council_pays_and_reference_numbers(tagged: str) -> None:
    assert normalise_supplier_name(tagged) == "ACME CLEANING LTD"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("WAKEFIELD DISTRICT HOUSING LIMITED RENT A/C", "WAKEFIELD DISTRICT HOUSING LTD RENT A C"),
        ("BACS BUREAU SERVICES LTD", "BACS BUREAU SERVICES LTD"),
        ("REFERENCE POINT LTD", "REFERENCE POINT LTD"),
        ("ACCOUNTANCY 4 U LTD", "ACCOUNTANCY 4 U LTD"),
        ("INVOICE FINANCE 24 LTD", "INVOICE FINANCE 24 LTD"),
    ],
)
def test_it_keeps_payment_words_that_are_part_of_a_name(name: str, expected: str) -> None:
    assert normalise_supplier_name(name) == expected


@pytest.mark.parametrize(
    ("cut_short", "in_full"),
    [
        ("WYG ENVIRONMENT PLANNING TRANSPORT LIMIT", "WYG ENVIRONMENT PLANNING TRANSPORT LTD"),
        ("ARRIVA YORKSHIRE LIMIT", "ARRIVA YORKSHIRE LIMITED"),
        ("OFFICE WATERCOOLERS LT", "OFFICE WATERCOOLERS LTD"),
        ("HAMPSONS PLANT WORLD L", "HAMPSONS PLANT WORLD LIMITED"),
        ("Netflix Services UK Li", "NETFLIX SERVICES UK LIMITED"),
        ("STOCKSBRIDGE REGENERATION COMPANY LIMITE", "STOCKSBRIDGE REGENERATION CO LTD"),
        ("ESG SKILLS LIMITD", "ESG SKILLS LTD"),
    ],
)
def test_a_legal_form_cut_short_by_the_field_width_is_read_as_the_legal_form(
    cut_short: str, in_full: str
) -> None:
    assert normalise_supplier_name(cut_short) == normalise_supplier_name(in_full)
    assert name_keys(cut_short).core == name_keys(in_full).core


@pytest.mark.parametrize("name", ["SMITH J L", "ACME L", "MOTT MACDONALD L L"])
def test_a_single_l_is_an_initial_not_a_legal_form_cut_short(name: str) -> None:
    assert name_keys(name).legal_form == ""
