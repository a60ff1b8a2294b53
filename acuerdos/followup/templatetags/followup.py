"""`{% agreement_reviews agreement %}`: the follow-up reviews of an agreement, for its page."""

from __future__ import annotations

from typing import Any

from django import template

from acuerdos.commitments.models import Agreement
from acuerdos.followup.selectors import agreement_reviews as select_reviews

register = template.Library()


@register.inclusion_tag("followup/_agreement_reviews.html", takes_context=True)
def agreement_reviews(context: template.Context, agreement: Agreement) -> dict[str, Any]:
    """ "Revisado en <reunión>: <decisión>" for every follow-up meeting that reviewed it (one
    query), limited to what the page's user may see."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"reviews": select_reviews(user, agreement)}
