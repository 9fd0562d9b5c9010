"""The messages safeguarding/ sends, registered with notify's templates (GOV.UK Notify shape).
Referral messages carry references and risk, not the account: partners read the referral in the
MASH, where every read is audited."""

from bluelamp.notify.message_templates import template

template(
    "idva-referral",
    "email",
    "High-risk domestic abuse referral ((referral))",
    "A high-risk domestic abuse referral for the IDVA (independent domestic violence "
    "adviser) service.\n\n"
    "Referral: ((referral))\nDASH score: ((score))\nRisk: ((risk))\nMASH hub: ((hub))\n"
    "Referring officer: ((officer))\nThe MASH will contact you with the victim's details.\n",
)
template(
    "referral-feedback",
    "email",
    "Feedback on your safeguarding referral ((referral))",
    "The MASH rated the quality of referral ((referral)) by ((officer)) at ((rating)) out of 5.\n\n"
    "Why: ((reason))\n",
)
