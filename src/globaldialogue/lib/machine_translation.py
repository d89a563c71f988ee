"""Machine translation: off unless an operator names a provider; one small interface.

Two providers speak their documented HTTP APIs: LibreTranslate (self-hosted, open source:
`POST /translate` with `q` a list of texts, `source`, `target`, `format`, `api_key`,
answering `translatedText` as a list) and DeepL (`POST /v2/translate` with the header
`Authorization: DeepL-Auth-Key <key>` and `text` a list, `source_lang`, `target_lang`,
answering `translations[].text`). What a machine writes is stored as a machine translation
and shown as one until a person reviews it (docs/translation.md).
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import httpx
from django.conf import settings

TIMEOUT = 20.0  # seconds; a provider slower than this is treated as down
BATCH = 50  # texts per request (DeepL takes 50 at most)


class TranslationFailed(Exception):
    """The provider could not be reached, refused, or answered something else."""


class Provider(Protocol):
    @property
    def name(self) -> str: ...

    def translate(self, texts: Sequence[str], *, source: str, target: str) -> list[str]:
        """`texts` in language `source` (our codes: "fr", "zh-hans"), into `target`."""
        ...


# Our codes where a provider spells them otherwise.
LIBRETRANSLATE_CODES = {"zh-hans": "zh", "zh-hant": "zt", "pt-br": "pt"}
DEEPL_SOURCE_CODES = {"zh-hans": "ZH", "zh-hant": "ZH", "en-gb": "EN", "en-us": "EN"}
DEEPL_TARGET_CODES = {"en": "EN-GB", "pt": "PT-PT", "zh-hans": "ZH-HANS", "zh-hant": "ZH-HANT"}


@dataclass(frozen=True)
class LibreTranslate:
    url: str
    key: str = ""
    name: str = "libretranslate"

    def translate(self, texts: Sequence[str], *, source: str, target: str) -> list[str]:
        body: dict[str, Any] = {
            "q": list(texts),
            "source": _code(LIBRETRANSLATE_CODES, source),
            "target": _code(LIBRETRANSLATE_CODES, target),
            "format": "text",
        }
        if self.key:
            body["api_key"] = self.key
        answer = _post(f"{self.url.rstrip('/')}/translate", body, {})
        found = answer.get("translatedText")
        return _checked(found if isinstance(found, list) else [found], texts)


@dataclass(frozen=True)
class DeepL:
    key: str
    url: str = "https://api.deepl.com"
    name: str = "deepl"

    def translate(self, texts: Sequence[str], *, source: str, target: str) -> list[str]:
        body = {
            "text": list(texts),
            "source_lang": _code(DEEPL_SOURCE_CODES, source).split("-")[0].upper(),
            "target_lang": _code(DEEPL_TARGET_CODES, target).upper(),
        }
        headers = {"Authorization": f"DeepL-Auth-Key {self.key}"}
        answer = _post(f"{self.url.rstrip('/')}/v2/translate", body, headers)
        rows = answer.get("translations")
        found = [row.get("text") for row in rows if isinstance(row, dict)] if rows else []
        return _checked(found, texts)


def configured() -> Provider | None:
    """The provider the settings name, or None (machine translation off, the default)."""
    name, url, key = (
        settings.MACHINE_TRANSLATION,
        settings.MACHINE_TRANSLATION_URL,
        settings.MACHINE_TRANSLATION_KEY,
    )
    if name == "libretranslate":
        return LibreTranslate(url=url, key=key)
    if name == "deepl":
        return DeepL(key=key, url=url or "https://api.deepl.com")
    return None


def translate_all(
    provider: Provider, texts: Sequence[str], *, source: str, target: str
) -> list[str]:
    """Any number of texts, BATCH per request, in order."""
    done: list[str] = []
    for start in range(0, len(texts), BATCH):
        done += provider.translate(texts[start : start + BATCH], source=source, target=target)
    return done


class Written(Protocol):
    """Anything a person wrote: its language and its text."""

    language: str
    text: str


W = TypeVar("W", bound=Written)


def translate_missing(
    provider: Provider, items: Iterable[W], missing: Callable[[W], list[str]]
) -> Iterator[tuple[str, list[W], list[str]]]:
    """Each item's text into each language `missing` gives for it: (target language, items,
    their translations), one run of requests per language pair. TranslationFailed stops
    it (what was yielded before stands)."""
    wanted: dict[tuple[str, str], list[W]] = defaultdict(list)
    for item in items:
        for language in missing(item):
            wanted[item.language, language].append(item)
    for (source, target), group in wanted.items():
        texts = translate_all(provider, [item.text for item in group], source=source, target=target)
        yield target, group, texts


def _code(codes: dict[str, str], language: str) -> str:
    return codes.get(language, language.split("-")[0])


def _post(url: str, body: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
    try:
        response = httpx.post(url, json=body, headers=headers, timeout=TIMEOUT)
    except httpx.HTTPError as error:
        raise TranslationFailed(f"{url}: {error}") from error
    if response.status_code != 200:
        raise TranslationFailed(f"{url} answered {response.status_code}: {response.text[:200]}")
    try:
        answer = response.json()
    except ValueError as error:
        raise TranslationFailed(f"{url} answered something other than JSON") from error
    if not isinstance(answer, dict):
        raise TranslationFailed(f"{url} answered an unexpected document")
    return answer


def _checked(found: list[Any], texts: Sequence[str]) -> list[str]:
    """One non-empty text per text sent, or the whole answer is refused."""
    if len(found) != len(texts) or not all(isinstance(t, str) and t.strip() for t in found):
        raise TranslationFailed("the provider's answer does not match the texts sent")
    return [t.strip() for t in found]
