"""The concept map and pathways are read from the lessons; every concept a written module claims is taught."""

from alignkit.build import coursemap
from alignkit.ui import course


def test_heading_anchor_matches_docutils_ids():
    assert coursemap.heading_anchor("Exercise 3.1: where the funnel leaked") == "exercise-3-1-where-the-funnel-leaked"
    assert (
        coursemap.heading_anchor("Step 4: by channel, volume is not value") == "step-4-by-channel-volume-is-not-value"
    )


def test_every_concept_a_written_module_claims_is_taught_in_it():
    found = coursemap.concept_map()
    for m in course.MODULES:
        if not m.written:
            continue
        for cid in m.concepts:
            lessons = {s.number for s in found[cid]}
            assert m.number in lessons, f"module {m.number} claims {cid} but no section of it names {cid}"


def test_concept_ids_are_not_misread():
    # "C1" inside "C10" must not count as C1
    assert coursemap.CONCEPT_ID.findall("C10 and C17, not C18 or C0") == ["10", "17"]


def test_pathway_lists_exercises_with_links():
    html = coursemap.pathway_html("Seller")
    assert 'href="../notebooks/03-one-journey-shared-metrics.html#exercise-3-1-who-owns-the-leak"' in html
    for m in course.path_for("Seller"):
        assert m.title.replace("'", "&#x27;") in html


def test_each_role_path_includes_the_lesson_where_its_team_learns_what_it_owes_the_other():
    """Lesson 6 holds both sides of the SLA: marketing's (MQLs and their quality) and sales' (follow-up)."""
    for role in ("Seller", "Marketer"):
        assert 6 in [m.number for m in course.path_for(role)], role
