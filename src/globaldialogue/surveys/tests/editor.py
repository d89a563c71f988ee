"""A survey in English and French as an organizer types it into the back office's survey
page: shared by the editor's HTTP and browser tests."""

PARKS = [  # key, type, label (en), label (fr), options (en), options (fr): one per line
    (
        "often",
        "single",
        "How often?",
        "À quelle fréquence ?",
        "Weekly\nMonthly",
        "Chaque semaine\nChaque mois",
    ),
    (
        "wishes",
        "multiple",
        "What do you wish for?",
        "Que souhaitez-vous ?",
        "Trees\nBenches\nToilets",
        "Des arbres\nDes bancs\nDes toilettes",
    ),
    ("idea", "text", "Your idea", "Votre idée", "", ""),
]


def survey_form(consultation, rows=PARKS, **change) -> dict:
    """The survey page's form as posted: the survey, then one row per question."""
    form = {
        "consultation": consultation.pk,
        "slug": "parks",
        "languages": "en, fr",
        "min_answers": 1,
        "suppression_threshold": 10,
        "release_minutes": 0,
        "title__en": "Parks",
        "title__fr": "Parcs",
        "questions-TOTAL_FORMS": len(rows),
        "questions-INITIAL_FORMS": 0,
        "versions-TOTAL_FORMS": 0,
        "versions-INITIAL_FORMS": 0,
    }
    for n, (key, kind, en, fr, options_en, options_fr) in enumerate(rows):
        form.update(
            {
                f"questions-{n}-key": key,
                f"questions-{n}-position": n,
                f"questions-{n}-type": kind,
                f"questions-{n}-label__en": en,
                f"questions-{n}-label__fr": fr,
                f"questions-{n}-options__en": options_en,
                f"questions-{n}-options__fr": options_fr,
            }
        )
    return {**form, **change}
