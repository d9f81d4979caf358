"""Which database the suite runs on (CI runs it on SQLite, then on PostgreSQL)."""

from __future__ import annotations

import os

ON_POSTGRESQL = os.environ.get("DATABASE_URL", "").startswith("postgres")
