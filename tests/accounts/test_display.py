"""Money in the viewer's locale, human names, friendly refusals, and production error pages."""
import pytest

from accounts.display import channel_name, money, negotiate_locale, percent, plain_reason, territory_name


def test_money_is_formatted_from_minor_units_in_the_viewers_locale():
    assert money(25000, "gbp", "en_GB") == "£250.00"
    assert money(25000, "eur", "fr_FR").replace("\u202f", " ").replace("\xa0", " ") == "250,00 €"
    assert money(5, "usd", "en_US") == "$0.05"
    assert money(-250, "gbp", "en_GB") == "-£2.50"
    assert negotiate_locale("fr-FR,fr;q=0.9,en;q=0.8") == "fr_FR"
    assert negotiate_locale("xx-YY") == "en_GB" and negotiate_locale("") == "en_GB"


@pytest.mark.parametrize(("rate", "locale", "shown"), [
    (20.0, "en_GB", "20%"), (7.5, "en_GB", "7.5%"), (20.0, "de_DE", "20\xa0%"), ("7.5", "fr_FR", "7,5\xa0%"),
    (8.875, "en_US", "8.875%"), (0, "en_GB", "0%"), (19, "ja_JP", "19%"), (None, "en_GB", ""), ("n/a", "en_GB", ""), ("NaN", "en_GB", ""),
])
def test_a_tax_rate_reads_as_a_percentage_in_the_viewers_locale(rate, locale, shown):
    assert percent(rate, locale) == shown


def test_human_names_and_plain_reasons():
    assert channel_name("organic_social") == "Organic social media"
    assert territory_name("GB", "en_GB") == "United Kingdom" and territory_name("") == "Worldwide"
    text = 'Ava: refused by the rule “no alcohol” (similarity 0.77 of "beer" to "alcohol").'
    assert plain_reason(text) == "Ava: refused by the rule “no alcohol” (“beer” reads as “alcohol”)."
    assert "Error" not in plain_reason("'x' is not readable (UnidentifiedImageError).")


@pytest.mark.django_db
def test_pages_show_money_in_the_accept_language_locale(client):
    from tests.factories import listed_likeness

    likeness, _ = listed_likeness(price_minor=25_000)
    page = client.get(f"/market/{likeness.pk}/", HTTP_ACCEPT_LANGUAGE="en-GB").content.decode()
    assert "£250.00" in page and "minor" not in page
    page = client.get(f"/market/{likeness.pk}/", HTTP_ACCEPT_LANGUAGE="fr-FR").content.decode()
    assert "250,00" in page


@pytest.mark.django_db
def test_unknown_urls_get_the_product_404_not_the_route_list(client):
    r = client.get("/no/such/page/")
    body = r.content.decode()
    assert r.status_code == 404 and "We can't find that page" in body and "URLconf" not in body and "api/schema" not in body
