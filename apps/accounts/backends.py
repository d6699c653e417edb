from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check, first in AUTHENTICATION_BACKENDS.

    Every login path of this system passes the request (the staff login and the test-only OIDC
    provider's login). `authenticate()` without a request comes only from code such as the test
    client's `login()`; axes would raise there, so this backend abstains instead.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
