"""Olga's paper round trip, driven through the back office as she does it: print a batch,
download its typing template, fill it in, upload it, look at the preview, store it."""

import csv
import io
from typing import Any

from django.test import Client
from django.urls import reverse

from globaldialogue.paper.models import PaperBatch, PaperUpload
from globaldialogue.surveys.models import Survey


def print_forms(client: Client, survey: Survey, language: str = "fr", count: int = 5) -> Any:
    url = reverse("admin:paper_paperbatch_add")
    return client.post(url, {"survey": survey.pk, "language": language, "count": count})


def last_batch() -> PaperBatch:
    return PaperBatch.objects.order_by("-pk").first()  # type: ignore[return-value]


def template(client: Client, batch: PaperBatch) -> list[dict[str, str]]:
    response = client.get(reverse("admin:paper_paperbatch_template", args=[batch.pk]))
    assert response.status_code == 200, response
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def as_csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    names = list(dict.fromkeys(name for row in rows for name in row))
    writer = csv.DictWriter(out, names)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def upload(
    client: Client,
    survey: Survey,
    data: bytes,
    *,
    name: str = "typed.csv",
    replace: bool = False,
    language: str = "fr",
) -> Any:
    file = io.BytesIO(data)
    file.name = name
    sent: dict[str, Any] = {"survey": survey.pk, "language": language, "file": file}
    if replace:
        sent["replace"] = "on"
    return client.post(reverse("admin:paper_paperupload_add"), sent)


def last_upload() -> PaperUpload:
    return PaperUpload.objects.order_by("-pk").first()  # type: ignore[return-value]


def decide(client: Client, upload: PaperUpload, button: str = "_store", **more: str) -> Any:
    url = reverse("admin:paper_paperupload_change", args=[upload.pk])
    return client.post(url, {button: "1", **more}, follow=True)
