"""Minors: the child terms (``CHILD``, never a category), the terms and patterns that sexualise a
minor by themselves, the suggestive cues, and ages under 18."""
from __future__ import annotations

import re

from ._util import _g, _split

# "a 12 year old", "aged 9", "15yo": an age under 18 is the minors category.
AGE_RE = re.compile(r"(?:^| )(?:aged )?(\d{1,2}) ?(?:years? old|yrs? old|year old|yo|y o)(?: |$)|(?:^| )aged (\d{1,2})(?: |$)")

# Minors: a child in the scene is not the category; a sexualised or endangered child is. The category
# (``categories.CATEGORY_DEFINITIONS["minors"]``) is "anything sexual or suggestive involving
# children, teenagers or people made to look under 18". The minors terms of the lists that only say
# a child is there ("kids", "enfants", "儿童", "a 12 year old") are filed under ``CHILD`` (by
# ``terms.__init__``): they refuse as "minors" only beside another category's match, a suggestive
# cue (``MINOR_CUES``) or, in the screen, the classifier's harmful probability at
# ``model.CHILD_HEAD_THRESHOLD``. The terms that sexualise a minor by themselves stay "minors" and
# refuse alone.
CHILD = "minors_child"  # a lexicon key, never a category: nothing is refused under it
MINORS_ALWAYS_TERMS = frozenset({"underage", "under age", "loli", "lolita", "jailbait", "barely legal"})
MINORS_ALWAYS_CJK = frozenset({"幼女", "萝莉"})
# the phrase patterns that already hold a sexual cue (a child in lingerie, "ados sexy")
MINORS_ALWAYS_PATTERN_MARKS = ("lingerie",)
# children the lists left out while a child term refused alone (they refuse only with a cue now)
CHILD_EXTRA_TERMS: tuple[str, ...] = _split("""
    una nina|la nina|esta nina|nina de|las ninas|un nino|el nino|adolescent|adolescents|youngster|youngsters|
    little one|little ones|newborn|schoolchildren|schoolkids|school kids|second grader|second graders|kleinkind|
    kleinkinder|kleiner junge|kleine madchen|petit enfant|petits enfants|jeune fille|jeunes filles|gamin|gamine|
""")
# patterns that sexualise by themselves, appended to the "minors" patterns that hold a mark above
MINORS_ALWAYS_PATTERNS: tuple[str, ...] = (
    # an adult dressed up as a schoolgirl or a child: the costume sexualises by itself
    r"\b(?:dressed|dresses|dressing|dress|styled|made up) (?:up )?(?:as|like) (?:an? )?(?:\d{1,2} ?year ?old |(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen) year old )?"
    r"(?:schoolgirl|school girl|little girl|child|kid|teen|teenager|lolita|collegienne|ecoliere|schulmadchen|colegiala)\b",
    r"\b(?:schoolgirl|school girl|schulmadchen|collegienne|colegiala)s? (?:outfit|costume|kostum|tenue|disfraz|fantasy|fantasie|fantasme|fantasia|roleplay|role play|porn)s?\b",
    r"\bteens? (?:porn|sex|nudes?|xxx)\b|\b(?:young|petite|tiny) teens?\b",
)

# Suggestive cues: beside a child term they make the brief "minors" (generous on purpose: any cue a
# person would find suggestive next to a child). Whole words after normalisation, plurals accepted.
MINOR_CUES: tuple[str, ...] = _split("""
    sexy|sexier|sexiest|seductive|seductively|seduce|seducing|seduction|provocative|provocatively|provocatively posing|
    posing provocatively|suggestive|suggestively|flirty|flirt|flirting|flirts|flirtatious|sultry|sensual|sensually|
    alluring|tempting|temptress|come hither|bedroom eyes|pouting|pout|winking at|teasing|tease|naughty|kinky|intimate|
    intimately|lingerie|underwear|panties|knickers|bra|bras|thong|g string|garter|stockings|nightie|negligee|
    bikini|bikinis|swimsuit|swimsuits|swimwear|bathing suit|swimming costume|bath|bathtub|bathtubs|bathing|
    bathroom|shower|showers|showering|bed|beds|bedroom|in bed|on the bed|under the sheets|bedsheets|kiss|
    kisses|kissing|kissed|cuddle|cuddles|cuddling|cuddled|snuggle|snuggling|caress|
    caressing|caresses|stroking|fondling|fondle|groping|grope|massage|massaging|on his lap|on her lap|in his lap|
    in her lap|man s lap|mans lap|adult s lap|grown man s lap|strokes her thigh|strokes her thighs|strokes her leg|strokes her legs|undress|undresses|undressing|unbutton|unbuttoning|unzipping|taking off her clothes|
    taking off his clothes|takes off her clothes|stripping|alone with|alone together|left alone with|
    locked room|locked bedroom|secret|secrets|our secret|our little secret|don t tell|dont tell|keep quiet|
    grooming|groomed|hotel room|motel|mature looking|mature for her age|mature for his age|older than she is|
    older than he is|older than her age|older than his age|looks older|look older|looking older|body|bodies|
    curves|curvy|legs|thighs|hips|lips|breasts|bust|cleavage|buttocks|bum|butt|
    makeup|lipstick|eyeliner|mascara|heavy make up|full make up|wearing make up|all grown up|grown up look|grown up styling|
    grown up outfit|dressed like a woman|dressed like an adult|adult styling|revealing|skimpy|tight dress|
    short skirt|miniskirt|mini skirt|crop top|see through|sheer|wet t shirt|oiled|glistening|bare skin|
    pin up|pinup|boudoir|glamour shoot|catwalk pose|spread legs|legs apart|bending over|bend over|on all fours|
    older man|older men|sugar daddy|on a date|dating|romantic|romance|lover|lovers|
    sexy|verfuhrerisch|verfuhrt|aufreizend|provokant|lasziv|sinnlich|flirtet|flirten|dessous|unterwasche|
    reizwasche|badeanzug|badewanne|badezimmer|im bad|dusche|duscht|bett|im bett|schlafzimmer|kuss|kusst|kussen|
    kuscheln|kuschelt|beruhrt|beruhren|streicheln|streichelt|zieht sich aus|allein mit|geheimnis|unser geheimnis|
    alter als sie ist|erwachsen wirken|korper|beine|lippen|schminke|geschminkt|lippenstift|
    seduisante|seduisant|seductrice|aguicheuse|aguicheur|provocante|provocant|lascive|sensuelle|sensuel|flirte|
    sous vetements|culotte|soutien gorge|maillot de bain|bain|baignoire|douche|au lit|dans le lit|sur le lit|
    chambre a coucher|bisou|bisous|embrasse|embrasser|baiser|calin|calins|caresse|caresser|seul avec|seule avec|
    notre secret|plus agee qu elle|plus age qu il|son corps|jambes|levres|maquillage|maquillee|rouge a levres|
    seductora|seductor|seductiva|provocativa|provocativo|provocativamente|coqueta|coqueteando|lenceria|
    ropa interior|bragas|sujetador|traje de bano|banador|bano|banera|ducha|cama|en la cama|dormitorio|beso|besos|
    besando|besa|acariciando|caricias|tocandola|tocandolo|desvestirse|a solas con|secreto|nuestro secreto|
    mayor de lo que es|cuerpo|piernas|labios|maquillaje|maquillada|pintalabios|
    aufreizende|aufreizenden|aufreizender|aufreizendes|verfuhrerische|verfuhrerischen|verfuhrerischer|provokante|
    provokanten|sinnliche|sinnlichen|laszive|lasziven|sexy pose|seduisantes|provocantes|aguicheuses|lascives|
    sensuelles|seductoras|seductores|provocativas|provocativos|sensuales|coquetas|underpants|unterhose|unterhosen|
    hoschen|schlupfer|anzuglich|anzugliche|anzuglichen|anzuglicher|calecon|suggestif|suggestifs|calzoncillos|
    sugerente|sugerentes|insinuante|insinuantes|
""")
# Swimwear is a cue only outside a family, beach or pool scene (issue-9f): in such a scene the swimwear
# phrases are masked before the cues are matched, so "his two young kids in swimsuits building a
# sandcastle" is a holiday photo while any other cue beside it still refuses ("kids in swimsuits at the
# pool, posing provocatively"); a bikini stays a cue everywhere.
SWIMWEAR_CUES: frozenset[str] = frozenset(_split("""
    swimsuit|swimsuits|swimwear|bathing suit|bathing suits|swimming costume|swimming costumes|swim trunks|
    swimming trunks|maillot de bain|maillots de bain|badeanzug|badeanzuge|badehose|badehosen|traje de bano|
    trajes de bano|banador|banadores|
"""))
SWIMWEAR_CUES_CJK: tuple[str, ...] = ("泳衣", "泳装")
SWIM_FAMILY_CONTEXTS: frozenset[str] = frozenset(_split("""
    family|families|beach|beaches|seaside|pool|pools|swimming pool|paddling pool|swimming lesson|swimming lessons|
    swim lesson|swim lessons|swim class|swim school|sandcastle|sandcastles|sand castle|lake|lakeside|water park|
    waterpark|splash pad|holiday|holidays|vacation|summer camp|famille|plage|piscine|bord de mer|vacances|
    familie|strand|schwimmbad|freibad|urlaub|ferien|familia|playa|piscina|vacaciones|
"""))
SWIM_FAMILY_CONTEXTS_CJK: tuple[str, ...] = ("家庭", "全家", "一家", "海滩", "沙滩", "海边", "游泳池", "泳池", "游泳课", "度假")

MINOR_CUE_PATTERNS: tuple[str, ...] = (
    r"\b(?:pos|pose|poses|posing|posed)\b" + _g(2) + r"(?:provocative|provocatively|seductive|seductively|suggestive|suggestively|like a model|like an adult|like a woman|sexy)\b",
    r"\b(?:dressed|styled|made up|looking|looks|look) (?:like |as )(?:an? )?(?:grown up|adult|woman|lady|grown woman)\b",
    r"\b(?:older|more mature) than (?:she|he|they) (?:is|are|really is)\b",
    r"\b(?:touch|touches|touching|touched)\b (?:her|him|them|his|the child|the girl|the boy|the kid|the kids|the children)\b",
)
MINOR_CUES_CJK: tuple[str, ...] = (
    "性感", "诱惑", "诱人", "挑逗", "撩人", "妖娆", "暧昧", "魅惑", "妩媚", "风骚", "内衣", "内裤", "胸罩", "文胸", "比基尼",
    "泳衣", "泳装", "洗澡", "浴缸", "淋浴", "浴室", "床上", "上床", "卧室", "被窝", "吻", "搂抱", "拥吻", "抚摸", "触摸",
    "乱摸", "脱掉", "脱下", "单独", "独处", "秘密", "早熟", "显得成熟", "比实际年龄大", "身材", "身体曲线", "大腿", "美腿",
    "长腿", "双腿", "嘴唇", "红唇", "化妆", "浓妆", "口红", "约会", "情侣", "暴露", "透视", "撩",
)
