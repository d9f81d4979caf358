"""Which of a network's figures may be shown: each member's own, and the combined total.

Each member of an anchor network decides, topic by topic, whether its figure is shared by name
(beside the other members' and in the total), only in the combined total, or not at all. A
total is a sum any viewer can take the named figures away from, so whether a figure may be
shown depends on the others: ``NetworkFigureDisclosure`` decides, for one figure, from who
contributes to it and how.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Contribution:
    """One member's part in one figure: it has a value for it and shares it, by name or not."""

    member: int
    named: bool


@dataclass(frozen=True)
class Disclosure:
    """What may be shown of one figure, and why anything is withheld."""

    contributors: int
    total_shown: bool
    named_shown: bool
    total_reason: str = ""
    named_reason: str = ""


@dataclass(frozen=True)
class NetworkFigureDisclosure:
    """A combined figure is shown only when at least ``minimum_members`` members contribute to
    it: with fewer, a member could take its own figure from the total and read another's.

    A member's figure is shown by name only if it chose to share it by name, and only while no
    other member's figure can be worked out from what is shown: the total less the named
    figures is the sum of the members that share only in the total, so that remainder must be
    the sum of none of them or of at least ``minimum_members``. When the total is withheld, the
    named figures are shown (nothing is left to subtract them from).
    """

    minimum_members: int = 3

    def decide(self, contributions: Sequence[Contribution]) -> Disclosure:
        count = len(contributions)
        unnamed = sum(1 for c in contributions if not c.named)
        if count < self.minimum_members:
            return Disclosure(
                contributors=count,
                total_shown=False,
                named_shown=True,
                total_reason=(
                    f"Fewer than {self.minimum_members} members share this "
                    f"({count} {'does' if count == 1 else 'do'})"
                ),
            )
        if 0 < unnamed < self.minimum_members:
            return Disclosure(
                contributors=count,
                total_shown=True,
                named_shown=False,
                named_reason=(
                    f"Not shown by name: {unnamed} {'member shares' if unnamed == 1 else 'members share'} "
                    f"this only in the combined figure, which could then be worked out from it"
                ),
            )
        return Disclosure(contributors=count, total_shown=True, named_shown=True)
