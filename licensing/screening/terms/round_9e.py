"""The issue-9e round's additions, after dev_6's first measurement: the languages where whole families
were missing (strangling and a noose in French, Spanish and German; a body-part close-up and
following someone home in French, Spanish and German; a gun aimed at people, a ten-fold return,
a cure for a named disease, abuse of gay people in Chinese) and English euphemism families (self-harm
"tiger stripes", a named long gun aimed at a crowd, the hooked-nose caricature). Written from the
category definitions, each a family of wordings, not one brief's words."""
from __future__ import annotations

from ._util import _g

_BODY_FR_DE_ES = (
    r"(?:aisselles?|dessous de bras|pieds|plantes? des pieds|orteils|achseln?|achselhohlen?|fusse|fusssohlen|zehen|"
    r"axilas?|sobacos?|pies|plantas? de los pies|dedos de los pies)"
)

_PATTERNS_E1 = {
    "fetish": (
        r"\b(?:gros plans?|tres gros plan|plan serre|nahaufnahmen?|grossaufnahmen?|primer plano|primerisimo plano|primeros planos)\b"
        + _g(3) + _BODY_FR_DE_ES + r"\b",
    ),
    "violence": (
        # French elision glues the article to the verb: "d'étrangler" reads "detrangler"
        r"\b(?:[dlsnmtjc]|qu)?(?:etrangl|egorg|tortur)[a-z]*|\b(?:[dlsnmtjc]|qu)?poignard(?:e|er|ee|es|ait|aient|ant|ent)\b|\b(?:erwurg|estrangul)[a-z]*",
    ),
    "weapons": (
        r"\b(?:pump action|shotgun|rifle|assault rifle|ar 15|ak 47|kalashnikov|glock|uzi|submachine gun|machine gun)s?\b"
        + _g(4) + r"(?:at|towards|into|on) (?:a |the )?(?:crowd|crowds|protesters|protestors|people|students|shoppers|audience|worshippers|fans)\b",
        r"\b(?:barrel|muzzle|gun|rifle|pistol)s? (?:pointed|aimed|trained) (?:right |straight |directly )?(?:at|on) "
        r"(?:them|him|her|the crowd|people|the audience|the protesters|the students|the fans)\b",
    ),
    "self_harm": (
        r"\btiger stripes?\b" + _g(3) + r"(?:arm|arms|forearm|forearms|wrist|wrists|thigh|thighs|skin)\b",
        r"\b(?:arm|arms|forearm|forearms|wrist|wrists|thigh|thighs)\b" + _g(2) + r"tiger stripes?\b",
        r"\b(?:corde|noeud coulant) autour (?:du|de son|de mon) cou\b|\b(?:soga|cuerda) (?:al|alrededor del|alrededor de su) cuello\b"
        r"|\b(?:strick|schlinge) um (?:den|seinen|ihren|meinen) hals\b",
    ),
    "hate": (
        r"\bhook(?:ed)? noses?\b",
    ),
    "stalking": (
        r"\b(?:lo|la|los|las) sigue(?:n)?\b" + _g(4) + r"hasta (?:su casa|su portal|donde vive)\b",
        r"\b(?:la|le|les) suit\b" + _g(4) + r"jusqu ?a? (?:chez )?(?:elle|lui|eux|son domicile|sa porte)\b",
        r"\bfolgt (?:ihr|ihm|ihnen)\b" + _g(4) + r"(?:nach hause|bis zu (?:ihrer|seiner) (?:wohnung|haustur))\b",
    ),
}

_TERMS_E2 = {
    "hate": "jooz|jewz|",
}

_CJK_E3 = {
    "weapons": ("手枪对准", "枪对准", "举枪对准", "用枪对准", "枪口指向"),
    "hate": ("辱骂同性恋", "嘲笑同性恋", "侮辱同性恋", "同性恋者是变态", "同性恋是变态"),
    "scams": ("翻十倍", "翻百倍", "翻二十倍", "先转账", "先交钱"),
    "medical": ("治好高血压", "治愈高血压", "根治高血压", "治愈糖尿病", "不用再吃药", "不需要吃药", "停掉降压药"),
}

# Appended, in this order, to the lists of ``terms.base`` (see ``terms.__init__``).
ADDITIONS: tuple[tuple[str, dict], ...] = (
    ("patterns", _PATTERNS_E1),
    ("terms", _TERMS_E2),
    ("cjk", _CJK_E3),
)
