"""The card browser tab in AppTest (#24): it draws, its filters and the open card come from the URL, a link's
bad value shows a notice (never a traceback), and Suspend / Bury / Reset change what the card shows."""

from __future__ import annotations

from tests.apptest_util import no_exception, open_page, texts

CARD = "term-def:feature-store"


def _browse(**params: str):
    return open_page("pages/11_Study.py", {"tab": "browse", **params})


def test_the_browse_tab_lists_the_cards_and_opens_the_one_the_url_names():
    at = _browse(card=CARD, deck="glossary")
    no_exception(at)
    text = texts(at)
    assert "What is “Feature store”?" in text and "Glossary · New" in text
    total = next(c.value for c in at.caption if " cards · page " in c.value)
    shown, of = (int(x.replace(",", "")) for x in total.split(" cards")[0].split(" of "))
    assert 0 < shown < of  # the deck filter keeps the glossary's cards only


def test_bad_link_values_show_notices_and_the_page_still_draws():
    at = _browse(state="bogus", due="someday", page="x", card="no-such-card", deck="nope")
    no_exception(at)
    warnings = " ".join(w.value for w in at.warning)
    for what in ("card state", "due filter", "page", "card", "deck"):
        assert what in warnings, (what, warnings)
    assert any(" cards · page 1 of " in c.value for c in at.caption)


def test_suspend_bury_and_reset_change_the_card():
    at = _browse(card=CARD)
    at.button(key="browse_suspend").click().run()
    no_exception(at)
    assert "Glossary · Suspended" in texts(at)
    at.button(key="browse_suspend").click().run()  # unsuspend
    at.button(key="browse_bury").click().run()
    assert "Glossary · Buried until tomorrow" in texts(at)
    assert at.button(key="browse_bury").label == "Unbury"


def test_the_topics_filter_shows_only_on_the_views_it_filters():
    for tab, shown in (("cards", True), ("quiz", True), ("browse", False), ("course", False), ("memory", False),
                       ("progress", False)):
        at = open_page("pages/11_Study.py", {"tab": tab})
        no_exception(at)
        labels = [p.label for p in at.get("button_group")]
        assert ("Topics" in labels) is shown, (tab, labels)
