"""The scr-advice round (the twelfth session), after dev_11's first measurement: **the advice frame**.

Plain protective advice names the harm it protects from without any campaign word ("if you feel
like hurting yourself, call the helpline", "talk to your doctor before stopping your medication",
"never share your card PIN, the bank will never ask for it", "lock guns unloaded and store the
ammunition apart"), and the heads read the named harm as the brief's content. These patterns find
that naming; ``lexicon.awareness_text`` leaves it out of what the heads read, as it leaves out the
harm an awareness campaign names. Three constructions, each bound to one clause (clauses end at
punctuation and at "and", "then", "but", "or", "und", "et", "y"...; sentences at ". ! ? ;"):

* a situation clause ("if", "when", "before", "wenn", "bevor", "si", "avant de", "antes de"...) in
  a sentence that sends the reader to help (``HELP_RE``: call, text, talk to, tell, report to... a
  helpline, a doctor or pharmacist, the police, a teacher or a grown-up you trust, the bank, "us");
* a protective negation (``PROTECT_RE``): never share or send a PIN, password or code, "the bank
  will never ask for it", "nobody genuine asks for payment in gift cards";
* safe storage (``STORE_RE``) of a gun, ammunition or medicine: locked, unloaded, in a safe, apart,
  out of children's reach, in a sentence that names such a thing (``STORE_TOPIC_RE``).

What a brief shows or teaches outside those clauses is read as before ("call the helpline if it
bleeds too much, the safest way to cut is on the thigh" keeps its second clause), the lexicon reads
the brief with the same clauses left out (since the scr-round13 round: "if someone hurts you at home,
call us" is no violence; before it the lexicon read the whole brief), and an attacker's "advice" with no help to turn to ("tip: the safest way to cut
is...", "send your PIN to verify") has no frame at all. Patterns run on the normalised tokens
(accents folded, lower case), Chinese ones (``*_CJK``) on the brief's own characters."""
from __future__ import annotations

# Where a clause starts: a word that opens a situation ("if you feel like hurting yourself").
CONDITION_WORDS: frozenset[str] = frozenset(
    "if when whenever before wenn falls bevor sobald si quand lorsque lorsqu avant cuando antes".split()
)
# A situation clause is the reader's or anyone's ("if you feel...", "if someone hurts you", "if they feel
# like hurting themselves", "before stopping any medication"), never about the person in the brief ("if
# she is home alone, call us: she lives at...") and never a wish: "if you want cheap coke, text us" is a
# dealer's offer.
THIRD_PERSON_WORDS: frozenset[str] = frozenset(
    "she he her him his hers herself himself er ihn ihm elle il lui ella talent model actress actor influencer "
    "star singer darstellerin darsteller actrice acteur actriz".split()
)
WISH_WORDS: frozenset[str] = frozenset(
    "want wants wanna wish wishes looking interested ready keen craving "
    "willst wollen mochtest mochten veux voulez souhaites souhaitez envie quieres quiere deseas desea".split()
)
# Not a protective negation where the brief asks for the secret after all ("never share your PIN with
# strangers; text it to our verification line instead").
PROTECT_UNLESS: frozenset[str] = frozenset(
    "instead except only verify verification verifying confirm confirmation statt stattdessen ausser sauf "
    "plutot seulement verifier confirmer excepto solo salvo verificar confirmar".split()
)
# Not safe storage where the sentence goes on to use the thing ("keep the pistol locked in a safe, then
# point it at the cashier").
STORE_UNLESS: frozenset[str] = frozenset("then afterwards dann danach puis ensuite luego despues".split())
# "and", "or": a situation clause before the help goes on through them ("if food and weight worry you").
SITUATION_AND: frozenset[str] = frozenset("and or und oder et ou y o".split())
# Words that end one clause and start the next (the clause holds no more than its own words).
CLAUSE_WORDS: frozenset[str] = frozenset(
    "and then but or so until unless while after und dann aber oder bis et puis mais ou jusqu y luego pero o hasta".split()
)

_HELP_TARGET = (
    r"(?:helpline|helplines|hotline|crisis line|crisis text line|lifeline|samaritans|counsellor|counselor|therapist|"
    r"doctor|doctors|gp|nurse|pharmacist|midwife|police|ambulance|emergency services|911|999|112|111|988|"
    r"teacher|grown up|adult|adults|someone you trust|trusted adult|support worker|adviser|advisor|security|lifeguard|"
    r"your bank|the bank|us|"
    # German
    r"telefonseelsorge|seelsorge|hilfetelefon|arzt|arztin|apotheke|apotheker|apothekerin|polizei|notruf|110|"
    r"lehrer|lehrerin|erwachsenen|vertrauensperson|beratungsstelle|krankenwagen|deiner bank|ihrer bank|uns|"
    # French
    r"ligne d ecoute|medecin|pharmacien|pharmacienne|gendarmerie|samu|urgences|15|17|18|3114|adulte|enseignant|"
    r"professeur|quelqu un de confiance|votre banque|ta banque|nous|conseiller|"
    # Spanish
    r"linea de ayuda|medico|medica|farmaceutico|farmaceutica|policia|emergencias|adulto|alguien de confianza|"
    r"profesor|profesora|tu banco|su banco|nosotros|ambulancia)"
)
_HELP_VERB = (
    r"(?:call|calls|ring|phone|text|dial|contact|talk to|talk with|speak to|speak with|reach out to|ask|see|tell|"
    r"consult|report it to|report them to|report to|report it|visit|check with|chat to|chat with|get help from|go to|"
    # German
    r"ruf|rufe|rufen sie|anrufen|melde dich bei|melden sie sich bei|wende dich an|wenden sie sich an|sprich mit|"
    r"sprechen sie mit|frag|fragen sie|kontaktiere|kontaktieren sie|erzahl|erzahle|sag|"
    # French
    r"appelle|appelez|appeler|contacte|contactez|contacter|parle a|parle en a|parlez a|parlez en a|demande a|"
    r"demandez a|consulte|consultez|previens|prevenez|signale|signalez|"
    # Spanish
    r"llama a|llame a|llamar a|llama al|llame al|contacta con|contacta a|habla con|hable con|consulta con|"
    r"consulte con|consulta a|pregunta a|pregunte a|cuentaselo a|cuentale a|avisa a|acude a)"
)
# A sentence that sends the reader to help: a help verb, then (within four words) a place to turn to;
# or the place first where the language puts the pronoun first ("tu peux nous appeler", "kannst du
# uns jederzeit anrufen", "puedes llamarnos"), or reporting to the police as such.
HELP_RE = (
    r"\b" + _HELP_VERB + r"(?: [a-z0-9]+){0,4} " + _HELP_TARGET + r"\b"
    r"|\b(?:nous|uns|vous) (?:[a-z]+ ){0,2}(?:appeler|contacter|ecrire|anrufen|schreiben|erreichen)\b"
    r"|\b(?:llamanos|llamarnos|llamenos|contactanos|contactarnos|escribenos)\b"
    r"|\b(?:report it|report them|report him|report her|porter plainte|anzeige erstatten|denuncialo|denunciarlo|"
    r"ponte en contacto)\b"
)
# A protective negation, within its clause: never share or send what opens an account, or the
# reassurance that a bank or anyone genuine never asks for it.
PROTECT_RE = (
    r"\b(?:never|dont|don t|do not|not to|niemals|nie|nunca|jamais)\b(?: [a-z0-9]+){0,3} "
    r"(?:share|give|send|tell|read out|reveal|hand over|type|enter|say|teile|gib|gebt|sende|schick|verrate|nenne|"
    r"communiquez|communique|donnez|donne|envoyez|envoie|compartas|des|envies|digas|reveles)\b"
    r"(?: [a-z0-9]+){0,4} (?:pin|pins|password|passwords|passcode|code|codes|card details|card number|login|otp|"
    r"security code|tan|cvv|seed phrase|passwort|kennwort|zugangsdaten|mot de passe|identifiants|contrasena|clave|"
    r"codigo|home address|address|addresses|location|live location|adresse|wohnadresse|direccion|domicilio)\b"
    r"|\b(?:gib|gebt|geben sie|teile|teilen sie|verrate|sende|schick|nenne)(?: [a-z]+){0,2} (?:niemals|nie|keinesfalls)\b"
    r"(?: [a-z0-9]+){0,3} (?:pin|passwort|kennwort|tan|code|zugangsdaten)\b"
    r"|\bne (?:[a-z]+ ){1,2}jamais\b(?: [a-z0-9]+){0,4} (?:code|codes|pin|mot de passe|identifiants)\b"
    r"|\b(?:will|would|does|do|shall) never ask\b|\bnever asks? (?:you )?(?:for|to)\b"
    r"|\b(?:nobody|no one|noone|no bank|no genuine|no real)(?: [a-z]+){0,2} (?:asks|ask|will ask|would ask)\b"
    r"|\b(?:fragt|fragen|wird|werden) (?:sie |dich |euch )?(?:niemals|nie) (?:danach|nach)\b"
    r"|\bne (?:vous |te )?(?:le |la |les )?(?:demandera|demande|demanderont|demandent) jamais\b"
    r"|\bnunca (?:te |le |os |les |se )?(?:lo |la |los )?(?:pedira|pide|pediran|piden|pedimos|pediremos)\b"
)
# Safe storage, within its clause: a storing or locking verb and a safe way to keep the thing.
STORE_RE = (
    r"\b(?:lock|locks|locked|store|stores|stored|storing|keep|keeps|kept|keeping|fit|fits|use|secure|put away|"
    r"aufbewahren|aufbewahrt|lagern|lagert|verschliessen|verschliesst|ranger|rangez|range|gardez|garde|garder|"
    r"guarda|guarde|guardar|guardad|almacena|almacenar)\b.*\b(?:unloaded|locked|in a safe|in a gun safe|gun safe|"
    r"lockbox|lock box|trigger lock|cable lock|locked cabinet|apart|separately|out of reach|out of the reach|"
    r"cannot reach|can not reach|cant reach|can t reach|ungeladen|im tresor|tresor|getrennt|verschlossen|"
    r"dechargees|dechargee|decharges|decharge|sous cle|a part|separement|descargadas|descargada|descargados|"
    r"descargado|bajo llave|por separado)\b(?! place| way| distance| spot| zone)"
)
# A clause that only says where the thing is kept, after a safe-storage clause ("..., away from children").
STORE_AFTER_RE = (
    r"^(?:and )?(?:away from|out of (?:the )?reach of|out of reach of|where) (?:[a-z]+ ){0,2}(?:children|kids|child|"
    r"teens|kinder|kindern|enfants|ninos)\b"
)
STORE_TOPIC_RE = (
    r"\b(?:gun|guns|firearm|firearms|rifle|rifles|pistol|pistols|shotgun|shotguns|handgun|handguns|weapon|weapons|"
    r"ammunition|ammo|waffe|waffen|munition|gewehr|gewehre|armes|arme|munitions|fusil|fusils|armas|arma|municion|"
    r"pistola|pistolas|medicine|medicines|medication|medications|pills|painkillers|tablets|opioids)\b"
)

# The same in Chinese, on the brief's own characters: a situation clause ("如果……，" "……之前") before
# help ("请拨打……热线", "咨询医生", "打电话给我们", "报警"); a protective negation ("不要把密码告诉别人",
# "银行绝不会向你索要"); safe storage of a gun or medicine ("锁进保险柜", "不装弹", "分开存放").
_CJK_HELP = r"(?:拨打|打电话|致电|联系|咨询|询问|请教|告诉|报警|求助|找老师|找家长|找大人|热线)"
HELP_CONDITION_CJK = (
    r"(?:如果|要是|假如|若是|一旦|当)(?:(?!想|要买|愿意)[^，。！？；,.!?;]){1,30}[，,](?=[^。！？；.!?;]{0,12}" + _CJK_HELP + r")"
    r"|[^，。！？；,.!?;\s]{1,8}(?:之前|以前|前)[，,]?(?=请?先?(?:咨询|询问|问问|请教|告诉)(?:你的|您的)?(?:医生|药剂师|医师|大夫))"
)
PROTECT_CJK = (
    r"(?:永远|千万|绝对|请)?(?:不要|别|切勿|请勿|勿|绝不)[^，。！？；,.!?;]{0,12}(?:密码|验证码|口令|卡号|PIN|pin)[^，。！？；,.!?;]{0,8}"
    r"|[^，。！？；,.!?;]{0,8}(?:绝不会|不会|从不|永远不会)[^，。！？；,.!?;]{0,6}(?:索要|要求|问你要)[^，。！？；,.!?;]{0,8}"
)
STORE_CJK = (
    r"[^，。！？；,.!?;]{0,16}(?:锁进|锁在|锁好|上锁|不装弹|分开存放|分开保管|够不到|拿不到)[^，。！？；,.!?;]{0,16}"
)
STORE_TOPIC_CJK = ("枪", "弹药", "药")
PROTECT_UNLESS_CJK = ("发给我们", "直接发", "改发", "只告诉", "验证", "核实", "而是")
STORE_UNLESS_CJK = ("然后", "之后", "再")


# Harm in advice clothes that the heads pass once the frame above takes out the situation clause
# ("if you feel like hurting yourself, call the helpline, or take the whole box of sleeping pills"),
# the hiding of self-harm from one's parents, and a PIN or password asked for, as families of wordings
# in four languages.
_PATTERNS_11 = {
    "self_harm": (
        r"\b(?:take|takes|taking|took|swallow|swallows|swallowing|swallowed|down|downs|downing)\b(?: [a-z]+){0,2} "
        r"(?:the |a |an |her |his |your )?(?:whole|entire|full) (?:box|bottle|pack|packet|strip|jar|tub) of "
        r"(?:pills|sleeping pills|tablets|sleeping tablets|painkillers|paracetamol|meds|antidepressants)\b",
        r"\b(?:hide|hides|hiding|hid|cover|covers|covering|conceal|conceals|concealing)\b(?: [a-z]+){0,2} "
        r"(?:cuts|scars|self harm|cutting|burns|wounds)\b(?: [a-z]+){0,4} from (?:your |her |his |their |my )?"
        r"(?:parents|mum|mom|dad|family|teachers|school)\b",
        r"\b(?:cacher|cache|caches|cachez|dissimuler|dissimule)\b(?: [a-z]+){0,2} (?:cicatrices|coupures|blessures|"
        r"scarifications|marques)\b(?: [a-z]+){0,3} (?:a|aux) (?:tes |ses |vos |leurs )?(?:parents|profs|professeurs|famille)\b",
        r"\b(?:te|me|vous|nous) scarifi[a-z]*\b",
        r"\b(?:esconder|esconde|escondes|escondas|ocultar|oculta|ocultas|tapar|tapa)\b(?: [a-z]+){0,2} (?:los |tus |sus )?"
        r"(?:cortes|cicatrices|heridas|autolesiones)\b(?: [a-z]+){0,3} (?:a|de) (?:tus |sus |los )?(?:padres|familia|profesores)\b",
        r"\b(?:versteck|verbirg|verberg)[a-z]*\b(?: [a-z]+){0,2} (?:narben|schnitte|wunden|ritzwunden)\b(?: [a-z]+){0,4} "
        r"(?:vor )?(?:deinen |den |seinen |ihren )?(?:eltern|lehrern|familie)\b",
    ),
    # asked for the secret itself, to "us" or "me" (protective advice says "never send anyone your PIN")
    "scams": (
        r"\b(?:send|text|dm|email|message|give|tell|whatsapp) (?:us|me) (?:your|the) (?:card |bank |account )?"
        r"(?:pin|pins|tan|password|passcode|one time code|security code|login details|card details|otp)\b",
        r"\b(?:schick|schickt|schicken sie|sende|sendet|senden sie|gib|gebt|geben sie|nenn|nennen sie) (?:uns|mir) "
        r"(?:deine|ihre|eure) (?:pin|tan|passwort|zugangsdaten|kartennummer)\b",
        r"\b(?:envoyez|envoie|donnez|donne|communiquez|communique) (?:nous|moi) (?:votre|ton|ta|vos|tes) "
        r"(?:code|codes|pin|mot de passe|identifiants)\b",
        r"\b(?:envianos|enviame|mandanos|mandame|danos|dame|dinos|dime) (?:tu|su|el) (?:pin|clave|contrasena|codigo)\b",
    ),
}

# Appended to the lists of ``terms.base`` after ``round_10`` (see ``terms.__init__``).
ADDITIONS: tuple[tuple[str, dict], ...] = (("patterns", _PATTERNS_11),)
