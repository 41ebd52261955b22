"""The cover values Quarto's partial reads: a draft carries its status to every page."""

from pipeline.render.cover import Cover


def test_a_draft_hands_its_status_to_the_footer() -> None:
    draft = Cover(status="Utkast – 1. juli 2019", data_date=None, marking=None, draft=True)
    assert draft.metadata()["draft-status"] == "Utkast – 1. juli 2019"


def test_a_published_edition_has_no_draft_status() -> None:
    published = Cover(status="Publisert 1. oktober 2019", data_date=None, marking=None)
    assert "draft-status" not in published.metadata()
    assert published.metadata()["cover-status"] == "Publisert 1. oktober 2019"
