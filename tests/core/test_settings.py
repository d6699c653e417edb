import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _import_settings(env: dict) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {
        "DEBUG", "SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "LOOKUP_HASH_KEY", "ALLOWED_HOSTS", "SMS_BACKEND",
        "TESTING", "PYTEST_XDIST_WORKER", "PYTEST_CURRENT_TEST"} and not k.startswith("SMS_")}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import config.settings"], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def test_production_refuses_to_start_without_secrets():
    result = _import_settings({"DEBUG": "0"})
    assert result.returncode != 0
    assert "系统拒绝启动" in result.stderr
    for name in ("SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "LOOKUP_HASH_KEY", "ALLOWED_HOSTS", "SMS_BACKEND"):
        assert name in result.stderr


def test_production_starts_with_every_secret_set():
    result = _import_settings({
        "DEBUG": "0", "SECRET_KEY": "x" * 50, "FIELD_ENCRYPTION_KEYS": "k1:" + "ab" * 16,
        "LOOKUP_HASH_KEY": "y" * 32, "ALLOWED_HOSTS": "jb.example.gov.cn",
        "SMS_BACKEND": "apps.sms.backends.aliyun.AliyunBackend",
        "SMS_ALIYUN_ACCESS_KEY_ID": "id", "SMS_ALIYUN_ACCESS_KEY_SECRET": "secret",
        "SMS_ALIYUN_SIGN_NAME": "应急管理厅",
    })
    assert result.returncode == 0, result.stderr


PRODUCTION = {
    "DEBUG": "0", "SECRET_KEY": "x" * 50, "FIELD_ENCRYPTION_KEYS": "k1:" + "ab" * 16,
    "LOOKUP_HASH_KEY": "y" * 32, "ALLOWED_HOSTS": "jb.example.gov.cn",
}


def test_production_refuses_an_sms_provider_without_its_credentials():
    result = _import_settings({**PRODUCTION, "SMS_BACKEND": "apps.sms.backends.tencent.TencentBackend",
                               "SMS_TENCENT_SECRET_ID": "id"})
    assert result.returncode != 0 and "系统拒绝启动" in result.stderr
    for name in ("SMS_TENCENT_SECRET_KEY", "SMS_TENCENT_SDK_APP_ID", "SMS_TENCENT_SIGN_NAME"):
        assert name in result.stderr
    assert "SMS_TENCENT_SECRET_ID" not in result.stderr


def test_production_refuses_a_backend_that_delivers_nothing():
    result = _import_settings({**PRODUCTION, "SMS_BACKEND": "apps.sms.backends.console.ConsoleBackend"})
    assert result.returncode != 0 and "不能发送短信" in result.stderr
    # The in-network gateway's drop directory is a real delivery path.
    gateway = _import_settings({**PRODUCTION, "SMS_BACKEND": "apps.sms.backends.file.FileBackend"})
    assert gateway.returncode == 0, gateway.stderr


def test_development_runs_without_secrets():
    assert _import_settings({"DEBUG": "1"}).returncode == 0
