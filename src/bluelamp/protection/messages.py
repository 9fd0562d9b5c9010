"""The messages protection/ sends, registered with notify's templates (GOV.UK Notify shape).
An Encompass notice says what a school needs to support the child the next day and nothing about
the adults (domain-addendum.md 1.4: the duty is to tell the child's educational establishment)."""

from bluelamp.notify.message_templates import template

template(
    "encompass-school",
    "email",
    "Operation Encompass: ((child_name)), ((incident_date))",
    "Operation Encompass notification for the designated safeguarding lead of ((school_name)).\n\n"
    "The police attended a domestic abuse incident at ((incident_time)) on ((incident_date)) "
    "involving ((child_name)) (date of birth ((child_dob))), a pupil at your school.\n\n"
    "Police reference: ((reference)). To talk to the police about this child, call the "
    "safeguarding hub on 101 and quote the reference.\n\n"
    "Please keep this information confidential and use it to support the child.",
)
template(
    "encompass-local-authority",
    "email",
    "Operation Encompass (home educated): ((child_name)), ((incident_date))",
    "Operation Encompass notification for ((authority_name)).\n\n"
    "The police attended a domestic abuse incident at ((incident_time)) on ((incident_date)) "
    "involving ((child_name)) (date of birth ((child_dob))), who is educated at home.\n\n"
    "Police reference: ((reference)). Call the safeguarding hub on 101 and quote it.",
)
# The fallback when the school's email could not be delivered: the local authority's Encompass
# lead passes it on, and the police phone the school (a duty, policies.py).
template(
    "encompass-fallback",
    "email",
    "Operation Encompass: please pass to ((school_name)) - email failed",
    "The police could not deliver an Operation Encompass notification by email to the designated "
    "safeguarding lead of ((school_name)) (((reason))).\n\n"
    "The police attended a domestic abuse incident at ((incident_time)) on ((incident_date)) "
    "involving ((child_name)) (date of birth ((child_dob))).\n\n"
    "Police reference: ((reference)). The school should know before ((due)). The police are "
    "also phoning the school.",
)
