"""The history view of the contact admins, behind the same permission as their list.

wagtail-modeladmin's own history view checks no permission at all, and its
title names the object (for a contact: name and e-mail address).
"""

from wagtail_modeladmin.views import HistoryView


class CheckedHistoryView(HistoryView):
    def check_action_permitted(self, user):
        return self.permission_helper.user_can_list(user)
