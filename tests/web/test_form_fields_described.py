"""Screen readers hear a field's hint and its error: every id an input's aria-describedby names
is on the page (web/form_fields.html renders the ids Django's widgets point at)."""

from __future__ import annotations

import re

from django import forms
from django.template.loader import render_to_string


class Sample(forms.Form):
    postcode = forms.CharField(help_text="As on the letter, e.g. PR1 2AB")
    summary = forms.CharField(max_length=5)


def test_every_described_by_id_is_rendered():
    form = Sample({"postcode": "", "summary": "far too long"})
    assert not form.is_valid()
    html = render_to_string("web/form_fields.html", {"form": form})
    described = re.findall(r'aria-describedby="([^"]+)"', html)
    assert described  # the hint and the errors are announced
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    missing = [name for names in described for name in names.split() if name not in ids]
    assert missing == []
    assert 'id="id_postcode_helptext"' in html
    assert 'id="id_summary_error"' in html
