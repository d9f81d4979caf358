from __future__ import annotations

import uuid

from django.http import Http404

from commonweal.accounts.models import Membership, User
from commonweal.core.models import Job


def job_for_user(user: User, pk: uuid.UUID) -> tuple[Job, Membership]:
    """A background job of one of the person's organisations; 404 otherwise."""
    job = Job.objects.select_related("organisation").filter(pk=pk).first()
    if job is None:
        raise Http404("No such job")
    membership = Membership.objects.filter(user=user, organisation_id=job.organisation_id).first()
    if membership is None:
        raise Http404("No such job")
    return job, membership
