"""Message templates, in GOV.UK Notify's shape: an id, a channel, and text with ((placeholders))
filled from the personalisation. A force using GOV.UK Notify keeps the same ids there."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

_PLACEHOLDER = re.compile(r"\(\(([a-z_][a-z0-9_]*)\)\)")


@dataclass(frozen=True)
class Template:
    id: str
    channel: str
    subject: str
    body: str

    @property
    def fields(self) -> set[str]:
        return set(_PLACEHOLDER.findall(self.subject + self.body))

    def render(self, personalisation: dict) -> tuple[str, str]:
        missing = sorted(self.fields - set(personalisation))
        if missing:
            raise ValidationError(
                {"personalisation": f"Template {self.id} needs: {', '.join(missing)}."}
            )

        def fill(text: str) -> str:
            return _PLACEHOLDER.sub(lambda m: str(personalisation[m[1]]), text)

        return fill(self.subject), fill(self.body)


TEMPLATES: dict[str, Template] = {}


def template(id: str, channel: str, subject: str, body: str) -> Template:  # noqa: A002
    TEMPLATES[id] = Template(id, channel, subject, body)
    return TEMPLATES[id]


template(
    "duty-escalated",
    "email",
    "Overdue: ((title)) for ((subject))",
    "((title)) for ((subject)) was due by ((due_at)) and is not done.\n\n"
    "Rule: ((rule))\nOwner: ((owner))\n\nOpen bluelamp to see the team's overdue duties.",
)
template(
    "victim-update",
    "email",
    "An update on your crime report ((crime_reference))",
    "There is an update on crime ((crime_reference)):\n\n((update))\n\n"
    "The officer in charge is ((officer)).",
)
template(
    "victim-update-sms",
    "sms",
    "",
    "Update on crime ((crime_reference)): ((update)) Officer: ((officer)).",
)
