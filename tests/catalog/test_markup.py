"""Unit tests of catalog.markup: rendering and sanitising."""
from catalog.markup import render_markdown


def test_spec_autolink_example():
    assert render_markdown("<http://ibm.com/>") == (
        '<p><a href="http://ibm.com/" target="_blank" rel="nofollow">http://ibm.com/</a></p>'
    )


def test_dataset_references_become_links(settings):
    settings.CKAN_SITE_URL = "http://example.org"
    assert 'href="http://example.org/dataset/river-quality"' in render_markdown("see dataset:river-quality")


def test_scripts_handlers_and_javascript_urls_are_removed():
    html = render_markdown('<script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:x()">y</a>')
    lowered = html.lower()
    assert "<script" not in lowered and "onerror" not in lowered and "javascript:" not in lowered
    assert "<img" not in lowered


def test_empty_input_is_empty_output():
    assert render_markdown("") == "" and render_markdown(None) == ""


def test_the_reused_converter_carries_nothing_from_one_text_to_the_next():
    # One converter per thread, reset between texts: a link definition in one
    # dataset's notes must not resolve a reference in the next one's.
    import markdown

    from catalog import markup

    first = "[x][ref]\n\n[ref]: http://one.example/"
    second = "[x][ref]\n\n    code"
    for _ in range(2):
        assert "http://one.example/" in render_markdown(first)
        assert "http://one.example/" not in render_markdown(second)
    for text in (first, second):
        assert markup._markdown(text) == markdown.markdown(text, output_format="html")


def test_a_text_rendered_again_is_not_converted_again(monkeypatch):
    from catalog import markup

    converted = []
    real = markup._markdown
    monkeypatch.setattr(markup, "_markdown", lambda text: converted.append(text) or real(text))
    notes = f"Kept *notes* {object()!r}"
    assert markup.render_markdown(notes) == markup.render_markdown(notes)
    assert len(converted) == 1


def test_references_follow_the_site_url(settings):
    from catalog.markup import render_markdown

    settings.CKAN_SITE_URL = "http://one.example"
    assert "http://one.example/dataset/abc" in render_markdown("see dataset:abc")
    settings.CKAN_SITE_URL = "http://two.example"
    assert "http://two.example/dataset/abc" in render_markdown("see dataset:abc")
