"""One place to put a newsletter action among a page's buttons in the admin."""

from wagtail import hooks


def register_page_buttons(buttons):
    """Show ``buttons(page, user)`` in the page's header actions and in its row's "..." menu in the explorer."""

    @hooks.register("register_page_header_buttons")
    def header_buttons(page, user, view_name, next_url=None):
        yield from buttons(page, user)

    @hooks.register("register_page_listing_more_buttons")
    def listing_buttons(page, user, next_url=None):
        yield from buttons(page, user)

    return buttons
