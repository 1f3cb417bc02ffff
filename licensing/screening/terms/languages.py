"""The core vocabulary of each category in German, French and Spanish (and more Chinese), in
five passes; appended after ``round_9c``."""
from __future__ import annotations

from ._util import _g

# The core vocabulary of each category in German, French and Spanish, more fully (verbs and their
# objects, so that a word with an innocent sense elsewhere only refuses in its harmful context).
_MORE_TERMS_2: dict[str, str] = {
    "sexual": """
        unbekleidet|entkleidet|hullenlos|barbusig|sex haben|miteinander schlafen|sans vetements|sans aucun vetement|
        denude|denudee|haciendo el amor|sin nada puesto|
    """,
    "fetish": """
        ausgepeitscht|auspeitschen|unterwerfung|seance de domination|lecher les pieds|leche les pieds|pietine|
        lame los pies|besa sus pies|pisa a un hombre|dominacion|sumision|
    """,
    "violence": """
        niedergeschlagen|blutend|misshandelt|gefoltert|totgetreten|erschossen|coups de poing|coups de pied|
        coups de couteau|roue de coups|a patadas|apalean|apalear|apaleado|patadas en|
    """,
    "weapons": """
        amoklauf|schusswaffe|fusillade|tiroteo|balacera|dispara a la gente|abat les passants|
    """,
    "self_harm": """
        will sterben|nicht mehr leben|uberdosis|surdose|sobredosis|quiere morir|no quiere vivir|sauter du pont|
        se jeter sous un train|se jeter du|tirarse del puente|tirarse desde|lanzarse al vacio|
    """,
    "hate": """
        insultes racistes|propos racistes|chants racistes|remarques racistes|sale race|
    """,
    "drugs": """
        kifft|kiffen|kiffer|drogen|raucht einen joint|fume un joint|fument des joints|rail de coke|rails de coke|
        porro|porros|rayas de coca|se inyecta|se mete coca|
    """,
    "deceptive": """
        erfundene nachricht|erfundene meldung|video truquee|video truque|interview truquee|video manipulado|
        entrevista manipulada|noticia inventada|
    """,
    "scams": """
        argent facile|rich overnight|millionaire overnight|multiplica tu dinero|multiplie ton argent|
    """,
}

_CJK_P1 = {
    "sexual": ("上床", "发生关系", "激情戏", "床上戏"),
    "fetish": ("丝袜脚", "美足", "踩踏"),
    "violence": ("拳打脚踢", "围攻", "施暴", "残杀"),
    "weapons": ("开火", "举枪", "枪杀", "枪击", "行凶"),
    "self_harm": ("想死", "跳桥", "跳河", "服毒", "割脉"),
    "scams": ("保证月入", "月入十万", "日赚"),
}

_PEOPLE_DE = r"(?:auslander|fluchtlinge|juden|muslime|migranten|schwarze|zigeuner)"
_PEOPLE_FR = r"(?:juifs|musulmans|immigres|arabes|noirs|etrangers|migrants|gitans)"
_PEOPLE_ES = r"(?:inmigrantes|judios|musulmanes|negros|extranjeros|gitanos|moros)"
_MORE_PATTERNS_2: dict[str, tuple[str, ...]] = {
    "sexual": (
        r"\b(?:sexuel|sexuell|sexuales)[a-z]*",
        r"\b(?:teniendo|tener|tienen|tiene) relaciones\b(?! (?:comerciales|laborales|diplomaticas|publicas|con (?:clientes|socios|proveedores)))",
    ),
    "fetish": (
        r"\b(?:fusse|fussen|zehen|sohlen)\b" + _g(4) + r"(?:nahaufnahme|lecken|leckt|kusst|riechen|fans)\b|\bnahaufnahme\b" + _g(3) + r"(?:fusse|fussen|zehen|sohlen)\b",
        r"\bgros plan\b" + _g(4) + r"(?:pieds|orteils|plantes)\b|\bprimer plano\b" + _g(4) + r"(?:pies|dedos de los pies|plantas)\b",
    ),
    "violence": (
        r"\b(?:niedergeschlag|prugel|gewurgt|ermorde|fracass|etrangl|assassin|estrangul|tortur|asesin)[a-z]*",
        r"\b(?:schlagen|treten|prugeln)\b" + _g(3) + r"bis (?:er|sie) (?:blutet|bewusstlos|tot)\b",
        r"\bhasta que (?:deja de moverse|pierde el conocimiento|sangra|muere)\b|\bjusqu a ce qu (?:il|elle) (?:saigne|ne bouge plus|meure)\b",
    ),
    "weapons": (
        r"\b(?:pointe|braque|pointent|braquent) (?:une|son|un|sa|leur) (?:arme|pistolet|fusil|revolver|couteau) sur\b",
        r"\b(?:pistola|arma|cuchillo|navaja|escopeta|revolver) (?:en|contra|a) (?:la|su) (?:cabeza|cuello|garganta|sien)\b",
        r"\b(?:dispara|disparan|disparando) (?:a|contra) (?:la gente|la multitud|los clientes|las personas|un rehen)\b",
        r"\b(?:erschiesst|erschiessen|schiesst|schiessen)\b" + _g(3) + r"(?:menschen|passanten|leute|kunden|schuler|geisel)\b",
        r"\b(?:pulls?|pulling|pulled) (?:a |his |her )?(?:knife|gun|pistol|blade|revolver) on\b",
        r"\bthreatens? to (?:cut|stab|shoot|kill) (?:him|her|them|the [a-z]+)\b",
        r"\b(?:piece|gun|pistol|barrel) pressed (?:to|against)\b",
    ),
    "self_harm": (
        r"\b(?:veut|vouloir|decide d|va|voudrait) en finir\b",
        r"\b(?:tirarse|lanzarse|arrojarse) (?:de|desde|al|bajo|por)\b",
        r"\bcortarse (?:los brazos|las venas|las munecas)\b|\bsich vor (?:einen|den) zug werfen\b",
        r"\b(?:go to sleep|fall asleep) and never wake up\b|\bnever wake up again\b",
        r"\b(?:schluckt|schlucken|avale|avaler|traga|tragarse)\b" + _g(3) + r"(?:alle|toutes les|tous les|todas las|ganze packung|boite de) (?:tabletten|pillen|cachets|pilules|pastillas)\b",
    ),
    "hate": (
        r"\b" + _PEOPLE_DE + r" (?:sind|seien) (?:ungeziefer|ratten|parasiten|tiere|abschaum|untermenschen)\b|\b" + _PEOPLE_DE + r" raus\b",
        r"\b" + _PEOPLE_FR + r" (?:controlent|doivent (?:disparaitre|partir|degager|etre expulses)|sont des (?:rats|parasites|vermines?|animaux|sous hommes))\b",
        r"\bfuera (?:los )?" + _PEOPLE_ES + r"\b|\b" + _PEOPLE_ES + r" (?:son (?:una plaga|ratas|basura|animales|parasitos)|deben (?:irse|morir|desaparecer))\b",
        r"\b(?:jews|muslims|immigrants|blacks)\b" + _g(2) + r"(?:control|controls|run|runs) the (?:world|banks|media|government)\b",
    ),
    "drugs": (
        r"\bdeal(?:e|t|en)? (?:de la |du |de |la )?(?:cocaine|coke|drogue|drogen|heroine|crack|kokain|koks)\b|\bdealer de drogue\b",
        r"\b(?:bumps?|lines?|rails?) of (?:coke|blow|white powder)\b",
    ),
    "political_endorsement": (
        r"\b(?:spd|cdu|csu|afd|fdp|grunen|linke|sozialdemokraten|christdemokraten|konservativen)\b" + _g(1) + r"(?:zu )?wahlen\b",
        r"\b(?:back|support|choose|pick|vote for)\b" + _g(3) + r"at the (?:polls|ballot box)\b",
        r"\b(?:put|elect|vote)\b" + _g(3) + r"(?:in|into|to) (?:the )?(?:white house|senate|congress|parliament|city hall|downing street|mayors office|governors mansion)\b",
        r"\b[a-z]+ for (?:senate|mayor|governor|president|congress)\b" + _g(2) + r"(?:go vote|vote|on election day)\b",
    ),
    "deceptive": (
        r"\b(?:erfunden|gefalscht|manipuliert)[a-z]* (?:nachricht|meldung|interview|video|zitat|gestandnis|schlagzeile)[a-z]*",
        r"\b(?:video|interview|photo|declaration|article)s? (?:truquee?s?|falsifiee?s?|inventee?s?|fabriquee?s?)\b",
        r"\b(?:video|entrevista|noticia|foto|audio)s? (?:manipulad|falsificad|inventad|trucad)[a-z]*",
        r"\badmits? (?:he|she|they) (?:faked|stole|lied|cheated|took bribes)\b",
    ),
    "stalking": (
        r"\bheimlich\b" + _g(3) + r"(?:filmen|gefilmt|fotografiert|verfolgt|beobachtet)\b|\b(?:filmen|filmt|beobachten|beobachtet) (?:sie |ihn )?heimlich\b",
        r"\b(?:suit|suivent|suivre|suivie?|suivi) jusqu ?a (?:chez (?:elle|lui|eux)|son domicile|sa maison|sa porte)\b",
        r"\b(?:where|when) (?:she|he|they) goes? and when\b",
    ),
    "scams": (
        r"\b(?:schick|sende|uberweis)[a-z]*\b" + _g(6) + r"(?:doppelte|zuruck)\b",
        r"\b(?:gagnez|gagner|gagne)\b" + _g(4) + r"(?:par jour|par semaine|sans risque)\b",
        r"\b(?:ganancias|rentabilidad|beneficios|retornos|rendimientos) garantizad[oa]s?\b|\bgana\b" + _g(3) + r"(?:sin riesgo|al dia|por dia)\b",
        r"\bput\b" + _g(3) + r"in and (?:you ll|youll|you will) (?:have|get|make)\b",
    ),
    "medical": (
        r"\bheil(?:t|en) (?:krebs|diabetes|autismus|alles|depression|bluthochdruck)\b",
        r"\b(?:brauchst|brauchen|braucht) (?:du |sie )?(?:kein|keine|nie mehr) (?:insulin|medikamente|chemo|tabletten|arzt|impfung)\b",
        r"\bgueri(?:t|ssent|r) (?:l ?autisme|le diabete|la depression|le cancer|tout|l ?hypertension)\b",
        r"\b(?:never|no longer|wont|won t) need\b" + _g(4) + r"(?:pills|medication|medicine|meds|insulin|inhaler|chemo)\b",
        r"\b(?:melts?|kills?|destroys?|eliminates?) (?:away )?(?:the )?(?:cancer|tumou?r) cells?\b",
    ),
}

# A third pass over the same vocabulary: inflected forms and the nouns the verbs above take.
_TERMS_P2 = {
    "sexual": "without a stitch on|not a stitch on|nu comme un ver|scene de lit|bain de minuit nu|",
    "hate": "ss runes|sig runes|totenkopf|schwarze sonne|sonnenrad|",
    "scams": "devenez millionnaire|vous rendra riche|te rendra riche|millionar werden|te hara millonario|te hara rico|",
}
_CJK_P3 = {
    "sexual": ("脱掉内衣", "脱内衣", "脱得精光"),
    "weapons": ("刀冲向", "持刀冲"),
    "medical": ("不用打胰岛素", "停掉胰岛素", "不用化疗", "代替化疗", "治好自闭症"),
}
_PATTERNS_P4 = {
    "sexual": (r"\b(?:devetu|devetue|devetus|devetues)\b",),
    "fetish": (r"\bl[ea]ch[a-z]* (?:les |ses |leurs )?pieds\b|\blam[a-z]* (?:los |sus )?pies\b|\bbes[a-z]* (?:los |sus )pies\b",),
    "violence": (
        r"\blynch(?:er|e|ent|ee|ees|age)\b|\bmassacr[a-z]*|\bbain de sang\b",
        r"\b(?:put|puts) (?:him|her|them) in (?:hospital|a coma|intensive care)\b|\b(?:leave|leaves|left) (?:him|her|them) in (?:a coma|intensive care)\b",
    ),
    "weapons": (
        r"\btire (?:au (?:pistolet|fusil)|a balles reelles) sur\b",
        r"\b(?:couteau|lame|pistolet|arme) (?:sous|sur|contre) (?:la|sa) (?:gorge|tempe|tete)\b",
        r"\b(?:a |an )?(?:blade|knife) to\b" + _g(2) + r"neck\b",
    ),
    "self_harm": (r"\bse (?:quiere|va a|intenta) matar\b|\bmatarse\b",),
    "hate": (
        r"\b(?:tag|graffiti|slogan|insulte|propos|chant|affiche|blague)s? racistes?\b",
        r"\b" + _PEOPLE_DE + r"\b" + _g(3) + r"(?:kein recht|verschwinden|vergasen|vergast|ausrotten)\b",
    ),
    "drugs": (r"\b(?:fume|fumer|fument) (?:du |le )?(?:crack|shit|cannabis)\b|\bpipe a crack\b",),
    "political_endorsement": (r"\bfai(?:t|s|re) campagne pour (?:le|la|les|son|sa) (?:candidat|candidate|parti|liste|maire|depute)\b",),
    "deceptive": (
        r"\b(?:faux|fausse|fausses) (?:annonce|titre|une|depeche)s?\b|\b(?:titular|portada)(?:es)? fals[oa]s?\b",
        r"\bfalsch(?:e|en|er)? (?:schlagzeile|meldung|nachricht|todesmeldung)\b",
    ),
    "stalking": (
        r"\bfilm[a-z]* (?:sa|son|leur) (?:maison|domicile|immeuble|porte|fenetre)\b",
        r"\bgrab[a-z]* (?:su|sus) (?:casa|portal|ventana|puerta|domicilio)\b|\bsegu[a-z]* hasta su (?:casa|portal|domicilio|coche)\b",
        r"\bwo (?:sie|er) wohnt\b",
    ),
    "scams": (r"\bgarantiert(?:e|er|en)?\b" + _g(3) + r"(?:gewinn|rendite|profit|zinsen)\b",),
    "medical": (r"\b(?:deja|dejar|abandona) (?:la|el) (?:quimioterapia|quimio|insulina|medicacion)\b",),
}

# A fourth pass: German compounds of "nackt", Spanish and French conjugations of stabbing, voting and
# jumping, a gun held to a head, a rope round a neck.
_PATTERNS_P5 = {
    "sexual": (r"\b(?:splitterfasernackt|splitternackt|fasernackt|nackt(?:bad|foto|fotos|szene|bilder|video))\b",),
    "violence": (r"\b(?:acuchill|apunal|navajazo|poignard)[a-z]*",),
    "weapons": (
        r"\b(?:gun|pistol|piece|revolver|handgun|rifle|shotgun) (?:to|against|at) (?:her|his|their|the [a-z]+ s|the [a-z]+) (?:head|temple|forehead)\b",
    ),
    "political_endorsement": (r"\b(?:votar|vote|votes|voten) por (?:el|la|los|las) (?:candidat[oa]s?|partido)\b",),
    "self_harm": (
        r"\brope (?:around|round) (?:his|her|their) (?:own )?neck\b",
        r"\bse (?:quiere |va a |intenta )?(?:tirar|lanzar|arrojar) (?:por|desde|de|al) (?:la ventana|el balcon|el puente|un puente|la azotea|el tejado|las vias)\b",
        r"\bse (?:jeter|jette|defenestrer|defenestre) (?:par|du haut|sous)\b",
    ),
}
_CJK_P6 = {
    "weapons": ("枪顶着", "用枪指", "枪口顶"),
    "scams": ("保证回报", "每天赚", "稳赚"),
    "self_harm": ("上吊", "跳窗"),
}

# A fifth pass: Chinese terms across every category, slang for nudity and miracle cures in
# es/fr/de, and the party-vote verbs of German and French.
_TERMS_P7 = {
    "sexual": "en cueros|pechos al aire|fesses nues|nichons|tetas al aire|",
    "violence": "krankenhausreif|totgeprugelt|defigure|defiguree|",
    "drugs": "extasis|",
    "medical": "remede miracle|remedio milagroso|cura milagrosa|wundermittel|wunderheilung|",
}
_CJK_P8 = {
    "sexual": ("私处", "一夜情", "成人影片", "黄片", "裸聊"),
    "fetish": ("足交", "绳缚", "主奴"),
    "minors": ("中学生",),
    "violence": ("砍杀", "捅伤", "刺伤", "虐杀", "头破血流", "血流满面", "暴揍", "群殴", "杀害", "痛打"),
    "weapons": ("砍人", "捅人", "人肉炸弹", "拿刀威胁", "用刀威胁", "刀抵"),
    "self_harm": ("自尽", "寻短见", "了结生命", "催吐", "自我伤害", "烫自己"),
    "hate": ("黑鬼", "支那", "死基佬", "同性恋是病"),
    "drugs": ("K粉", "k粉", "麻古"),
    "political_endorsement": ("投他一票", "投她一票", "请投票给"),
    "deceptive": ("被警方带走", "被拘留"),
    "stalking": ("人肉搜索", "尾随", "监视她", "监视他"),
    "scams": ("拉人头", "资金盘"),
    "medical": ("抗癌神", "替代化疗", "不用看医生", "疫苗有毒"),
}
_PATTERNS_P9 = {
    "minors": (
        r"\b(?:ado|ados|adolescentes?|collegiennes?|lyceennes?)\b" + _g(3) + r"(?:sexy|lingerie|sous vetements|nue?s?|suggestive?|aguicheuse?|provocante?)\b",
    ),
    "political_endorsement": (
        r"\bvotez pour (?:le|la|les|notre) (?:candidat|candidate|liste|parti)\b",
        r"\bwahlt (?:die|den|unsere?n?) (?:kandidat|partei|liste)[a-z]*",
        r"\bvota (?:a|al) (?:los|el|la) (?:socialistas|conservadores|verdes|partido|candidat[oa])\b",
    ),
}

# Appended, in this order, to the lists of ``terms.base`` (see ``terms.__init__``).
ADDITIONS: tuple[tuple[str, dict], ...] = (
    ("terms", _MORE_TERMS_2),
    ("cjk", _CJK_P1),
    ("patterns", _MORE_PATTERNS_2),
    ("terms", _TERMS_P2),
    ("cjk", _CJK_P3),
    ("patterns", _PATTERNS_P4),
    ("patterns", _PATTERNS_P5),
    ("cjk", _CJK_P6),
    ("terms", _TERMS_P7),
    ("cjk", _CJK_P8),
    ("patterns", _PATTERNS_P9),
)
