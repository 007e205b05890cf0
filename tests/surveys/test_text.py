import pytest
from pydantic import ValidationError

from app.surveys.definition import Page
from app.surveys.text import render


def test_small_markup_is_rendered_and_everything_else_escaped():
    html = str(render("*Vous* **seul** [site](https://example.be) <script>alert(1)</script>"))
    assert "<em>Vous</em>" in html and "<strong>seul</strong>" in html
    assert '<a href="https://example.be">site</a>' in html
    assert "<script>" not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize("link", ["[x](javascript:alert(1))", '[x](https://a.be" onclick="x)'])
def test_dangerous_links_stay_text(link):
    html = str(render(link))
    assert "<a " not in html or 'onclick="' not in html
    assert "javascript:" not in html or "<a" not in html


def test_piping_escapes_the_piped_answer():
    html = str(render("Pourquoi ${mode} ?", {"mode": "<b>bus</b>"}))
    assert html == "Pourquoi &lt;b&gt;bus&lt;/b&gt; ?"


def test_text_languages_are_checked():
    with pytest.raises(ValidationError, match="unknown language xx"):
        Page.model_validate(
            {
                "id": "p",
                "title": {"fr": "a", "xx": "b"},
                "questions": [{"id": "n", "type": "note", "label": "x"}],
            }
        )


def test_a_star_in_an_address_cannot_leave_a_tag_open():
    html = str(render("**[x](https://a.be/**)** *a*"))
    assert html.count("<strong>") == html.count("</strong>")
    assert html.count("<em>") == html.count("</em>")
    assert '<a href="https://a.be/**">x</a>' in html
