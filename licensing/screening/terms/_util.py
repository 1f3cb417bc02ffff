"""Helpers the term lists are written with: ``_split`` (a block of terms separated by "|"), ``_g``
(up to n words in between, in a phrase pattern) and the person and weapon alternations."""
from __future__ import annotations


def _split(block: str) -> tuple[str, ...]:
    return tuple(t.strip() for t in block.split("|") if t.strip())


_G = r"(?: [a-z0-9]+){0,%d} "  # up to n words in between


def _g(n: int) -> str:
    return _G % n


_PERSON = r"(?:her|him|them|she|he|someone|a person|people|a crowd|crowd|the crowd|shoppers|passers by|the cashier|cashier|hostage|the hostage|neighbour|neighbor|ex|his ex|her ex|students|a man|a woman)"
_WEAPON = r"(?:gun|guns|handgun|pistol|rifle|shotgun|revolver|knife|knives|blade|machete|bottle|broken bottle|crossbow|bat|baseball bat|pistole|gewehr|messer|fusil|pistolet|couteau|pistola|cuchillo|arma)"
