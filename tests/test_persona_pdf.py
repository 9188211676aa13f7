"""The demo's persona PDFs are accessible documents: real text, a title, Dutch as language, tagged; and a download."""

import io

import pypdf
import pytest

from cms.models import Persona
from tests.seeded_demo import seeded, seeded_once  # noqa: F401 (fixtures)


@pytest.fixture
def piet_en_ria(seeded):
    return Persona.objects.select_related("document").get(name="Piet en Ria")


def read_pdf(persona):
    with persona.document.file.open("rb") as file:
        return pypdf.PdfReader(io.BytesIO(file.read()))


def test_demo_persona_pdf_has_selectable_text_a_title_and_dutch_as_language(piet_en_ria):
    pdf = read_pdf(piet_en_ria)

    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Persona Piet en Ria (Parkinson)" in text
    # A sentence the content breaks over two lines reads as one, and the questions keep their text.
    assert "Lopen gaat moeizaam, praten kost hem moeite en hij is de laatste tijd twee keer gevallen." in " ".join(
        text.split()
    )
    assert "Welke ondersteuning biedt de gemeente via de Wmo" in text
    assert pdf.metadata.title == "Persona Piet en Ria (Parkinson)"
    catalog = pdf.trailer["/Root"]
    assert catalog["/Lang"] == "nl"
    assert bool(catalog["/MarkInfo"]["/Marked"])  # tagged: a screen reader gets headings, paragraphs, lists
    assert "/StructTreeRoot" in catalog
    assert pdf.xmp_metadata.dc_title["x-default"] == "Persona Piet en Ria (Parkinson)"


def test_persona_download_is_an_attachment(client, piet_en_ria):
    response = client.get(f"/personas/{piet_en_ria.pk}/download/", follow=True)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/pdf"
