"""The visitor's colour theme: light, dark or high contrast, kept in a cookie; the device's preference by default."""

THEME_COOKIE = "kleuren"
THEME_COOKIE_MAX_AGE = 365 * 24 * 60 * 60
DEVICE_THEME = "apparaat"
THEMES = [
    (DEVICE_THEME, "Zoals op uw apparaat"),
    ("licht", "Licht"),
    ("donker", "Donker"),
    ("contrast", "Hoog contrast"),
]
THEME_NAMES = {name for name, _ in THEMES}


def chosen_theme(request):
    """The theme from the cookie; the device's (CSS ``prefers-color-scheme``) when none or an unknown one is set."""
    theme = request.COOKIES.get(THEME_COOKIE, DEVICE_THEME)
    return theme if theme in THEME_NAMES else DEVICE_THEME


def theme(request):
    """Context processor: ``colour_theme`` becomes a class on <html> (``theme-donker``); ``colour_themes`` feeds the picker."""
    return {"colour_theme": chosen_theme(request), "colour_themes": THEMES}
