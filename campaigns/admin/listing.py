"""The list view shared by the contact admins."""

from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.shortcuts import redirect
from wagtail_modeladmin.views import IndexView


class ListingView(IndexView):
    """modeladmin's list, where an unknown filter in the address shows the whole list instead of a server error."""

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except IncorrectLookupParameters:
            messages.warning(request, "Dat filter bestaat niet; de hele lijst wordt getoond.")
            return redirect(self.index_url)
