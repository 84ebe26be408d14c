"""Content-Security-Policy on every response: scripts, styles and images from this site only.

A response that already carries a policy keeps it: file downloads (workflow/uploads.py) send a
stricter sandbox policy of their own.
"""
from django.conf import settings


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = settings.SAURO_CONTENT_SECURITY_POLICY
        return response
