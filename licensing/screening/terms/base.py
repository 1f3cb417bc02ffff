"""The first lists of each category: curated terms, Chinese terms and phrase patterns, in English,
German, French, Spanish and Chinese. Later rounds append to them (``terms.__init__``)."""
from __future__ import annotations

from ._util import _PERSON, _WEAPON, _g, _split

# Curated terms per category (whole words after normalisation; a final "s"/"es" is also accepted).
# Deliberately left out because ordinary briefs use them: "shoot"/"shot" (photo shoot, espresso),
# "knife"/"gun"/"blade" alone (kitchen knife, gun-metal grey), "blood" (blood orange), "killer" (a
# killer smile), "baby" (baby blue), "vote"/"campaign"/"endorse" alone (ad campaigns, brand
# endorsements), "pill", "tea", "crypto" alone. Those are caught by the phrase patterns below, in context.
CATEGORY_TERMS: dict[str, tuple[str, ...]] = {
    "sexual": _split("""
        sex|sexual|sexually|sex tape|sex scene|porn|porno|pornography|pornographic|nude|nudes|naked|nudity|topless|
        bottomless|erotic|erotica|nsfw|orgasm|genitals|genitalia|penis|vagina|nipples|nipple|striptease|strip tease|
        stripper|intercourse|blowjob|handjob|hentai|onlyfans|having sex|lap dance|camgirl|milf|threesome|orgy|
        undressed|undressing|birthday suit|x rated|xrated|explicit sex|making love|make love|love making|lovemaking|
        in the nude|no clothes|without clothes|without any clothes|fully unclothed|unclothed|completely bare|
        strips naked|strip naked|wearing nothing|frisky|spicy content|nackt|nackte|nackten|nacktheit|erotisch|
        erotische|erotischen|oben ohne|ausziehen|zieht sich aus|geschlechtsverkehr|nue|nus|nues|nudite|erotique|
        seins nus|se deshabille|deshabiller|deshabille|faire l amour|scene de sexe|desnudo|desnuda|desnudos|desnudas|
        desnudez|erotico|erotica|sin ropa|se desnuda|desnudarse|hacer el amor|sexo|sexo explicito|escena de sexo|
        porno|
    """),
    "fetish": _split("""
        fetish|fetishes|foot fetish|feet fetish|foot worship|foot lover|bare soles|toe sucking|tickling fetish|bdsm|
        bondage|ball gag|gagged|dominatrix|latex bodysuit|armpit fetish|sweaty armpits|inflation fetish|giantess|vore|
        crush fetish|stockinged feet|dirty soles|tied up with rope|shibari|femdom|findom|fetisch|fussfetisch|
        fusssohlen|fesselspiele|knebel|gefesselt|fetichisme|fetichiste|fetiche|soumis|soumise|ligote|baillon|
        fetichismo|bondage|mordaza|plantas de los pies|pies descalzos fetiche|
    """),
    "minors": _split("""
        child|children|kid|kids|toddler|toddlers|infant|infants|minor|minors|underage|under age|preteen|pre teen|
        tween|tweens|schoolgirl|schoolboy|school girl|school boy|teen|teens|teenager|teenagers|teenage|little girl|
        little boy|young girl|young boy|elementary school|primary school|kindergarten|kindergartener|nursery school|
        loli|lolita|jailbait|barely legal|middle schooler|middle school|eighth grader|seventh grader|sixth grader|
        grade schooler|childlike|small boy|small girl|pigtails|pageant contestant|kinder|madchen|kleines madchen|
        junge|jugendliche|minderjahrig|minderjahrige|schulmadchen|zwolfjahrige|enfant|enfants|fillette|petite fille|
        petit garcon|mineur|mineure|adolescente|collegienne|ecoliere|nino|ninos|ninas|nina pequena|menor|menores|
        adolescente|colegiala|colegial|
    """),
    "violence": _split("""
        kill|killing|killed|murder|murdering|murdered|stab|stabbing|stabbed|behead|beheading|beheaded|decapitated|
        decapitation|massacre|torture|tortured|torturing|corpse|corpses|dead body|gore|gory|bloodbath|blood splatter|
        covered in blood|gunshot|shot dead|mass shooting|school shooting|terrorist attack|strangle|strangling|
        strangled|beating up|beat up|beaten up|bloodied|bruised and bloodied|kicking him|kicking her|brutal attack|
        assaulted|execution style|bleeding|bleeding out|mutilated|dismembered|set on fire|set him on fire|
        set her on fire|drown him|drown her|lynching|home invasion|teeth knocked out|thrown down the stairs|
        smashed against|zusammengeschlagen|verprugelt|ermordet|mord|blutuberstromt|blutig|erstochen|gewalt|uberfall|
        schlagerei|tabasser|tabasse|frappee|meurtre|poignarde|agresseurs|agression|ensanglante|paliza|golpeado|
        golpeada|ensangrentado|ensangrentada|asesinato|asesinado|apunalado|agresion|
    """),
    "weapons": _split("""
        pipe bomb|grenade|grenades|submachine gun|assault rifle|ak47|sniper scope|driveby|loaded handgun|loaded gun|
        revolver|machete|explosive vest|suicide vest|car bomb|molotov|gewehr|sturmgewehr|handgranate|bombe bauen|
        fusil|grenade|kalachnikov|escopeta|ametralladora|
    """),
    "self_harm": _split("""
        suicide|suicidal|kill myself|kill herself|kill himself|kill themselves|killing herself|killing himself|
        self harm|self harming|self injury|selfharm|cutting herself|cutting himself|cut herself|cut himself|
        slit wrists|slit her wrists|slit his wrists|slitting her wrists|slitting his wrists|hang herself|hang himself|
        hanging herself|hanging himself|overdose|overdosing|end it all|end her life|end his life|take her own life|
        take his own life|pro ana|thinspiration|thinspo|unalive|unalive herself|unalive himself|razor marks|
        wrists open|suicide note|ends everything|starving herself|starving himself|burning his own skin|
        burning her own skin|selbstmord|suizid|ritzt|ritzen|sich das leben nehmen|umbringen|suicider|se suicider|
        se scarifie|scarification|automutilation|suicidarse|suicidio|se corta las munecas|autolesion|
    """),
    "hate": _split("""
        nazi|nazis|neo nazi|neonazi|heil hitler|sieg heil|swastika|white power|white supremacy|white supremacist|
        ku klux klan|racial slur|racial slurs|ethnic cleansing|master race|hate speech|hate crime|genocide|
        antisemitic|nigger|nigga|faggot|kike|wetback|tranny|gas the jews|1488|sun wheel|subhuman|go back to africa|
        stiff armed salute|freaks and predators|hitlergruss|auslander raus|ungeziefer|rassistisch|rassistische|
        judenhass|salut nazi|insulte les juifs|insultos racistas|saludo nazi|
    """),
    "drugs": _split("""
        cocaine|coke lines|lines of coke|crack pipe|smoking crack|meth|methamphetamine|crystal meth|heroin|
        shooting up|fentanyl|ecstasy|mdma|lsd|acid trip|psilocybin|magic mushrooms|mushroom trip|ketamine|
        marijuana|cannabis|oxys|oxycodone|drug dealer|baggies|kokain|heroin|spritzt|koks|gras rauchen|cocaine|sniffe|
        joint de cannabis|drogue|drogues|cocaina|esnifa|marihuana|heroina|pastillas de extasis|droga|drogas|
    """),
    "political_endorsement": _split("""
        presidential|for president|
        for prime minister|for mayor|for senate|for congress|for governor|for parliament|political party|
        political campaign|political rally|political endorsement|republican|republicans|
        democrat|democrats|labour party|conservative party|tory party|tories|maga|re elect|reelect|vote labour|
        vote tory|vote conservative|vote republican|vote democrat|vote green|vote reform|vote liberal|vote snp|
        make america great again|presidential campaign|party leader|campaign rosette|
        wahlkampf|kandidaten|partei|voter pour|presidentielles|campagne electorale|
        candidat du parti|voten por|vote por|campana electoral|candidato del partido|
    """),
    "deceptive": _split("""
        fake news|fake confession|confession video|made to look real|made to look authentic|
        look authentic|realistic bulletin|arrested for fraud|arrested for|caught in bribery|bribery scandal|doctored|
        fake press conference|leaked looking|leaked clip|reporting her death|reporting his death|cnn style|cnn chyron|
        bbc bulletin|newspaper front page|admits on camera|confesses to|eilmeldung|gefalschtes gestandnis|verhaftet|
        flash info|fausse confession|arrete pour fraude|ultima hora|confesion falsa|detenido por fraude|
    """),
    "stalking": _split("""
        home address|actual address|real address|exact address|where she lives|where he lives|where they live|
        street she lives|street he lives|house number|daily route|jogging route|route with times|hidden camera|
        following her home|following him home|through her window|through her bedroom window|licence plate|
        license plate|tracking her phone|tracking his phone|phone location|lurking|hotel room number|private villa|
        spying|spy on|stalking|stalker|wohnadresse|hausnummer|durchs fenster|verfolgt|adresse personnelle|
        filmee par la fenetre|espionner|direccion de su casa|espiandola|espiandolo|la ruta que|
    """),
    "scams": _split("""
        100x|1000x|will moon|to the moon|pump and dump|guaranteed returns|guaranteed investment|double your money|
        get rich quick|pyramid scheme|downline|forex signals|forex signal|send 1 btc|send bitcoin|get twice back|
        get 2 back|multiply it|easy money|cannot lose|can t lose|returns guaranteed|casino app|verhundertfacht|
        geld verdoppeln|x100|doubler votre argent|multiplicara por cien|duplicar tu dinero|
    """),
    "medical": _split("""
        cures cancer|cure cancer|cures covid|cure covid|vaccines cause autism|vaccines cause|skip vaccines|
        reverses diabetes|reverse diabetes|throw away your insulin|stop insulin|stop your insulin|
        replace chemotherapy|instead of chemotherapy|miracle cure|miracle pill|miracle pills|
        clinically proven miracle|detox drops|heals arthritis|cures arthritis|avoid doctors|
        no need for your medication|stop your medication|stopping antidepressants|doctors hate|melt 20 kilos|
        heilt krebs|impfungen verursachen autismus|guerit le cancer|remplacent l insuline|cura el cancer|
        vacunas causan autismo|
    """),
}

# Chinese terms: matched as substrings of the brief's Chinese characters (no spaces to split on).
CJK_TERMS: dict[str, tuple[str, ...]] = {
    "sexual": ("裸", "全裸", "做爱", "性爱", "色情", "露骨", "脱光", "脱衣", "情色", "性交"),
    "fetish": ("恋足", "脚底", "捆绑", "口球", "调教", "恋物", "皮鞭", "滴蜡"),
    "minors": ("小女孩", "小男孩", "儿童", "幼女", "未成年", "初中生", "小学生", "萝莉", "十二岁", "十三岁", "十四岁", "女童", "男童",
                "八岁", "九岁", "十岁", "十一岁", "十五岁", "十六岁", "十七岁"),
    "violence": ("暴打", "殴打", "打得头破", "打得半死", "打得鼻青脸肿", "打得遍体鳞伤", "打得满脸", "打得浑身", "打得满地", "满脸是血", "杀人", "杀死", "砍死", "虐待", "血腥", "谋杀", "捅死"),
    "weapons": ("用枪指着", "枪指", "拿刀威胁", "持刀", "炸弹", "手榴弹", "步枪", "开枪"),
    "self_harm": ("自杀", "割腕", "自残", "跳楼", "轻生", "上吊"),
    "hate": ("滚出去", "害虫", "种族歧视", "纳粹", "劣等民族", "仇恨"),
    "drugs": ("可卡因", "海洛因", "吸毒", "大麻", "冰毒", "摇头丸", "注射毒品", "贩毒"),
    "political_endorsement": ("投票给", "竞选", "这位候选人", "某候选人", "党的候选人", "党候选人", "市长候选人", "州长候选人", "总统候选人", "议员候选人", "支持候选人", "为候选人", "候选人拉票", "为他站台", "为她站台", "选举这位", "选举他", "选举她", "政党", "拉票"),
    "deceptive": ("突发新闻", "被捕", "认罪", "伪造", "假新闻", "新闻联播"),
    "stalking": ("住址", "偷拍", "跟踪", "家门口", "门牌号", "行踪"),
    "scams": ("一百倍", "翻倍", "稳赚不赔", "保证收益", "传销", "暴富"),
    "medical": ("治愈癌症", "治癌", "导致自闭症", "包治百病", "神药", "停药"),
}

# Phrase patterns and word stems per category, over the normalised brief ("a b c", single spaces).
# Stems (``porn``, ``masturbat``) catch inflections and compounds in every language.
CATEGORY_PATTERNS: dict[str, tuple[str, ...]] = {
    "sexual": (
        r"\b(?:porn|masturbat|nackt|erotik|erotisch|deshabill|desnud)[a-z]*",
        r"\bstrips?" + _g(2) + r"(?:to nothing|naked|bare|nude|down to nothing)",
        r"\b(?:robe|dress|towel|clothes|bikini top|underwear)" + _g(3) + r"(?:slips? all the way off|comes? off completely|all the way off)",
        r"\bnothing left to the imagination\b",
        r"\bshowing everything\b",
        r"\b(?:wearing|in) nothing but\b",
        r"\bin bed with\b" + _g(3) + r"(?:explicit|naked|nude)",
        r"\bsex(?:ual)?(?:ly)? explicit\b",
        r"\bzieht sich" + _g(2) + r"aus\b",
    ),
    "fetish": (
        r"\b(?:her|his|bare|dirty|naked|sweaty|wrinkled) soles\b",
        r"\b(?:feet|toes|soles|arches|armpits?)\b" + _g(4) + r"(?:fetish|licked|licking|sniff|worship|tickled|lingering|close ?ups?)",
        r"\bclose ?ups?" + _g(3) + r"(?:feet|soles|toes|armpits?)\b",
        r"\bcamera" + _g(4) + r"(?:on|glued to) her" + _g(1) + r"(?:feet|toes|soles|arches)",
        r"\b(?:tramples?|trampling|crush(?:es|ed|ing)?|stepping on|stepping)" + _g(3) + r"(?:him|a man|men|tiny|chest)\b" + r"(?:.*\b(?:heel|heels|stiletto|stilettos|domination|under her))?",
        r"\btied up" + _g(3) + r"(?:rope|gag|harness|leather)",
        r"\b(?:fetisch|fetich)[a-z]*",
        r"\b(?:pieds nus|orteils)\b",
        r"\bpies descalzos\b|\bplantas de los pies\b",
        r"\bhot (?:candle )?wax on\b",
    ),
    "minors": (
        r"\b(?:age|de age|deage|de aged)" + _g(2) + r"(?:to|into) (?:a )?(?:child|kid|middle schooler|teen|teenager|schoolgirl|schoolboy)",
        r"\b(?:look|looks|looking|made to look) (?:about |around |like )?(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|\d|1[0-7])\b",
        r"\b(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|nine|eight|seven|six) year old\b",
        r"\b(?:her|his) younger self at (?:\d|1[0-7])\b",
        r"\b(?:zwolf|dreizehn|vierzehn|zehn|elf|funfzehn)jahrig",
        r"\b(?:kind|kinder|nina|nino|ninas|ninos|fillette|fillettes|enfant|enfants|madchen|child|children|kid|kids)\b" + _g(4) + r"(?:lingerie|lenceria|unterwasche|sous vetements|underwear|bikini|sexy|seductive|seductively|verfuhrerisch|sensual|sensuel|sensuelle|provocative|provocatively)\b",
        r"\b(?:dix|onze|douze|treize|quatorze|quinze) ans\b",
        r"\b(?:diez|once|doce|trece|catorce|quince) anos\b",
    ),
    "violence": (
        r"\b(?:beat|beats|beating|beaten|punch|punched|punching|kick|kicked|kicking|slapped|hit|hits)\b" + _g(2) + r"(?:up|repeatedly|until|to death|senseless|in the ribs|in the face|while he lies|while she lies)",
        r"\b(?:choked|strangled|beaten|stabbed|kicked|burned|burnt) to death\b",
        r"\bthrown down the stairs\b",
        r"\bsmash(?:es|ed|ing)? (?:a |the )?(?:bottle|chair|brick|bat|glass) over\b" + _g(2) + r"head\b",
        r"\bmugg(?:ing|ed|s)? at (?:knife|gun) ?point\b|\bat (?:knife|gun) ?point\b",
        r"\b(?:run|ran|runs) (?:her|him|them) over\b|\brun over deliberately\b|\bgets? run over\b",
        r"\bset (?:him|her|them|someone) on fire\b",
        r"\b(?:drown|drowns|drowning) (?:him|her|them)\b|\bholding (?:his|her) head under\b",
        r"\b(?:head|face) smashed\b",
        r"\blies? motionless\b|\blying broken\b",
        r"\bbrutal(?:ly)? (?:attack|beating|assault|beaten)",
        r"\bbruised and bloodied\b|\bbloodied\b",
        r"\bmob kicking\b",
        r"\b(?:mord|gewalt|ermord|blutuber|verprugel|zusammengeschlag|tabass|ensangrent|golpead|apunal)[a-z]*",
    ),
    "weapons": (
        r"\b(?:point|points|pointing|aim|aims|aiming|wave|waves|waving|brandish|brandishing|holds?|holding|pulls?|pulling|fires?|firing|threaten|threatens|threatening)\b" + _g(3) + _WEAPON + r"\b" + _g(3) + r"(?:at|on|(?<!next )to)\b" + _g(2) + _PERSON,
        r"\b(?:point|points|pointing|aim|aims|aiming|fires?|firing|levelling|leveling|levels?|trains?|training)\b" + _g(2) + _WEAPON + r" at\b",
        r"\bthreaten(?:s|ing)?\b" + _g(3) + r"with (?:a |the )?" + _WEAPON,
        r"\b" + _WEAPON + r" to (?:the |his |her )?(?:hostage s |hostages )?throat\b",
        r"\b(?:a |an )?(?:blade|knife) to\b" + _g(2) + r"throat",
        r"\bcarrying a (?:rifle|gun|shotgun)\b" + _g(3) + r"(?:school|classroom|classrooms|office|crowd)",
        r"\bloading a (?:gun|shotgun|rifle)\b",
        r"\b(?:grenade|bomb|pipe bomb) (?:tossed|thrown) into\b",
        r"\bbuilding a (?:pipe )?bomb\b|\bbombe bauen\b",
        r"\bdrive by (?:shooting|with)\b",
        r"\bspraying the street\b",
        r"\bbedroht\b" + _g(3) + r"(?:messer|pistole|waffe)|\brichtet\b" + _g(2) + r"(?:pistole|waffe|gewehr)",
        r"\bbraque\b" + _g(2) + r"(?:fusil|pistolet|arme)|\bmenace\b" + _g(3) + r"(?:couteau|pistolet|arme)",
        r"\bapunta\b" + _g(3) + r"(?:pistola|arma)|\bamenaza\b" + _g(3) + r"(?:cuchillo|pistola|arma)",
    ),
    "self_harm": (
        r"\b(?:suicid|selbstmord|automutil|autolesion)[a-z]*",
        r"\b(?:ready|about|going|wants?) to jump\b|\bledge of a (?:rooftop|roof|building|bridge)\b",
        r"\bswallow(?:s|ing)? (?:a )?(?:whole )?bottle of (?:sleeping )?pills\b",
        r"\brope from the ceiling\b|\bnoose\b",
        r"\bplastic bag over (?:his|her) head\b",
        r"\b(?:starving|starves) (?:herself|himself|themselves)\b|\bribs showing\b",
        r"\b(?:wrists?) (?:open|slit|cut)\b|\bbath of red water\b",
        r"\bstep(?:s|ping)? in front of a (?:train|bus|truck) on purpose\b",
        r"\b(?:burning|cutting|scratching) (?:his|her|their) (?:own )?(?:skin|arms|wrists)\b",
        r"\b(?:end|ends|ending) (?:everything|it all)\b",
        r"\bfarewell (?:letter|note)\b" + _g(3) + r"(?:before|then) (?:ending|killing|taking)\b",
        r"\bdas leben nehmen\b|\bse scarifi[a-z]*|\bse corta las munecas\b|\bsich die arme\b",
    ),
    "hate": (
        r"\b(?:immigrants|migrants|refugees|foreigners|muslims|jews|gays|gay people|trans (?:women|men|people)|blacks|black people|gypsies|roma|disabled people)\b" + _g(3) + r"(?:are|as|must|should|sent|deported|like)\b" + _g(3) + r"(?:rats|vermin|apes|animals|disease|subhuman|thieves|freaks|predators|sent home|deported|go home|invading|cured)",
        r"\bcomparing (?:black|jewish|muslim|gay) people to\b",
        r"\bgo back to (?:africa|your country|where you came from)\b",
        r"\bhook nosed\b",
        r"\bpulling (?:it|her hijab|the hijab) off\b|\bharasses? a woman in a hijab\b",
        r"\b(?:hitlergru|rassis|antisemit|judenhass)[a-z]*",
        r"\bsalut nazi\b|\bsaludo nazi\b|\binsultos racistas\b|\binsulte les juifs\b",
        r"\b(?:racist|homophobic|transphobic) (?:slurs?|abuse|insults?|chants?|jokes?|propaganda|poster|rant)\b",
        r"\bimmigres sont des\b|\binmigrantes son\b",
    ),
    "drugs": (
        r"\b(?:snort|snorting|snorts|sniff|sniffing)\b" + _g(2) + r"(?:lines?|coke|cocaine|powder|white)",
        r"\b(?:rolling|roll|smoking|smokes|passing) (?:a |the )?(?:fat )?(?:joint|blunt|spliff|weed|bong)\b",
        r"\bcooking meth\b|\bmeth lab\b|\btrailer lab\b",
        r"\b(?:drops?|dropping|popping|pops) (?:molly|acid|oxys|pills like candy|xanax|ecstasy)\b",
        r"\b(?:sells?|selling|dealing) (?:pills|drugs|coke|weed|ecstasy)\b",
        r"\bbags of (?:blow|coke|cocaine|powder)\b|\bbaggies of\b",
        r"\b(?:cut|cuts|spiked|laced) (?:it )?with (?:ketamine|mdma|drugs|coke)\b",
        r"\bcocaine fuelled\b|\bcoke fuelled\b",
        r"\b(?:lines|bags?|baggies|grams?) of (?:white )?powder\b",
        r"\b(?:kokain|heroin|cocain|marihuan|marijuan|drogu|drogas?)\b[a-z]*",
    ),
    "political_endorsement": (
        r"\b(?:vote|votes|voting|vot|v0te) (?:for|4)\b" + _g(2) + r"(?:senator|candidate|governor|mayor|president|party|congressman|congresswoman|mp|councillor)\b",
        r"\b(?:vote|voting) for (?:senator|governor|mayor|president|congress(?:man|woman)?|[a-z]+ [a-z]+ for (?:president|mayor|senate|governor))\b",
        r"\bvote (?:for )?[a-z]+ (?:[a-z]+ )?(?:this|on) (?:november|tuesday|election|polling)\b",
        r"\b(?:endorsing|endorses|backing|backs|supporting|supports|cheering for)\b" + _g(2) + r"(?:candidate|party s candidate|party leader|senator|governor|mayor|for parliament|for president|for congress|campaign)\b",
        r"\b(?:re elect|reelect)\b",
        r"\bnever vote for\b|\bonly the [a-z]+ (?:list|party) deserves?\b|\bwho to (?:vote|pick) (?:for|on polling day)\b|\bwho to pick on polling day\b",
        r"\bdonations? to the (?:presidential |election |political )?campaign\b",
        r"\bvote (?!for |to |now |today |here )[a-z]+ [a-z]+$|\bremember vote\b",
        r"\b(?:election|electoral) (?:poster|posters|ad|ads|advert|leaflet|leaflets|banner|billboard|flyer|flyers)\b",
        r"\bcampaign rosette\b|\brosette for the\b" + _g(1) + r"(?:candidate|party)\b|\basking for (?:your|their|people s) votes?\b|\bflyers for the\b" + _g(1) + r"candidate\b",
        r"\bhis support for the referendum\b|\bleave side\b|\bremain side\b",
        r"\b(?:zu wahlen|wahlt|wahlen sie)\b|\bunterstutzt den kandidaten\b",
        r"\bvoter pour\b|\bsoutient la campagne\b|\bcampagne electorale\b",
        r"\bvoten? por\b|\bapoya la campana\b|\bcampana electoral\b",
    ),
    "deceptive": (
        r"\b(?:arrested|detained|charged|jailed|indicted|convicted) for (?:fraud|tax|theft|bribery|murder|abuse|drugs|assault)\b",
        r"\bfake (?:confession|press conference|news|interview|statement|apology|tweet|bulletin|video)\b",
        r"\b(?:confess|confesses|confessing|admits|admitting) (?:to|on camera)\b",
        r"\b(?:made|make it|designed) (?:to )?look (?:real|authentic|like a real|genuine)\b",
        r"\b(?:apologis|apologiz)(?:es|ing) for a crime\b",
        r"\breporting (?:her|his|their) death\b",
        r"\b(?:doctored|fake|police) mugshot\b|\bmugshot with a police caption\b",
        r"\btweet screenshot\b|\bleaked (?:looking )?(?:phone )?(?:clip|video|audio|memo)\b",
        r"\b(?:cnn|bbc|fox news|tagesschau) (?:style|chyron|bulletin)\b|\bstyle journal televise\b|\bestilo noticiero\b",
        r"\bcaught in (?:a )?(?:bribery|fraud|sex|drug|tax) scandal\b|\btested positive\b" + _g(3) + r"scandal",
        r"\bdeclaring bankruptcy\b|\bsaying she hates her fans\b|\bfaked (?:her|his) charity\b",
        r"\bgestandnis\b|\bverhaftet\b|\bfausse confession\b|\barrete pour\b|\bconfesion falsa\b|\bdetenido por\b",
    ),
    "stalking": (
        r"\b(?:outside|in front of|near|at) (?:her|his|their) (?:actual|real|private|own) (?:home|house|flat|apartment|address)\b",
        r"\b(?:where|the street) (?:she|he|they) (?:really |actually )?lives?\b",
        r"\b(?:daily|morning|evening) (?:jogging |running |commute |walking )?route\b|\broute with times\b",
        r"\bfollow(?:ed|ing|s)? (?:her|him|them) (?:home|from|to)\b|\bfollowed by a hidden camera\b",
        r"\bthrough (?:her|his|their) (?:bedroom |bathroom |kitchen )?window\b",
        r"\bwhere (?:her|his) (?:kids|children) go to school\b|\bwhen they get picked up\b",
        r"\b(?:licence|license) plate\b" + _g(4) + r"(?:uses|park|every)",
        r"\btracking (?:her|his|their) (?:phone|car|location)\b",
        r"\bexact address\b|\bhome address\b|\bhotel room number\b",
        r"\bdrone hovering outside\b|\blurking in (?:her|his) garden\b",
        r"\b(?:wohnadresse|hausnummer)\b|\bdurchs fenster\b|\b(?:in der|die strasse in der) er wohnt\b|\badresse personnelle\b|\bfilmee par la fenetre\b|\btrajet qu (?:elle|il) fait\b|\bdireccion de su casa\b|\bespiandol[ao]\b|\bla ruta que (?:el|ella) sigue\b",
    ),
    "scams": (
        r"\b(?:crypto|token|coin|nft|memecoin)\b" + _g(5) + r"(?:100x|1000x|10x|moon|moons|cannot lose|can t lose|guaranteed)",
        r"\b(?:100x|1000x) by\b",
        r"\bsend \d+ (?:btc|eth|bitcoin)\b|\bsend (?:bitcoin|crypto|btc|eth)\b" + _g(3) + r"(?:back|double|twice)",
        r"\bdouble (?:your|their) (?:money|savings|crypto)\b",
        r"\b\d{3,4} returns guaranteed\b|\breturns guaranteed\b|\bguaranteed (?:returns|profit|income)\b|\b\d{3,4} returns\b",
        r"\bpay (?:the |a )?(?:shipping|small|processing) fee to claim\b",
        r"\bwire (?:your|their) savings\b",
        r"\bmillionaire\b" + _g(3) + r"(?:bot|secret|system|app)|\bsecret trading bot\b",
        r"\basking for gift cards\b|\bpay (?:in|with) gift cards\b",
        r"\bget rich quick\b|\bpump and dump\b|\bpyramid (?:scheme|downline)\b",
        r"\b(?:verhundertfacht|verdoppeln|multiplicara|duplicar tu dinero|doubler votre argent)\b",
    ),
    "medical": (
        r"\b(?:cures?|heals?|reverses?|prevents?|treats?) (?:cancer|cancr|cancre|diabetes|covid|autism|arthritis|heart attacks|hiv|depression|alzheimer)",
        r"\b(?:vaccines?|vaccination) (?:cause|causes) ",
        r"\b(?:stop|stopping|quit|skip|throw away|replace|replacing|instead of|avoid|no need for) (?:your |their |taking )?(?:insulin|chemotherapy|chemo|medication|medicine|antidepressants|vaccines|them|doctors)\b",
        r"\b(?:melt|lose|drop) \d+ (?:kilos|kg|pounds|lbs)\b" + _g(2) + r"(?:month|week|days)",
        r"\bbleach (?:drink|drinks|cures|kills)\b|\bdrink(?:ing)? bleach\b",
        r"\bdoctors hate\b|\bmiracle (?:cure|pill|cream|tea|supplement)\b",
        r"\b(?:heilt|guerit|cura|curan) (?:krebs|le cancer|el cancer)\b|\bimpfungen verursachen\b|\bvacunas causan\b|\bremplacent l insuline\b",
    ),
}
