"""The messages victims/ sends, registered with notify's templates (GOV.UK Notify shape)."""

from bluelamp.notify.message_templates import template

template(
    "victim-support-referral",
    "email",
    "Victim referral ((crime_reference)) / ((victim_reference))",
    "A referral to victim support services (Victims' Code right 4).\n\n"
    "Crime reference: ((crime_reference))\nVictim reference: ((victim_reference))\n"
    "Reported: ((reported))\nOffence code: ((offence))\n"
    "Name: ((name))\nContact: ((contact))\nSafe to write: ((safe_to_write))\n"
    "Enhanced rights: ((enhanced))\nConsent: ((consent))\nOfficer in case: ((officer))\n",
)
template(
    "victim-survey",
    "email",
    "How did we do? Crime ((crime_reference))",
    "You reported crime ((crime_reference)). Please tell us how we did: five short questions.\n\n"
    "((link))\n\nThe link is only for you. You do not have to answer.",
)
template(
    "victim-survey-sms",
    "sms",
    "",
    "Crime ((crime_reference)): please tell us how we did (5 questions): ((link))",
)
# Sent to the OLD address or number when the one we use for the victim changes (issue 14): if
# the victim did not ask for it, someone may be taking over their updates and portal codes.
template(
    "victim-contact-changed",
    "email",
    "Your contact details for crime ((crime_reference)) have changed",
    "The ((what)) we use to contact you about crime ((crime_reference)) was changed on "
    "((when)) to ((new)). Updates and portal codes now go there.\n\n"
    "If you did not ask for this, call 101 straight away and quote ((crime_reference)).",
)
template(
    "victim-contact-changed-sms",
    "sms",
    "",
    "Crime ((crime_reference)): the ((what)) we contact you on was changed on ((when)) to "
    "((new)). Did not ask for this? Call 101.",
)
