"""The RSA key length of a DKIM public key record (`p=` base64 of a SubjectPublicKeyInfo, RFC 6376)."""

from __future__ import annotations

import base64
import binascii


def _read(data: bytes, pos: int) -> tuple[int, int, int]:
    """(tag, content start, content end) of the DER element at pos."""
    tag = data[pos]
    length = data[pos + 1]
    pos += 2
    if length & 0x80:
        count = length & 0x7F
        if count == 0 or count > 4:
            raise ValueError("bad DER length")
        length = int.from_bytes(data[pos : pos + count], "big")
        pos += count
    if pos + length > len(data):
        raise ValueError("truncated DER")
    return tag, pos, pos + length


def _modulus_bits(data: bytes, pos: int) -> int:
    """Bits of the first INTEGER of the RSAPublicKey SEQUENCE at pos."""
    tag, start, _end = _read(data, pos)
    if tag != 0x30:
        raise ValueError("not an RSA public key")
    tag, start, end = _read(data, start)
    if tag != 0x02:
        raise ValueError("not an RSA modulus")
    return int.from_bytes(data[start:end], "big").bit_length()


def key_bits(record: str) -> int | None:
    """Modulus length of the p= key in a DKIM TXT record; None when there is no usable key."""
    tags = dict(
        (part.split("=", 1)[0].strip().lower(), part.split("=", 1)[1].strip())
        for part in record.split(";")
        if "=" in part
    )
    encoded = "".join(tags.get("p", "").split())
    if not encoded:
        return None  # an empty p= revokes the key
    try:
        data = base64.b64decode(encoded, validate=True)
        tag, start, _end = _read(data, 0)
        if tag != 0x30:
            return None
        inner_tag, _inner_start, inner_end = _read(data, start)
        if inner_tag == 0x30:  # SubjectPublicKeyInfo: algorithm, then BIT STRING with RSAPublicKey
            tag, bits_start, _ = _read(data, inner_end)
            if tag != 0x03:
                return None
            return _modulus_bits(data, bits_start + 1)  # skip the unused-bits byte
        return _modulus_bits(data, 0)  # a bare RSAPublicKey
    except (ValueError, IndexError, binascii.Error):
        return None
