"""The codeword and its channel code: the rate-1/2, K = 7 convolutional code (trellis, encoder,
soft-decision Viterbi decoder), the keyed 24-bit check value, the codeword's bits, and the decode
of per-coded-bit soft values back to a verified mark id."""

from __future__ import annotations

import hashlib
import hmac

import numpy as np

from .keys import _subkey
from .params import CHECK_BITS, CODEWORD_BITS, MARK_ID_BITS, MARK_ID_MAX

# --------------------------------------------------------------------------
# Convolutional code: rate 1/2, K = 7, generators 0o171 / 0o133 (NASA/CCSDS).
# --------------------------------------------------------------------------
_K = 7
_N_STATES = 1 << (_K - 1)
_GENERATORS = (0o171, 0o133)
_CODED_BITS = 2 * (CODEWORD_BITS + _K - 1)  # 188


def _build_trellis() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    # state = the previous 6 input bits, most recent in bit 5;
    # register = (input << 6) | state; next state = register >> 1.
    out = np.zeros((_N_STATES, 2, 2), dtype=np.int8)
    nxt = np.zeros((_N_STATES, 2), dtype=np.int64)
    for state in range(_N_STATES):
        for bit in range(2):
            reg = (bit << (_K - 1)) | state
            out[state, bit] = [bin(reg & g).count("1") & 1 for g in _GENERATORS]
            nxt[state, bit] = reg >> 1
    # Each next state ns has input bit ns >> 5 and predecessors ((ns & 31) << 1) | j.
    prev = np.array(
        [[((ns & (_N_STATES // 2 - 1)) << 1) | j for j in range(2)] for ns in range(_N_STATES)],
        dtype=np.int64,
    )
    pin = np.arange(_N_STATES, dtype=np.int64) >> (_K - 2)
    return out, nxt, prev, pin


_OUT, _NEXT, _PREV, _PIN = _build_trellis()
# Branch metric signs for each (predecessor, input) pair leading into each state.
_SIGNS = 1.0 - 2.0 * _OUT.astype(np.float64)  # (states, input, 2)
_SIGNS_INTO = np.stack([_SIGNS[_PREV[:, j], _PIN] for j in range(2)])  # (2, states, 2)


def _conv_encode(bits: np.ndarray) -> np.ndarray:
    state = 0
    out = np.empty(_CODED_BITS, dtype=np.int8)
    for i, bit in enumerate(np.concatenate([bits, np.zeros(_K - 1, dtype=np.int8)])):
        out[2 * i : 2 * i + 2] = _OUT[state, bit]
        state = _NEXT[state, bit]
    return out


def _viterbi_decode(soft: np.ndarray) -> np.ndarray:
    """Soft-decision Viterbi; ``soft`` > 0 means coded bit 0.  Returns the 64 data bits."""
    steps = soft.reshape(-1, 2)
    metric = np.full(_N_STATES, -np.inf)
    metric[0] = 0.0
    decisions = np.empty((len(steps), _N_STATES), dtype=np.int8)
    for t, pair in enumerate(steps):
        cand = metric[_PREV.T] + _SIGNS_INTO @ pair  # (2, states)
        choice = cand[1] > cand[0]
        decisions[t] = choice
        metric = np.where(choice, cand[1], cand[0])
    state = 0  # zero-terminated
    bits = np.empty(len(steps), dtype=np.int8)
    for t in range(len(steps) - 1, -1, -1):
        bits[t] = _PIN[state]
        state = _PREV[state, decisions[t, state]]
    return bits[:CODEWORD_BITS]


# --------------------------------------------------------------------------
# The codeword: the mark id and its keyed check
# --------------------------------------------------------------------------
def _check_value(key: bytes, mark_id: int) -> int:
    word = mark_id & ((1 << MARK_ID_BITS) - 1)
    mac = hmac.new(_subkey(key, b"check"), word.to_bytes(8, "big"), hashlib.sha256).digest()
    return int.from_bytes(mac[: CHECK_BITS // 8], "big")


def _codeword_bits(key: bytes, mark_id: int) -> np.ndarray:
    word = ((mark_id & ((1 << MARK_ID_BITS) - 1)) << CHECK_BITS) | _check_value(key, mark_id)
    return np.array([(word >> (CODEWORD_BITS - 1 - i)) & 1 for i in range(CODEWORD_BITS)], dtype=np.int8)


def _decode(per_bit: np.ndarray, key: bytes) -> int | None:
    bits = _viterbi_decode(per_bit)
    word = 0
    for bit in bits:
        word = (word << 1) | int(bit)
    mark_id, check = word >> CHECK_BITS, word & ((1 << CHECK_BITS) - 1)
    if mark_id > MARK_ID_MAX:
        mark_id -= 1 << MARK_ID_BITS
    if not hmac.compare_digest(check.to_bytes(3, "big"), _check_value(key, mark_id).to_bytes(3, "big")):
        return None
    return mark_id
