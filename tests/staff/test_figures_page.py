"""The console's figures page: the funders' table with charts, and its PDF, from the
incidents the unlocked console holds; small numbers hidden everywhere."""

from __future__ import annotations

from tests.staff.conftest import report

SECRET = "canary-figures-5521 what happened"


def reports(console):
    for n in range(7):
        console.add(
            report(
                what_happened=SECRET,
                force_area="cleveland",
                incident_date=f"2025-0{1 + n % 3}-10",
                categories=["violence", "rape"] if n < 2 else ["violence"],
            )
        )
    console.add(report(force_area="merseyside", incident_date="2025-03-01"))


def test_the_figures_page_shows_charts_and_tables_with_small_numbers_hidden(console):
    reports(console)
    console.unlock()
    page = console.client.get("/figures?force_area=cleveland")
    assert page.status_code == 200
    assert page.text.count('role="img"') == 2 and "chart-cleveland-title" in page.text
    assert "chart-all-title" in page.text and "At a glance" in page.text  # the nation beside
    assert "hidden" in page.text and "<td>7</td>" in page.text
    assert SECRET not in page.text and "<td>merseyside</td>" not in page.text
    assert 'href="/figures.pdf?force_area=cleveland"' in page.text
    everything = console.client.get("/figures").text
    assert everything.count('role="img"') == 2


def test_the_pdf_download_is_the_same_suppressed_figures(console):
    reports(console)
    console.unlock()
    response = console.client.get("/figures.pdf?force_area=cleveland")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert 'filename="figures-cleveland.pdf"' in response.headers["content-disposition"]
    assert response.content.startswith(b"%PDF-") and SECRET.encode() not in response.content
    assert response.headers["cache-control"] == "no-store"


def test_an_unknown_area_or_impossible_range_is_told_beside_its_field(console):
    reports(console)
    console.unlock()
    bad = console.client.get("/figures?force_area=atlantis")
    assert bad.status_code == 422 and 'id="force_area-problem"' in bad.text
    assert 'role="img"' not in bad.text
    backwards = console.client.get("/figures?date_from=2025-03-01&date_to=2025-01-01")
    assert backwards.status_code == 422 and 'id="date_to-problem"' in backwards.text
    nonsense = console.client.get("/figures?date_from=soon")
    assert nonsense.status_code == 422 and 'id="date_from-problem"' in nonsense.text
    assert console.client.get("/figures.pdf?force_area=atlantis").status_code == 422


def test_a_date_range_keeps_only_incidents_within_it(console):
    reports(console)
    console.unlock()
    page = console.client.get(
        "/figures?force_area=cleveland&date_from=2025-01-01&date_to=2025-01-31"
    )
    assert page.status_code == 200 and "<td>7</td>" not in page.text


def test_the_figures_need_the_console_unlocked(console):
    for path in ("/figures", "/figures.pdf"):
        response = console.client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/unlock"


def test_the_figures_page_speaks_the_console_language(console):
    reports(console)
    console.unlock()
    page = console.client.get(
        "/figures?force_area=cleveland", headers={"Accept-Language": "ro"}
    ).text
    assert "Evoluția de-a lungul anilor" in page and "Metodă" in page
    assert "Trends over the years" not in page and ">hidden<" not in page
    pdf = console.client.get("/figures.pdf?force_area=cleveland", headers={"Accept-Language": "ro"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
