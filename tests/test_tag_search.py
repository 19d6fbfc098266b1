"""A search for a #tag finds the notes and sections that carry it (#23): a tag in the text, front matter
``tags:``, and an upload not opened yet (its rough text); the tag's word alone elsewhere is not a hit."""

from __future__ import annotations

from explorer.notes.md.document import plain_text, rough_text
from explorer.notes.md.engine import parser
from explorer.notes.note import parse_note
from explorer.notes.search import SearchIndex, Shard, note_records
from explorer.notes.uploads import read_upload

TAGGED = "---\ntags: [mlops, ci]\n---\n# Alpha\n\nIntro words.\n\n## Deploy\n\nShip with #mlops care.\n\n## Other\n\nThe word mlops alone.\n"


def _index(*notes):
    return SearchIndex([Shard.build([r for n in notes for r in note_records(n)])])


def test_a_tag_keeps_its_word_and_hash_in_the_plain_text():
    tokens = parser().parse("Read about #mlops and #week-2/quiz, not #42 nor `#code`.", {})
    text = plain_text(tokens)
    assert "#mlops" in text and "#week-2/quiz" in text and "#42" in text and "#code" in text


def test_rough_text_keeps_tags_but_drops_heading_marks():
    text = rough_text("# Title\n\n## Part\n\nThis is #mlops, (#week-2/quiz) and a#b ###x #tag-")
    assert text == "Title Part This is #mlops, #week-2/quiz and a b x #tag"


def test_a_tag_search_finds_sections_and_front_matter_tags_not_the_word_alone():
    alpha = parse_note(TAGGED, "alpha.md")
    beta = parse_note("# Beta\n\nPlain mlops text, no tag.\n", "beta.md")
    gamma = parse_note("---\ntags: [mlops]\n---\n# Gamma\n\nText.\n", "gamma.md")
    keys = [h.key for h in _index(alpha, beta, gamma).search("#mlops").hits]
    assert sorted(keys) == ["note:alpha", "note:alpha#deploy", "note:gamma"]
    assert [h.key for h in _index(alpha, beta, gamma).search("#ci").hits] == ["note:alpha"]
    word = [h.key for h in _index(alpha, beta, gamma).search("mlops").hits]
    assert "note:beta" in word and "note:alpha#other" in word  # the plain word still finds every mention


def test_a_tag_search_finds_an_upload_not_opened_yet_and_after_it_is_opened():
    up = read_upload("up.md", b"# Up\n\n## Part\n\nAn upload about #drift.\n")
    assert not up.parsed
    assert [h.key for h in _index(up).search("#drift").hits] == ["note:upload-up"]
    up.sections  # opened: parsed now  # noqa: B018
    assert "note:upload-up#part" in [h.key for h in _index(up).search("#drift").hits]


def test_the_snippet_marks_the_tag():
    hit = _index(parse_note(TAGGED, "alpha.md")).search("#mlops").hits[0]
    assert "<mark>#mlops</mark>" in hit.snippet_html
