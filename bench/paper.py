"""Paper uploads: a day's typing of N paper forms, previewed, stored, and uploaded again.

On the embedded database (SQLite in a fresh data folder, as `make demo` runs): the UN75
survey, N serials printed in batches, N synthetic answers (the demo's generator) written
into the typing template's columns. Timed: the preview (read the CSV, check every row),
storing it, and the same file uploaded and stored again (every row already stored, nothing
counted twice). Baseline in the same run: the same answers submitted straight through
`submit_responses` in batches of 1,000, as the partner API's batches are, into a copy of
the survey.

    .venv/bin/python bench/paper.py [--size 20000]
"""

import argparse
import csv
import io
import json
import random
import time
import uuid

from common import embedded_django, machine, save


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=20_000)
    size = parser.parse_args().size
    embedded_django("gd-paper-")
    from globaldialogue.paper import actions
    from globaldialogue.paper.serials import format_serial
    from globaldialogue.surveys import actions as survey_actions
    from globaldialogue.surveys.columns import answer_columns, flatten
    from globaldialogue.surveys.definition import definition_for
    from globaldialogue.surveys.demo import (
        COUNTRY_WEIGHTS,
        DEFINITION_FILE,
        _synthetic,
        load_demo_survey,
    )

    survey = load_demo_survey()
    definition = definition_for(survey.current_version)
    answers = list(_synthetic(definition, random.Random(75), size, COUNTRY_WEIGHTS))
    first = None
    for start in range(0, size, actions.MAX_FORMS):
        batch = actions.print_batch(
            survey=survey, language="fr", count=min(actions.MAX_FORMS, size - start)
        )
        first = first or batch.first
    columns = answer_columns(definition)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["serial", "language", *[c.name for c in columns]])
    for number, submission in enumerate(answers, start=first or 1):
        cells = ["" if v is None else v for v in flatten(columns, submission.answers)]
        writer.writerow([format_serial(number), submission.language, *cells])
    data = out.getvalue().encode()

    def upload_and_store() -> tuple[float, float, dict]:
        started = time.perf_counter()
        upload, _rows = actions.receive_upload(
            survey=survey, name="typed.csv", data=data, language="fr"
        )
        previewed = time.perf_counter()
        stored = actions.store_upload(upload=upload)
        return previewed - started, time.perf_counter() - previewed, stored

    preview, store, first_summary = upload_and_store()
    again_preview, again_store, again_summary = upload_and_store()

    definition_file = json.loads(DEFINITION_FILE.read_text(encoding="utf-8"))
    copy = survey_actions.import_survey(
        consultation=survey.consultation, slug="un75-copy", definition=definition_file
    )
    started = time.perf_counter()
    for start in range(0, size, 1000):
        chunk = [
            survey_actions.Submission(id=uuid.uuid4(), language=s.language, answers=s.answers)
            for s in answers[start : start + 1000]
        ]
        survey_actions.submit_responses(survey=copy, submissions=chunk, channel="partner")
    baseline = time.perf_counter() - started

    result = {
        "machine": machine(),
        "database": "SQLite (embedded)",
        "forms": size,
        "file_bytes": len(data),
        "preview_seconds": round(preview, 2),
        "store_seconds": round(store, 2),
        "stored": first_summary,
        "again_preview_seconds": round(again_preview, 2),
        "again_store_seconds": round(again_store, 2),
        "again": again_summary,
        "baseline_api_batches_seconds": round(baseline, 2),
        "forms_per_second_preview_and_store": round(size / (preview + store)),
        "ratio_to_baseline": round((preview + store) / baseline, 2),
    }
    save("paper", result)


if __name__ == "__main__":
    main()
