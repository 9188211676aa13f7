"""The address of the client that sent a request."""


def client_ip(request):
    return request.META.get("REMOTE_ADDR", "")
