"""Per-user API tokens. Only a keyed hash is stored; the token is printed once when issued."""

import secrets

from django.utils import timezone

from apps.core.crypto import lookup_hash
from apps.reports.models import ApiToken

TOKEN_PREFIX = "aqs_"  # noqa: S105 - a visible marker, not a secret
# Writing last_used_at on every call would turn every API read into a write: once a minute is
# plenty to tell an operator whether a token is in use.
LAST_USED_GRANULARITY_SECONDS = 60


def _hash(token: str) -> str:
    return lookup_hash("apitoken:" + token)


def issue_api_token(*, user) -> str:
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=_hash(token), prefix=token[:8])
    return token


def user_for_token(token: str):
    """The active user a valid, unrevoked token belongs to, or None."""
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    row = (
        ApiToken.objects.select_related("user", "user__org")
        .filter(key_hash=_hash(token), revoked_at__isnull=True)
        .first()
    )
    if row is None or not row.user.is_active:
        return None
    now = timezone.now()
    if row.last_used_at is None or (now - row.last_used_at).total_seconds() > LAST_USED_GRANULARITY_SECONDS:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user


def revoke_api_tokens(*, user) -> int:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
