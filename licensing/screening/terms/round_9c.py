"""The issue-9c round's additions (terms, Chinese terms, phrase patterns)."""
from __future__ import annotations

from ._util import _g

# ------------------------------------------------------------------------------------------------
# The issue-9c round: the everyday words of each category in the languages of the market (German,
# French, Spanish, Chinese) that the lists above lacked, euphemisms that have one meaning in a
# brief, and misspelled or reordered forms of the English phrases. Written from the category
# definitions (translations and slang of what each definition names), not from any evaluation set.
# ------------------------------------------------------------------------------------------------
_MORE_TERMS: dict[str, str] = {
    "sexual": """
        clothing optional|clothes optional|in the buff|au naturel|wearing only a smile|birthday outfit|getting intimate|gets intimate|sex act|sex acts|
        splitternackt|entblosst|sexvideo|sexszene|sexszenen|nacktfotos|nacktbilder|seins a l air|toute nue|tout nu|
        scene erotique|video porno|ebats|completamente desnuda|completamente desnudo|en pelotas|escena erotica|
        sin nada de ropa|
    """,
    "fetish": """
        feet pics|foot pics|feet pictures|foot job|footjob|dominatrice|baillonne|baillonnee|amordazado|amordazada|
        geknebelt|fusserotik|tied to the bed|
    """,
    "minors": """
        schulkind|schulkinder|grundschulerin|grundschuler|collegien|colegiala|
        first grader|third grader|fourth grader|fifth grader|fourth graders|fifth graders|
    """,
    "violence": """
        totgeschlagen|erschlagen|erwurgt|niedergestochen|zusammengetreten|erstochen|roue de coups|passe a tabac|
        battu a mort|battue a mort|frappe a mort|poignardee|egorge|hasta la muerte|a golpes|lo matan|la matan|
        beaten bloody|beat bloody|left for dead|stomping on his head|stomping on her head|stamping on his head|
        stamping on her head|
    """,
    "weapons": """
        sawn off shotgun|sawed off shotgun|opens fire on|opening fire on|opened fire on|open fire on|held up at gunpoint|
        holds up at gunpoint|shoots at pedestrians|shooting at pedestrians|shoots into the crowd|fires into the crowd|
        tire sur la foule|dispara contra|disparando contra|
    """,
    "self_harm": """
        end her own life|end his own life|end their own life|take her life|take his life|take their own life|
        ends her life|ends his life|end my life|kill herself|slits her wrists|slits his wrists|log off for good|
        hang themselves|leben beenden|ihr leben beenden|sein leben beenden|pulsadern|aufschneiden|
        sich umbringen|sich erhangen|met fin a ses jours|mettre fin a ses jours|met fin a sa vie|se taillade|
        se tailler les veines|s ouvrir les veines|se pendre|se tuer|quitarse la vida|se quita la vida|
        cortarse las venas|se corta las venas|ahorcarse|se ahorca|se hace cortes|acabar con su vida|
    """,
    "hate": """
        hakenkreuz|hakenkreuzfahne|croix gammee|croix gammees|salut hitlerien|esvastica|esvasticas|cruz gamada|
        blood and soil|white pride|monkey noises|monkey chants|juden raus|sale juif|sale arabe|negro de mierda|
    """,
    "drugs": """
        getting stoned|getting baked|got baked|getting blazed|lines of white powder|line of white powder|
        smoking weed|smokes weed|fuma crack|fumando crack|se shoote|esnifando|esnifar|
        drogendealer|koksen|koks ziehen|line koks|ecstasy pillen|
    """,
    "political_endorsement": """
        vote for the candidate|vote for the senator|vote for the governor|vote for the mayor|the party s candidate|
        party s nominee|ballot for the|
        elect him as|elect her as|appelle a voter|candidat du parti|pide el voto|candidato a la alcaldia|
        candidata a la alcaldia|apoya al candidato|apoya a la candidata|
    """,
    "deceptive": """
        fake headline|fake arrest|fake mugshot|fake obituary|faux reportage|fausse video|fausse interview|
        faux interview|fausse declaration|faux aveux|noticia falsa|noticias falsas|video falso|entrevista falsa|
        declaracion falsa|gefalschtes interview|gefalschtes video|falschmeldung|festgenommen wegen|
    """,
    "stalking": """
        adresse exacte|son domicile|direccion exacta|la direccion de su casa|heimlich verfolgt|heimlich gefilmt|gate code|
    """,
    "scams": """
        garantierte rendite|garantierter gewinn|garantierte gewinne|schnell reich|rendement garanti|
        gains garantis|profit garanti|devenir riche|devenez riche|hazte rico|hazte rica|ganancias garantizadas|
        rentabilidad garantizada|dinero facil|never had a losing|risk free returns|
        rug pull|ponzi|
    """,
    "medical": """
        soigne tout|guerit tout|cura todo|lo cura todo|heilt alles|arretez vos medicaments|arretez votre traitement|
        deja tus medicamentos|deja tu tratamiento|medikamente ab|ersetzen die chemotherapie|remplace la chimiotherapie|
        reemplaza la quimioterapia|shrinks tumours|shrinks tumors|cures autism|detoxes autism|
    """,
}

_MORE_CJK: dict[str, tuple[str, ...]] = {
    "sexual": ("一丝不挂", "光着身子", "床戏", "脱掉衣服", "赤身"),
    "fetish": ("脚丫特写", "舔脚", "闻脚", "足控", "塞着口球"),
    "minors": ("初中", "小学", "幼儿"),
    "violence": ("围殴", "掐住脖子", "掐死", "勒死", "打死", "刺死", "毒打"),
    "weapons": ("扫射", "枪口对准", "拿枪对准", "刀架在", "持枪", "拿刀捅"),
    "self_harm": ("结束生命", "结束自己的生命", "一整瓶安眠药", "吞药", "寻死", "不想活"),
    "hate": ("卐", "劣等", "滚回"),
    "drugs": ("白粉", "嗑药", "吸食", "毒品", "毒贩"),
    "political_endorsement": ("支持这位候选人", "为某政党"),
    "deceptive": ("假的新闻", "捏造", "假认罪"),
    "stalking": ("家庭住址", "详细地址", "家的地址", "偷偷跟踪"),
    "scams": ("涨十倍", "十倍收益", "稳赚", "躺赚", "保本高收益", "一夜暴富", "保证每月"),
    "medical": ("不用吃药", "别打疫苗", "不要打疫苗", "治好癌症", "治好糖尿病", "根治", "能防病"),
}

# Chinese phrases in which a listed term is innocent (a neutral civic notice, a nude colour, loyalty
# points that double): removed first.

_MORE_PATTERNS: dict[str, tuple[str, ...]] = {
    "sexual": (
        r"\bzieht sich\b" + _g(4) + r"aus\b",
        r"\bse quita\b" + _g(3) + r"ropa\b|\bquitandose la ropa\b",
        r"\bstrips? (?:down|off)\b(?! (?:the|a|old|wallpaper|paint))",
        r"\bsleep(?:s|ing)? together\b" + _g(2) + r"(?:on camera|filmed|in full)|\bhaving intercourse\b",
    ),
    "fetish": (
        r"\bplantes? (?:de |des )?(?:ses |leurs |mes )?pieds\b",
        r"\batad[oa]s? con cuerdas\b",
        r"\b(?:licking|sniffing|kissing|sucking) (?:and (?:licking|sniffing|kissing|sucking) )?(?:her|his|their) (?:bare )?(?:feet|toes|soles)\b",
    ),
    "violence": (
        r"\b(?:cracking|breaking|smashing|shattering) (?:her|his|their|the talent s) (?:ribs|jaw|skull|teeth|nose)\b",
        r"\bsmash(?:es|ed|ing)? (?:her|his|their) (?:head|face) (?:into|against|on)\b",
        r"\b(?:jusqu ?au sang|battu[es]? a mort)\b",
        r"\b(?:golpean|golpearon|apunalan)\b",
        r"\b(?:taught|teach|teaches|teaching|gets taught) (?:him |her |them |the [a-z]+ )?a (?:painful |brutal |hard |bloody )?lesson\b" + _g(6) + r"(?:fists|boots|kicks|bat|crowbar|tyre iron|tire iron|pipe|beating)\b",
        r"\b(?:totgeschlag|erschlag|erwurg|niedergestoch|zusammengetret|poignard)[a-z]*",
    ),
    "weapons": (
        r"\b(?:messer|klinge|pistole|waffe) an (?:die|seine|ihre|der) kehle\b",
        r"\bziel(?:t|en)\b" + _g(3) + r"(?:gewehr|pistole|waffe)\b",
        r"\bschiess(?:t|en) auf (?:passanten|menschen|leute|die menge|kunden)\b",
        r"\bmenace\b" + _g(4) + r"(?:couteau|pistolet|arme|fusil)\b",
        r"\btire (?:sur|dans) (?:la foule|les gens|les passants|des gens|les clients)\b",
        r"\b(?:shoots?|shooting|fires?|firing) (?:at|into|on) (?:the )?(?:pedestrians|people|shoppers|crowd|passers by|diners|students)\b",
        r"\b(?:barrel|muzzle) of (?:a|the|his|her) (?:gun|handgun|pistol|rifle|shotgun)\b" + _g(2) + r"(?:against|at|to)\b",
        r"\b(?:gun|pistol|handgun|revolver|knife)\b" + _g(2) + r"(?:under|against) (?:her|his|their|the) (?:chin|head|temple|forehead|throat|neck)\b",
    ),
    "self_harm": (
        r"\bcut+(?:s|ing|in)? (?:her|him|them|my|your)s[a-z]{0,3}(?:f|ves)\b",
        r"\bslit+(?:s|ing)? (?:her|his|their|my) (?:own )?w?rists?\b",
        r"\bcuts? (?:along|on|across|into) (?:her|his|their) (?:fore)?(?:arms?|wrists?|thighs?)\b",
        r"\bswallow(?:s|ing|ed)? (?:a |the )?(?:whole )?(?:handful|bottle|box|packet) of (?:sleeping )?(?:pills|tablets)\b",
        r"\bledge of (?:a|the) (?:tall |high )?(?:tower|bridge|roof|rooftop|building|cliff|balcony)\b",
        r"\b(?:presses|pressing|stubs|stubbing) (?:a )?(?:lit )?cigarettes? (?:into|on|out on) (?:her|his|their) (?:own )?(?:arm|skin|hand|leg)\b",
        r"\bschneidet sich\b" + _g(4) + r"(?:arme|pulsadern|handgelenke)\b|\bvon einer brucke sturzen\b",
        r"\btaillad[a-z]*|\bse hace cortes\b|\bquitarse la vida\b",
    ),
    "hate": (
        r"\b(?:calls?|calling|shouts?|shouting|yells?|yelling|hurls?|hurling|screams?|screaming)\b" + _g(4) + r"(?:slurs?|racial abuse)\b",
        r"\b(?:jews|muslims|immigrants|blacks|gays)\b" + _g(3) + r"(?:run the|control the|should be (?:driven|thrown|kicked|wiped))\b",
        r"\b(?:hakenkreuz|esvastic|croix gamm)[a-z]*",
    ),
    "drugs": (
        r"\bsnort(?:s|ing|ed)? it (?:up|through|off)\b|\bse pique (?:a |avec )?(?:de )?l? ?heroine\b",
        r"\b(?:inject|injects|injecting|injected) (?:heroin|drugs|meth|it into)\b",
        r"\bbags? of (?:coke|blow|snow|molly|pills)\b|\bbaggie of (?:snow|coke|blow|powder|pills)\b",
        r"\b(?:drops?|dropping|popping|pops) (?:molly|mdma|acid|tabs)\b",
        r"\bzieht (?:eine |ne )?line\b|\bsniff[a-z]* (?:de la |la )?(?:coke|cocaine)\b",
    ),
    "political_endorsement": (
        r"\b(?:vote|voting|votes) for\b" + _g(2) + r"(?:nominee|candidate|candidat|canidate|candiate|senater|senator|govenor|governer)\b",
        r"\b(?:endors[a-z]*|campaign(?:s|ing)? for) (?:the |our |a )?(?:[a-z]+ )?(?:candidate|canidate|candiate|candidat|nominee)\b(?! for (?:the )?(?:job|role|position))",
        r"\bkeep (?:the )?(?:current )?(?:mayor|governor|senator|president|prime minister) in office\b",
        r"\b(?:cast|casting) (?:their|your|a|his|her|my|our) (?:ballot|vote) for\b",
        r"\b(?:conservatives|democrats|republicans|labour|liberals|greens|the party)\b" + _g(2) + r"deserves? (?:your|their|our) votes?\b",
        r"\belect\b" + _g(2) + r"for (?:governor|mayor|senate|president|congress|parliament)\b",
        r"\bwirbt fur (?:den|die) (?:kandidat|partei)[a-z]*|\bapoya (?:al|a la) candidat[oa]\b|\bappelle\b" + _g(3) + r"a voter\b",
    ),
    "deceptive": (
        r"\b(?:faux|fausse|fausses) (?:video|reportage|interview|declaration|aveux|journal|article|communique|nouvelle)\b",
        r"\b(?:video|noticia|entrevista|declaracion|confesion|comunicado)s? falsa?s?\b",
        r"\bgefalscht(?:e|es|en|er)? (?:interview|video|gestandnis|zitat|statement|nachricht|meldung)\b",
        r"\b(?:avoue|confiesa|gesteht|zugibt)\b",
        r"\b(?:made|meant|designed) to (?:seem|appear|look) (?:genuine|real|authentic|official)\b|\bpresented as real\b|\blooking official\b",
        r"\b(?:pleads?|pleading) guilty\b",
    ),
    "stalking": (
        r"\b(?:filmer|filme|filmee|suivre|suit|espionner|seguir|filmar)\b" + _g(3) + r"(?:en cachette|a escondidas)\b",
        r"\bseguir(?:la|lo|los|las)?\b" + _g(3) + r"hasta su casa\b|\bsuivre\b" + _g(2) + r"jusqu ?a (?:chez (?:elle|lui)|son domicile)\b",
        r"\b(?:tail|tails|tailed|tailing) (?:her|him|them|the talent|the singer)\b",
        r"\b(?:full|exact|private|real|actual) (?:home )?address\b",
        r"\b(?:filmed|filming|photographed|watched|shot) without (?:her|him|them) knowing\b",
        r"\blong ?lens\b" + _g(4) + r"(?:garden|window|home|house|bedroom|balcony|over the fence)\b",
    ),
    "scams": (
        r"\b(?:wirst|werden|wird)\b" + _g(5) + r"reich\b",
        r"\b(?:send|wire|deposit|transfer)\b" + _g(3) + r"(?:get|receive)\b" + _g(2) + r"(?:back|double|twice)\b",
        r"\b(?:zero|no) risk\b" + _g(3) + r"(?:profit|profits|returns|income|gains)\b|\bpassive income\b" + _g(3) + r"(?:risk|guaranteed|friends)\b",
        r"\b(?:goes|go|will go|going) \d{2,4}x\b|\b\d{2,4}x (?:gains|returns)\b",
        r"\b(?:guaranteed|guarantee|garanteed|guarnteed)\b" + _g(2) + r"(?:profit|profits|returns|income|gains)\b",
        r"\bmillionaire by\b",
        r"\b(?:doublez|doublez|doubler|double|doubles|duplica|duplicar|verdoppel[a-z]*) (?:votre|ton|ta|vos|your|tu|su|sus|dein|deine|ihr) (?:argent|dinero|money|geld|epargne|ahorros|savings|crypto|bitcoin)\b",
    ),
    "medical": (
        r"\b(?:stop|stopping|quit|skip|throw out|ditch|dump|bin|drop) (?:your |their |the )?(?:insulin|chemotherapy|chemo|medication|medicine|meds|pills|vaccines|therapist and pills|antidepressants)\b",
        r"\b(?:arretez|arrete|arreter) (?:vos|tes|ses|votre|ton|son) (?:medicaments|traitement|insuline|chimio)\b",
        r"\b(?:deja|dejar|abandona) (?:tus|sus|su|tu) (?:medicamentos|medicinas|tratamiento|insulina|quimio)\b",
        r"\bcura (?:la diabetes|el cancer|el autismo|la depresion)\b|\bersetz[a-z]* (?:die |deine )?chemo",
        r"\b(?:got rid of|cleared|shrank|shrinks|dissolved) (?:her|his|my|their|your)? ?(?:tumou?r|cancer|diabetes)\b",
        r"\b(?:immune to|never get sick|protects? you better than) (?:every|all|any)? ?(?:virus|viruses|disease|vaccines)\b",
    ),
}


# Appended, in this order, to the lists of ``terms.base`` (see ``terms.__init__``).
ADDITIONS: tuple[tuple[str, dict], ...] = (
    ("terms", _MORE_TERMS),
    ("cjk", _MORE_CJK),
    ("patterns", _MORE_PATTERNS),
)
