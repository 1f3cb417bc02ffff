"""Every 429 names when to come back: allauth's own limits (sign-up, password reset, …) answer
429 without `Retry-After`; this adds the window's length where the answer did not say."""

DEFAULT_RETRY_AFTER = 60


class RetryAfterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 429 and not response.has_header("Retry-After"):
            response["Retry-After"] = str(DEFAULT_RETRY_AFTER)
        return response
