"""Risk-based sampling of return lines for verification."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from decimal import Decimal


def risk_based_sample(
    lines: Sequence[tuple[int, int | None]], *, above_pence: int, share: Decimal, seed: int
) -> set[int]:
    """Every line whose claimed value is at or above `above_pence`, plus a random `share`
    (between 0 and 1, rounded up to whole lines) of the others.

    `lines` are (line id, claimed value in pence or None for unvalued measures). The same seed
    always picks the same lines, so a sample can be reproduced for audit.
    """
    if not 0 <= share <= 1:
        raise ValueError(f"share must lie between 0 and 1, got {share}")
    chosen = {line_id for line_id, value in lines if value is not None and value >= above_pence}
    rest = sorted(line_id for line_id, _ in lines if line_id not in chosen)
    count = math.ceil(share * len(rest))
    chosen.update(random.Random(seed).sample(rest, count))
    return chosen
