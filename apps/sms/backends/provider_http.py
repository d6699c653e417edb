"""What the two cloud backends share: one HTTP call, and turning its failure into SmsSendError."""

import requests

from apps.sms.backends.base import SmsSendError

TIMEOUT = (5, 15)  # connect, read: a worker must not hang on a provider that stopped answering


def post(url: str, *, data: bytes, headers: dict[str, str], provider: str) -> dict:
    """POST and return the decoded JSON body. Network failures and 5xx are retryable. A timeout
    after the request went out may mean the provider did send it: retrying then can duplicate an
    SMS, which we accept over losing one (at-least-once delivery)."""
    try:
        response = requests.post(url, data=data, headers=headers, timeout=TIMEOUT)
    except requests.RequestException as exc:
        raise SmsSendError(f"{provider}短信接口无法连接：{type(exc).__name__}", retryable=True,
                           code="network") from exc
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise SmsSendError(f"{provider}短信接口返回了无法识别的内容（HTTP {response.status_code}）。",
                           retryable=True, code=f"http_{response.status_code}")
    if response.status_code >= 500:
        raise SmsSendError(f"{provider}短信接口暂时不可用（HTTP {response.status_code}）。",
                           retryable=True, code=f"http_{response.status_code}")
    return body


def require_settings(config: dict, names: list[str], setting: str) -> None:
    missing = [name for name in names if not config.get(name)]
    if missing:
        # Retryable: once the operator sets them and restarts, queued messages go out.
        raise SmsSendError(f"短信服务未配置：{setting} 缺少 {'、'.join(missing)}。", retryable=True,
                           code="not_configured")
