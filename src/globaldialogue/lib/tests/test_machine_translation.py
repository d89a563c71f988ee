"""The machine translation providers against local servers that speak their documented
HTTP APIs (translation_servers.py): codes, batches, keys, and every failure refused whole."""

import pytest

from globaldialogue.lib import machine_translation as mt
from globaldialogue.lib.tests.translation_servers import FakeDeepL, FakeLibreTranslate
from globaldialogue.testing import free_port


def test_libretranslate_translates_a_batch_with_its_own_language_codes():
    with FakeLibreTranslate(key="k-123") as server:
        provider = mt.LibreTranslate(url=server.url, key="k-123")
        found = provider.translate(["一", "二"], source="zh-hans", target="fr")
        assert found == ["[fr] 一", "[fr] 二"]
        assert server.requests == [
            {
                "q": ["一", "二"],
                "source": "zh",
                "target": "fr",
                "format": "text",
                "api_key": "k-123",
            }
        ]


def test_libretranslate_with_a_wrong_key_or_language_fails_whole():
    with FakeLibreTranslate(key="k-123") as server:
        with pytest.raises(mt.TranslationFailed, match="403"):
            mt.LibreTranslate(url=server.url, key="wrong").translate(
                ["a"], source="en", target="fr"
            )
        with pytest.raises(mt.TranslationFailed, match="400"):
            mt.LibreTranslate(url=server.url, key="k-123").translate(
                ["a"], source="en", target="tlh"
            )


def test_deepl_sends_its_key_and_codes_and_batches_fifty_texts():
    with FakeDeepL(key="dk") as server:
        provider = mt.DeepL(key="dk", url=server.url)
        texts = [f"statement {i}" for i in range(120)]
        found = mt.translate_all(provider, texts, source="zh-hans", target="en")
        assert found == [f"[EN-GB] statement {i}" for i in range(120)]
        assert [len(r["text"]) for r in server.requests] == [50, 50, 20]
        assert {(r["source_lang"], r["target_lang"]) for r in server.requests} == {("ZH", "EN-GB")}
        assert provider.translate(["x"], source="en", target="zh-hans") == ["[ZH-HANS] x"]


def test_deepl_refusals_and_a_used_up_quota_fail_whole():
    with FakeDeepL(key="dk") as server:
        with pytest.raises(mt.TranslationFailed, match="403"):
            mt.DeepL(key="other", url=server.url).translate(["a"], source="en", target="fr")
        server.quota_left = 3
        with pytest.raises(mt.TranslationFailed, match="456"):
            mt.DeepL(key="dk", url=server.url).translate(["abcdef"], source="en", target="fr")


def test_a_provider_that_is_down_or_answers_nonsense_fails():
    down = mt.LibreTranslate(url=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(mt.TranslationFailed):
        down.translate(["a"], source="en", target="fr")
    with pytest.raises(mt.TranslationFailed, match="does not match"):
        mt._checked(["only one"], ["a", "b"])
    with pytest.raises(mt.TranslationFailed, match="does not match"):
        mt._checked(["", "b"], ["a", "b"])


def test_machine_translation_is_off_unless_a_provider_is_named(settings):
    settings.MACHINE_TRANSLATION = ""
    assert mt.configured() is None
    settings.MACHINE_TRANSLATION, settings.MACHINE_TRANSLATION_KEY = "deepl", "dk"
    settings.MACHINE_TRANSLATION_URL = ""
    assert mt.configured() == mt.DeepL(key="dk", url="https://api.deepl.com")
    settings.MACHINE_TRANSLATION, settings.MACHINE_TRANSLATION_URL = "libretranslate", "http://lt"
    assert mt.configured() == mt.LibreTranslate(url="http://lt", key="dk")
