"""The rule that stops password guessing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from commonweal.accounts.models import SignInAttempt


@dataclass(frozen=True)
class Lockout:
    locked_until: datetime

    @property
    def minutes_left(self) -> int:
        seconds = (self.locked_until - timezone.now()).total_seconds()
        return max(1, int(seconds // 60) + (1 if seconds % 60 else 0))


class RepeatedFailedSignInsLockTheAccount:
    """After too many wrong passwords for one email address in a short time, sign-in for that
    address is refused for a while, even with the right password.

    The limits are settings: SIGN_IN_MAX_FAILURES failures (default 5) within
    SIGN_IN_LOCKOUT_MINUTES minutes (default 15) lock the address until that many minutes have
    passed since the last failure. A successful sign-in clears the count.
    """

    def __init__(self, max_failures: int | None = None, minutes: int | None = None) -> None:
        self.max_failures = max_failures or settings.SIGN_IN_MAX_FAILURES
        self.window = timedelta(minutes=minutes or settings.SIGN_IN_LOCKOUT_MINUTES)

    def lockout_for(self, email: str) -> Lockout | None:
        now = timezone.now()
        recent = list(
            SignInAttempt.objects.filter(
                email=email.strip().lower(), attempted_at__gte=now - self.window
            )
            .order_by("-attempted_at")
            .values_list("succeeded", "attempted_at")[: self.max_failures]
        )
        failures = [at for succeeded, at in recent if not succeeded]
        if len(recent) < self.max_failures or len(failures) < self.max_failures:
            return None
        return Lockout(locked_until=failures[0] + self.window)


class RepeatedFailedSignInsFromOneAddressPauseIt:
    """After many wrong passwords from one client address in a short time, whatever email
    addresses they were for, sign-in from that address is refused for a while: someone trying
    one password against many accounts is stopped as well as someone trying many against one.

    The limits are settings: SIGN_IN_MAX_FAILURES_PER_ADDRESS failures (default 30, as a
    council's staff may all reach the service from one address) within SIGN_IN_LOCKOUT_MINUTES
    minutes (default 15) pause the address until that many minutes have passed since the last
    failure. Successful sign-ins from the address do not clear the count.
    """

    def __init__(self, max_failures: int | None = None, minutes: int | None = None) -> None:
        self.max_failures = max_failures or settings.SIGN_IN_MAX_FAILURES_PER_ADDRESS
        self.window = timedelta(minutes=minutes or settings.SIGN_IN_LOCKOUT_MINUTES)

    def lockout_for(self, address: str | None) -> Lockout | None:
        if not address:
            return None
        failures = list(
            SignInAttempt.objects.filter(
                ip_address=address,
                succeeded=False,
                attempted_at__gte=timezone.now() - self.window,
            )
            .order_by("-attempted_at")
            .values_list("attempted_at", flat=True)[: self.max_failures]
        )
        if len(failures) < self.max_failures:
            return None
        return Lockout(locked_until=failures[0] + self.window)
