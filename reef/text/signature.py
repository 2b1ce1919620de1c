"""Near-duplicate signatures: MinHash over character shingles, vectorised with numpy.

Why not datasketch: its ``update`` loop hashes shingles one by one in Python, too slow for a
million posts. Hashing here is stable across processes (no Python ``hash``), so signatures
stored today still compare with those computed next year.

Example:
    >>> a = minhash("比亚迪汉EV冬季续航实测，满电跑了四百公里")
    >>> b = minhash("比亚迪汉EV冬季续航实测，满电跑了四百多公里")
    >>> jaccard(a, b) > 0.5, jaccard(a, minhash("今天天气不错")) < 0.2
    (True, True)
    >>> len(minhash("   ")), jaccard(minhash(""), minhash("   "))
    (0, 0.0)
"""
from __future__ import annotations

import re

import numpy as np

__all__ = ["minhash", "jaccard"]

_PRIME = np.uint64((1 << 61) - 1)
_MAX32 = np.uint64(0xFFFFFFFF)
_SPACE = re.compile(r"\s+")


def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    a = rng.integers(1, 1 << 31, num_perm, dtype=np.uint64)
    b = rng.integers(0, 1 << 31, num_perm, dtype=np.uint64)
    return a[:, None], b[:, None]


_CACHE: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}


def minhash(text: str, *, num_perm: int = 64, shingle: int = 3, seed: int = 1) -> np.ndarray:
    """MinHash signature (uint32[num_perm]) of the text's character shingles, spaces removed."""
    key = (num_perm, seed)
    if key not in _CACHE:
        _CACHE[key] = _permutations(num_perm, seed)
    a, b = _CACHE[key]
    cps = np.frombuffer(_SPACE.sub("", text or "").lower().encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(cps) == 0:  # nothing to compare (empty, whitespace, an image-only post): no signature, never a duplicate
        return np.zeros(0, dtype=np.uint32)
    if len(cps) >= shingle:
        h = np.zeros(len(cps) - shingle + 1, dtype=np.uint64)
        for i in range(shingle):  # polynomial rolling key, then a 32-bit mix (stable across processes)
            h = h * np.uint64(0x10FFFF + 1) + cps[i:len(cps) - shingle + 1 + i]
    else:
        h = cps.copy()
    h = (h ^ (h >> np.uint64(29))) * np.uint64(0xBF58476D1CE4E5B9)
    h = (h ^ (h >> np.uint64(32))) & _MAX32
    values = ((a * h[None, :] + b) % _PRIME) & _MAX32
    return values.min(axis=1).astype(np.uint32)


def jaccard(sig_a: np.ndarray, sig_b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures of the same length; 0.0 when either text had none.

    Raises InvalidParameterError for signatures of different lengths (made with different ``num_perm``)."""
    a, b = np.asarray(sig_a), np.asarray(sig_b)
    if len(a) == 0 or len(b) == 0:
        return 0.0
    if len(a) != len(b):
        from reef.errors import InvalidParameterError

        raise InvalidParameterError("signatures", f"lengths {len(a)} and {len(b)}",
                                    "signatures made with the same text.minhash_perms (re-run reef enrich after changing it)")
    return float(np.mean(a == b))
