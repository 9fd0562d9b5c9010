"""The roles a bluelamp user can hold, in the users' own words."""

from django.db import models


class Role(models.TextChoices):
    CALL_HANDLER = "call_handler", "Call handler"
    RESPONSE_OFFICER = "response_officer", "Response officer"
    INVESTIGATOR = "investigator", "Investigator"
    SUPERVISOR = "supervisor", "Supervisor (sergeant or inspector)"
    QUALITY_ASSURANCE = "quality_assurance", "Quality assurance (investigations management unit)"
    SAFEGUARDING = "safeguarding", "MASH and safeguarding"
    NEIGHBOURHOOD = "neighbourhood", "Neighbourhood officer or PCSO"
    OFFENDER_MANAGER = "offender_manager", "Offender manager"
    ANALYST = "analyst", "Analyst"
    SENIOR_LEADER = "senior_leader", "Senior leader"
    AUDITOR = "auditor", "Auditor (read-only)"
    ADMINISTRATOR = "administrator", "Administrator"


class UnitKind(models.TextChoices):
    FORCE = "force", "Force"
    DISTRICT = "district", "District"
    TEAM = "team", "Team"
