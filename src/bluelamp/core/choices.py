"""Code lists for POLE records. Sources are named beside each list."""

from django.db import models


class Gender(models.TextChoices):
    MALE = "male", "Male"
    FEMALE = "female", "Female"
    OTHER = "other", "Other / self-described"
    UNKNOWN = "unknown", "Not known"


class Ethnicity(models.TextChoices):
    """Self-defined ethnicity, the police "18+1" codes (2011 census categories plus Not stated)."""

    W1 = "W1", "White – English, Welsh, Scottish, Northern Irish or British"
    W2 = "W2", "White – Irish"
    W3 = "W3", "White – Gypsy or Irish Traveller"
    W9 = "W9", "White – any other White background"
    M1 = "M1", "Mixed – White and Black Caribbean"
    M2 = "M2", "Mixed – White and Black African"
    M3 = "M3", "Mixed – White and Asian"
    M9 = "M9", "Mixed – any other Mixed or multiple ethnic background"
    A1 = "A1", "Asian – Indian"
    A2 = "A2", "Asian – Pakistani"
    A3 = "A3", "Asian – Bangladeshi"
    A4 = "A4", "Asian – Chinese"
    A9 = "A9", "Asian – any other Asian background"
    B1 = "B1", "Black – Caribbean"
    B2 = "B2", "Black – African"
    B9 = "B9", "Black – any other Black, African or Caribbean background"
    O2 = "O2", "Other – Arab"
    O9 = "O9", "Other – any other ethnic group"
    NS = "NS", "Not stated"


class NameKind(models.TextChoices):
    BIRTH = "birth", "Birth / legal name"
    CURRENT = "current", "Current name"
    PREVIOUS = "previous", "Previous name"
    ALIAS = "alias", "Alias"
    NICKNAME = "nickname", "Nickname"


class IdentifierKind(models.TextChoices):
    PNC = "pnc", "PNC ID"
    DRIVING_LICENCE = "driving_licence", "Driving licence"
    PASSPORT = "passport", "Passport"
    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"
    NI_NUMBER = "ni_number", "National Insurance number"


class WarningKind(models.TextChoices):
    """PNC-style warning markers."""

    WEAPONS = "weapons", "Weapons"
    FIREARMS = "firearms", "Firearms"
    VIOLENCE = "violence", "Violent"
    SELF_HARM = "self_harm", "Self-harm / suicidal"
    MENTAL_HEALTH = "mental_health", "Mental health"
    DRUGS = "drugs", "Drugs"
    ESCAPER = "escaper", "Escaper"
    CONTAGIOUS = "contagious", "Contagious"
    ALLEGES = "alleges", "Alleges"
    ALCOHOL = "alcohol", "Alcohol"


class ObjectKind(models.TextChoices):
    VEHICLE = "vehicle", "Vehicle"
    PROPERTY = "property", "Property"
    WEAPON = "weapon", "Weapon"
    DEVICE = "device", "Digital device"


class OrganisationKind(models.TextChoices):
    SCHOOL = "school", "School"
    BUSINESS = "business", "Business"
    PARTNER_AGENCY = "partner_agency", "Partner agency"


class EventKind(models.TextChoices):
    INCIDENT = "incident", "Incident"
    CRIME = "crime", "Crime"
    ASB = "asb", "Anti-social behaviour"
    MISSING = "missing", "Missing episode"
    STOP_SEARCH = "stop_search", "Stop and search"
    ARREST = "arrest", "Arrest"
    INTELLIGENCE = "intelligence", "Intelligence"


class EventStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class EventRole(models.TextChoices):
    CALLER = "caller", "Caller"
    VICTIM = "victim", "Victim"
    SUSPECT = "suspect", "Suspect"
    OFFENDER = "offender", "Offender"
    WITNESS = "witness", "Witness"
    SUBJECT = "subject", "Subject"
    INFORMANT = "informant", "Informant"


class Relationship(models.TextChoices):
    PARTNER = "partner", "Partner"
    EX_PARTNER = "ex_partner", "Ex-partner"
    PARENT_OF = "parent_of", "Parent of"
    CHILD_OF = "child_of", "Child of"
    SIBLING = "sibling", "Sibling"
    CARER_OF = "carer_of", "Carer of"
    CARED_FOR_BY = "cared_for_by", "Cared for by"
    ASSOCIATE = "associate", "Associate"


# The reading of a relationship from the other person's side.
RELATIONSHIP_INVERSE = {
    Relationship.PARTNER: Relationship.PARTNER,
    Relationship.EX_PARTNER: Relationship.EX_PARTNER,
    Relationship.PARENT_OF: Relationship.CHILD_OF,
    Relationship.CHILD_OF: Relationship.PARENT_OF,
    Relationship.SIBLING: Relationship.SIBLING,
    Relationship.CARER_OF: Relationship.CARED_FOR_BY,
    Relationship.CARED_FOR_BY: Relationship.CARER_OF,
    Relationship.ASSOCIATE: Relationship.ASSOCIATE,
}


class PlaceRole(models.TextChoices):
    LIVES_AT = "lives_at", "Lives at"
    WORKS_AT = "works_at", "Works at"
    FREQUENTS = "frequents", "Frequents"
    LINKED_TO = "linked_to", "Linked to"


class ObjectRole(models.TextChoices):
    STOLEN = "stolen", "Stolen"
    DAMAGED = "damaged", "Damaged"
    USED = "used", "Used in the event"
    SEIZED = "seized", "Seized"
    RECOVERED = "recovered", "Recovered"
    INVOLVED = "involved", "Involved"


class ContactChannel(models.TextChoices):
    """How a person wants to hear from us (a victim's contact plan: domain.md 1.4)."""

    EMAIL = "email", "Email"
    SMS = "sms", "Text message"
    PHONE = "phone", "Phone call"
    LETTER = "letter", "Letter"
    IN_PERSON = "in_person", "In person"
