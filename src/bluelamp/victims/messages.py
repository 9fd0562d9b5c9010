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
