"""Password hashing (scrypt, per-user salt) and the password policy."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from app.errors import ValidationError

N, R, P = 2**14, 8, 1  # ~16 MiB of memory per hash
MIN_LENGTH = 8


def check_policy(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise ValidationError(f"密码太短：至少需要 {MIN_LENGTH} 个字符。", field="password")
    if password.isdigit():
        raise ValidationError("密码不能全部是数字：请加入字母或符号。", field="password")
    if password.strip() != password:
        raise ValidationError("密码首尾不能是空格。", field="password")


def hash_password(password: str) -> str:
    salt = os.urandom(16)
    dk = hashlib.scrypt(
        password.encode(), salt=salt, n=N, r=R, p=P, maxmem=64 * 1024 * 1024, dklen=32
    )
    b64 = base64.b64encode
    return f"scrypt${N}${R}${P}${b64(salt).decode()}${b64(dk).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        algo, n, r, p, salt_b64, dk_b64 = stored.split("$")
        if algo != "scrypt":
            return False
        salt, expected = base64.b64decode(salt_b64), base64.b64decode(dk_b64)
        dk = hashlib.scrypt(
            password.encode(),
            salt=salt,
            n=int(n),
            r=int(r),
            p=int(p),
            maxmem=64 * 1024 * 1024,
            dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(dk, expected)
