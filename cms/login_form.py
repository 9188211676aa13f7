"""The admin's login form with a Dutch password label."""

from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm


class LoginForm(WagtailLoginForm):
    """Wagtail's login form gives its password field no label, so Django shows the field's name: "Password"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = "Wachtwoord"
