"""The issue-9d round's additions: general forms of euphemisms that got through."""
from __future__ import annotations

# The issue-9d round (after dev_5's first measurement): general forms of euphemisms that got through.
_PATTERNS_D1 = {
    "sexual": (r"\bleaves? nothing to the imagination\b",),
    "violence": (r"\bnever (?:gets?|getting|got) up again\b",),
    "weapons": (r"\bbusiness end of (?:a|the|his|her|their) (?:shotgun|gun|rifle|pistol|revolver|knife|blade|machete)\b",),
    "hate": (r"\bhooked cross(?:es)?\b",),
    "drugs": (
        r"\bblue crystals?\b|\bcook(?:s|ing|ed)? (?:meth|crystal|crank)\b",
        r"\b(?:hand(?:s|ing)?|pass(?:es|ing)?|giv(?:es|ing)) out (?:little |some |small |a few )?pills\b",
    ),
    "medical": (
        r"\b(?:cura|curan|curara|guerit|guerissent|guerira|heilt|heilen) (?:el |la |le |les |los |las |l |die |den )?"
        r"(?:cancer|diabetes|diabete|hipertension|hypertension|bluthochdruck|covid|autismo|autisme|autismus|krebs|vih|sida|alzheimer|artritis|arthrite|arthritis|depresion|depression|asma|asthme|asthma)\b",
        r"\b(?:dejes|deja|deje|dejar|abandona) (?:tus|sus|la|el|de tomar)? ?(?:pastillas|medicamentos|medicinas|tratamiento|insulina)\b",
        r"\bmieux que (?:le|les) vaccins?\b|\bmejor que (?:la|las) vacunas?\b|\bbesser als (?:die|jede) impfung\b|\bbetter than (?:the|a|any) vaccines?\b",
    ),
}
_CJK_D2 = {"self_harm": ("楼顶边缘", "再见了世界", "从楼顶跳下", "从桥上跳下", "从楼上跳下")}


# Appended, in this order, to the lists of ``terms.base`` (see ``terms.__init__``).
ADDITIONS: tuple[tuple[str, dict], ...] = (
    ("patterns", _PATTERNS_D1),
    ("cjk", _CJK_D2),
)
