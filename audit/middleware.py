from audit.context import RequestOrigin, origin_reset, origin_set, request_ip


class AuditOriginMiddleware:
    """Makes the request's address available to the services that write audit events."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = origin_set(RequestOrigin(ip=request_ip(request)))
        try:
            return self.get_response(request)
        finally:
            origin_reset(token)
