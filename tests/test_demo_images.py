"""Demo images carry their labels in a font that has the Dutch diacritics ("Aan één tafel", "casuïstiek")."""

from PIL import ImageFont

from cms.demo import content
from cms.factories import LABEL_FONT, make_image

MISSING = "\uffff"  # a noncharacter: every font draws it as its missing-glyph box


def test_label_with_diacritics_is_not_drawn_as_missing_glyph_boxes():
    drawn = make_image("#276749", label="Aan één tafel")

    assert drawn != make_image("#276749", label=f"Aan {MISSING}{MISSING}n tafel"), "é is drawn as a missing-glyph box"
    assert drawn != make_image("#276749", label="Aan een tafel"), "the accents are not drawn"


def test_every_letter_of_every_demo_label_has_a_glyph():
    font = ImageFont.truetype(LABEL_FONT, 40)
    missing_box = bytes(font.getmask(MISSING))
    letters = {letter for _, label in content.IMAGES.values() for letter in label if not letter.isspace()}

    assert {"é", "ë"} & letters, "the demo labels should exercise the diacritics"
    assert not {letter for letter in letters if bytes(font.getmask(letter)) == missing_box}
