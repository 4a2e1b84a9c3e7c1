"""The shared «what is missing» box says it in each app's words."""

from django.template.loader import render_to_string


def test_the_application_box_names_the_application_and_lists_what_is_missing():
    html = render_to_string("applications/includes/missing.html", {
        "missing": [{"href": "#id_contact", "text": "Kontaktperson mangler"}],
        "link_prefix": "/soknader/1/",
    })

    assert '<h2 id="missing-heading" class="h5">Før søknaden kan sendes inn</h2>' in html
    assert '<a href="/soknader/1/#id_contact">Kontaktperson mangler</a>' in html
    assert ('<p id="missing-none" class="mb-0" hidden>Alt som kreves er fylt ut. Kontroller '
            "søknaden i forhåndsvisningen før den sendes inn.</p>") in html


def test_the_report_box_names_the_report_and_says_when_nothing_is_missing():
    html = render_to_string("reporting/includes/missing.html", {"missing": []})

    assert '<h2 id="missing-heading" class="h5">Før rapporten kan sendes inn</h2>' in html
    assert '<p id="missing-intro" class="mb-2" hidden>' in html
    assert ('<p id="missing-none" class="mb-0">Alt som kreves er fylt ut. Kontroller rapporten '
            "i forhåndsvisningen før den sendes inn.</p>") in html
