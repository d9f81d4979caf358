"""Secret tokens (API tokens, invitations, survey links) are stored only as a digest, so a copy of
the database gives no one a working link or key."""

from __future__ import annotations

import hashlib


def token_digest(token: str) -> str:
    """The SHA-256 hex digest a token is stored and looked up by."""
    return hashlib.sha256(token.encode()).hexdigest()
