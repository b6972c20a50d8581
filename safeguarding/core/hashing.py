"""Tokens are stored only as their SHA-256 hash (API tokens, booking links): one function."""

import hashlib


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
