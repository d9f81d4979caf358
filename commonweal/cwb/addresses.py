"""The addresses of the local-economy pages, for work done away from a page: an import or a
linkage run (from the command line, or by the worker) names its result page.

Django's ``reverse`` over the site's whole URL tree imports every page and the API first, which
takes longer than a small import itself; the local-economy pages' own tree (``mounted_urls``) is
enough. A test checks the two give the same addresses.
"""

from __future__ import annotations

from django.urls import reverse


def page_address(name: str, *args: object) -> str:
    """The address of the local-economy page called ``name`` (as in ``cwb/urls.py``)."""
    return reverse(f"cwb:{name}", args=args, urlconf="commonweal.cwb.mounted_urls")
