"""Admin screen "Persoonsgegevens": export everything about one address as JSON, or erase it after a confirm step."""

from wagtail import hooks

from newsletter.services.personal_data import ERASE_ACTION


@hooks.register("register_log_actions")
def register_erasure_log_action(actions):
    actions.register_action(ERASE_ACTION, "Persoonsgegevens gewist", "Persoonsgegevens van een e-mailadres gewist")
