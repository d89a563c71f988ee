"""Every admin of ours writes through its app's actions (lib/admin_forms.ActionAdmin): it
saves in an overridden save_model, or cannot add or change at all."""

from django.contrib import admin
from django.test import RequestFactory

from globaldialogue.lib.admin_forms import ActionAdmin

OUR_APPS = {"consultations", "accounts", "surveys", "results", "deliberation", "dialogues", "paper"}


def test_every_admin_of_ours_saves_and_deletes_through_actions(olga):
    request = RequestFactory().get("/admin/")
    request.user = olga
    ours = {m: a for m, a in admin.site._registry.items() if m._meta.app_label in OUR_APPS}
    assert len(ours) >= 14
    for model, model_admin in ours.items():
        assert isinstance(model_admin, ActionAdmin), model
        writes = model_admin.has_add_permission(request) or model_admin.has_change_permission(
            request
        )
        saves_itself = type(model_admin).save_model is not ActionAdmin.save_model
        assert saves_itself or not writes, f"{model.__name__}: saves without an action"
        for inline in model_admin.get_inline_instances(request) if writes else []:
            if inline.has_change_permission(request) or inline.has_add_permission(request, None):
                assert type(model_admin).save_related is not admin.ModelAdmin.save_related, (
                    f"{model.__name__}: its inline {type(inline).__name__} saves without one"
                )


def test_olga_edits_a_consultation_through_its_action(olga_client, un75):
    consultation = un75.consultation
    form = {
        "organization": consultation.organization_id,
        "slug": "un75-dialogue",
        "languages": "fr, en",
        "title__fr": "UN75 : le dialogue",
        "title__en": "UN75: the dialogue",
    }
    response = olga_client.post(
        f"/admin/consultations/consultation/{consultation.pk}/change/", form
    )
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.slug == "un75-dialogue" and consultation.languages == ["fr", "en"]
    assert consultation.title["fr"] == "UN75 : le dialogue"
