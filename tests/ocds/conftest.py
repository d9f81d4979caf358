"""The tenders' second bidder, for the test that awards a tender."""

from tests.tenders.conftest import second_supplier  # noqa: F401
