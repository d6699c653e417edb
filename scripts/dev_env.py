"""Write var/dev.env once with fresh random development keys, so that `make run` works on a
fresh clone without anyone choosing secrets, and no key is ever committed."""

import secrets
import sys
from pathlib import Path

path = Path(sys.argv[1] if len(sys.argv) > 1 else "var/dev.env")
if not path.exists():
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "DEBUG=1\n"
        f"SECRET_KEY={secrets.token_urlsafe(50)}\n"
        f"FIELD_ENCRYPTION_KEYS=dev1:{secrets.token_hex(16)}\n"
        f"LOOKUP_HASH_KEY={secrets.token_urlsafe(32)}\n"
        "DEMO_PASSWORD=Demo@2026pass\n"
        "CAPTCHA_TEST_MODE=0\n"
        "PASSWORD_FORCE_CHANGE=0\n",
        encoding="utf-8",
    )
    path.chmod(0o600)
    print(f"created {path} with new random development keys")
