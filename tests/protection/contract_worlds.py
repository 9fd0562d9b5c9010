"""protection/ and missing/ records for the inherited contract tests (tests/audit/test_coverage.py,
tests/test_area_contract.py), kept here so those files gain a line each, not a page."""

from __future__ import annotations

import datetime as dt

from bluelamp.accounts.roles import Role
from bluelamp.core import persons
from bluelamp.missing import services as missing
from bluelamp.protection import disclosure, orders
from bluelamp.protection.models import DisclosureApplication, EncompassNotice, ProtectionNotice

from .world import child, referral_event, submit_referral


def _report(actor, unit, holder=None, given="Jo", person=None, circumstances="Not home"):
    person = person or persons.create_person(
        actor=actor, family_name="Coverage", given_names=given, dob_year=2012, dob_month=1
    )
    return missing.report_missing(
        actor=actor,
        person=person,
        owning_unit=unit,
        # Before the sample requests' times (tests/audit/test_coverage.py: 10 Jan 2026).
        last_seen_at=dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC),
        last_seen_where="Park",
        missing_from="home",
        circumstances=circumstances,
        risk_grade="high",
        risk_reasons="Age",
        is_child=True,
        officer_in_case=holder,
    )


def _notice(actor, unit, holder=None):
    kid = child(actor, "Cover")
    event = referral_event(actor, unit)
    submit_referral(actor, event, children=[kid], schools={kid: "LAN-P-001"})
    notice = EncompassNotice.objects.get(referral_event=event)
    if holder is not None:  # allocated across the boundary: held by a West officer
        EncompassNotice.objects.filter(pk=notice.pk).update(created_by=holder)
        notice.refresh_from_db()
    return notice


def _dvpn(actor, unit, him=None, her=None):
    him = him or persons.create_person(actor=actor, family_name="Coverage", given_names="Dan")
    her = her or persons.create_person(actor=actor, family_name="Coverage", given_names="Kay")
    notice = orders.serve_notice(
        actor=actor,
        perpetrator=him,
        victim=her,
        owning_unit=unit,
        authorising_officer="Supt Dale",
        authorising_rank="superintendent",
        grounds="x",
        children_welfare="x",
        victim_opinion="x",
        perpetrator_representations="x",
        served_at=dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC),
    )
    breach = orders.record_breach(
        actor=actor, notice=notice, at=dt.datetime(2026, 1, 10, 10, tzinfo=dt.UTC), account="x"
    )
    return notice, breach


def _dvds(actor, unit, checker=None, her=None, him=None):
    her = her or persons.create_person(actor=actor, family_name="Coverage", given_names="Ana")
    him = him or persons.create_person(actor=actor, family_name="Coverage", given_names="Ray")
    application = disclosure.receive_application(
        actor=actor,
        route="right_to_know",
        person_at_risk=her,
        subject=him,
        owning_unit=unit,
        reason="x",
        received_at=dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC),
    )
    disclosure.record_check(
        actor=checker or actor, application=application, source="pnc", finding="x"
    )
    return application


def coverage_world(actor, units, make_user) -> dict:
    """A notice and a report the safeguarding user works on every page and operation, and the
    values the sample requests need."""
    hub = make_user(Role.SAFEGUARDING)
    unit = units["west-response"]
    report = _report(actor, unit)
    enquiry = missing.add_enquiry(actor=hub, report=report, description="Friends")
    second = missing.add_enquiry(actor=hub, report=report, description="Phone")
    person = persons.create_person(actor=actor, family_name="Zebedee", given_names="Quill")
    dvpn, breach = _dvpn(hub, unit)
    return {
        "dvpn": dvpn,
        "dvds": _dvds(hub, unit),
        "safeguarding": hub,
        "encompass": _notice(actor, unit),
        "missing": report,
        "fill": {
            "missing:new": {"owning_unit": unit.pk},
            "missing:enquiry-done": {"enquiry_id": enquiry.pk},
            "complete_missing_enquiry": {"enquiry_id": second.pk},
            "report_missing": {"person_id": person.pk, "owning_unit_id": unit.pk},
            "protection:dvpn-new": {"owning_unit": unit.pk},
            "protection:dvds-new": {"owning_unit": unit.pk},
            "protection:dvpn-arrest": {"breach": breach.pk},
            "record_breach_arrest": {"breach_id": breach.pk},
            "receive_dvds": {
                "person_at_risk_id": person.pk,
                "subject_id": enquiry.report.person_id,
            },
            "serve_dvpn": {"perpetrator_id": person.pk, "victim_id": enquiry.report.person_id},
        },
    }


def area_world(units, east_officer, west) -> dict:
    """East records held by West officers (allocated across the boundary): visible to them, so
    the area check is what refuses their writes."""
    east = units["east-response"]
    notice, breach = _dvpn(east_officer, east)
    ProtectionNotice.objects.filter(pk=notice.pk).update(created_by=west[Role.RESPONSE_OFFICER])
    application = _dvds(east_officer, east)
    DisclosureApplication.objects.filter(pk=application.pk).update(
        created_by=west[Role.RESPONSE_OFFICER]
    )
    return {
        "east_dvds": application,
        "east_dvpn": notice,
        "east_breach": breach,
        "east_missing": _report(east_officer, east, holder=west[Role.RESPONSE_OFFICER]),
        "east_missing_sergeant": _report(east_officer, east, holder=west[Role.SUPERVISOR]),
        "east_notice": _notice(east_officer, east, holder=west[Role.RESPONSE_OFFICER]),
    }
