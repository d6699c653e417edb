"""Settings, read from the environment.

Every deployment-specific value comes from an environment variable (see docs/deploy.md for the
full list). With DEBUG off the process refuses to start when a secret is missing, so a
production server can never run on a development key by accident.
"""

import datetime
import hashlib
import os
import sys
import warnings
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


DEBUG = env_bool("DEBUG", False)
TESTING = "pytest" in sys.modules or env_bool("TESTING", False)

_missing: list[str] = []


def required_secret(name: str, dev_default: str) -> str:
    """A secret that production must set; development and tests get a fixed stand-in."""
    value = os.environ.get(name, "")
    if value:
        return value
    if DEBUG or TESTING:
        return dev_default
    _missing.append(name)
    return ""


SECRET_KEY = required_secret("SECRET_KEY", "dev-only-insecure-secret-key-do-not-use-in-production")

# Reporter PII is encrypted with SM4-GCM. FIELD_ENCRYPTION_KEYS is "id:hex,id:hex": the first key
# encrypts, every listed key decrypts, so keys rotate without re-encrypting everything at once.
FIELD_ENCRYPTION_KEYS = required_secret(
    "FIELD_ENCRYPTION_KEYS", "dev1:00112233445566778899aabbccddeeff"
)
# Keyed SM3-HMAC for exact lookups (phone numbers, receipt codes) without storing plaintext.
LOOKUP_HASH_KEY = required_secret("LOOKUP_HASH_KEY", "dev-only-lookup-hash-key")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if (DEBUG or TESTING) else "")
if not ALLOWED_HOSTS and not (DEBUG or TESTING):
    _missing.append("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

SMS_BACKEND = os.environ.get("SMS_BACKEND", "")
# In production a backend that delivers nothing (console, in-memory) or a provider without its
# credentials would start fine and leave every staff login waiting for a code that never comes.
SMS_PROVIDER_SETTINGS = {
    "apps.sms.backends.aliyun.AliyunBackend": (
        "SMS_ALIYUN_ACCESS_KEY_ID", "SMS_ALIYUN_ACCESS_KEY_SECRET", "SMS_ALIYUN_SIGN_NAME"
    ),
    "apps.sms.backends.tencent.TencentBackend": (
        "SMS_TENCENT_SECRET_ID", "SMS_TENCENT_SECRET_KEY", "SMS_TENCENT_SDK_APP_ID", "SMS_TENCENT_SIGN_NAME"
    ),
    # A directory picked up by an in-network SMS gateway (docs/deploy.md).
    "apps.sms.backends.file.FileBackend": (),
}
if not SMS_BACKEND:
    if DEBUG or TESTING:
        SMS_BACKEND = "apps.sms.backends.console.ConsoleBackend"
    else:
        _missing.append("SMS_BACKEND")
elif not (DEBUG or TESTING):
    if SMS_BACKEND not in SMS_PROVIDER_SETTINGS:
        _usable = "、".join(SMS_PROVIDER_SETTINGS)
        _missing.append(f"SMS_BACKEND（{SMS_BACKEND} 不能发送短信，请选用 {_usable}）")
    _missing.extend(name for name in SMS_PROVIDER_SETTINGS.get(SMS_BACKEND, ()) if not os.environ.get(name))

if _missing:
    raise ImproperlyConfigured(
        "生产环境缺少必需的配置项，系统拒绝启动 / production refuses to start, these environment "
        "variables are required when DEBUG is off: " + ", ".join(_missing) + ". See docs/deploy.md."
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "apps.core",
    "apps.regions",
    "apps.catalogs",
    "apps.workcalendar",
    "apps.orgs",
    "apps.accounts",
    "apps.sms",
    "apps.reports",
    # 消息中心, 延期 and 督办 (issue 4).
    "apps.inbox",
    "apps.supervision",
    # Staff sign-in and system management (issue 5).
    "axes",
    "captcha",
    "apps.audit",
    "apps.sysadmin",
    # Public reporting channel and upload sanitizing (issue 3).
    "apps.uploads",
    "apps.public",
    # 首页 and 可视化分析 (issue 6).
    "apps.dashboard",
    # 综合统计: maintained aggregates, tables, exports and analysis reports (issue 6).
    "apps.stats",
    # 抽检管理 (issue 7).
    "apps.spotchecks",
]
if TESTING:
    # The OIDC tests run a real OpenID provider (django-oauth-toolkit) inside the live server;
    # production never installs it (see docs/decisions/0008-oidc-authlib-and-test-provider.md).
    INSTALLED_APPS.append("oauth2_provider")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "apps.core.middleware.PrivacyHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last: turns an account lockout flagged during authentication into the login page's answer.
    "axes.middleware.AxesMiddleware",
    # After authentication: an expired or reset password allows nothing but changing it.
    "apps.accounts.middleware.PasswordPolicyMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.accounts.context_processors.login_info",
                # Lazy counts for the header: no query unless a template shows them.
                "apps.inbox.context_processors.inbox",
                "apps.supervision.context_processors.supervision",
            ],
        },
    },
]

# SQLite (WAL) under var/ is the embedded default; DATABASE_URL selects PostgreSQL.
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'aqscjb.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("CONN_MAX_AGE", 0))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env_bool("PG_JIT", False):
    # JIT compilation pays off for long analytic queries; on a misestimated list query it cost
    # four seconds of compiling for a ten-millisecond answer (docs/performance.md). PG_JIT=1 keeps it.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web process read while the task worker writes; IMMEDIATE transactions
        # take the write lock up front so concurrent writers queue instead of failing mid-way.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Tests use a database file, not Django's default in-memory one: the browser tests' live
    # server answers requests in threads, and with an in-memory database they would all share the
    # test's one connection (concurrent queries on it fail at random). On tmpfs when there is one,
    # named after the checkout and the run so that two checkouts, or two test runs in one checkout,
    # never share a file (xdist's workers share the run's id and add their own _gwN suffix).
    _tmpfs = Path("/dev/shm")  # noqa: S108 - a per-run file name, removed after the run
    _test_dir = _tmpfs if _tmpfs.is_dir() else VAR_DIR
    _checkout = hashlib.sha256(str(BASE_DIR).encode()).hexdigest()[:8]
    _run = os.environ.get("PYTEST_XDIST_TESTRUNUID", "")[:8] or str(os.getpid())
    DATABASES["default"]["TEST"] = {"NAME": str(_test_dir / f"aqscjb-test-{_checkout}-{_run}.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

_cache_url = os.environ.get("CACHE_URL", "locmem" if TESTING else "db")
if _cache_url.startswith("redis://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}}
elif _cache_url == "db":
    # Rate limits and captchas must be shared by every web process and the worker: the
    # database cache gives that on the embedded default without another server.
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "cache_table"}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if "redis" not in CACHES["default"]["BACKEND"]:
    # Django's default of 300 entries, then a cull of a third of them, would throw away rate-limit
    # counters and SMS-code attempt slots on a busy day and so lift the limits they enforce.
    CACHES["default"]["OPTIONS"] = {"MAX_ENTRIES": 1_000_000, "CULL_FREQUENCY": 10}

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Same rule as Django's MinimumLengthValidator, with a Chinese message (see the class).
    {"NAME": "apps.accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # 等保 2.0: three of four character classes, no username inside, none of the last five.
    {"NAME": "apps.accounts.validators.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "apps.accounts.validators.UsernameNotContainedValidator"},
    {"NAME": "apps.accounts.validators.PasswordHistoryValidator", "OPTIONS": {"history": 5}},
]
if TESTING:
    # Hashing dominates account-heavy tests; production keeps Django's PBKDF2 default.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# ---- Staff sign-in (issue 5; docs/staff-login.md, docs/decisions/0005..0008) ----
AUTHENTICATION_BACKENDS = [
    # First: refuses locked-out accounts and clients before any password is checked.
    "apps.accounts.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# A password unchanged this long must be changed at the next login (spec: 3 months).
PASSWORD_MAX_AGE_DAYS = env_int("PASSWORD_MAX_AGE_DAYS", 90)
# Demo deployments may let the demo accounts keep their shared password; never in production.
PASSWORD_FORCE_CHANGE = env_bool("PASSWORD_FORCE_CHANGE", True)
if not PASSWORD_FORCE_CHANGE and not (DEBUG or TESTING):
    raise ImproperlyConfigured("PASSWORD_FORCE_CHANGE=0 只能用于演示环境（DEBUG=1）。")
# SMS login codes: valid 5 minutes, a new one after 60 seconds, 5 wrong entries end it.
LOGIN_CODE_VALID_SECONDS = env_int("LOGIN_CODE_VALID_SECONDS", 300)
LOGIN_CODE_RESEND_SECONDS = env_int("LOGIN_CODE_RESEND_SECONDS", 60)
LOGIN_CODE_MAX_ATTEMPTS = env_int("LOGIN_CODE_MAX_ATTEMPTS", 5)
# Proxies in front of the app whose X-Forwarded-For may be trusted (client address for the
# lockout and the audit log). 0 = use the socket address.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# django-axes: 5 failures lock for 30 minutes, counted per account and per client address.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30))
# Behind one NAT address a whole office shares the per-client count: drop "ip_address" there.
AXES_LOCKOUT_PARAMETERS = env_list("LOGIN_LOCKOUT_PARAMETERS", "username,ip_address")
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "apps.accounts.views.login.lockout_response"
AXES_CLIENT_IP_CALLABLE = "apps.audit.net.client_ip"
AXES_VERBOSE = False

# django-simple-captcha: image captcha served by the app itself (no third-party service).
CAPTCHA_LENGTH = 4
CAPTCHA_TIMEOUT = 5
CAPTCHA_IMAGE_SIZE = (120, 40)
# Every captcha also accepts "PASSED" so automated tests can sign in. Never in production.
CAPTCHA_TEST_MODE = env_bool("CAPTCHA_TEST_MODE", TESTING)
if CAPTCHA_TEST_MODE and not (DEBUG or TESTING):
    raise ImproperlyConfigured(
        "CAPTCHA_TEST_MODE 只能用于开发和测试（DEBUG=1 或测试环境），生产环境禁止开启。"
    )
if CAPTCHA_TEST_MODE and TESTING:
    # The package warns whenever test mode runs with DEBUG off, which is every test run.
    warnings.filterwarnings("ignore", message="CAPTCHA_TEST_MODE is enabled", category=RuntimeWarning)

# 进度查询: each failed lookup of a 举报编码 waits this many seconds per recent failure (up to 5).
PUBLIC_LOOKUP_FAILURE_DELAY = float(os.environ.get("PUBLIC_LOOKUP_FAILURE_DELAY", "0.5"))

# 统一身份认证 (OpenID Connect). The button appears when OIDC_SERVER_METADATA_URL is set.
OIDC_SERVER_METADATA_URL = os.environ.get("OIDC_SERVER_METADATA_URL", "")
OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
OIDC_SCOPE = os.environ.get("OIDC_SCOPE", "openid profile")
OIDC_BUTTON_LABEL = os.environ.get("OIDC_BUTTON_LABEL", "统一身份认证登录")
OIDC_TIMEOUT_SECONDS = env_int("OIDC_TIMEOUT_SECONDS", 10)

# Audit rows are kept at least this long; the pruning job never deletes younger ones (floor 180).
AUDIT_RETENTION_DAYS = max(180, env_int("AUDIT_RETENTION_DAYS", 180))

# Content-Security-Policy: no inline or third-party script anywhere (django-csp).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if (DEBUG or TESTING)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
# Uploads are private: served only through permission-checked views, never as a public URL.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media-not-public/"

LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True  # idle timeout: every request pushes expiry forward
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "no-referrer"
if not (DEBUG or TESTING):
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Deadline warnings: "即将超期" starts this many working days before a deadline.
DEADLINE_WARNING_WORKING_DAYS = env_int("DEADLINE_WARNING_WORKING_DAYS", 3)

# 抽检管理: the checked org corrects a 不合格 report within this many working days.
SPOTCHECK_RECTIFY_WORKING_DAYS = env_int("SPOTCHECK_RECTIFY_WORKING_DAYS", 10)

# Heartbeats older than this mark the task worker as down in /healthz.
WORKER_HEARTBEAT_STALE_SECONDS = env_int("WORKER_HEARTBEAT_STALE_SECONDS", 90)

# Per-year calendars become "confirmed" only by an administrator; before that deadlines show a flag.
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "")

SMS_FILE_PATH = Path(os.environ.get("SMS_FILE_PATH", VAR_DIR / "sms"))
SMS_ALIYUN = {
    "ACCESS_KEY_ID": os.environ.get("SMS_ALIYUN_ACCESS_KEY_ID", ""),
    "ACCESS_KEY_SECRET": os.environ.get("SMS_ALIYUN_ACCESS_KEY_SECRET", ""),
    "SIGN_NAME": os.environ.get("SMS_ALIYUN_SIGN_NAME", ""),
    "ENDPOINT": os.environ.get("SMS_ALIYUN_ENDPOINT", "https://dysmsapi.aliyuncs.com/"),
}
SMS_TENCENT = {
    "SECRET_ID": os.environ.get("SMS_TENCENT_SECRET_ID", ""),
    "SECRET_KEY": os.environ.get("SMS_TENCENT_SECRET_KEY", ""),
    "SDK_APP_ID": os.environ.get("SMS_TENCENT_SDK_APP_ID", ""),
    "SIGN_NAME": os.environ.get("SMS_TENCENT_SIGN_NAME", ""),
    "REGION": os.environ.get("SMS_TENCENT_REGION", "ap-guangzhou"),
    "ENDPOINT": os.environ.get("SMS_TENCENT_ENDPOINT", "https://sms.tencentcloudapi.com/"),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"jieba": {"level": "WARNING"}},
}
if CAPTCHA_TEST_MODE and TESTING:
    LOGGING["loggers"]["captcha.conf.settings"] = {"level": "CRITICAL"}
# django-axes logs every attempt at INFO; lockouts (WARNING) are what operators need, and the
# audit log keeps every failure anyway.
LOGGING["loggers"]["axes"] = {"level": "WARNING"}
