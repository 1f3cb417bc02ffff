"""The scr-es round's additions (the eleventh session), after dev_10's first measurement: Spanish and
French families the lexicon lacked (making and selling named drugs and their slang, slurs and a group
called criminals, chased out or said to control the banks, harassing a named colleague, mocking the
disabled; a rifle fired at a crowd, a grenade thrown, a home-made bomb planted; starving to a weight,
purging after meals, swallowing a box of pills "to end it"; a vote asked for a named party; a prize
that costs a fee, a token pumped before the sell-off; stopping a treatment "in its place"; following
someone home) and English euphemism families (chasing the dragon on foil, cold steel to a temple, a
"piece" pulled on someone, a nail bomb with a timer, a beating one "won't wake up from", a woman who
"belongs in the kitchen", a pile-on until a classmate quits school). Written from the category
definitions, each a family of wordings, not one brief's words."""
from __future__ import annotations

from ._util import _g

_PEOPLE_ES = r"(?:inmigrantes|judios|musulmanes|negros|extranjeros|gitanos|moros|gays|homosexuales|sudacas|latinos)"
_PEOPLE_FR = r"(?:juifs|musulmans|immigres|arabes|noirs|etrangers|migrants|gitans|roms|homosexuels|gays|asiatiques|chinois)"
_DRUG_ES = r"(?:metanfetamina|cocaina|coca(?! cola)|heroina|crack|extasis|mdma|droga|drogas|anfetaminas?|ketamina|tusi|farlopa)"
_DRUG_FR = r"(?:crack|cocaine|coke|heroine|meth|methamphetamine|ecstasy|ecsta|mdma|md|drogue|drogues|amphetamines?|ketamine|cames?)"
_PARTY_ES = r"(?:partido popular|psoe|vox|bildu|junts|pnv|partido socialista)"
# names that are everyday words ("podemos", "sumar", "ciudadanos") or letters ("pp"): only as the object of a vote
_PARTY_ES_AMBIGUOUS = r"(?:pp|podemos|sumar|ciudadanos|erc)"
_PARTY_FR = (
    r"(?:rassemblement national|front national|france insoumise|lfi|les republicains|parti socialiste|"
    r"europe ecologie|eelv|parti communiste)"
)

_TERMS_10 = {
    "drugs": """
        metanfetamina|metanfetaminas|farlopa|methamphetamine|methamphetamines|beuh|champis hallucinogenes|
        champignons hallucinogenes|hongos alucinogenos|setas alucinogenas|joint de shit|joints de shit|
        pipe a meth|
    """,
    "hate": """
        cris de singe|gritos de mono|monkey noises|monkey chants|bruits de singe|sonidos de mono|
        maricon|maricones|sudaca|sudacas|negrata|negratas|bougnoule|bougnoules|youpin|youpins|bicot|bicots|
        belong in the kitchen|belongs in the kitchen|
    """,
    "weapons": "bomba casera|bombas caseras|bombe artisanale|bombes artisanales|engin explosif|artefacto explosivo|",
    "self_harm": "se fait vomir|se faire vomir|se faisant vomir|se provoca el vomito|provocarse el vomito|",
    "sexual": "fait l amour|faire l amour|font l amour|faisant l amour|",
    "scams": "te haras rico|te haras millonario|os hareis ricos|",
}

_PATTERNS_10 = {
    "drugs": (
        r"\bwhite powder\b" + _g(3) + r"(?:mirror|nose|sniff|sniffing|snort|snorting|rolled|note|key)\b",
        # making, selling or handing out a named drug
        r"\b(?:prepar|fabric|cocin|vend|trafic|ofrec|reparte|repart)[a-z]* (?:la |el |de la |de |unas |un poco de )?" + _DRUG_ES + r"\b",
        r"\b(?:fabriqu|prepar|cuisin|vend|deal|propos|distribu|achet)[a-z]* (?:du |de la |de l |des |de )" + _DRUG_FR + r"\b",
        r"\b(?:shoot|shoots|dose|doses|seringue|fixe|rail|ligne)s? (?:d|de) (?:heroine|cocaine|coke|meth)\b",
        r"\bchas(?:e|es|ed|ing) the dragon\b" + _g(4) + r"(?:foil|spoon|lighter|smack|heroin|stairwell|needle)\b",
    ),
    "hate": (
        r"\bgo back (?:to )?where (?:they|you) came from\b|\b(?:will not|wont|won t|before they|going to|want to|never) replace us\b|\bgreat replacement\b|\boutbreed(?:s|ing)?\b",
        r"\b(?:religion|race|people|ethnicity) (?:is|are) a (?:disease|cancer|plague|virus|infestation)\b",
        r"\b" + _PEOPLE_ES + r" son (?:todos |unos )?(?:ladrones|delincuentes|criminales|terroristas|violadores|vagos|ratas|basura)\b",
        r"\b" + _PEOPLE_ES + r" (?:controlan|dominan|manejan) (?:los bancos|el mundo|los medios|el gobierno|la prensa)\b",
        r"\b(?:echar|expulsar|echad|expulsad) (?:a )?(?:los |todos los )?" + _PEOPLE_ES + r"\b",
        r"\btrait[a-z]* (?:les )?" + _PEOPLE_FR + r" (?:de|d) (?:terroristes|voleurs|rats|parasites|criminels|violeurs|animaux)\b",
        r"\b(?:chasser|expulser|virer|degager|chassez|virez) (?:les |tous les )?" + _PEOPLE_FR + r"\b",
        r"\b" + _PEOPLE_FR + r" sont (?:une race|des voleurs|des terroristes|des criminels|inferieurs)\b|\brace inferieure\b",
        r"\btrait[a-z]* (?:de |d )(?:mongol|gogol|triso|attarde|pd|pede|tapette|negre|bougnoule|sale [a-z]+)\b",
        r"\bse moqu[a-z]* (?:d un|d une|des|du|de la) (?:handicape|handicapee|handicapes|trisomique|autiste|aveugle|sourde?|infirme)\b",
        r"\bse burla[a-z]* de (?:un|una|los|las) (?:discapacitad[oa]s?|minusvalid[oa]s?|chico gay|chica lesbiana|autista|cieg[oa])\b",
        r"\bharcel(?:e|ent|er|ait|ant) (?:une?|sa|son|ses|la|le|les) (?:collegue|camarade|voisine?|eleve|collegues|camarades)\b",
        r"\bacos(?:a|an|ando|ar) a (?:una?|su|sus|la|el|los|las) (?:companer[oa]s?|vecin[oa]s?|compis?|alumn[oa]s?)\b",
        r"\bhound(?:s|ed|ing)? (?:her|him|them) off (?:the internet|social media|the platform|twitter)\b",
        r"\bpile on (?:against|targeting) (?:a |her |his )?(?:classmate|coworker|colleague|girl|boy|kid)\b",
    ),
    "weapons": (
        r"\bamenaz[a-z]* a\b" + _g(4) + r"con (?:un|una|su) (?:cuchillo|navaja|pistola|arma|machete|escopeta|revolver)\b",
        r"\b(?:cuchillo|navaja|pistola|arma|machete)\b(?: \S+){0,3} (?:en|contra|a) (?:el|la|su) (?:cuello|garganta|cabeza|sien|pecho)\b",
        r"\bin a drive by\b|\bdrive by shooting\b|\bspray(?:s|ed|ing)?\b" + _g(3) + r"with (?:rounds|bullets|lead)\b",
        r"\bhold(?:s|ing)? (?:it|the blade|the knife|a knife|the gun|a gun) to (?:a |the |his |her )?(?:[a-z]+ s |[a-z]+s )?(?:throat|neck|temple|head)\b",
        r"\baims? (?:the |a |his |her )?(?:barrel|gun|rifle|pistol|weapon|muzzle) at (?:the |a )?(?:crowd|people|audience|fans|protesters|students|rally)\b",
        r"\bdispar[a-z]*\b" + _g(4) + r"contra (?:una |la |los |las )?(?:multitud|gente|clientes|personas|manifestantes|rehenes|policias|transeuntes|coches?)\b",
        r"\b(?:lanza|tira|arroja|lance|jette)[a-z]* (?:una |une )?(?:granada|grenade)s?\b",
        r"\b(?:pone|coloca|deja|esconde|planta|pose|poser|place|cache|depose)[a-z]* (?:una |une )?(?:bomba|bombe)s?\b"
        r"(?! (?:de|d|a) (?:sabor|calorias|humo|bano|agua|chocolate|vitaminas|bain|peinture|chantilly|laque|deodorant|creme|raser)\b)",
        r"\b(?:cold )?(?:steel|blade|barrel|muzzle)s? (?:against|to) (?:the |his |her |their )?(?:[a-z]+ s |[a-z]+s )?(?:temple|throat|neck|head|forehead)\b",
        r"\b(?:piece|strap|heater|gat|burner|waistband)\b" + _g(10) + r"pull(?:s|ed|ing)? it on\b",
        r"\b(?:nails|shrapnel|ball bearings|screws) and (?:a )?(?:timer|fuse|detonator|trigger)\b",
    ),
    "self_harm": (
        r"\b(?:nobody|no one|noone) (?:would|will|is going to) miss (?:him|her|me|them)\b",
        r"\bsteps? off the (?:ledge|roof|bridge|edge)\b",
        # the act shown, under any frame ("a suicide awareness reel where he stands on the ledge and jumps"):
        # standing or climbing on a ledge, then jumping or letting go; not a jump into water or across to the next roof
        r"\b(?:stands?|standing|stood|climbs?|climbing|climbed|steps?|stepping|stepped) (?:up )?(?:on|onto|over) (?:the |a )?"
        r"(?:ledge|parapet|railing|bridge railing|edge of the roof|roof edge)\b" + _g(4)
        + r"(?:jumps?|jumping|jumped|leaps?|leaping|leapt|lets go|let go|falls?|falling)\b(?! (?:in|into) (?:the |a )?(?:pool|water|sea|lake|river|ocean|waves)\b)"
        r"(?! (?:to|onto|across to|over to|across) (?:the )?(?:next|other|neighbouring|neighboring|adjacent|opposite)\b)",
        r"\b(?:go to sleep|fall asleep) and not wake up\b",
        r"\b(?:fresh|new) (?:lines|cuts|scars)\b" + _g(2) + r"(?:her|his|their|my) (?:thighs?|wrists?|arms?|forearms?)\b",
        r"\bdej[a-z]* de comer\b" + _g(6) + r"(?:pesar|kilos|delgada|delgado|huesos|meta|objetivo)\b",
        r"\b(?:voir|compter|sentir|ver|contar)[a-z]* (?:ses|mes|sus|mis) (?:os|cotes|costillas|huesos)\b",
        r"\bvomit[a-z]* (?:despues de|tras) (?:cada |la |las )?comidas?\b",
        r"\bpara acabar con todo\b(?! (?:el|lo|la|los|las)\b)|\bacabar con (?:su|mi) (?:propia )?vida\b",
        r"\b(?:mundo|todos) (?:estara|estaria|estaran|estarian) mejor sin (?:ella|el|mi)\b|\bmonde (?:sera|serait) mieux sans (?:elle|lui|moi)\b",
        r"\b(?:toma|traga|tomarse|tragarse|avale|avaler|avalant)[a-z]*\b" + _g(2)
        + r"(?:un frasco|una caja|un bote|une boite|un flacon|une plaquette|un tube) (?:entero |entera |entiere )?de (?:pastillas|pildoras|somniferos|calmantes|somniferes|cachets|pilules|comprimes|medicaments)\b",
    ),
    "political_endorsement": (
        r"\b(?:respald|apoy|promocion)[a-z]* (?:la )?candidatura de (?:la |el )?(?:senadora?|alcaldesa?|diputad[oa]|president[ea]|candidat[oa]|concejala?)\b",
        r"\bvot(?:er|ez|e|ent) (?:ecologiste|socialiste|communiste|a gauche|a droite|extreme droite|rn|lfi)\b|\bvot(?:ar|a|ad|en) a la (?:izquierda|derecha)\b",
        r"\bput (?:the |our )?(?:governor|senator|mayor|president|congressman|congresswoman|councilman|councilwoman|her|him) back in office\b",
        r"\bturn (?:the |this |our )?(?:state|county|district) (?:blue|red)\b|\bput (?:your|their|a) cross next to\b",
        r"\bwho to (?:back|vote for|support) (?:in|on|this) (?:november|tuesday|election day|the election|polling day)\b",
        r"\b(?:vot|apoy|respald|camiseta|pide el voto)[a-z]*\b" + _g(4) + _PARTY_ES + r"\b",
        r"\b(?:soutien|soutient|soutenir|soutenez|votez|voter|vote|votent|badge|affiche|tract|campagne)[a-z]*\b" + _g(4) + _PARTY_FR + r"\b",
        r"\bvot(?:a|ad|ar|en|e|o|ad|emos) (?:a |al |por (?:el |la )?)?" + _PARTY_ES_AMBIGUOUS + r"\b",
        r"\bvot(?:ez|er|e|ent|ons) (?:pour )?(?:renaissance|reconquete|les ecologistes)\b",
    ),
    "scams": (
        r"\b(?:sorte|regal|gana|ganar|premio)[a-z]*\b" + _g(8) + r"(?:pagar|paga|pagando|abonar|abona)\b" + _g(4) + r"(?:gastos|tasa|cuota|comision|envio)\b",
        r"\bgarantiz[a-z]* (?:un |una |el |la )?(?:rendimiento|rentabilidad|beneficio|ganancia|retorno|interes)(?:s|es)?\b",
        r"\b(?:token|moneda|cripto|criptomoneda|bitcoin)s?\b" + _g(8) + r"(?:antes de que (?:se dispare|suba)|lo vende todo)\b",
        r"\b(?:devolver|devuelve|devolverles|devolveros|devolverte)[a-z]* el doble\b|\b(?:renvoy|rend|redonn|rembours)[a-z]* le double\b",
        r"\b(?:send|pay|wire)\b(?: \S+){0,3} to claim (?:your|the|a|my)\b|\bbring(?:ing)? in (?:two|three|four|five|\d+) (?:friends|people|members)\b",
        r"\b(?:gagner|gagnez|gagne|remporter|remportez)\b" + _g(8) + r"(?:payer|payez|regler|reglez|verser|versez)\b" + _g(3) + r"(?:frais|avance|acompte)\b",
        r"\b(?:jeton|jetons|token|tokens|crypto|cryptomonnaie|cryptos)\b" + _g(6) + r"(?:faire monter le (?:cours|prix)|avant de (?:tout )?(?:revendre|vendre))\b",
    ),
    "deceptive": (r"\bput(?:s|ting)? words in (?:his|her|their) mouth\b",),
    "fetish": (r"\b(?:kneels|kneeling|crawls|crawling) on a leash\b",),
    "sexual": (r"\b(?:entierement|completement|totalement|tout|toute) nue?s?\b|\bnue?s? sous la douche\b",),
    "violence": (
        r"\bhasta dejarl[oa]s? (?:inconsciente|sin sentido|en coma|medio muert[oa])\b",
        r"\buntil (?:she|he|they) (?:stops|stop|stopped) (?:moving|breathing)\b|\brough(?:s|ed)? up (?:his|her|their)\b",
        r"\b(?:won t|wont|will never|never) wake up from\b|\bboots? to the (?:head|face)\b|\bstomp(?:s|ed|ing)? on (?:his|her|their) (?:head|face)\b",
    ),
    "medical": (
        r"\b(?:elimina|cura|cure|guerit|elimine)[a-z]* (?:el |la |le |l )?(?:vih|sida|cancer|diabetes|diabete|autismo|autisme|hiv|aids)\b",
        r"\b(?:throw|throws|toss|tosses|bin|bins|ditch|ditches) (?:away )?(?:your|their|his|her) (?:inhalers?|insulin|meds|medication|medicine|pills|epipens?)\b",
        r"\b(?:arret|stopp|abandonn|laiss)[a-z]* (?:les|ses|vos|tes|votre|ton|son|leurs?) (?:antidepresseurs|traitements?|medicaments|insuline|chimio|chimiotherapie|antiretroviraux)\b"
        + _g(8) + r"(?:a la place|remplac)",
        r"\b(?:dej|abandon)[a-z]* (?:los|sus|tus|el|la|tu|su) (?:antidepresivos|tratamientos?|medicamentos|insulina|antirretrovirales)\b" + _g(8) + r"(?:en su lugar|en vez de|a cambio)",
    ),
    "stalking": (
        r"\bsigu[a-z]* (?:a|al|a la)\b" + _g(3) + r"desde su casa\b|\b(?:portal|casa|piso|calle|direccion) (?:donde|en que|en la que) vive\b",
        r"\b(?:recorrido|ruta|trayecto)s? diari[oa]s? (?:de la|del) (?:modelo|talento|actriz|actor|cantante|influencer)\b",
        r"\b(?:suit|suivent|suivre|suivie?s?|suivi)\b" + _g(5) + r"jusque? ?a? chez (?:elle|lui|eux)\b",
    ),
}

# Appended, in this order, to the lists of ``terms.base`` (see ``terms.__init__``).
ADDITIONS: tuple[tuple[str, dict], ...] = (
    ("terms", _TERMS_10),
    ("patterns", _PATTERNS_10),
)
