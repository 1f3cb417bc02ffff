"""The gloss view's own word list (``gloss``): English senses for Spanish, French, German and Chinese
words the shipped dictionaries lack or open on a rare sense, so the heads read what a brief says.

FreeDict's spa-eng and fra-eng are small (no "pistola", "navaja", "droga", "suicidio", "cáncer",
"flingue") and hold lemmas only ("vender", not "vende"); ``gloss`` tries these words first, then the
dictionary, then each word's likely lemmas (``gloss.lemmas``: plural, feminine, verb endings,
enclitic pronouns), so a word here is written once, as its lemma, and covers its inflections. Written
from the category definitions as vocabulary families: the everyday and slang words of each harm
(Mexican, Argentine and Spain's Spanish, Québécois and verlan French, German street words), their
neutral neighbours where the dictionary's first sense misleads ("talento" -> "aptitude", "fait" ->
"mature", 说 -> "persuade"), and no phrase of any data set. Keys are lower-case without accents
(``gloss.fold``). Data only."""
from __future__ import annotations


def _pairs(block: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in block.split("|"):
        item = item.strip()
        if item:
            word, _, sense = item.partition(":")
            out[word.strip()] = sense.strip()
    return out


SPANISH = _pairs("""
    riesgo:risk|asesor:adviser|recordar:remind|indexado:index|
    tomar:take|beber:drink|comer:eat|dormir:sleep|salir:go out|entrar:enter|subir:climb|bajar:go down|caer:fall|
    saltar:jump|correr:run|caminar:walk|abrir:open|cerrar:close|buscar:look for|encontrar:find|ensenar:show|
    mostrar:show|explicar:explain|decir:say|contar:tell|hablar:talk|gritar:shout|reir:laugh|llorar:cry|besar:kiss|
    tocar:touch|abrazar:hug|enviar:send|pagar:pay|cobrar:charge|comprar:buy|regalar:give away|repartir:hand out|
    conseguir:get|usar:use|preparar:prepare|pintar:paint|escribir:write|publicar:post|grabar:film|filmar:film|
    posar:pose|sonreir:smile|dejar:leave|poner:put|quitar:take off|volver:come back|esperar:wait|robar:rob|
    asaltar:mug|atracar:hold up|golpe:blow|cuello:neck|garganta:throat|cuerpo:body|piel:skin|brazo:arm|
    mano:hand|muslo:thigh|cintura:waist|espalda:back|ojo:eye|boca:mouth|calle:street|barrio:neighbourhood|
    escuela:school|colegio:school|noche:night|fiesta:party|antro:nightclub|boliche:nightclub|discoteca:nightclub|
    bano:bathroom|coche:car|carro:car|auto:car|camioneta:van|vecino:neighbour|cajero:cashier|
    repartidor:delivery man|guardia:guard|policia:police|chico:boy|chica:girl|hombre:man|mujer:woman|
    gente:people|joven:young|amigo:friend|novio:boyfriend|novia:girlfriend|pareja:partner|esposa:wife|
    hijo:son|hija:daughter|madre:mother|padre:father|
    talento:talent|encuerar:strip naked|cama:bed|modelo:model|espejo:mirror|cantante:singer|presentador:presenter|
    rapero:rapper|pedir:ask for|si:if|llamar:call|ayuda:help|sentir:feel|querer:want|guardar:store|descargar:unload|
    bajo:under|llave:key|lejos:far|negro:black|blanco:white|sacar:take out|mirar:look|dar:give|tener:have|hacer:do|
    llevar:carry|cargar:load|actor:actor|actriz:actress|mientras:while|hacia:toward|abajo:down|frente:in front|
    delante:in front|camara:camera|video:video|anuncio:advert|spot:advert|seguidor:follower|
    droga:drug|drogar:drug|drogarse:take drugs|drogado:high on drugs|cocaina:cocaine|coca:cocaine|
    farlopa:cocaine|falopa:cocaine|merca:cocaine|frula:cocaine|
    raya:line|esnifar:snort|inhalar:inhale|jalon:hit|
    mota:weed|marihuana:marijuana|marijuana:marijuana|porro:joint|faso:joint|canuto:joint|peta:joint|
    hachis:hashish|chocolate:chocolate|fumar:smoke|fumarse:smoke|
    metanfetamina:methamphetamine|anfetamina:amphetamine|speed:speed|
    extasis:ecstasy|tacha:ecstasy pill|pirula:ecstasy pill|pasti:ecstasy pill|pastilla:pill|pildora:pill|
    heroina:heroin|chiva:heroin|jeringa:syringe|jeringuilla:syringe|inyectar:inject|inyectarse:inject|
    ketamina:ketamine|tusi:pink cocaine|lsd:lsd|acido:acid|hongos:mushrooms|
    narco:drug trafficker|narcotraficante:drug trafficker|traficante:trafficker|traficar:traffic drugs|
    camello:drug dealer|dealer:drug dealer|transa:drug dealer|vender:sell|
    venta:sale|menudeo:street dealing|gramo:gram|bolsita:baggie|papelina:wrap of drugs|dosis:dose|
    sobredosis:overdose|colocarse:get high|colocado:high|pacheco:stoned|
    arma:weapon|pistola:pistol|fierro:gun|fusca:gun|chumbo:gun|
    escopeta:shotgun|recortada:sawn-off shotgun|rifle:rifle|fusil:rifle|revolver:revolver|
    metralleta:submachine gun|ametralladora:machine gun|cuerno:horn|bala:bullet|balazo:gunshot|
    balacera:shootout|tiroteo:shooting|disparar:shoot|disparo:gunshot|rafaga:burst of gunfire|
    gatillo:trigger|cargador:magazine|municion:ammunition|cartucho:cartridge|apuntar:aim|
    encanonar:hold at gunpoint|cuchillo:knife|navaja:knife|machete:machete|punal:dagger|faca:knife|
    charrasca:knife|apunalar:stab|acuchillar:stab|punalada:stab|filerear:stab|
    bomba:bomb|explosivo:explosive|granada:grenade|detonar:detonate|amenazar:threaten|amenaza:threat|
    golpiza:beating|paliza:beating|madriza:beating|putiza:beating|golpear:hit|madrazo:punch|
    putazo:punch|trancazo:blow|patada:kick|patear:kick|punetazo:punch|cachetada:slap|bofetada:slap|
    matar:kill|asesinar:murder|asesino:murderer|sangre:blood|ensangrentado:bloodied|sangrar:bleed|
    tortura:torture|torturar:torture|degollar:slit the throat|estrangular:strangle|ahorcar:hang|
    romper:break|violar:rape|secuestrar:kidnap|herido:wounded|cadaver:corpse|muerto:dead|
    suicidio:suicide|suicidarse:commit suicide|suicida:suicidal|matarse:kill oneself|
    ahorcarse:hang oneself|tirarse:throw oneself off|aventarse:throw oneself off|lanzarse:throw oneself off|
    quitarse:take off|vida:life|morir:die|muerte:death|despedirse:say goodbye|
    cortarse:cut oneself|cortar:cut|muneca:wrist|vena:vein|cuchilla:razor blade|
    autolesion:self-harm|quemarse:burn oneself|quemar:burn|cicatriz:scar|
    vomitar:vomit|vomito:vomit|anorexia:anorexia|bulimia:bulimia|ayunar:starve|flaca:skinny|
    hueso:bone|costilla:rib|kilo:kilo|pesar:weigh|
    maricon:faggot|marica:faggot|joto:faggot|puto:faggot|trolo:faggot|travelo:tranny|
    bollera:dyke|tortillera:dyke|sudaca:spic|negrata:nigger|panchito:spic|moro:moor|
    bolita:bolivian slur|paragua:paraguayan slur|gitano:gypsy|judio:jew|
    simio:ape|basura:trash|escoria:scum|rata:rat|plaga:plague|parasito:parasite|
    invasor:invader|invasion:invasion|raza:race|inferior:inferior|esvastica:swastika|
    odio:hatred|odiar:hate|burlarse:mock|burla:mockery|acosar:harass|acoso:harassment|
    insultar:insult|humillar:humiliate|discriminar:discriminate|inmigrante:immigrant|
    extranjero:foreigner|vago:lazy|sucio:dirty|echar:throw out|expulsar:expel|
    desnudo:naked|desnudarse:undress|encuerado:naked|encuerarse:strip naked|follar:fuck|
    cachondo:horny|teta:tit|pecho:breast|seno:breast|culo:ass|nalga:buttock|sexo:sex|
    porno:porn|erotico:erotic|sensual:sensual|lenceria:lingerie|tanga:thong|masturbar:masturbate|
    masturbarse:masturbate|gemir:moan|gemido:moan|orgasmo:orgasm|pene:penis|chupar:suck|
    mamada:blowjob|explicito:explicit|pierna:leg|abierto:open|
    pie:foot|lamer:lick|oler:smell|latigo:whip|atar:tie up|atado:tied up|sumiso:submissive|
    dominar:dominate|dominatriz:dominatrix|cuero:leather|latex:latex|axila:armpit|
    nina:girl|nino:child|menor:minor|chaval:kid|chavala:girl|nena:little girl|
    colegiala:schoolgirl|escolar:schoolchild|adolescente:teenager|
    ano:year|solas:alone|
    votar:vote|voto:vote|candidato:candidate|eleccion:election|alcaldia:mayoralty|
    alcalde:mayor|campana:campaign|apoyar:support|respaldar:back|diputado:deputy|senador:senator|
    presidente:president|urna:ballot box|gorra:cap|
    falso:fake|noticia:news|inventado:made up|confesar:confess|admitir:admit|escandalo:scandal|
    bulo:hoax|mentira:lie|desviar:divert|
    seguir:follow|direccion:address|domicilio:home address|casa:house|vivir:live|ruta:route|
    vigilar:watch|espiar:spy on|acechar:stalk|rastrear:track|ubicacion:location|departamento:apartment|
    ganar:earn|dinero:money|ganancia:profit|garantizado:guaranteed|garantizar:guarantee|
    inversion:investment|invertir:invest|criptomoneda:cryptocurrency|cripto:crypto|sorteo:giveaway|
    premio:prize|depositar:deposit|deposito:deposit|transferencia:bank transfer|comision:fee|
    rendimiento:return|multiplicar:multiply|duplicar:double|estafa:scam|
    piramide:pyramid|curso:course|millonario:millionaire|rico:rich|mandar:send|
    cancer:cancer|curar:cure|cura:cure|quimio:chemo|quimioterapia:chemotherapy|insulina:insulin|
    diabetes:diabetes|diabetico:diabetic|medicamento:medication|medicina:medicine|
    tratamiento:treatment|vacuna:vaccine|vacunar:vaccinate|milagro:miracle|milagroso:miraculous|
    remedio:remedy|medico:doctor|autismo:autism|sida:aids|vih:hiv|asegurar:claim|
    cocina:kitchen|cocinar:cook|cebolla:onion|receta:recipe|
""")

FRENCH = _pairs("""
    prendre:take|boire:drink|manger:eat|dormir:sleep|sauter:jump|tomber:fall|courir:run|montrer:show|
    expliquer:explain|crier:shout|rire:laugh|pleurer:cry|embrasser:kiss|toucher:touch|envoyer:send|payer:pay|
    acheter:buy|vendre:sell|utiliser:use|casser:break|publier:post|filmer:film|poser:pose|sourire:smile|
    laisser:leave|aller:go|venir:come|rentrer:go home|attendre:wait|cou:neck|gorge:throat|tete:head|
    visage:face|corps:body|peau:skin|bras:arm|main:hand|cuisse:thigh|dos:back|yeux:eyes|bouche:mouth|
    rue:street|quartier:neighbourhood|ecole:school|nuit:night|soiree:party|toilettes:toilet|voiture:car|
    voisin:neighbour|caissier:cashier|livreur:delivery man|vigile:security guard|flic:cop|keuf:cop|
    police:police|gars:guy|fille:girl|homme:man|femme:woman|gens:people|jeune:young|ami:friend|pote:mate|
    copain:boyfriend|copine:girlfriend|fils:son|mere:mother|pere:father|
    talent:talent|noir:black|si:if|tu:you|as:have|appeler:call|quelqu:some|mec:guy|faut:must|
    traiter:call|fait:makes|faire:make|dit:says|dire:say|porte:carries|sort:takes out|sortir:take out|
    met:puts|mettre:put|devant:in front of|objectif:camera lens|camera:camera|pub:advert|
    beuh:weed|shit:hashish|bedo:joint|teushi:hashish|joint:joint|cannabis:cannabis|
    coke:cocaine|cocaine:cocaine|came:drugs|drogue:drug|stup:drugs|
    stupefiant:narcotic|dealeur:drug dealer|ecsta:ecstasy|
    cachet:pill|trace:line|rail:line|sniffer:snort|renifler:sniff|fumer:smoke|heroine:heroin|
    seringue:syringe|defonce:high|defoncer:get high|pochon:baggie|
    barrette:bar of hashish|speed:speed|meth:meth|crack:crack|
    flingue:gun|flinguer:shoot|calibre:gun|gun:gun|petoire:gun|arme:weapon|pistolet:pistol|
    fusil:rifle|kalach:kalashnikov|kalachnikov:kalashnikov|couteau:knife|lame:blade|cutter:box cutter|
    surin:knife|schlass:knife|machette:machete|braquer:aim a gun at|braquage:armed robbery|
    abattre:shoot dead|buter:kill|poignarder:stab|menacer:threaten|bombe:bomb|
    explosif:explosive|grenade:grenade|defigurer:disfigure|
    tabasser:beat up|frapper:hit|cogner:hit|massacrer:massacre|tuer:kill|sang:blood|
    saigner:bleed|torturer:torture|etrangler:strangle|egorger:slit the throat|gifler:slap|
    suicide:suicide|suicider:kill oneself|pendre:hang|scarifier:cut oneself|scarification:self-harm cutting|
    rasoir:razor|poignet:wrist|veine:vein|somnifere:sleeping pill|medicament:medication|avaler:swallow|
    vomir:vomit|maigrir:lose weight|os:bone|anorexie:anorexia|boulimie:bulimia|
    finir:end|crever:die|mourir:die|corde:rope|
    bougnoule:arab slur|bicot:arab slur|youpin:kike|feuj:jew|rebeu:arab|renoi:black|negro:nigger|
    negre:nigger|chinetoque:chink|tarlouze:faggot|
    tapette:faggot|gouine:dyke|travelo:tranny|sale:dirty|parasite:parasite|vermine:vermin|
    raciste:racist|harceler:harass|insulter:insult|moquer:mock|humilier:humiliate|juif:jew|
    musulman:muslim|immigre:immigrant|etoile:star|
    nu:naked|seins:breasts|sein:breast|nichon:tit|fesse:buttock|cul:ass|
    sexe:sex|porno:porn|gemir:moan|string:thong|lingerie:lingerie|
    deshabiller:undress|branler:jerk off|sucer:suck|
    pied:foot|aisselle:armpit|lecher:lick|fouet:whip|menotte:handcuff|attacher:tie up|soumis:submissive|
    laisse:leash|cuir:leather|
    gamine:little girl|gamin:kid|gosse:kid|mome:kid|fillette:little girl|ado:teenager|
    collegienne:schoolgirl|mineur:minor|ans:years old|aguicheur:provocative|lascif:lascivious|
    lascivement:lasciviously|maquille:made up|
    voter:vote|candidat:candidate|election:election|scrutin:ballot|municipales:local elections|
    parti:party|liste:list|soutenir:support|maire:mayor|depute:mp|abonne:follower|
    faux:fake|reportage:news report|avouer:confess|aveu:confession|invente:made up|
    rumeur:rumour|diffamer:defame|scandale:scandal|
    suivre:follow|adresse:address|domicile:home|habiter:live|trajet:route|
    itineraire:route|epier:spy on|traquer:hunt down|guetter:watch for|
    gagner:earn|argent:money|fric:money|thune:money|rendement:return|garanti:guaranteed|
    placement:investment|investir:invest|crypto:crypto|jeton:token|arnaque:scam|
    doubler:double|riche:rich|
    guerir:cure|guerison:cure|remede:remedy|traitement:treatment|arreter:stop|chimio:chemo|
    insuline:insulin|vaccin:vaccine|diabete:diabetes|cancer:cancer|miracle:miracle|
    chum:friend|depanneur:convenience store|
""")

GERMAN = _pairs("""
    talent:talent|kamera:camera|zeigt:shows|zeigen:show|ruft:calls|
    verticken:sell drugs|vertickt:sells drugs|kiffen:smoke weed|kifft:smokes weed|
    joint:joint|pille:pill|pillen:pills|koks:cocaine|koksen:snort cocaine|kokst:snorts cocaine|
    ballern:take drugs|drogen:drugs|droge:drug|dealer:drug dealer|dealt:deals drugs|spritze:syringe|
    wumme:gun|messer:knife|springmesser:switchblade|sticht:stabs|stechen:stab|
    zusticht:stabs|erstechen:stab to death|ersticht:stabs to death|erschiessen:shoot dead|
    erschiesst:shoots dead|schiessen:shoot|schiesst:shoots|waffe:weapon|bombe:bomb|
    umbringen:kill|toeten:kill|toetet:kills|
    ritzen:cut oneself|ritzt:cuts herself|selbstmord:suicide|suizid:suicide|springen:jump|
    tabletten:pills|hungern:starve|kotzen:vomit|
    nackt:naked|ausziehen:undress|zieht:pulls|
    kanake:foreigner slur|kanaken:foreigner slurs|neger:nigger|schwuchtel:faggot|ungeziefer:vermin|
    schmarotzer:parasite|ausraeuchern:smoke out|
    pruegeln:beat|pruegelt:beats|verpruegeln:beat up|verpruegelt:beats up|treten:kick|
    blut:blood|
    waehlen:vote|wahl:election|partei:party|
    folgen:follow|verfolgen:stalk|verfolgt:stalks|adresse:address|wohnung:flat|
    heilen:cure|heilt:cures|heile:cures|krebs:cancer|chemo:chemo|absetzen:stop taking|
    gewinn:profit|gewinne:profits|garantiert:guaranteed|einzahlen:deposit|
""")

# Chinese: a word here is glossed by this sense before CC-CEDICT's (and cut as a word even where
# CC-CEDICT lacks it); the longer compounds of the dictionary still win ("紫砂壶" is a teapot).
CHINESE = _pairs("""
    紫砂壶:clay teapot|紫砂锅:clay pot|紫砂杯:clay cup|紫砂茶具:clay tea set|说:say|粉丝:fans|被:by|打:beat|紫砂:suicide|割腕:slit wrists|麻古:meth pills|
    恋足:foot fetish|停药:stop medication|稳赚:guaranteed profit|
    嗨药:take drugs|
""")
