"""Harassment of a person for their body, a disability or their looks: mocking, ridiculing or
humiliating someone named by what sets them apart ("she mocks a fat classmate", "laughing at his
stutter", "se burla de un compañero gordo", "se moque d'un camarade handicapé", "macht sich über den
dicken Mitschüler lustig"). The heads read such a brief as benign (it has no slur and no violence);
before the awareness frame only the word "bullying" caught it. Written from the category's definition
(hate and harassment), each a family of wordings: a mocking verb, then within a few words a trait
and a person, or a possessive and a trait of the body ("her weight", "his wheelchair"). Not "her own
weight" (self-deprecation), and not after "stop", "never", "not to" or "don't" (a campaign's plea).
Filed under ``hate``."""
from __future__ import annotations

from ._util import _g

_NOT_A_PLEA = r"(?<!stop )(?<!never )(?<!not to )(?<!dont )(?<!no more )(?<!instead of )(?<!against )"

_MOCK = (
    r"(?:mock(?:s|ed|ing)?|ridicul(?:e|es|ed|ing)|mak(?:e|es|ing) fun of|made fun of|pok(?:e|es|ed|ing) fun at|"
    r"laugh(?:s|ed|ing)? at|humiliat(?:e|es|ed|ing)|taunt(?:s|ed|ing)?|jeer(?:s|ed|ing)? at|sneer(?:s|ed|ing)? at|"
    r"belittl(?:e|es|ed|ing)|body sham(?:e|es|ed|ing)|fat sham(?:e|es|ed|ing)|pick(?:s|ed|ing)? on|"
    r"imitat(?:e|es|ed|ing)|mimic(?:s|ked|king)?)"
)
_TRAIT = (
    r"(?:fat|obese|overweight|chubby|ugly|disabled|handicapped|crippled|deformed|blind|deaf|autistic|retarded|"
    r"stuttering|stammering|pimply|acne covered|scarred|dwarf|midget|limping|wheelchair bound|wheelchair using|"
    r"down syndrome|special needs|gay|trans|lesbian|queer)"
)
_PERSON = (
    r"(?:classmates?|kids?|child|children|students?|pupils?|girls?|boys?|man|men|woman|women|guys?|persons?|people|"
    r"coworkers?|co workers?|colleagues?|neighbou?rs?|strangers?|customers?|waiters?|waitress|fans?|teammates?|"
    r"sister|brother|cousin|employees?|interns?|cashiers?|passengers?|teenagers?|teens?|players?|viewers?|"
    r"followers?|lady|ladies|gentleman|schoolmates?|friends?|users?)"
)
_BODY = (
    r"(?:weight|size|stutter|stammer|lisp|disability|disabilities|wheelchair|crutches|hearing aids?|prosthetic(?: leg| arm)?|"
    r"acne|scars?|birthmark|limp|looks|appearance|body|belly|rolls|double chin|teeth|skin condition)"
)

_PATTERNS = {
    "hate": (
        _NOT_A_PLEA + r"\b" + _MOCK + r"\b" + _g(3) + _TRAIT + r" " + _PERSON + r"\b",
        _NOT_A_PLEA + r"\b" + _MOCK + r" (?:his|her|their|the other s|a classmate s) (?!own\b)(?:[a-z]+ )?" + _BODY + r"\b",
        # Spanish, French and German: the verb, then within a few words the trait
        r"\b(?:se burlan? de|burlandose de|se rien? de|riendose de|humillan?|humillando a|ridiculizan?|ridiculizando a)\b" + _g(3)
        + r"(?:gordos?|gordas?|obesos?|obesas?|discapacitados?|discapacitadas?|feos?|feas?|cojos?|cojas?|ciegos?|ciegas?|sordos?|"
        r"sordas?|tartamudos?|tartamudas?|en silla de ruedas|con sobrepeso)\b",
        r"\b(?:se moque(?:nt)? d|se moquant d|ridiculise(?:nt)?|ridiculisant|humilie(?:nt)?|humiliant|se fiche(?:nt)? d)\b" + _g(3)
        + r"(?:gros|grosse|grosses|obeses?|handicapes?|handicapees?|moches?|laids?|laides?|aveugles?|sourds?|sourdes?|begues?|"
        r"en fauteuil roulant|en surpoids)\b",
        r"\b(?:macht|machen|machte|machten) sich (?:uber|ueber)\b" + _g(3)
        + r"(?:dick|dicke|dicken|dicker|fett|fette|fetten|behindert|behinderte|behinderten|hasslich|hassliche|hasslichen|"
        r"stotternd|stotternde|stotternden|im rollstuhl)\b" + _g(3) + r"lustig\b",
        r"\b(?:verspottet|verspotten|verhohnt|verhohnen|demutigt|demutigen|mobbt|mobben)\b" + _g(3)
        + r"(?:dick|dicke|dicken|dicker|fett|fette|fetten|behindert|behinderte|behinderten|hasslich|hassliche|hasslichen|"
        r"stotternd|stotternde|stotternden|im rollstuhl)\b",
    ),
}

# Appended, in this order, to the lists of ``terms.base`` (see ``terms.__init__``).
ADDITIONS: tuple[tuple[str, dict], ...] = (("patterns", _PATTERNS),)
