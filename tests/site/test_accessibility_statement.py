"""The accessibility statement: honest status, what was tested, limits, how to report a problem
and where to turn next; French first, reached from every page's footer."""

from html import unescape


def test_the_statement_says_the_status_the_tests_and_the_way_to_complain(client):
    r = client.get("/accessibilite", headers={"Accept-Language": "fr"})
    html = unescape(r.get_data(as_text=True))
    assert r.status_code == 200 and "<h1>Déclaration d'accessibilité</h1>" in html
    assert "partiellement conforme à la norme européenne EN 301 549" in html
    assert "WCAG) 2.1, niveau AA" in html
    assert "axe-core" in html and "clavier seul" in html and "VoiceOver" in html
    assert "Limites connues" in html and "Signaler un problème" in html
    assert "dans les 30 jours" in html
    assert "Médiateur de la Wallonie" in html and 'href="https://www.le-mediateur.be"' in html
    assert "CPAS ou à la maison communale" in html  # no contact address configured


def test_a_configured_address_is_given(app, client):
    app.config["ACCESSIBILITY_CONTACT"] = "acces@example.be"
    html = client.get("/accessibilite").get_data(as_text=True)
    assert '<a href="mailto:acces@example.be">acces@example.be</a>' in html


def test_other_languages_read_it_in_theirs(client):
    r = client.get("/accessibilite", headers={"Accept-Language": "nl"})
    html = unescape(r.get_data(as_text=True))
    assert "Toegankelijkheidsverklaring" in html and "gedeeltelijk" in html


def test_every_page_links_to_it_from_its_footer(client):
    html = client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    footer = html.split('<footer class="site-footer">')[1]
    assert '<a href="/accessibilite">Accessibilité</a>' in footer
