"""The newsletter's personal links (confirm, preferences) are masked in logs like the campaigns' links."""

from campaigns.log_filters import PERSONAL_LINK


def test_confirmation_and_preference_tokens_are_masked():
    for path in ("/nieuwsbrief/bevestigen/12-abcDEF_123/", "/nieuwsbrief/voorkeuren/7-xyzXYZ-9/"):
        masked = PERSONAL_LINK.sub(lambda match: f"{match.group(1)}{match.group(2)}{match.group(3)}***", path)
        assert "abcDEF" not in masked and "xyzXYZ" not in masked
        assert masked.endswith("/***/")
