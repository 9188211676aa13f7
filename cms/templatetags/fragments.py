"""``{% kept_fragment "name" %}…{% endkept_fragment %}``: a part of a published page rendered once per generation.

For parts that every visitor of the page sees alike and that cost queries and
image lookups to render, such as the persona downloads. The part is kept with
``cms.page_cache.per_generation`` under its name, the page and its published
revision, so a publish, or a save of a snippet, image or document, shows at once.
A preview renders the part each time: its content is a draft. Nothing that
depends on the visitor (a form with their answers, their colour choice, a
token) may be put inside.
"""

from django import template

from cms import page_cache

register = template.Library()


class KeptFragmentNode(template.Node):
    def __init__(self, name, nodelist):
        self.name = name
        self.nodelist = nodelist

    def render(self, context):
        request = context.get("request")
        page = context.get("page")
        if request is None or page is None or getattr(request, "is_preview", False):
            return self.nodelist.render(context)
        key = ("fragment", self.name, request.get_host(), page.pk, getattr(page, "live_revision_id", None))
        return page_cache.per_generation(key, lambda: self.nodelist.render(context))


@register.tag
def kept_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError('Use {% kept_fragment "name" %}…{% endkept_fragment %}.')
    nodelist = parser.parse(("endkept_fragment",))
    parser.delete_first_token()
    return KeptFragmentNode(bits[1][1:-1], nodelist)
