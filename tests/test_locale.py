"""The project's own Dutch catalogue (``locale/``): compiled, in use, and saying what Wagtail does."""

import ast
import gettext
from pathlib import Path

import pytest
from django.utils import translation

from cms.demo import content
from cms.forms import CallFormBuilder
from cms.models import CallFormField

CATALOGUE = Path(__file__).resolve().parents[1] / "locale" / "nl" / "LC_MESSAGES"


def read_po(path):
    """``{msgid: msgstr}`` of a .po file without plurals or contexts (the project uses neither)."""
    entries, key, parts = {}, None, {}
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = line.strip()
        if line.startswith(("msgid ", "msgstr ")):
            key, _, literal = line.partition(" ")
            parts[key] = ast.literal_eval(literal)
        elif line.startswith('"'):
            parts[key] += ast.literal_eval(line)
        elif not line and "msgstr" in parts:
            entries[parts["msgid"]] = parts["msgstr"]
            parts = {}
    return entries


def test_the_compiled_catalogue_holds_exactly_what_the_po_file_says():
    """msgfmt is not needed to run the site, so the .mo is committed: it must not lag behind the .po."""
    with (CATALOGUE / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    expected = read_po(CATALOGUE / "django.po")
    assert len(expected) > 1
    assert {msgid: compiled.gettext(msgid) for msgid in expected if msgid} == {
        msgid: msgstr for msgid, msgstr in expected.items() if msgid
    }, "locale/nl/LC_MESSAGES/django.mo is out of date: run msgfmt -o django.mo django.po there"


def test_the_admin_uses_the_projects_dutch_over_wagtails():
    with translation.override("nl"):
        assert translation.gettext("File") == "Bestand"
        assert str(CallFormField._meta.get_field("choices").help_text).startswith("Eén keuze per regel")


@pytest.mark.parametrize(
    "spec",
    [field for call in content.CALLS for field in call["extra_form_fields"] if field.get("choices")],
    ids=lambda spec: spec["label"],
)
def test_each_line_of_a_demo_choice_field_becomes_one_option(spec):
    """What the help text tells editors, and the demo does, is what Wagtail's form builder does."""
    field = CallFormField(clean_name="keuze", **spec)
    form_field = CallFormBuilder([field]).formfields["keuze"]
    assert [label for _, label in form_field.choices] == spec["choices"].splitlines()
