"""Wagtail admin registrations for campaigns."""

from wagtail import hooks


@hooks.register("register_log_actions")
def register_campaign_log_actions(actions):
    actions.register_action("campaigns.launch", "Campagne gestart", "Campagne gestart")
    actions.register_action("campaigns.pause", "Campagne gepauzeerd", "Campagne gepauzeerd")
    actions.register_action("campaigns.resume", "Campagne hervat", "Campagne hervat")
    actions.register_action("campaigns.cancel", "Campagne geannuleerd", "Campagne geannuleerd")
