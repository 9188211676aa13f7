"""Security headers that Django does not set: the Content-Security-Policy per kind of response, Permissions-Policy."""

from csp.constants import SELF
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings

# Downloads (documents, exports) run nothing and load nothing, even if a browser renders one.
ATTACHMENT_POLICY = "default-src 'none'; sandbox"


def is_wagtail_admin(path):
    return path.startswith(settings.CSP_WAGTAIL_ADMIN_PREFIX) and not path.startswith(settings.CSP_STRICT_ADMIN_PREFIXES)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with ``CONTENT_SECURITY_POLICY`` adapted to the response.

    - Wagtail's own admin screens get ``CSP_WAGTAIL_ADMIN_UPDATE`` (they need inline script
      and style), except under ``CSP_STRICT_ADMIN_PREFIXES``.
    - A response the site may frame itself (``X-Frame-Options: SAMEORIGIN``, as Wagtail's
      preview views answer) keeps the strict policy, with ``frame-ancestors 'self'`` so
      that both headers agree.
    - A download (``Content-Disposition: attachment``) gets ``ATTACHMENT_POLICY``.
    - Wagtail renders a preview through a second middleware chain with a dummy request:
      that inner pass sets nothing, the outer response gets the header.
    """

    def process_response(self, request, response):
        if getattr(request, "is_dummy", False):
            return response
        if response.get("Content-Disposition", "").startswith("attachment"):
            response["Content-Security-Policy"] = ATTACHMENT_POLICY
            return response
        return super().process_response(request, response)

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        update, replace = {}, {}
        if response.get("X-Frame-Options") == "SAMEORIGIN":
            replace["frame-ancestors"] = [SELF]
        elif is_wagtail_admin(request.path_info):
            update = settings.CSP_WAGTAIL_ADMIN_UPDATE
        return PolicyParts(
            config=parts.config,
            update={**update, **(parts.update or {})},
            replace={**replace, **(parts.replace or {})},
            nonce=parts.nonce,
        )


def permissions_policy_middleware(get_response):
    """Every response says which browser features the site never uses (``PERMISSIONS_POLICY``)."""
    header = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY)

    def middleware(request):
        response = get_response(request)
        response.setdefault("Permissions-Policy", header)
        return response

    return middleware
