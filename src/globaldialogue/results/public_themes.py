"""Themes in a survey's open answers as the public sees them (dashboard, report, JSON):
as organizers left them (hidden themes out, merged ones counted in the theme they joined),
counted through the disclosure policy (results.disclosure: each count carries the sum of
its answers' record keys), and quoting only what organizers approved (results.Quote).
"""

import hashlib
from collections.abc import Callable
from typing import Any

from globaldialogue.consultations.models import TranslatableText
from globaldialogue.consultations.translated import Translations, shown, translations_of
from globaldialogue.lib.languages import language_name
from globaldialogue.lib.perturb import KEY_RANGE
from globaldialogue.lib.suppression import suppress
from globaldialogue.lib.translated import pick
from globaldialogue.results.disclosure import Policy, policy_for
from globaldialogue.results.models import Analysis, Quote, Theme
from globaldialogue.surveys.definition import definition_for
from globaldialogue.surveys.models import Survey

Group = tuple[str, set[str]]  # (breakdown, values): the answers of people in those groups
# (language, text as found) -> the text as published, or None where not approved
Publish = Callable[[str, str], str | None]
QUOTES = 3


def quote_digest(language: str, text: str) -> str:
    """What identifies a quote across analyses: its language and its text as found."""
    return hashlib.sha256(f"{language}\x1f{text}".encode()).hexdigest()


def quoted(theme: Theme) -> list[tuple[str, str]]:
    """Every (language, text) a theme could publish: quotes and what was said most."""
    found = [(language, text) for language, texts in theme.quotes.items() for text in texts]
    for claim in theme.claims:
        found.append((claim["language"], claim["text"]))
        found += list(claim["also"].items())
    return found


def theme_results(
    survey: Survey, *, language: str, group: Group | None = None
) -> list[dict[str, Any]]:
    """Public themes per open question; with `group`, counted among the answers of people
    who gave one of those values only. Themes under the threshold show no count or quote."""
    assert survey.current_version is not None
    definition = definition_for(survey.current_version)
    done = Analysis.objects.filter(
        survey=survey, kind=Analysis.Kind.THEMES, status=Analysis.Status.DONE
    ).order_by("question", "-finished_at")
    latest = {analysis.question: analysis for analysis in reversed(list(done))}
    themes = Theme.objects.filter(analysis__in=latest.values(), parent=None).prefetch_related(
        "sub_themes"
    )
    by_analysis: dict[int, list[Theme]] = {}
    for theme in themes:
        by_analysis.setdefault(theme.analysis_id, []).append(theme)
    approved = _approved(survey, list(latest))
    policy = policy_for(survey)
    quotes = TranslatableText.Kind.QUOTE
    translations = translations_of(survey.consultation_id, [language], kinds=[quotes])
    return [
        {
            "question": key,
            "label": pick(question.label, language, survey.languages),
            **_public_themes(
                by_analysis.get(latest[key].pk, []),
                latest[key],
                Reader(language, policy, group, _publisher(approved, key), translations),
            ),
        }
        for key, question in definition.questions_by_key.items()
        if key in latest
    ]


def _approved(survey: Survey, questions: list[str]) -> dict[tuple[str, str], str]:
    rows = Quote.objects.filter(
        survey=survey, question__in=questions, status=Quote.Status.APPROVED
    ).values_list("question", "digest", "text")
    return {(question, digest): text for question, digest, text in rows}


def _publisher(approved: dict[tuple[str, str], str], question: str) -> Publish:
    return lambda language, text: approved.get((question, quote_digest(language, text)))


class Reader:
    """Who the themes are published for: a language, a group, the survey's policy, and the
    approved quotes' translations (consultations.TextTranslation) into the language."""

    def __init__(
        self,
        language: str,
        policy: Policy,
        group: Group | None,
        publish: Publish,
        translations: Translations,
    ):
        self.language, self.policy, self.group, self.publish = language, policy, group, publish
        self.translations = translations

    def quote(self, language: str, found: str) -> dict[str, Any] | None:
        """A quote as published (approved, perhaps edited), in the reader's language where
        it was translated; None where it may not be shown."""
        text = self.publish(language, found)
        if not text:
            return None
        return shown(self.translations, language, text, [self.language]).as_dict()

    def figure(self, parts: list[Theme]) -> tuple[int, int]:
        """How many answers of the group the themes hold, and their cell key."""
        dimension, values = self.group if self.group is not None else ("", {""})
        count = key = 0
        for part in parts:
            counts = theme_counts(part, dimension)
            keys = part.keys.get(dimension, {})
            count += sum(counts.get(value, 0) for value in values)
            key += sum(keys.get(value, 0) for value in values)
        return count, key % KEY_RANGE


def theme_counts(theme: Theme, dimension: str) -> dict[str, int]:
    """A theme's answers per value of a breakdown ("": all of them, under "")."""
    return {"": theme.size} if dimension == "" else theme.groups.get(dimension, {})


def _public_themes(themes: list[Theme], analysis: Analysis, reader: Reader) -> dict[str, Any]:
    policy = reader.policy
    answered = policy.count(*reader.figure(themes))
    merged: dict[int, list[Theme]] = {}
    for theme in themes:
        if theme.merged_into_id:
            merged.setdefault(theme.merged_into_id, []).append(theme)
    public = [t for t in themes if not t.hidden and not t.merged_into_id]
    figures = {str(t.pk): reader.figure([t, *merged.get(t.pk, [])]) for t in public}
    # Each answer is in one theme: the themes add up to those who answered (additive).
    exact = {pk: count for pk, (count, _key) in figures.items()}
    kept = suppress(exact, policy.threshold, additive=True)
    counts = {
        pk: None if kept[pk] is None or answered is None else policy.shown(*figures[pk])
        for pk in figures
    }
    shown = [
        _public_theme(theme, [theme, *merged.get(theme.pk, [])], counts[str(theme.pk)], reader)
        for theme in public
    ]
    shown.sort(key=lambda item: -(item["count"] or 0))
    for item in shown:  # published counts, each changed a little: a share stays a share
        count = item["count"]
        item["share"] = round(min(count / answered, 1.0), 4) if count and answered else None
    return {"answered": answered, "analysed_at": analysis.finished_at, "themes": shown}


def _public_theme(
    theme: Theme, parts: list[Theme], count: int | None, reader: Reader
) -> dict[str, Any]:
    language, k = reader.language, reader.policy.threshold
    visible = count is not None
    claims = _public_claims(theme.claims, reader) if visible else []
    sub_themes = [
        {
            # A share of the theme in whole percents, not a count: no exact count shows.
            "share": round(sub.size / theme.size, 2) if theme.size else None,
            "quotes": _quotes([sub], reader)[:1],
            "claims": _public_claims(sub.claims, reader),
        }
        for sub in theme.sub_themes.all()
        if visible and sub.size >= k
    ]
    name, named_in = theme.name_for(language, quotable=reader.publish if visible else None)
    return {
        "id": theme.pk,
        "name": name,
        "name_language": named_in,
        # Said only in another language: the page names that language beside it.
        "name_language_note": language_name(named_in) if named_in != language else "",
        "count": count,
        "share": None,  # of those who answered, set by _public_themes
        "keywords": theme.keywords.get(language, []),
        "quotes": _quotes(parts, reader)[:QUOTES] if visible else [],
        "claims": claims,
        "sub_themes": sub_themes,
        # Anything said by enough people to show under "What was said most".
        "said_most": bool(claims) or any(sub["claims"] for sub in sub_themes),
    }


def _quotes(parts: list[Theme], reader: Reader) -> list[dict[str, Any]]:
    """Approved quotes in the reader's language (written or translated so), else one from
    each other language."""
    every = [(code, q) for part in parts for code, qs in part.quotes.items() for q in qs]
    published = [quote for code, q in every if (quote := reader.quote(code, q))]
    readable = [quote for quote in published if quote["language"] == reader.language]
    if readable:
        return sorted(readable, key=lambda quote: quote["translated"])  # originals first
    first: dict[str, dict[str, Any]] = {}
    for quote in published:
        first.setdefault(quote["original_language"], quote)
    return list(first.values())


def _public_claims(claims: list[dict[str, Any]], reader: Reader) -> list[dict[str, Any]]:
    """Claims said by at least k people and approved, in the reader's language where one of
    them used it, else as said (with its language, for the page's lang attribute); how many
    said it changed by a key from its text (it counts near-identical answers, not a cell)."""
    shown = []
    for claim in claims:
        count = reader.policy.count(claim["count"], _text_key(claim["text"]))
        if count is None:
            continue
        translated = claim["also"].get(reader.language)
        for said_in, said in ((reader.language, translated), (claim["language"], claim["text"])):
            if said and (quote := reader.quote(said_in, said)):
                shown.append({**quote, "count": count})
                break
    return shown


def _text_key(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=4).digest())
