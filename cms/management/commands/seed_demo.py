"""``manage.py seed_demo``: the demo site for ``make run``; safe to run again."""

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from cms import models
from cms.demo import content
from cms.demo.builder import accounts_with_published_password, seed_demo


class Command(BaseCommand):
    help = "Vult de site met demo-inhoud (artikelen, oproepen, goede voorbeelden, persona's, gebruikers). Veilig om te herhalen."

    def handle(self, *args, **options):
        started = time.monotonic()
        created = seed_demo()
        seconds = time.monotonic() - started
        if created:
            made = ", ".join(f"{count} {kind}" for kind, count in sorted(created.items()))
            self.stdout.write(f"Created / aangemaakt: {made} ({seconds:.1f} s).")
        else:
            self.stdout.write(f"Nothing changed / niets gewijzigd: the demo content was already there ({seconds:.1f} s).")
        self.stdout.write(self.style.SUCCESS(f"Demo content ready / demo-inhoud klaar: {self.totals()}."))
        self.report_accounts()

    def report_accounts(self):
        usernames = " / ".join(spec["username"] for spec in content.USERS)
        if settings.DEMO_PASSWORDS_ALLOWED:
            self.stdout.write(f"Log in at /admin/ as {usernames}, password: {content.DEMO_PASSWORD} (dev only).")
            return
        self.stdout.write(
            f"New demo accounts ({usernames}) get no usable password under these settings, and existing "
            "accounts keep theirs; set one with: python manage.py changepassword beheerder"
        )
        for username in accounts_with_published_password():
            self.stderr.write(
                self.style.WARNING(
                    f"{username} still has the published demo password; "
                    f"change it now: python manage.py changepassword {username}"
                )
            )

    @staticmethod
    def totals():
        counts = {
            "articles": models.ArticlePage.objects.live().count(),
            "calls": models.CallForInputPage.objects.live().count(),
            "open calls": models.CallForInputPage.objects.live().open().count(),
            "good examples": models.ExamplePage.objects.live().count(),
            "personas": models.Persona.objects.count(),
            "contact persons": models.ContactPerson.objects.count(),
            "users": get_user_model().objects.count(),
        }
        return ", ".join(f"{count} {name}" for name, count in counts.items())
