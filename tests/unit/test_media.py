"""MediaGate: a clip or its script, then "I've finished watching" hides it and shows what comes next."""

from __future__ import annotations

import re

import ipywidgets as widgets
import pytest

from lessonkit.cli import FILE_ALLOWLIST, FILE_DENYLIST
from lessonkit.components.media import MediaGate, media_kind, youtube_embed_url
from lessonkit.model import Media

TRANSCRIPT = "Turn the oven on to **170 degrees Celsius**.\n\n<script>alert(1)</script>"  # Markdown with raw HTML


def media(url=None, **kw) -> Media:
    return Media(title=kw.pop("title", "Cook the Book"), transcript=kw.pop("transcript", TRANSCRIPT), url=url, **kw)


def gate_for(m: Media, **kw) -> tuple[MediaGate, widgets.HTML]:
    after = widgets.HTML("the questions")
    return MediaGate(m, after, **kw), after


def test_youtube_links_become_privacy_enhanced_embeds():
    assert youtube_embed_url("https://www.youtube.com/watch?v=dQw4w9WgXcQ") == \
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?rel=0"
    assert youtube_embed_url("https://youtu.be/dQw4w9WgXcQ?t=1m30s") == \
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?rel=0&start=90"
    assert youtube_embed_url("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42").endswith("&start=42")
    for bad in ("http://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://evil.example/watch?v=dQw4w9WgXcQ",
                "https://www.youtube.com/watch?v=bad\"id<>", "https://www.youtube.com/embed/dQw4w9WgXcQ",
                "media/clip.mp4"):
        assert youtube_embed_url(bad) is None, bad


def test_kind_follows_the_url():
    assert media_kind(media()) == "text"
    assert media_kind(media("https://youtu.be/dQw4w9WgXcQ")) == "youtube"
    assert media_kind(media("media/clip.mp4")) == "video"
    assert media_kind(media("media/talk.MP3")) == "audio"


def test_youtube_clip_is_embedded_with_the_transcript_as_fallback():
    gate, after = gate_for(media("https://www.youtube.com/watch?v=dQw4w9WgXcQ", title="<b>Clip</b>",
                                 credit="Clip by [Someone](https://example.org)"))
    frame = gate.player_html
    assert '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?rel=0"' in frame
    assert "www.youtube.com" not in frame and 'title="&lt;b&gt;Clip&lt;/b&gt;"' in frame
    assert "<summary>Can't play it? Read it instead</summary>" in gate.text_html
    assert "<strong>170 degrees Celsius</strong>" in gate.text_html
    assert "&lt;script&gt;" in gate.text_html and "<script>" not in gate.text_html   # Markdown escapes raw HTML
    assert "&lt;b&gt;Clip&lt;/b&gt;" in gate.clip.children[0].value
    assert '<a href="https://example.org">Someone</a>' in gate.clip.children[3].value
    assert after.layout.display == "none" and not gate.finished


def test_local_video_and_audio_play_from_beside_the_notebooks():
    video, _ = gate_for(media("media/mud-pie.mp4"))
    assert '<video class="lk-media-video" controls preload="metadata" src="../files/media/mud-pie.mp4"' in \
        video.player_html
    audio, _ = gate_for(media("media/talk.mp3"), files_url="/voila/files/")
    assert '<audio class="lk-media-audio" controls' in audio.player_html and 'src="/voila/files/media/talk.mp3"' \
        in audio.player_html
    # lessonkit serve lets Voila hand out clips beside the notebooks, and still never the store or content.
    def allowed(path: str) -> bool:
        return any(re.fullmatch(p, path) for p in FILE_ALLOWLIST) and not any(re.fullmatch(p, path)
                                                                               for p in FILE_DENYLIST)

    assert allowed("media/mud-pie.mp4") and allowed("talk.mp3") and allowed("picture.png")
    assert not allowed("responses.db") and not allowed("listening-quiz.yaml") and not allowed(".hidden/x.mp4")


def test_without_a_url_the_script_is_shown_for_reading_aloud():
    gate, _ = gate_for(media())
    assert gate.player_html == "" and "<details" not in gate.text_html
    assert "your trainer may read it aloud" in gate.text_html
    assert "<strong>170 degrees Celsius</strong>" in gate.text_html


def test_finishing_hides_the_clip_stops_it_and_shows_what_comes_next():
    gate, after = gate_for(media("https://youtu.be/dQw4w9WgXcQ"))
    seen = []
    gate.on_finished(lambda g: seen.append(g))
    gate.finished_button.click()
    assert gate.finished and seen == [gate]
    assert gate.clip.layout.display == "none" and after.layout.display is None
    assert gate.player_html == ""                                   # the iframe is gone, so nothing keeps playing
    assert gate.reopen_button.layout.display == "none"              # re-opening is not offered ...
    gate.reopen_button.click()                                      # ... and a forged click does nothing
    assert gate.finished and gate.clip.layout.display == "none"


def test_reopening_when_allowed_swaps_back_never_showing_both():
    gate, after = gate_for(media("media/clip.webm"), finished=True, can_reopen=True)
    assert gate.clip.layout.display == "none" and after.layout.display is None    # restore: straight to what's next
    assert gate.reopen_button.layout.display is None and gate.reopen_button.description == "Watch it again"
    gate.reopen_button.click()
    assert not gate.finished and gate.clip.layout.display is None and after.layout.display == "none"
    assert "<video" in gate.player_html and gate.reopen_button.layout.display == "none"
    gate.finish()
    assert after.layout.display is None and gate.clip.layout.display == "none"


@pytest.mark.parametrize("label", ["I've finished listening", "Done"])
def test_the_finished_button_says_what_the_content_says(label):
    gate, _ = gate_for(media(finished_label=label))
    assert gate.finished_button.description == label
    assert MediaGate(media()).reopen_button.description == "Read it again"    # no recording: reading it again


def test_the_reopen_button_sits_in_a_line_saying_what_it_reopens():
    gate, _after = gate_for(media("media/clip.webm", title="Cook <b>the</b> Book"), can_reopen=True)
    assert gate.reopen_row.layout.display == "none"
    gate.finish()
    assert gate.reopen_row.layout.display is None and gate.reopen_button.layout.display is None
    assert gate.reopen_row.children[0].value == ("<p class='lk-media-closed'>Finished watching: "
                                                 "<strong>Cook &lt;b&gt;the&lt;/b&gt; Book</strong></p>")
    gate.can_reopen = False                                        # e.g. a quiz with attempts left: no row at all
    assert gate.reopen_row.layout.display == "none"
