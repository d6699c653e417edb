"""举报编码 (the reporter's receipt code) and 报告编号 (the staff number)."""

import secrets

from apps.core.crypto import lookup_hash

RECEIPT_CODE_DIGITS = 18  # ~60 bits: unguessable, and still easy to read out over the phone


def new_receipt_code() -> str:
    # Never sequential, never derived from time or place: knowing one code says nothing of another.
    return "".join(secrets.choice("0123456789") for _ in range(RECEIPT_CODE_DIGITS))


def normalize_receipt_code(raw: str) -> str:
    return "".join(ch for ch in (raw or "") if ch.isdigit())


def receipt_hash(code: str) -> str:
    return lookup_hash("receipt:" + normalize_receipt_code(code))


def new_report_number(region_code: str, day) -> str:
    return f"{region_code}{day:%Y%m%d}{secrets.randbelow(10**6):06d}"
