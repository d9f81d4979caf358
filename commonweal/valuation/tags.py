"""Tags that say what a measure counts, so that counting rules can find the measures they govern.

A council's measure framework (its own, or one it holds a licence for) names its measures in its
own words and codes. Rules never look at codes or titles: they look at these tags, which the
council attaches to each measure when it imports or edits its framework.
"""

from typing import Final

LOCAL_EMPLOYMENT: Final = "local-employment"
"""Jobs held by people who live in the local area, counted as FTE for each contract year."""

DISADVANTAGED: Final = "disadvantaged"
"""Jobs for people from one disadvantaged group (for example care leavers, long-term unemployed,
ex-offenders, disabled people). A person counts under at most one such measure, in their first
year only, and may also count under local employment."""

APPRENTICESHIPS: Final = "apprenticeships"
"""Apprenticeships started or supported, usually counted in weeks or in apprenticeships."""

EMPLOYMENT_AND_SKILLS: Final = "employment-and-skills"
"""Any measure in the employment and skills family (jobs, apprenticeships, training, work
placements). Some councils require at least one such measure per tender."""

TRAINING_HOURS: Final = "training-hours"
"""Hours of training given to staff or local people; checked against the workforce's hours."""

VOLUNTEERING_HOURS: Final = "volunteering-hours"
"""Hours of staff time volunteered in the local area; checked against the workforce's hours."""

LOCAL_SUPPLY_CHAIN_SPEND: Final = "local-supply-chain-spend"
"""Pounds the supplier will spend with local firms in delivering this contract. It can never
exceed the contract value."""

ENVIRONMENT: Final = "environment"
"""Environmental measures such as carbon savings, counted in tonnes of CO2e or similar units."""

NEGATIVE_QUANTITIES_ALLOWED: Final = "negative-quantities-allowed"
"""The measure accepts negative quantities (for example redundancies or extra emissions), which
some frameworks use to curb overclaiming. Without this tag a negative quantity is an error."""

ALL_TAGS: Final = frozenset(
    {
        LOCAL_EMPLOYMENT,
        DISADVANTAGED,
        APPRENTICESHIPS,
        EMPLOYMENT_AND_SKILLS,
        TRAINING_HOURS,
        VOLUNTEERING_HOURS,
        LOCAL_SUPPLY_CHAIN_SPEND,
        ENVIRONMENT,
        NEGATIVE_QUANTITIES_ALLOWED,
    }
)
"""Every tag the engine understands; a measure carrying any other tag is rejected."""
