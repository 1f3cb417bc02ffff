"""The scr-recall round's additions (the twelfth session), after dev_12's first measurement: slang
families of Spanish (Mexican, Argentine, Spain's), French (verlan, Québécois), German and English
street words for drugs, guns and knives, slurs and self-harm, each written as the family (the
word's inflections, its synonyms in the same register), not one brief's wording. A word that has an
everyday sense ("costo", "cristal", "fierro", "pot", "strap", "heater", "plug", "gras") is left to
the phrase patterns, where only the harmful use matches (a gun pulled on or put to someone, a joint
smoked), and to the gloss view (``gloss_words``), which gives the heads its English sense."""
from __future__ import annotations

from ._util import _g

# gun and knife words, street and standard, that patterns below pair with an act on a person
_GUN_ES = r"(?:fierro|fusca|cuete|chumbo|pistola|arma|revolver|escopeta|recortada|cuerno de chivo|cuernos de chivo|pipa)"
_GUN_FR = r"(?:flingue|calibre|gun|pistolet|arme|fusil|kalach|kalash|kalachnikov|petoire|feu|glock)"
_GUN_EN = r"(?:strap|piece|blicky|glizzy|burner|gat|draco|gun|pistol|glock)"
_GUN_DE = r"(?:knarre|wumme|pistole|waffe|kanone|puste|messer|springmesser|klappmesser|butterflymesser)"
_TARGET_FR = (
    r"(?:(?:le |la |les |l |un |une |des |son |sa |ses |leur )?(?:videur|gars|mecs?|keufs?|flics?|vigile|caissiere?|voisine?|femme|mari|"
    r"copine|copain|passants|foule|prof|eleves|clients?|tete|tempe|voiture|bagnole|police|rivaux|gens|cite)|lui|elle|eux)"
)
# a dealer, not the socket ("a bag from the plug socket", "the plug in the wall")
_NOT_A_SOCKET = r"(?! (?:socket|sockets|point|points|adapter|adapters|adaptor|adaptors|outlet|outlets|board|in|into|hole|of)\b)"
_PEOPLE_ES = (
    r"(?:inmigrantes|judios|musulmanes|negros|extranjeros|gitanos|moros|gays|homosexuales|sudacas|latinos|indios|"
    r"indigenas|chinos|bolivianos|paraguayos|peruanos|venezolanos|colombianos|mexicanos|haitianos|africanos|arabes|"
    r"bolitas|paraguas|panchitos|negratas|maricones|travelos|trans)"
)
_INSULT_ES = r"(?:flojos|vagos|sucios|salvajes|inferiores|animales|cerdos|parasitos|una plaga|ratas|basura|escoria|monos|simios|cucarachas)"
_PEOPLE_FR = (
    r"(?:juifs|feujs|youpins|musulmans|immigres|arabes|rebeus|beurs|noirs|renois|etrangers|migrants|gitans|roms|"
    r"homosexuels|gays|asiatiques|chinois|africains|maghrebins|reufs)"
)

# terms of several words, and words under six letters (the lexicon's misspelling rule reads a
# term of six letters or more at one edit: "vertickt" would match "verdickt", "schlass" "schloss")
_TERMS_12 = {
    "drugs": """
        yayo|yeyo|frula|bedo|bedos|pochon de beuh|purple drank|ice pipe|meth pipe|tina pipe|pipa de cristal|pipa de crack|
        special brownies|magic brownies|pot brownies|weed brownies|space cake|space cakes|acid tabs|
    """,
    "weapons": "cuerno de chivo|cuernos de chivo|fusca|baleo|",
    "hate": "sand nigger|sand niggers|globalist bankers|globalist banker|",
    "self_harm": "ana coach|",
    "violence": "sleeps with the fishes|sleep with the fishes|sleeping with the fishes|",
}

# single words of six letters or more, matched exactly (a phrase pattern: no misspelling reading)
_EXACT_12 = {
    "drugs": r"\b(?:pirulas?|tachitas?|narcomenudeo|narcomenudistas?|teuchi|teushi|verticken|vertickt|vertickst|vertickte|"
             r"speedballs?|sizzurp|xannies)\b",
    "weapons": r"\b(?:fuscas|balearon|balearlo|balearla|balacear|balaceo|balacearon|plomear|plomearon|flingues?|flinguer|"
               r"kalach|kalash|kalachnikov|messerstecherei|ersticht|erstochen)\b",
    "hate": r"\b(?:chinetoques?|kanaken?|kanacken?)\b",
    "self_harm": r"\b(?:thinspiration|bonespo|meanspo)\b",
}

_PATTERNS_12 = {
    "drugs": (
        # a joint rolled or smoked, whatever it is called
        r"\b(?:fum|arm|ponch|rol|prend|enrol|liar|lia)[a-z]* (?:un |unos |el |los |su |sus )?(?:porro|porros|canuto|canutos|faso|fasos|"
        r"churro de mota|gallo de mota|toque de mota|peta|petas|bedo|bedos|spliff|spliffs)\b",
        r"\b(?:fuma|fumar|fuman|fumando|fumo|fume|fumer|fument|fumant)\b" + _g(2)
        + r"(?:mota|marihuana|hierba|yerba|beuh|weed|ganja|teuchi|joint de pot|joints de pot)\b",
        # sold or handed out: street drugs and their slang
        r"\b(?:vend|pas|reparte|repart|ofrec|regal|dealer|deale|dealent|deal|vendre|vend|refil|file|filent)[a-z]* "
        r"(?:de la |del |de |des |du |unas |unos |la |el |las |los )?(?:pirulas|tachas|pastis|pastillas de extasis|"
        r"merca|falopa|frula|mota|hachis|ecstas|cachets d ecsta|beuh|teuchi|coke)\b",
        r"\b(?:vend|deal|file|filent|refil|propos)[a-z]* du shit\b",
        r"\b(?:trace|traces|ligne|lignes|rail|rails|raya|rayas|linea|lineas|pase|pases) (?:de |d )"
        r"(?:c|cc|coke|coca|cocaine|merca|farlopa|falopa|tusi|keta|ket)\b",
        r"\b(?:line|lines|bump|bumps|rail|rails) of (?:coke|blow|yayo|ket|tusi)\b",
        # English: the dealer and the pick-up, the glass pipe and the cook
        r"\b(?:text|texts|texted|call|calls|called|hit up|hits up|hit|hits|meet|meets|met)(?: up)? (?:her|his|their|my|the|a) plug\b" + _NOT_A_SOCKET,
        r"\b(?:zip|zips|oz|ounce|ounces|eighth|eighths|8th) of (?:the )?(?:good |loud |top shelf )?(?:green|loud|gas|za|kush|dope|white|ice|glass)\b"
        r"(?! (?:tea|teas|beans|chilli|chili|peppers|paint|onions|wine|rice|sugar|flour)\b)",
        r"\bparty favou?rs?\b" + _g(6) + r"(?:rave|rolling|comedown|hits harder|kick in|kicks in|come up)\b",
        r"\b(?:glass|bubble|crack|meth|ice|tina) pipe\b" + _g(6) + r"(?:going|lit|lights?|hits?|puffs?|smokes?|twitch|twitchy|wide eyed|tweak|tweaking|geeked)\b",
        r"\b(?:brew|brews|brewing|cook|cooks|cooking|cooked|make|makes|making)\b" + _g(4)
        + r"(?:ice|glass|crystal meth|meth|tina|crank|dope)\b" + _g(4) + r"(?:sale|sell|selling|buyers|corners|customers)\b",
        r"\b(?:package|pack|re up|reup|product|order|bag|zip|zips|pills|bars)\b" + _g(4) + r"(?:from|off) (?:his|her|their|my|the) plug\b" + _NOT_A_SOCKET,
        r"\bpseudoephedrine\b" + _g(8) + r"(?:cold packs?|lithium|red phosphorus|batch|lab|cook|brew|iodine|anhydrous)\b",
        # German: pills and powder sold
        r"\bvertick[a-z]*\b" + _g(3) + r"(?:gras|pillen|teile|koks|pepp|crystal|hasch|haschisch|ecstasy|mdma)\b",
        r"\b(?:verkauf|vertreib|dealt|deal)[a-z]*\b" + _g(3) + r"(?:koks|pepp|crystal meth|hasch|haschisch|ecstasy|mdma)\b",
    ),
    "weapons": (
        # a gun pulled, pointed or put to someone, in the street words of each language
        r"\b(?:saca|saco|sacan|sacando|desenfunda|desenfundo|pela|pelo|pelan|pone|puso|ponen|apunta|apunto|apuntan|encanona)[a-z]*"
        r" (?:el |la |su |un |una |los )?" + _GUN_ES + r"\b" + _g(8)
        + r"(?:cabeza|sien|pecho|cuello|cara|repartidor|cajero|cajera|vecin[oa]|chofer|guardia|rival|policia|novi[oa])\b",
        r"\b(?:carga|cargo|cargan|suelta|solto|sueltan|descarga|descargo|dispara|disparo|vacia|vacio)[a-z]* (?:el |la |su |un |una )?"
        + _GUN_ES + r"\b" + _g(6) + r"(?:contra|sobre)\b",
        r"\b(?:rafagas|rafaga|balazos|plomazos|tiros|disparos)\b" + _g(2) + r"(?:contra|a|al) (?:la |el |los |las |una |un )?"
        r"(?:camioneta|coche|carro|auto|casa|gente|rival|rivales|contrarios|policias|familia|fiesta|bar)\b",
        r"\b(?:braque|braquent|braquer|braquant|pointe|pointent|pointer|pointant|colle|collent|coller)[a-z]* "
        r"(?:son |sa |un |une |le |la |leur )?" + _GUN_FR + r"\b" + _g(3) + r"(?:sur|contre) " + _TARGET_FR + r"\b",
        r"\btir[a-z]* (?:au|a la|avec (?:un|une|son|sa)) (?:calibre|kalach|kalash|flingue|fusil|pistolet|gun)\b"
        + _g(3) + r"(?:sur|contre|vers) " + _TARGET_FR + r"\b",
        r"\b(?:pull|pulls|pulled|pulling|upped|flash|flashes|flashed|draw|draws|drew) (?:his|her|their|the|a|my) " + _GUN_EN + r"s? on\b",
        r"\b(?:barrel|muzzle|gun|pistol|piece)s? (?:right |pressed |shoved |stuck )?(?:in|into|against) (?:his|her|their|the [a-z]+ ?s) (?:face|mouth|cheek|chest)\b",
        r"\blets? the (?:heater|strap|iron|piece|blicky|glizzy|chopper|draco|nine|tool|steel|blade) do the talking\b",
        r"\b(?:zueckt|zuckt)\b" + _g(2) + _GUN_DE + r"\b",
        r"\bsticht\b" + _g(4) + r"(?:ein|nieder)(?= (?:und|oder|bis|als|weil|dann|waehrend|wahrend)\b|$)|\bsticht (?:mit (?:dem|einem|seinem|ihrem) messer|auf (?:ihn|sie|den|die|einen|eine))\b",
    ),
    "hate": (
        r"\b(?:llam|trat|dic)[a-z]* (?:de |a los |a las )?" + _INSULT_ES + r" a (?:los |las )?" + _PEOPLE_ES + r"\b",
        r"\b" + _PEOPLE_FR + r" (?:controlent|dirigent|possedent|tiennent|manipulent|tirent les ficelles)\b",
        r"\b(?:imit|burl|remed)[a-z]* (?:el |su |sus )?(?:acento|forma de hablar)\b" + _g(6) + r"(?:llam|trat|dic)[a-z]* (?:de )?" + _INSULT_ES + r"\b",
        r"\b(?:llamandol[oa]s?|tratandol[oa]s?|llamarl[oa]s?|(?:la|lo|los|las|le|les) (?:llama|llaman|llamo|trata|tratan|trato) de)"
        r"(?: de)? (?:basura|escoria|rata|ratas|zorra|puta|perra|cerda|cerdo|mona|mono|simio|parasito|parasita)\b",
        r"\b(?:gay|trans|queer|lgbt[a-z]*|lesbian|homosexual)s? (?:teachers?|people|folks|men|women|adults|staff|librarians|coaches) "
        r"(?:are|as) (?:all )?(?:groomers|predators|paedophiles|pedophiles|perverts)\b",
        r"\bcalls? (?:gay|trans|queer|lgbt[a-z]*) (?:teachers?|people|folks|adults|staff|librarians|coaches) (?:groomers|predators|paedophiles|pedophiles|perverts)\b",
        r"\b(?:triple|three) (?:parenthes[ie]s|brackets|echo)\b|\(\(\(",
        r"\bmock[a-z]* (?:a |his |her |the |their )?(?:[a-z]+ s |[a-z]+s )?(?:wheelchair|crutches|stutter|stammer|limp|walker|hearing aid|prosthetic|cleft lip)\b",
        r"\b(?:ungeziefer|schmarotzer|parasiten|ratten|kakerlaken|abschaum)\b" + _g(6) + r"(?:ausr(?:ae|a)uchern|ausrotten|vernichten|vergasen|loswerden|raus)\b",
        r"\b(?:fl(?:ue|u)chtlinge|ausl(?:ae|a)nder|migranten|asylanten|juden|muslime|schwarze)\b" + _g(4) + r"(?:ungeziefer|schmarotzer|parasiten|ratten|kakerlaken|abschaum)\b",
    ),
    "self_harm": (
        r"\b(?:(?:se|me|te) (?:avienta|aviento|avienta|tira|tiro|lanza|lanzo|arroja|arrojo)|aventarse|aventarme|tirarse|tirarme|lanzarse|lanzarme|arrojarse)"
        r"\b" + _g(3) + r"(?:del|desde el|desde la|desde lo alto del?|de la|de un|de una|al|por la) "
        r"(?:puente|edificio|azotea|balcon|techo|vacio|viaducto|tren|metro|acantilado|ventana)\b",
        r"\b(?:puente|edificio|azotea|balcon|techo|viaducto|cornisa)\b" + _g(6) + r"(?:se avienta|se aviento|salta al vacio|se deja caer al vacio)\b",
        r"\b(?:se |me )?(?:quema|quemo|quemarse|quemandose)[a-z]* (?:el |los |la |las |su |sus )?(?:brazo|brazos|piel|muneca|munecas|pierna|piernas)"
        r" con (?:un |una |el |la )?(?:cigarro|cigarrillo|mechero|encendedor|cerillo|cerilla)\b",
        r"\b(?:se |me )?(?:brule|bruler|brulent)[a-z]* (?:le |les |la |son |ses )?(?:bras|peau|poignet|poignets|cuisse) avec (?:une |un )?(?:cigarette|clope|briquet)\b",
        r"\b(?:burns?|burned|burnt|burning) (?:her|his|their|my) (?:arm|arms|skin|wrist|wrists|thigh) with (?:a )?(?:cigarette|lighter)\b",
        r"\b(?:everyone|everybody|the world|they|people|his family|her family) (?:would|will|d) be better off without (?:him|her|me|them)\b",
        r"\b(?:se|me|te) (?:tirer|tire|tirait) une balle\b(?! dans (?:le|les|son|mon|ton) pied)",
    ),
    "violence": (
        r"\bboots? to the (?:ribs|stomach|gut|chest|kidneys|back)\b|\bstomp(?:s|ed|ing)? (?:on )?(?:his|her|their) (?:ribs|chest|stomach)\b",
        r"\bweigh(?:s|ed|ing)? (?:the |his |her )?body down\b|\bdump(?:s|ed|ing)? the body\b",
        r"\b(?:rompe|rompio|romperle|partio|parte) la (?:cara|boca|madre|cabeza|nariz) a\b",
        r"\b(?:tabass|cogn|frapp|defonc|demoli|latt)[a-z]* (?:un |une |le |la |sa |son |les )?(?:sdf|clochard|femme|copine|mec|gars|voisin|voisine|enfant|gamin)\b",
    ),
    "political_endorsement": (
        r"\b(?:donner|donnez|donne|donnent|apporter|apportez) (?:leur|votre|ta|vos|toutes? (?:vos|leurs)) (?:voix|vote|suffrages?)"
        r" (?:au (?:second|premier|deuxieme) tour|(?:a|au|pour) (?:la |le |l |notre |ce |cette )?(?:candidat|candidate|liste|parti|maire|depute|president|presidente))\b",
        r"\bvotez (?:pour )?(?:la liste|le candidat|la candidate|notre candidat|notre candidate)\b",
    ),
    "stalking": (
        r"\bsigu[a-z]*\b" + _g(6) + r"hasta su (?:casa|departamento|depa|piso|domicilio|puerta|portal|edificio|coche)\b",
    ),
}

for _cat, _rx in _EXACT_12.items():
    _PATTERNS_12[_cat] = (_rx, *_PATTERNS_12.get(_cat, ()))

# Chinese: a machete or knife chasing and hacking at someone
_CJK_12: dict[str, tuple[str, ...]] = {
    "weapons": ("追砍", "持刀砍", "砍伤", "举刀砍"),
}

# Appended, in this order, to the lists of ``terms.base`` (see ``terms.__init__``).
ADDITIONS: tuple[tuple[str, dict], ...] = (
    ("terms", _TERMS_12),
    ("cjk", _CJK_12),
    ("patterns", _PATTERNS_12),
)
