"""Charts: drawn from the protected tables only, safe in the page, and plotly kept off the
respondent's path."""

import json
import re
import subprocess
import sys

from app.analysis.disclosure.suppression import Line, protect
from app.analysis.render.charts import charts
from app.analysis.results.model import QuestionResult, Table
from tests.analysis.helpers import add


def figure_of(html: str, question: str) -> dict:
    found = re.search(rf'id="chart-{question}-data">(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


def test_a_chart_draws_shown_counts_only(client, app, survey, make_user, login):
    add(30, age_band="65_plus")
    add(14, age_band="30_64")
    add(3, age_band="under_30")
    login(make_user("committee"))
    html = client.get("/analyse/every-type").get_data(as_text=True)
    bars = figure_of(html, "age_band")["data"][0]
    assert bars["x"] == [None, None, round(100 * 30 / 47, 1)]  # « < 10 » and • have no bar
    assert bars["y"][0].endswith("(< 10)") and bars["y"][1].endswith("(•)")
    assert bars["text"] == [None, None, "64 %"]


def test_a_matrix_is_drawn_as_diverging_bars(app):
    scale = {"easy": "Facile", "hard": "Difficile", "impossible": "Impossible"}
    rows = [
        Table("GP", scale, protect({"easy": 20, "hard": 10, "impossible": 10}, 10), "gp"),
        Table("Shops", scale, protect({"easy": 2, "hard": 20, "impossible": 18}, 10), "shops"),
    ]
    with app.test_request_context():
        figure = json.loads(str(charts([QuestionResult("m", "M", 40, rows)], 10)["m"].figure))
    assert figure["layout"]["barmode"] == "relative"
    easy = [t for t in figure["data"] if t["name"] == "Facile"]
    assert easy[0]["x"] == [-50.0, None]  # left of zero; the hidden « < 10 » has no bar
    middle = [t["x"][0] for t in figure["data"] if t["name"] == "Difficile"]
    assert middle == [-12.5, 12.5]  # the middle point split across zero
    # the row with a gap says so; the whole one does not
    rows = easy[0]["y"]
    assert rows[0] == "GP" and rows[1].replace("<br>", " ") == "Shops (chiffres masqués)"


def test_labels_cannot_close_the_script_element(app):
    label = "</script><script>alert(1)</script> & co"
    line = protect({"a": 20, "b": 15}, 10)
    result = QuestionResult("q", label, 35, [Table(None, {"a": label, "b": "B"}, line)])
    with app.test_request_context():
        figure = str(charts([result], 10)["q"].figure)
    assert "<" not in figure and ">" not in figure and "&" not in figure
    assert json.loads(figure)["data"][0]["y"][0].startswith("</script>")


def test_nothing_to_draw_when_everything_is_hidden(app):
    line = Line(dict(protect({"a": 3, "b": 4}, 10).cells), None)
    result = QuestionResult("q", "Q", None, [Table(None, {"a": "A", "b": "B"}, line)])
    with app.test_request_context():
        assert charts([result], 10) == {}


def test_plotly_pandas_and_numpy_stay_off_the_respondents_path(tmp_path):
    script = f"""
import sys
from app import create_app
app = create_app({{"SQLALCHEMY_DATABASE_URI": "sqlite:///{tmp_path}/x.db",
                  "INSTANCE_PATH": "{tmp_path}", "SECRET_KEY": "x" * 32}})
client = app.test_client()
for path in ("/", "/s/nope", "/api/v1/surveys"):
    client.get(path)
print(sorted(m for m in ("plotly", "pandas", "numpy") if m in sys.modules))
"""
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_a_scale_listed_best_first_is_drawn_from_worst_to_best(
    client, app, tmp_path, make_user, login
):
    """A review's case: « mobilite » lists « Très facile » first, and the chart put it in dark
    red on the negative side, with « Je n'y vais pas » at the difficult end. The definition now
    says which way its scale goes, and which answers are on no side."""
    from app.extensions import db
    from app.surveys.services import load_paths
    from tests.conftest import EVERY_TYPE

    text = EVERY_TYPE.read_text("utf-8").replace(
        """        scale:
          - {id: easy, label: Facile}
          - {id: hard, label: Difficile}
          - {id: impossible, label: Impossible}""",
        """        scale_order: positive_first
        scale:
          - {id: easy, label: Facile}
          - {id: hard, label: Difficile}
          - {id: impossible, label: Impossible}
          - {id: never, label: Je n'y vais pas, missing: true}""",
    )
    assert "scale_order" in text
    path = tmp_path / "every-type.yaml"
    path.write_text(text, "utf-8")
    load_paths([path])
    db.session.commit()
    add(20, access={"gp": "easy", "shops": "hard", "cpas": "never"})
    add(12, access={"gp": "impossible", "shops": "easy", "cpas": "easy"})
    login(make_user("committee"))
    figure = figure_of(client.get("/analyse/every-type").get_data(as_text=True), "access")
    by_name = {}
    for trace in figure["data"]:
        by_name.setdefault(trace["name"], []).append(trace)
    impossible, easy = by_name["Impossible"][0], by_name["Facile"][0]
    assert impossible["x"][0] < 0 and impossible["marker"]["color"] == "#b2182b"  # worst: red
    assert easy["x"][0] > 0 and easy["marker"]["color"] == "#2166ac"  # best: blue, right
    never = by_name["Je n'y vais pas"][0]
    assert (
        never["xaxis"] == "x2"
        and never["marker"]["color"].startswith("#")
        and all(v is None or v >= 0 for v in never["x"])
    )  # apart, in grey, never on the difficult side
    assert figure["layout"]["xaxis2"]["domain"][0] > figure["layout"]["xaxis"]["domain"][1]
