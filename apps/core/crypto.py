"""Field encryption (SM4-GCM) and keyed lookup hashes (HMAC-SM3) for personal data at rest.

等保 2.0 level 3 asks for 国密 algorithms on personal data. Stored ciphertext looks like
``sm4gcm:<key id>:<base64(nonce | ciphertext | tag)>``: the key id lets FIELD_ENCRYPTION_KEYS
rotate (the first key encrypts, every listed key decrypts), and the prefix plus key id are bound
into the GCM tag as associated data, so a value cannot be re-labelled with another key id.

Encrypted values cannot be searched; store ``lookup_hash("<kind>:" + value)`` beside them for
exact matches. The kind prefix (e.g. ``phone:``) keeps hashes of different kinds of value apart.
"""

import base64
import binascii
import functools
import hmac as std_hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models
from django.db.models.lookups import Exact

PREFIX = "sm4gcm"
NONCE_BYTES = 12  # the GCM standard nonce size; random per value
TAG_BYTES = 16


class DecryptionError(ValueError):
    """A stored value cannot be decrypted: unknown key id, wrong format or tampered data."""


@functools.lru_cache(maxsize=8)
def _parse_keys(spec: str) -> tuple[tuple[str, bytes], ...]:
    keys = []
    for item in spec.split(","):
        item = item.strip()
        if not item:
            continue
        key_id, sep, hex_key = item.partition(":")
        key_id = key_id.strip()
        if not sep or not key_id:
            raise ImproperlyConfigured(
                "FIELD_ENCRYPTION_KEYS 格式应为 “编号:十六进制密钥,编号:十六进制密钥”。"
            )
        try:
            key = bytes.fromhex(hex_key.strip())
        except ValueError:
            raise ImproperlyConfigured(f"FIELD_ENCRYPTION_KEYS 中密钥 {key_id} 不是十六进制。") from None
        if len(key) != 16:
            raise ImproperlyConfigured(
                f"FIELD_ENCRYPTION_KEYS 中密钥 {key_id} 必须是 128 位（32 个十六进制字符）。"
            )
        keys.append((key_id, key))
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS 未配置加密密钥。")
    if len({key_id for key_id, _ in keys}) != len(keys):
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS 中密钥编号重复。")
    return tuple(keys)


def _keys() -> tuple[tuple[str, bytes], ...]:
    return _parse_keys(settings.FIELD_ENCRYPTION_KEYS)


def _aad(key_id: str) -> bytes:
    return f"{PREFIX}:{key_id}".encode()


def encrypt_text(plaintext: str) -> str:
    """Encrypt with the current (first) key. The empty string stays empty: "no value" is not secret."""
    if plaintext == "":
        return ""
    key_id, key = _keys()[0]
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(_aad(key_id))
    ciphertext = encryptor.update(plaintext.encode("utf-8")) + encryptor.finalize()
    blob = base64.b64encode(nonce + ciphertext + encryptor.tag).decode("ascii")
    return f"{PREFIX}:{key_id}:{blob}"


def decrypt_text(stored: str) -> str:
    if stored == "":
        return ""
    prefix, _, rest = stored.partition(":")
    key_id, _, blob = rest.partition(":")
    if prefix != PREFIX or not key_id or not blob:
        raise DecryptionError("密文格式不正确，无法解密。")
    key = dict(_keys()).get(key_id)
    if key is None:
        raise DecryptionError(f"密文使用的密钥编号 {key_id} 不在 FIELD_ENCRYPTION_KEYS 中，无法解密。")
    try:
        raw = base64.b64decode(blob, validate=True)
    except (binascii.Error, ValueError):
        raise DecryptionError("密文格式不正确，无法解密。") from None
    if len(raw) < NONCE_BYTES + TAG_BYTES:
        raise DecryptionError("密文格式不正确，无法解密。")
    nonce, ciphertext, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(_aad(key_id))
    try:
        plaintext = decryptor.update(ciphertext) + decryptor.finalize()
    except InvalidTag:
        raise DecryptionError("密文校验失败（数据可能被篡改），无法解密。") from None
    return plaintext.decode("utf-8")


def lookup_hash(value: str) -> str:
    """Keyed HMAC-SM3, hex. Deterministic, so equal values can be found; keyed, so a database
    dump alone cannot be brute-forced over the small space of phone numbers."""
    mac = hmac.HMAC(settings.LOOKUP_HASH_KEY.encode("utf-8"), hashes.SM3())
    mac.update(value.encode("utf-8"))
    return mac.finalize().hex()


def lookup_hash_matches(value: str, expected_hash: str) -> bool:
    return std_hmac.compare_digest(lookup_hash(value), expected_hash)


class EmptyOnlyExact(Exact):
    """``field=""`` is meaningful (empty stays empty, e.g. an anonymous report has no phone) and
    is allowed, in filters and CheckConstraints alike; comparing to any other value is not."""

    def get_prep_lookup(self):
        if self.rhs != "":
            raise FieldError("加密字段只能与空字符串比较；按值查找请使用对应的 lookup_hash 字段。")
        return super().get_prep_lookup()


class EncryptedTextField(models.TextField):
    """A TextField stored SM4-GCM encrypted; the model attribute holds the plaintext.

    Every encryption uses a fresh nonce, so comparing ciphertexts would silently match nothing:
    only ``isnull`` and ``exact=""`` lookups are allowed. Filter on a lookup_hash column instead.
    """

    description = "加密文本"

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        return decrypt_text(value)

    def get_db_prep_save(self, value, connection):
        value = super().get_db_prep_save(value, connection)
        if value is None:
            return value
        return encrypt_text(str(value))

    def get_lookup(self, lookup_name):
        if lookup_name == "exact":
            return EmptyOnlyExact
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        return None  # Django then raises FieldError "Unsupported lookup"
