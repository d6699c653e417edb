"""统一身份认证: an OpenID Connect relying party (authlib).

The client is built per request from settings rather than once at import, so the provider can
be configured (or changed) without a code change and tests can point it at their own provider.
The provider's discovery document gives the endpoints, the issuer and the signing keys; authlib
checks the ID token's signature, issuer, audience, expiry and nonce, and PKCE protects the code.
"""

from authlib.integrations.django_client import OAuth
from django.conf import settings


def oidc_enabled() -> bool:
    return bool(settings.OIDC_SERVER_METADATA_URL and settings.OIDC_CLIENT_ID)


def oidc_client():
    oauth = OAuth()
    return oauth.register(
        name="unified",
        client_id=settings.OIDC_CLIENT_ID,
        client_secret=settings.OIDC_CLIENT_SECRET,
        server_metadata_url=settings.OIDC_SERVER_METADATA_URL,
        client_kwargs={
            "scope": settings.OIDC_SCOPE,
            "code_challenge_method": "S256",
            "timeout": settings.OIDC_TIMEOUT_SECONDS,
        },
    )
