"""The newsletter's admin: each module registers its own hooks when imported here."""

from newsletter.admin import checks, issues, mailings, subscribers  # noqa: F401
from newsletter.admin import personal_data  # noqa: F401
