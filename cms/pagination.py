from django.core.paginator import Paginator


def paginate(request, items, per_page):
    """A page of ``items`` for ``?pagina=``; a missing, broken or too high number gives a valid page."""
    return Paginator(items, per_page).get_page(request.GET.get("pagina"))
