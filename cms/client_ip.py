"""The address of the client behind ``TRUSTED_PROXY_COUNT`` reverse proxies.

Each proxy appends the address it saw to X-Forwarded-For, so with N proxies
the client is the N-th address from the right; whatever stands further left
came from the client and may be forged. A request with fewer entries did not
come through every proxy, and gets REMOTE_ADDR, which no client can choose.
The form rate limit (django-ratelimit's "ip" key, RATELIMIT_IP_META_KEY) and
the login lock-out (AXES_CLIENT_IP_CALLABLE) both key on this address.
"""

import ipaddress

from django.conf import settings


def client_ip(request):
    remote_addr = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote_addr
    forwarded = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < count:
        return remote_addr
    try:
        return str(ipaddress.ip_address(forwarded[-count]))
    except ValueError:
        return remote_addr
