"""Admin registrations: snippets with Dutch labels, list columns and search; the project's admin stylesheet."""

from django.contrib import messages
from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms import page_cache
from cms.blocks import unreachable_videos
from cms.models import ContactPerson, Persona


class ContactPersonViewSet(SnippetViewSet):
    model = ContactPerson
    icon = "user"
    menu_label = "Contactpersonen oproepen"
    list_display = ["name", "role", "email", "phone"]
    search_fields = ["name", "role", "email"]
    add_to_admin_menu = True
    menu_order = 210


class PersonaViewSet(SnippetViewSet):
    model = Persona
    icon = "group"
    menu_label = "Persona's"
    list_display = ["name", "condition", "download_count"]
    list_filter = ["condition"]
    search_fields = ["name", "condition", "summary"]
    add_to_admin_menu = True
    menu_order = 220


register_snippet(ContactPersonViewSet)
register_snippet(PersonaViewSet)


@hooks.register("insert_global_admin_css")
def project_admin_css():
    """The campaign and contact screens' styles: a file, since the admin's CSP allows no inline style block."""
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin.css"))


@hooks.register("insert_global_admin_js")
def admin_pickers_js():
    """Starts the date and time pickers whose inline scripts cms/templates/wagtailadmin/widgets/ leave out."""
    return format_html('<script src="{}"></script>', static("js/admin-pickers.js"))


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def warn_about_unreachable_videos(request, page):
    """The page was saved; say which of its videos show as a plain link because their provider did not answer."""
    body = getattr(page.specific, "body", None)
    for url in unreachable_videos(body) if body else []:
        messages.warning(
            request,
            format_html(
                "De video {} kon nu niet worden opgehaald bij de aanbieder. De pagina is wel opgeslagen; "
                "bezoekers zien een link naar de video tot de aanbieder weer bereikbaar is.",
                url,
            ),
        )


@hooks.register("before_serve_page", order=100)
def allow_page_cache(page, request, serve_args, serve_kwargs):
    """After Wagtail's own view-restriction check (order 0): a page reached here is public; its GET may be cached."""
    page_cache.allow(request)
