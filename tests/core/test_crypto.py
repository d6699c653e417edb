import base64

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from apps.core.crypto import (
    DecryptionError,
    EncryptedTextField,
    decrypt_text,
    encrypt_text,
    lookup_hash,
    lookup_hash_matches,
)

OLD = "old:00112233445566778899aabbccddeeff"
NEW = "new:ffeeddccbbaa99887766554433221100"


def test_round_trip_and_empty_stays_empty():
    for text in ["13812345678", "举报人张三，住址：某市某区", "x" * 5000]:
        assert decrypt_text(encrypt_text(text)) == text
    assert encrypt_text("") == ""
    assert decrypt_text("") == ""


def test_ciphertext_contains_no_plaintext_and_is_randomised():
    first, second = encrypt_text("13812345678"), encrypt_text("13812345678")
    assert "13812345678" not in first
    assert "1381234" not in base64.b64decode(first.rsplit(":", 1)[1]).decode("latin-1")
    assert first != second  # fresh nonce per value: equal plaintexts do not show as equal


def test_really_sm4_gcm_rfc8998_vector():
    # RFC 8998 appendix A.1: proves the primitive is SM4-GCM, not some other cipher.
    key = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
    nonce = bytes.fromhex("00001234567800000000ABCD")
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(bytes.fromhex("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2"))
    plaintext = bytes.fromhex("AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB")
    assert (encryptor.update(plaintext) + encryptor.finalize()).hex().upper() == (
        "17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735"
    )[:32]


def test_stored_value_names_the_key_and_decrypts_with_that_key():
    with override_settings(FIELD_ENCRYPTION_KEYS=OLD):
        stored = encrypt_text("13812345678")
    assert stored.startswith("sm4gcm:old:")
    key = bytes.fromhex(OLD.split(":")[1])
    raw = base64.b64decode(stored.split(":")[2])
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(raw[:12], raw[-16:])).decryptor()
    decryptor.authenticate_additional_data(b"sm4gcm:old")
    assert decryptor.update(raw[12:-16]) + decryptor.finalize() == b"13812345678"


def test_rotation_new_key_encrypts_old_key_still_decrypts():
    with override_settings(FIELD_ENCRYPTION_KEYS=OLD):
        old_value = encrypt_text("旧密钥加密")
    with override_settings(FIELD_ENCRYPTION_KEYS=f"{NEW},{OLD}"):
        assert decrypt_text(old_value) == "旧密钥加密"
        new_value = encrypt_text("新密钥加密")
        assert new_value.startswith("sm4gcm:new:")
    with override_settings(FIELD_ENCRYPTION_KEYS=NEW), pytest.raises(DecryptionError, match="old"):
        decrypt_text(old_value)


def test_unknown_key_id_fails_clearly():
    with override_settings(FIELD_ENCRYPTION_KEYS=OLD):
        stored = encrypt_text("abc")
    relabelled = stored.replace("sm4gcm:old:", "sm4gcm:gone:")
    with override_settings(FIELD_ENCRYPTION_KEYS=OLD), pytest.raises(DecryptionError, match="gone"):
        decrypt_text(relabelled)


def test_tampering_is_detected():
    stored = encrypt_text("13812345678")
    prefix, key_id, blob = stored.split(":")
    raw = bytearray(base64.b64decode(blob))
    raw[14] ^= 0x01  # one bit of the ciphertext
    tampered = f"{prefix}:{key_id}:{base64.b64encode(bytes(raw)).decode()}"
    with pytest.raises(DecryptionError, match="篡改"):
        decrypt_text(tampered)


def test_key_id_is_bound_to_the_ciphertext():
    # Same key material under two ids: moving a value to the other id must not decrypt.
    with override_settings(FIELD_ENCRYPTION_KEYS="a:00112233445566778899aabbccddeeff,"
                                                 "b:00112233445566778899aabbccddeeff"):
        stored = encrypt_text("x")
        with pytest.raises(DecryptionError):
            decrypt_text(stored.replace("sm4gcm:a:", "sm4gcm:b:"))


GARBAGE = ["plain text", "sm4gcm:dev1:!!!", "sm4gcm:dev1:" + base64.b64encode(b"short").decode()]
DUPLICATE_IDS = "a:00112233445566778899aabbccddeeff,a:00112233445566778899aabbccddeeff"


@pytest.mark.parametrize("garbage", GARBAGE)
def test_garbage_is_rejected(garbage):
    with pytest.raises(DecryptionError):
        decrypt_text(garbage)


@pytest.mark.parametrize("spec", ["", "nokey", "a:xyz", "a:0011", DUPLICATE_IDS])
def test_bad_key_configuration_is_refused(spec):
    with override_settings(FIELD_ENCRYPTION_KEYS=spec), pytest.raises(ImproperlyConfigured):
        encrypt_text("x")


def test_lookup_hash_is_keyed_hmac_sm3():
    with override_settings(LOOKUP_HASH_KEY="k1"):
        first = lookup_hash("phone:13812345678")
        assert first == lookup_hash("phone:13812345678")
        assert len(first) == 64 and "13812345678" not in first
        assert lookup_hash_matches("phone:13812345678", first)
        assert not lookup_hash_matches("phone:13812345679", first)
    with override_settings(LOOKUP_HASH_KEY="k2"):
        assert lookup_hash("phone:13812345678") != first


def test_encrypted_field_allows_only_isnull_and_empty_lookups():
    field = EncryptedTextField()
    assert field.get_lookup("isnull") is not None
    assert field.get_lookup("exact") is not None  # only for "": checked when the query is built
    assert field.get_lookup("icontains") is None
    assert field.get_lookup("in") is None



@pytest.mark.django_db
def test_empty_comparison_works_in_constraint_validation():
    # CheckConstraints such as "anonymous reports carry no phone" compare encrypted fields with "".
    from django.core.exceptions import FieldError
    from django.db.models import Q, Value

    field = EncryptedTextField()
    assert Q(phone="").check({"phone": Value("", output_field=field)})
    assert not Q(phone="").check({"phone": Value("13812345678", output_field=field)})
    with pytest.raises(FieldError):
        Q(phone="13812345678").check({"phone": Value("13812345678", output_field=field)})
