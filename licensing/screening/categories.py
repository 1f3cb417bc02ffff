"""The screening categories, what the talent reads about each, and which of them a holder may relax.

Pure and Django-free: the one place the relaxation rules live. Services (``controls_update``), pages
(the controls form) and the consent/minors work all ask ``relaxable_categories``.
"""
from __future__ import annotations

SENSITIVE_CATEGORIES: tuple[str, ...] = (
    "sexual",
    "fetish",
    "minors",
    "violence",
    "weapons",
    "self_harm",
    "hate",
    "drugs",
    "political_endorsement",
    "deceptive",
    "stalking",
    "scams",
    "medical",
)

CATEGORY_LABELS: dict[str, str] = {
    "sexual": "sexual content",
    "fetish": "fetish and body-part fixation",
    "minors": "minors",
    "violence": "violence",
    "weapons": "weapons used against people",
    "self_harm": "self-harm and suicide",
    "hate": "hate and harassment",
    "drugs": "illegal drugs",
    "political_endorsement": "political endorsement",
    "deceptive": "deceptive news and claims about the person",
    "stalking": "stalking and personal locations",
    "scams": "financial scams",
    "medical": "unproven medical claims",
}

# One line each, shown to the talent beside the category.
CATEGORY_DEFINITIONS: dict[str, str] = {
    "sexual": "Nudity, sex, sexually explicit or strongly suggestive images of you.",
    "fetish": "Fetish content and fixation on body parts (feet, soles, armpits), bondage, domination.",
    "minors": "Anything sexual or suggestive involving children, teenagers or people made to look under 18.",
    "violence": "Violence against anyone, you included: beatings, killing, torture, blood and injury.",
    "weapons": "Guns, knives, bombs or other weapons pointed at, used on or threatening people.",
    "self_harm": "Suicide, self-harm, eating disorders shown as goals.",
    "hate": "Hate against people for who they are, slurs, extremist symbols, harassment.",
    "drugs": "Taking, making or selling illegal drugs.",
    "political_endorsement": "You endorsing a candidate, party or side, or telling people how to vote.",
    "deceptive": "Fake news, fake confessions, fake statements or defamatory claims about you.",
    "stalking": "Where you live or go: your home, address, routes, being followed or watched.",
    "scams": "Get-rich promises, crypto pumps, guaranteed returns, giveaways that take money.",
    "medical": "Cures and health claims without proof, telling people to stop their treatment.",
}

# The same lines where the holding is an IP asset (a character, a brand's mascot): its studio reads
# them, so "you" would be the studio; the other categories read the same for both.
CATEGORY_DEFINITIONS_IP_ASSET: dict[str, str] = {
    "sexual": "Nudity, sex, sexually explicit or strongly suggestive images of the character.",
    "violence": "Violence against anyone, the character included: beatings, killing, torture, blood and injury.",
    "political_endorsement": "The character endorsing a candidate, party or side, or telling people how to vote.",
    "deceptive": "Fake news, fake confessions, fake statements or defamatory claims about the character or its makers.",
    "stalking": "Where a real person lives or goes: a home, an address, routes, being followed or watched.",
}


def category_definition(category: str, *, kind: str = "likeness") -> str:
    """The one line a holder reads about ``category``: a likeness's talent (``kind="likeness"``) or
    an IP asset's studio (``kind="ip_asset"``)."""
    if kind == "ip_asset":
        return CATEGORY_DEFINITIONS_IP_ASSET.get(category, CATEGORY_DEFINITIONS[category])
    return CATEGORY_DEFINITIONS[category]


# Never relaxable by anyone: these protect the person and third parties, not the holder's taste.
NEVER_RELAXABLE = frozenset({"minors", "stalking", "deceptive", "self_harm", "hate", "scams", "medical"})
# Relaxable by any adult holder (fiction: action films, thrillers, crime dramas).
ADULT_RELAXABLE = frozenset({"violence", "weapons", "drugs"})

PROFILE_GENERAL = "general"
PROFILE_POLITICIAN = "politician"
PROFILE_ADULT_PERFORMER = "adult_performer"
PROFILES = {
    PROFILE_GENERAL: "Talent",
    PROFILE_POLITICIAN: "Politician (may allow endorsements for their own campaign)",
    PROFILE_ADULT_PERFORMER: "Adult performer (may allow sexual and fetish content)",
}


def relaxable_categories(*, is_minor: bool, profile: str = PROFILE_GENERAL, kind: str = "likeness") -> frozenset[str]:
    """The categories this holder may relax (all others stay blocked whatever they ask).

    * a likeness of someone under 18: nothing at all;
    * never minors, stalking, deceptive claims, self-harm, hate, scams or medical claims;
    * any adult (or an IP asset): violence, weapons, drugs (fiction);
    * a politician: political endorsement too (for their own campaign);
    * an adult performer: sexual content and fetish too (never for an IP asset: a character is not a performer).
    """
    if is_minor:
        return frozenset()
    out = set(ADULT_RELAXABLE)
    if profile == PROFILE_POLITICIAN:
        out.add("political_endorsement")
    if profile == PROFILE_ADULT_PERFORMER and kind == "likeness":
        out |= {"sexual", "fetish"}
    return frozenset(out - NEVER_RELAXABLE)


def category_choices() -> list[tuple[str, str]]:
    return [(c, CATEGORY_LABELS[c]) for c in SENSITIVE_CATEGORIES]
