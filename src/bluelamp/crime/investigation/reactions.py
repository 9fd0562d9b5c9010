"""The skill rule, enforced on every allocation of a crime whatever page or API made it: work
that needs a skill (models.py SkillRequirement) given to an officer without it is refused, unless
a supervisor's override for that officer was recorded first in the same transaction
(services.py allocate_investigation). Imported by crime/reactions.py, which the duties app
discovers."""

from django.core.exceptions import ValidationError

from bluelamp.accounts.models import User
from bluelamp.core.choices import EventKind
from bluelamp.crime.models import Allocation
from bluelamp.duties.registry import reacts_to

from .models import Skill, SkillOverride
from .queries import holds_any, offence_code_of, skills_needed


@reacts_to("work.allocated")
def refuse_allocation_without_skill(event, subject) -> None:
    if getattr(subject, "kind", None) != EventKind.CRIME:
        return
    officer_id = event.payload["officer"]
    needed = skills_needed(offence_code_of(subject))
    if holds_any(officer_id, needed):
        return
    override = (
        SkillOverride.objects.filter(crime=subject, officer_id=officer_id, allocation__isnull=True)
        .order_by("-id")
        .first()
    )
    if override is None:
        officer = User.objects.get(pk=officer_id)
        wanted = " or ".join(Skill(s).label for s in needed)
        raise ValidationError(
            {
                "officer": f"This crime needs an officer who is {wanted}; {officer.display_name} "
                "is not. A supervisor may override with a reason."
            }
        )
    override.allocation = (
        Allocation.objects.filter(event=subject, officer_id=officer_id).order_by("-id").first()
    )
    override.save(update_fields=["allocation"])
