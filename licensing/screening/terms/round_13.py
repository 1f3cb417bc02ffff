"""The scr-round13 additions (the thirteenth session), after dev_13's first measurement, tuned on its
odd lines and the older dev sets: families of wording, not one brief's words.

* drugs: ecstasy's street names handed out or sold ("hands out molly to the ravers", "slips her some
  mandy"), and molly beside a rave or a party;
* violence: a beating in French slang ("met une raclée à sa copine", "lui fout une rouste"); bones
  broken on purpose ("makes the hostage's fingers go snap", "breaks the victim's kneecaps");
* weapons: a blade driven into a person's body in en/fr/es/de ("plante un couteau dans le ventre",
  "le clava un cuchillo en la espalda", "rammt ihm ein Messer in den Bauch", "a knife into his gut");
  a bomb by its tick ("a ticking backpack under the seats");
* hate: mocking the eyes of East Asian people ("slanted eyes", "ching chong"); white-supremacist
  numbers ("the 14 words", "1488", "flashes the 88"); mocking a person by the aid they use ("mocks
  the kid in the wheelchair") and calling a person a disability slur ("calls him a vegetable"); in
  Chinese, calling people locusts (是蝗虫) or telling them to get out (滚出, 滚回);
* self-harm: pills taken "to not wake up";
* deceptive: a made-up admission ("appears to admit on camera that...", "make it look like she
  confesses");
* minors: a "little cheerleader", "little gymnast" in the scene is a child (filed under ``CHILD``:
  refused only with harm or a suggestive cue beside it).

Then, from the older dev sets' and the training set's misses: ecstasy sold as "taz", cocaine cut
("couper la CC"), rock cooked in a spoon, "nose candy", "pase de perico", 飞叶子; a neighbour drowned or
held against the coals, a blade that "goes for the neck", "roué de coups", tied to a chair and hit,
砍 in the street; a gun to the head in German slang, a gun to "pay the ex a visit", opening fire on a
crowd, planting a bomb; "ce sont tous des terroristes" of a people, pulling the eyes, "niakoué";
"se foutre en l'air", all the pills taken, pills "to die", a German bridge jump, "sewerslide"; a vote
asked for a Spanish party, "only one real choice" at the polls, 请投给; a French street address, a
Spanish daily schedule or house number shown, following "a escondidas"; an admission "todo inventado".
"""
from __future__ import annotations

from ._util import _g

_TERMS_13 = {
    "hate": """
        slanted eyes|slanted eye|slanty eyes|slant eyes|slit eyes|chinky eyes|ching chong|chingchong|fourteen words|
        niakoue|niakoues|
    """,
    "drugs": """
        nose candy|puchador|puchadores|pase de perico|pases de perico|raya de perico|rayas de perico|
    """,
    "self_harm": """
        sewerslide|sewer slide|sewerslides|
    """,
    "stalking": """
        lie in wait|lies in wait|lying in wait|
    """,
    "minors": """
        little cheerleader|little cheerleaders|little gymnast|little gymnasts|little ballerina|little ballerinas|
    """,
}

_CJK_13 = {
    "hate": ("是蝗虫", "像蝗虫", "一群蝗虫", "滚出我们", "滚回老家", "滚回你们", "滚回他们", "都赶出去", "把他们都赶走"),
    "drugs": ("飞叶子", "溜冰", "嗨一口"),
    "violence": ("追着砍", "满街砍", "拿砍刀追", "砍死他", "砍死她"),
    "political_endorsement": ("应该投给", "都投给", "请投给", "大家投给"),
}

_NOT_A_PLEA = r"(?<!stop )(?<!never )(?<!not to )(?<!dont )(?<!no more )(?<!instead of )(?<!against )"
_MOCK = (
    r"(?:mock(?:s|ed|ing)?|ridicul(?:e|es|ed|ing)|mak(?:e|es|ing) fun of|made fun of|pok(?:e|es|ed|ing) fun at|"
    r"laugh(?:s|ed|ing)? at|humiliat(?:e|es|ed|ing)|taunt(?:s|ed|ing)?|jeer(?:s|ed|ing)? at|sneer(?:s|ed|ing)? at|"
    r"belittl(?:e|es|ed|ing)|pick(?:s|ed|ing)? on)"
)
_BODY_EN = r"(?:stomach|belly|gut|back|chest|neck|throat|side|ribs|heart|thigh|leg)"
_BODY_FR = r"(?:ventre|dos|gorge|cou|poitrine|cuisse|coeur|flanc|bide)"
_BODY_ES = r"(?:estomago|espalda|cuello|pecho|barriga|vientre|panza|garganta|costado|pierna|corazon)"
_BODY_DE = r"(?:bauch|rucken|hals|brust|seite|herz|oberschenkel|kehle)"

_PEOPLE_FR = (
    r"(?:juifs|musulmans|immigres|arabes|noirs|etrangers|migrants|gitans|roms|asiatiques|chinois|africains|maghrebins|"
    r"homosexuels|gays)"
)
_PARTIES_ES = r"(?:partido|pp|psoe|vox|sumar|podemos|morena|pan|pri|candidato|candidata)"

_PATTERNS_13 = {
    "drugs": (
        r"\b(?:cook|cooks|cooking|cooked|heat|heats|heating|melt|melts|melting)\b" + _g(2)
        + r"(?:rock|rocks|crack|heroin|smack|dope|gear|brown|tar)\b (?:in|on) (?:a|the) spoon\b",
        r"\b(?:deal|deale|dealent|dealer|vend|vendent|vendre|file|filent|refile|refiler)[a-z]* (?:des |de la |du |les )?(?:taz|tazs|ecsta|extas|cachets)\b",
        r"\b(?:couper|coupe|coupent|coupant|couper la|allonger|allonge) (?:la |sa |de la )?(?:cc|coke|came|cocaine|c|poudre|blanche)\b",
        r"\b(?:hand|hands|handing|handed|pass|passes|passing|passed|sell|sells|selling|sold|slip|slips|slipping|slipped|"
        r"give|gives|giving|gave|share|shares|sharing|shared|offer|offers|offering|offered)(?: out)? (?:some |a bit of |him |her |them |the )?"
        r"(?:molly|mandy|mdma|emmies|x pills|e pills|ecstasy pills)\b",
        r"\b(?:molly|mandy)\b" + _g(5) + r"(?:rave|raves|ravers|festival|festival goers|dancefloor|afterparty|after party|club kids)\b",
    ),
    "violence": (
        r"\b(?:rouee|roue|rouees|roues) de coups\b",
        r"\btied to a (?:chair|post|pipe|radiator|bed) and (?:hit|beaten|punched|kicked|tortured|whipped|slapped)\b",
        r"\bdrown(?:s|ed|ing)? (?:his|her|their|the|a) (?:neighbou?r|wife|husband|girlfriend|boyfriend|rival|victim|child|son|"
        r"daughter|ex|friend|brother|sister|baby|colleague|landlord|boss)\b",
        r"\bholds?\b" + _g(3) + r"(?:head|face|hand|hands|arm)\b (?:against|onto|on|into|over) (?:the )?(?:hot |burning |glowing |red hot )?"
        r"(?:coals|grill|barbecue|bbq|fire|flames|stove|hob|hotplate|iron)\b",
        r"\b(?:knife|blade|machete|cleaver|bottle)\b" + _g(6) + r"go(?:es)? for (?:the |his |her |their )?(?:[a-z]+ )?(?:neck|throat|eyes|face|jugular)\b",
        r"\b(?:met|mets|mettre|mis|mettent|fout|fous|foutre|fait|colle|collent|coller|file|filent|flanque|flanquer|donne|donnent)\b"
        r"(?: une)? (?:raclee|rouste|derouillee|branlee|tannee|trempe)\b",
        r"\b(?:fingers|bones|kneecaps|knees|ribs|wrists?|arms?|legs?|neck|jaw)\b (?:go|going|goes|went) (?:snap|crack|crunch)\b",
        r"\b(?:break|breaks|breaking|broke|snap|snaps|snapping|snapped|crush|crushes|crushing|crushed)\b (?:the )?"
        r"(?:hostage s|hostages|victim s|prisoner s|captive s|snitch s|his victim s|her victim s) (?:fingers|kneecaps|knees|ribs|bones|jaw|legs|arms|wrists)\b",
    ),
    "weapons": (
        r"\bopen(?:s|ing|ed)? fire (?:at|on|into|in) (?:a |the )?(?:crowd|crowds|concert|concerts|people|students|school|classroom|"
        r"shoppers|protesters|protestors|audience|worshippers|passers by|mall|church|mosque|synagogue|him|her|them)\b",
        r"\bplant(?:s|ing|ed)? (?:a|the|another) (?:bomb|pipe bomb|device|explosive|ied)\b",
        r"\b(?:knarre|wumme|pistole|waffe|kanone|puste|revolver)\b an (?:den|die|seinen|ihren|seine|ihre) (?:kopf|schlafe|hals|stirn|kehle)\b",
        r"\b(?:strap|piece|blicky|glizzy|burner|gat|draco|gun|pistol|glock|heater)\b" + _g(8)
        + r"pay (?:him|her|them|his ex|her ex|the ex|my ex|his rival|the rival|the landlord|the snitch) a (?:little )?visit\b",
        r"\b(?:plante|plantent|planter|plantait|plantant|enfonce|enfoncent|enfoncer|enfoncant)\b" + _g(2)
        + r"(?:couteau|lame|poignard|cran d arret|opinel|surin|schlass|tournevis)\b",
        r"\b(?:couteau|lame|poignard|surin|schlass)\b dans (?:le |la |l |son |sa |les )" + _BODY_FR + r"\b",
        r"\b(?:clava|clavan|clavar|clavo|clavandole|clavarle|hunde|hunden|hundio|hundir|entierra|entierran)\b" + _g(2)
        + r"(?:cuchillo|navaja|punal|cuchilla|fierro|pincho|filero)\b",
        r"\b(?:cuchillo|navaja|punal|cuchilla|filero|pincho)\b en (?:el |la |su |sus )" + _BODY_ES + r"\b",
        r"\b(?:rammt|rammte|rammen|stosst|stiess|stossen|jagt|jagte|sticht|stach)\b" + _g(3) + r"(?:messer|klinge|dolch|klappmesser|springmesser)\b"
        + _g(1) + r"in (?:den |die |das |seinen |ihren |seine |ihre )" + _BODY_DE + r"\b",
        r"\b(?:knife|blade|shank|shiv|dagger|machete)\b (?:into|in) (?:his|her|their|the|a) (?:[a-z]+ )?" + _BODY_EN + r"\b",
        r"\b(?:plants?|planting|plunges?|plunging|sinks?|sinking|drives?|driving|buries|burying|sticks?|sticking) (?:a|the|his|her|a kitchen) "
        r"(?:knife|blade|shank|shiv|dagger|machete)\b" + _g(1) + r"(?:into|in) (?:him|her|them|his|her|their|the|a)\b",
        r"\bticking (?:backpack|backpacks|bag|bags|package|packages|parcel|parcels|suitcase|suitcases|box|rucksack|holdall|device|devices)\b",
        r"\b(?:gun|guns|knife|knives|pistol|revolver|machete)\b (?:next to|against|to) (?:the |his |her |their |a )?(?:hostage s |cashier s |victim s )?(?:throat|neck|temple|head|forehead)\b",
    ),
    "hate": (
        r"\b" + _PEOPLE_FR + _g(8) + r"(?:sont|ce sont) (?:tous |toutes )?des (?:terroristes|voleurs|criminels|parasites|animaux|rats|"
        r"violeurs|sauvages|cafards|vermines)\b",
        r"\b(?:tirant|tire|tirent|tirer|bridant|bride) (?:sur )?(?:ses|les|leurs) yeux\b",
        r"\bthe (?:14|fourteen) words\b|\b1488\b|\b14 88\b|\b(?:flash|flashes|flashing|flashed|throws|throwing|shows|showing) (?:the |an |a )?88\b",
        r"\b(?:pull|pulls|pulling|pulled|stretch|stretches|stretching) (?:his|her|their|the) eyes (?:back|sideways|to the side|slanted|into slits)\b",
        _NOT_A_PLEA + r"\b" + _MOCK + r"\b" + _g(4) + r"(?:in|with|on) (?:a|the|his|her|their) (?:wheelchair|crutches|hearing aids?|walker|leg brace|leg braces)\b",
        _NOT_A_PLEA + r"\bcalls? (?:him|her|them|the [a-z]+|that [a-z]+) (?:a |an )?(?:vegetable|retard|retarded|cripple|spaz|spastic|mong|mongoloid|freak show)\b",
        # French: "se moque de la grosse" (the harassment module's "se moque d" reads only an elided "d'")
        r"\b(?:se moque(?:nt)?|se moquant|se fiche(?:nt)?) (?:de|des|du)\b" + _g(3)
        + r"(?:gros|grosse|grosses|obeses?|handicapes?|handicapees?|moches?|laids?|laides?|aveugles?|sourds?|sourdes?|begues?|"
        r"en fauteuil roulant|en surpoids)\b",
    ),
    "self_harm": (
        r"\b(?:medicaments|cachets|pilules|comprimes|pastillas|pildoras|tabletten|pills|tablets|painkillers)\b" + _g(3)
        + r"(?:pour mourir|pour en finir|para morir|para matarse|um zu sterben|to die|to end it all)\b",
        r"\b(?:brucke|dach|hochhaus|klippe|gleis|gleisen|balkon)\b" + _g(4) + r"(?:will|wird|mochte|wollte) (?:runter)?springen\b",
        r"\b(?:se|me|te|nous|vous) (?:foutre|fout|fous|foutent) en l air\b",
        r"\b(?:se toma|se tomo|tomarse|se traga|se trago|tragarse) (?:todas|todos) (?:las|los|sus) (?:pastillas|pildoras|calmantes|somniferos)\b",
        r"\b(?:avale|avaler|avalent|prend|prendre) (?:toutes|tous) (?:les|ses) (?:pilules|cachets|comprimes|somniferes|medicaments)\b",
        r"\b(?:swallows?|swallowing|takes|taking|downs|downing) (?:all|the whole bottle of|a whole bottle of|every one of) (?:her |his |the |my )?(?:pills|tablets|sleeping pills|painkillers)\b",
        r"\b(?:pills|tablets|sleeping pills|painkillers|capsules|pill bottle|overdose)\b" + _g(6) + r"(?:not|never) (?:to )?wake (?:up|again)\b",
        r"\bhow many\b" + _g(3) + r"(?:pills|tablets|painkillers)\b" + _g(2) + r"(?:it takes|it would take) to\b",
    ),
    "political_endorsement": (
        r"\bvota(?:d|r|mos)? (?:por|a|al) (?:el |la )?" + _PARTIES_ES + r"\b",
        r"\b(?:election day|on tuesday|in november|at the polls|on the ballot|ballot|polls)\b" + _g(8)
        + r"only one (?:real |sensible |right |true )?(?:choice|option)\b",
        r"\bonly one (?:real |sensible |right |true )?(?:choice|option)\b" + _g(8) + r"(?:election|ballot|polls|vote|governor|mayor|senate|president)\b",
    ),
    "stalking": (
        r"\b(?:segui|sigue|siguen|seguir|siguiendo|persegui|persigue)[a-z]* a escondidas\b",
        r"\b(?:habite|vit|loge|habitent) (?:au|a) \d+ (?:rue|avenue|boulevard|bd|chemin|allee|place|impasse)\b",
        r"\bsuiv[a-z]* (?:la|le|les) jusqu (?:a|chez)\b",
        r"\ba que hora (?:sale|llega|vuelve|regresa|entra)\b" + _g(2) + r"(?:cada manana|cada dia|cada noche|de casa|del gimnasio|sola|solo|del trabajo|a casa)\b",
        r"\b(?:muestra|ensena|publica)\b" + _g(6) + r"(?:numero|numeros) de (?:la |su )?(?:calle|casa|portal)\b",
    ),
    "deceptive": (
        r"\b(?:admite|admitio|confiesa|confeso|avoue|reconnait|gesteht|admits|confesses)\b" + _g(10)
        + r"(?:todo inventado|todo falso|tout invente|completement invente|frei erfunden|komplett erfunden|alles erfunden)\b",
        r"\b(?:appears?|appearing|seems?|seeming|pretends?|pretending) to (?:admit|confess)\b",
        r"\bmake it (?:look|seem|sound) like (?:she|he|they|the talent) (?:admits?|confess(?:es)?|confessed|admitted)\b",
    ),
}

# Appended, in this order, to the lists of ``terms.base`` (see ``terms.__init__``).
ADDITIONS: tuple[tuple[str, dict], ...] = (
    ("terms", _TERMS_13),
    ("cjk", _CJK_13),
    ("patterns", _PATTERNS_13),
)
