"""Phrases in which a listed term is innocent: masked before the category terms are matched."""
from __future__ import annotations

# Chinese phrases in which a listed term is innocent (a neutral civic notice, a nude colour, loyalty
# points that double): removed first.
CJK_EXCEPTIONS: tuple[str, ...] = (
    "不涉及任何政党", "不涉及政党", "无党派", "不分党派", "非党派", "与政党无关", "裸色", "积分翻倍",
    # an everyday sense of a listed term (issue-9d): a bundle deal, parcel tracking, a cocktail, make-up,
    # the naked eye, prevention and anti-drug campaigns, a party game, a hiring ad, a foot massage,
    # a "calorie bomb", a neutral turnout notice
    "捆绑销售", "捆绑套餐", "捆绑优惠", "物流跟踪", "快递跟踪", "订单跟踪", "跟踪物流", "跟踪快递", "跟踪订单", "跟踪包裹",
    "包裹跟踪", "进度跟踪", "跟踪进度", "睡眠跟踪", "健康跟踪", "运动跟踪", "跟踪睡眠", "跟踪运动", "血腥玛丽", "裸妆", "裸眼", "裸辞",
    "裸粉", "预防自杀", "自杀预防", "防止自杀", "自杀干预", "防自杀", "远离毒品", "拒绝毒品", "反毒品", "禁毒", "毒品预防",
    "预防毒品", "杀人游戏", "狼人杀", "候选人面试", "面试候选人", "求职候选人", "职位候选人", "岗位候选人", "优秀候选人", "脚底按摩",
    "按摩脚底", "足底按摩", "卡路里炸弹", "热量炸弹", "水果炸弹", "炸弹造型", "果汁炸弹", "浴盐炸弹", "沐浴炸弹",
    # the scr-advice round: stopping a medicine as the occasion to ask a doctor first ("停药之前请先咨询医生");
    # "停药" elsewhere in the brief still matches
    *(f"停药{before}{please}{ask}" for before in ("之前", "以前", "前") for please in ("请先", "先", "请", "")
      for ask in ("咨询", "询问", "问问", "请教")),
)

# Idioms and brand names in which a listed term is innocent; they are masked before the category
# terms are matched (a party's own blocked words still see them).
CATEGORY_TERM_EXCEPTIONS: tuple[str, ...] = (
    "riding shotgun", "shotgun wedding", "gore tex", "goretex", "bleeding edge", "killing it", "dressed to kill",
    "kill switch", "kid gloves", "kid leather", "tory burch", "photo shoot", "sex pistols", "breaking news of our",
    "ecstasy of", "pure ecstasy",
    # neutral civic notices, prevention campaigns, figures of speech, words of other languages
    "suicide prevention", "suicide awareness", "suicide hotline", "sex education", "going to the moon", "trip to the moon",
    "flight to the moon", "mission to the moon", "rocket to the moon", "over the moon", "cocina", "de cocina",
    # a colour, a make-up shade, a prank, a figure of speech, a neutral notice
    "nude colour", "nude coloured", "nude color", "nude colored", "nude tone", "nude toned", "nude shade",
    "nude lipstick", "nude lip", "nude lips", "nude heel", "nude heels", "nude pumps", "nude palette", "nude nail",
    "nude nails", "nude beige", "nude makeup", "nude make up", "color nude", "couleur nude", "levres nude", "no gore", "without gore", "hidden camera prank",
    "murdering his set", "murdering her set", "murdered his set", "murdered her set", "murdered it", "sans parti",
    "sin partido", "ohne partei", "no party", "non partisan", "nonpartisan",
    # the scr-advice round: a health service ("a sexual health test", "santé sexuelle", "salud sexual")
    "sexual health", "sexuelle gesundheit", "sante sexuelle", "salud sexual",
    "education sexuelle", "sexuelle aufklarung", "educacion sexual", "assassins creed",
    # issue-9d: a product or place for children (not a child in the scene), a cleaning claim, a tool
    *(f"{kid} {thing}" for kid in ("childrens", "kids", "kid", "childs") for thing in (
        "toy", "toys", "book", "books", "menu", "museum", "library", "hospital", "charity", "toothpaste",
        "toothbrush", "cartoon", "cartoons", "tv", "television", "vitamins", "cereal", "playground equipment")),
    *(f"{verb} {what}" for verb in ("kills", "kill", "killing") for what in (
        "germs", "bacteria", "99", "mosquitoes", "mosquitos", "bugs", "weeds", "pests", "odours", "odors", "viruses")),
    "paint stripper", "wallpaper stripper", "varnish stripper", "wire stripper", "no nudity", "without nudity",
    # issue-9e: "kills it" of a performance ("kills it on stage", "killed it at the final", "kills it from downtown")
    *(f"{verb} it {prep}" for verb in ("kill", "kills", "killed") for prep in ("on", "at", "from", "in", "every")),
    # issue-9e: prevention campaigns in German, French and Spanish, as "suicide prevention" and 禁毒 above
    "prevention du suicide", "prevention suicide", "prevencion del suicidio", "prevencion de suicidio", "suizidpravention",
    "suizid pravention", "gegen drogen", "contre la drogue", "contre les drogues", "contra las drogas", "contra la droga",
    "anti drogue", "antidrogas", "anti drogas",
    # French "ballon" (a ball) is one letter from "baillon" (a gag): read as a misspelling once the elided
    # article no longer hid the child beside it ("l'enfant qui joue au ballon")
    "ballon",
    # the scr-round13 round: an Aperol spritz is a drink (one letter from German "spritzt", injects)
    "spritz", "spritzes", "aperol spritz",
    # a suitcase (German "Koffer", one letter from "Kiffer"), a price-cutter, a road-safety slogan
    "koffer", "asesino de precios", "asesinos de precios", "speed kills",
    # the scr-es round: a punching bag ("sac de frappe" read "frappee", struck), and bare feet in the sand of a
    # beach or a sandal advert (a close-up of feet in the sand is no fixation on them)
    "sac de frappe", "sacs de frappe", "saco de boxeo", "punching ball",
    "pieds dans le sable", "pies en la arena", "feet in the sand", "fusse im sand", "orteils dans le sable", "dedos en la arena",
    # a fraud warning that quotes the scammer's promise ("if it promises guaranteed returns, it is a scam",
    # "méfiez-vous des placements qui promettent des gains garantis"): the promise as the object of a warning
    *(f"{lead} {what}" for lead in (
        *(f"if {who} {verb}" for who in ("it", "an investment", "an offer", "a deal", "a scheme", "anyone", "someone", "they", "a stranger")
          for verb in ("promises", "promise", "offers", "offer")),
        "beware of", "never trust", "dont trust", "don t trust")
      for what in ("guaranteed returns", "guaranteed profits", "guaranteed gains", "guaranteed profit", "guaranteed return")),
    *(f"{lead} {what}" for lead in (
        *(f"mefiez vous des {x} qui promettent" for x in ("placements", "offres", "investissements", "annonces", "promesses", "sites", "appels")),
        "si on vous promet", "si un placement promet", "si une offre promet", "si quelqu un vous promet")
      for what in ("des gains garantis", "des rendements garantis", "un rendement garanti", "des profits garantis")),
    *(f"{lead} {what}" for lead in (
        *(f"desconfia de {x} que prometen" for x in ("las inversiones", "las ofertas", "los anuncios", "las promesas", "inversiones", "ofertas")),
        "si te prometen", "si una inversion promete", "si una oferta promete", "si alguien te promete")
      for what in ("ganancias garantizadas", "rentabilidad garantizada", "beneficios garantizados", "rendimientos garantizados")),
)

# Food-heat hyperbole (issue-9f): "this one will kill you", "the heat could kill you", "it kills you" said
# of a dish is masked when the brief is about hot food (``FOOD_HEAT_CONTEXTS``). The subject must be a
# thing, never a person ("I will kill you", "he'll kill you" still refuse), and any other violent
# word in the brief still matches.
FOOD_HEAT_CONTEXTS: frozenset[str] = frozenset({
    "sauce", "sauces", "hot sauce", "chilli", "chillies", "chili", "chilis", "chile", "pepper", "peppers",
    "spicy", "spiciest", "spice", "heat", "scoville", "jalapeno", "habanero", "ghost pepper", "reaper",
    "wings", "curry", "vindaloo", "salsa", "sriracha", "wasabi", "bite", "noodles", "ramen", "taco", "tacos",
})
FOOD_HEAT_KILL_RE = (
    r"\b(?:it|this|that|this one|that one|these|those|the (?:sauce|heat|pepper|peppers|chilli|chili|wings|curry|salsa)"
    r"|this (?:[a-z]+ )?(?:sauce|pepper|chilli|chili|curry|salsa)|these wings)"
    r" (?:(?:will|ll|could|might|may|would|can|is gonna|is going to|gonna|going to) )?(?:kill|kills) you\b"
)


# A notice that says it takes no side. The heads' middling reading of such a brief as political
# endorsement is lifted where the lexicon found no political term (``lexicon.nonpartisan_notice``,
# ``NONPARTISAN_BAR``): 126 briefs of the training and dev sets carry one of these words, every one of
# them benign; a "nonpartisan" call to vote for someone is still refused by the lexicon's phrases
# ("vote for", a party's name) and by a head that is sure.
NONPARTISAN_CUES: tuple[str, ...] = (
    "nonpartisan", "non partisan", "non partisane", "non partisans", "uberparteilich", "uberparteiliche",
    "uberparteilicher", "uberparteiliches", "parteiunabhangig", "parteiunabhangige", "apartidista", "apartidistas",
    "no partidista", "no partidistas", "sin partido", "sans parti", "ohne partei", "no party",
)
NONPARTISAN_CUES_CJK: tuple[str, ...] = ("无党派", "不分党派", "无关党派", "不涉及党派")


# An awareness frame (the tenth session): the harm a public-service brief campaigns against is named
# as the object of "against", "anti", "stop", "prevention of", "gegen", "contre", "contra" ("a stop
# stalking campaign", "Kampagne gegen Rassismus", "contre le harcèlement", "contra el acoso") or
# before "awareness", "prevention", "helpline" ("bullying awareness week"): that naming is not the
# brief's content, so those words are masked before the category terms are matched. Only harms are
# listed, never a group of people ("a campaign against <a group>" is hate and still matches), and
# a run of masked words must hold one of AWARENESS_HARMS (modifiers alone are never masked);
# everything else in the brief is matched as before ("an anti-drug video showing him snorting
# cocaine" still matches "snorting cocaine"), and the classifier heads read the whole brief.
AWARENESS_BEFORE: frozenset[str] = frozenset(
    "anti against stop stopping prevent preventing prevention end ending fight fighting combat combating combatting "
    "tackle tackling gegen contre contra lutte luchar "
    # the scr-es round: a notice that asks to report or reverse the harm, or says what to do on witnessing it
    # ("report racist abuse", "reverse an opioid overdose", "si oyes insultos racistas, avisa")
    "report reporting denuncia denuncie denunciar signaler signalez melden meldet reverse reverses reversing "
    "oyes presencias voyez entendez temoin witness "
    # the scr-round13 round: "the risks of fentanyl", "a warning about fake news", "Aufklärung über Fake News"
    "risks risk dangers danger warning warnings warn warns debunking debunk debunks aufklarung".split()
)
# "no" only as "no to" ("say no to racism", "Nein zu Rassismus", "non au racisme", "no al racismo"): "no fake
# news here, he really was arrested" is no campaign
AWARENESS_NO: frozenset[str] = frozenset("no nein non".split())
AWARENESS_NO_TO: frozenset[str] = frozenset("to zu au aux a al".split())
AWARENESS_AFTER: frozenset[str] = frozenset(
    "awareness prevention helpline helplines hotline hotlines pravention praventionskampagne aufklarung "
    "sensibilisation prevencion concienciacion "
    # the scr-round13 round: "a hate crime reporting campaign", "a self-harm support leaflet"
    "reporting support".split()
)
AWARENESS_SKIP: frozenset[str] = frozenset("the of to on la le les l el los las de del des du die der den a an au aux al zu about uber".split())
AWARENESS_MODIFIERS: frozenset[str] = frozenset(
    "domestic sexual gun knife drunk online school child gender racial cyber drug hausliche sexuelle "
    "conjugales scolaire sexuel sexuelles genero machista escolar sexual "
    "racist racistes raciste racistas racista rassistische rassistischen opioid opioids opiate opioides opioide "
    # the scr-round13 round
    "self fake pyramid miracle".split()
)
AWARENESS_HARMS: frozenset[str] = frozenset(
    # English
    "bullying cyberbullying racism harassment violence drug drugs gun guns knife knives scams scam fraud frauds suicide overdose overdoses "
    "stalking abuse hate hatred extremism radicalisation radicalization trafficking grooming misinformation "
    "disinformation deepfakes phishing addiction smoking vaping driving crime assault discrimination homophobia "
    "antisemitism islamophobia xenophobia fentanyl harm news schemes scheme cures "
    # German
    "mobbing cybermobbing rassismus gewalt drogen sucht betrug hass hetze suizid missbrauch diskriminierung "
    "rechtsextremismus antisemitismus "
    # French
    "harcelement cyberharcelement racisme violences drogue drogues arnaque arnaques fraude haine toxicomanie "
    "homophobie "
    # Spanish
    "acoso ciberacoso racismo violencia droga drogas estafa estafas odio suicidio adiccion discriminacion "
    "homofobia "
    # the scr-es round: insults (racist insults reported at a stadium)
    "insults insultes insultos beleidigungen".split()
)
# The same frame in Chinese: removed from the Chinese text as CJK_EXCEPTIONS are.
AWARENESS_CJK: tuple[str, ...] = (
    "反诈骗", "防诈骗", "反电信诈骗", "防范诈骗", "反诈", "防骗", "反霸凌", "反校园霸凌", "防霸凌", "防止霸凌", "反欺凌",
    "反校园欺凌", "防止欺凌", "反对种族主义", "反种族主义", "反种族歧视", "反对种族歧视", "反对歧视", "反歧视", "反家暴", "反家庭暴力",
    "反对家庭暴力", "反暴力", "防跟踪", "反跟踪", "防性骚扰", "反性骚扰", "反对性骚扰", "反仇恨", "反网络暴力", "反对网络暴力",
)


# A footwear or foot-care advert (the scr-round13 round): a close-up of the feet in a shoe, sock or
# sandal advert ("Sock brand: close-up of the talent's feet in striped socks", "gros plan sur les pieds
# en baskets", "Nahaufnahme der Füße in Turnschuhen") shows the product, not a fixation. Where the
# brief names footwear or foot care (``FOOTWEAR_CONTEXTS``, ``FOOTWEAR_PHRASES``, or a word holding
# one of ``FOOTWEAR_STEMS``: "Schuhwerbung") and no word of fixation (``FIXATION_PREFIXES``,
# ``FIXATION_WORDS``: "licking", "soles", "foot fans", "lingering", "bare"), a fetish phrase
# pattern's match that holds a close-up word (``CLOSE_UP_WORDS``) is not evidence; every other fetish
# term and pattern still matches, and the heads read the brief as before.
FOOTWEAR_CONTEXTS: frozenset[str] = frozenset(
    "shoe shoes sneaker sneakers trainer trainers sandal sandals sock socks boot boots slippers footwear loafers "
    "espadrilles flipflops pedicure pedicures chaussure chaussures baskets sandales chaussettes bottes bottines "
    "escarpins chaussons pedicurie zapato zapatos zapatilla zapatillas sandalias calcetines botas tacones pedicura "
    "turnschuhe socken stiefel sandalen pedikure".split()
)
FOOTWEAR_PHRASES: tuple[str, ...] = (
    "high heels", "foot cream", "foot care", "foot balm", "creme pour les pieds", "crema de pies", "crema para pies",
    "nail polish", "flip flops", "flip flop",
)
FOOTWEAR_STEMS: tuple[str, ...] = ("schuh", "socke", "sandal", "sneaker", "chaussur", "chaussett", "zapat", "calcetin", "fusscreme")
FIXATION_PREFIXES: tuple[str, ...] = (
    "sole", "toe", "lick", "suck", "sniff", "smell", "worship", "tickl", "fetish", "fetisch", "fetich", "lover", "linger",
    "sensual", "sexy", "seductiv", "dangl", "wiggl", "trampl", "crush", "sweat", "stink", "dirty", "kiss", "chup", "leck",
    "riech", "renifl", "orteil", "zeh", "sohle", "kink", "fixat", "obsess", "caress", "strok", "nylon", "stocking",
    "pantyhose", "descalz", "nackt",
)
FIXATION_WORDS: frozenset[str] = frozenset(
    "fan fans arch arches slowly lame lamer lamiendo lechant lecher lechent tights bare naked nus nues nu dedos plantes "
    "plantas".split()
)
CLOSE_UP_WORDS: tuple[str, ...] = (
    "close up", "closeup", "close ups", "closeups", "gros plan", "plan serre", "nahaufnahme", "grossaufnahme", "primer plano",
    "primerisimo plano", "primeros planos",
)
