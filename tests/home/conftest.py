from tests.tenders.conftest import tender  # noqa: F401 — a tender issued from a planned procurement
