"""Access of the public portal: anyone may read, but only what a closed cut-off published.

An open (or unknown) cut-off answers 404 exactly like a date that never existed, so the public
cannot even learn that a cut-off is being prepared.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.http import Http404

from acuerdos.evaluation.models import CutOff
from acuerdos.organization.models import Region


def access_published_cutoff(cutoffs: Sequence[CutOff], date: dt.date | None) -> CutOff:
    """The closed cut-off of `date` (the latest one when no date is given) among the published
    ones, or 404."""
    published = [c for c in cutoffs if c.is_closed]
    if not published:
        raise Http404("Aún no hay cortes cerrados.")
    if date is None:
        return max(published, key=lambda c: c.date)
    for cutoff in published:
        if cutoff.date == date:
            return cutoff
    raise Http404("No hay un corte cerrado en esa fecha.")


def access_public_region(code: str) -> Region:
    """A region by its code (regions are public catalog entries), or 404."""
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise Http404("No existe esa región.")
    return region
