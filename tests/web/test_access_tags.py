"""{% load access %}: a link is shown only where the role may follow it, asked of the same map
the services check; a misspelt action fails loudly rather than hiding a link for everyone."""

import pytest
from django.template import Context, Template

from bluelamp.accounts.permissions import UnknownAction
from bluelamp.accounts.roles import Role

LINK = '{% load access %}{% if user|may:"work.allocate" %}<a href="/x">Allocate</a>{% endif %}'


@pytest.mark.parametrize(
    ("role", "shown"),
    [(Role.SUPERVISOR, True), (Role.QUALITY_ASSURANCE, True), (Role.INVESTIGATOR, False)],
)
def test_the_link_follows_the_permission_map(make_user, role, shown):
    html = Template(LINK).render(Context({"user": make_user(role)}))
    assert ("Allocate" in html) is shown


def test_a_misspelt_action_fails_loudly(make_user):
    template = Template('{% load access %}{% if user|may:"work.alocate" %}x{% endif %}')
    with pytest.raises(UnknownAction):
        template.render(Context({"user": make_user(Role.SUPERVISOR)}))


def test_may_any(make_user):
    source = '{% load access %}{% if user|may_any:"audit.view, user.manage" %}yes{% endif %}'
    assert Template(source).render(Context({"user": make_user(Role.ADMINISTRATOR)})) == "yes"
    assert Template(source).render(Context({"user": make_user(Role.ANALYST)})) == ""
