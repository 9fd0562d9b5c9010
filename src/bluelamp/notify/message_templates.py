"""Message templates, in GOV.UK Notify's shape: an id, a channel, and text with ((placeholders))
filled from the personalisation. A force using GOV.UK Notify keeps the same ids there.

A template names its ``secret_fields`` (a one-time code): those must be given as
``notify.secrets.one_time_secret`` values, so the outbox never holds them in clear, and they are
removed from the outbox once the message is sent."""

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
    secret_fields: tuple[str, ...] = ()

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


def template(  # noqa: A002
    id: str, channel: str, subject: str, body: str, *, secret_fields: tuple[str, ...] = ()
) -> Template:
    TEMPLATES[id] = Template(id, channel, subject, body, secret_fields)
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

# --- victims: the victim portal, "track my crime" (victims/portal/) ---
# Victims' Code right 3: the crime reference and how to follow the crime. The code is one-time.
template(
    "portal-access-code",
    "email",
    "Your crime reference ((crime_reference)) and code for Track my crime",
    "Your crime reference is ((crime_reference)).\n\n"
    "You can follow what happens with it online, at ((portal_url))\n"
    "Sign in with the crime reference, this one-time code and your date of birth:\n\n"
    "    ((code))\n\n"
    "The code works once and until ((expires_on)). The officer in charge is ((officer)).",
    secret_fields=("code",),
)
template(
    "portal-access-code-sms",
    "sms",
    "",
    "Crime ref ((crime_reference)). Track it at ((portal_url)) with code ((code)) "
    "(works once, until ((expires_on))).",
    secret_fields=("code",),
)
template(
    "portal-sign-in-code-sms",
    "sms",
    "",
    "Your Track my crime sign-in code is ((code)). Do not share it. It works for a few minutes.",
    secret_fields=("code",),
)
# Victims' Code right 6: told there is an update; the update itself is only shown after sign-in.
template(
    "portal-update",
    "email",
    "There is an update on your crime report ((crime_reference))",
    "There is an update on your crime report ((crime_reference)).\n\n"
    "Sign in to Track my crime to read it: ((portal_url))\n"
    "If you need a new code, you can ask for one there.",
)
template(
    "portal-update-sms",
    "sms",
    "",
    "There is an update on your crime report. Sign in to read it: ((portal_url))",
)
