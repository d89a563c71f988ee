"""Olga, an organizer, follows a themes analysis in the back office and renames, merges and
hides its themes there."""

from globaldialogue.results.models import Analysis, Theme


def test_olga_sees_progress_and_themes(analysed, olga_client):
    page = olga_client.get(f"/admin/results/analysis/{analysed.pk}/change/").content.decode()
    assert "100%" in page and "Done" in page
    first = Theme.objects.filter(analysis=analysed, parent=None).first()
    assert str(first) in page
    listing = olga_client.get("/admin/results/analysis/").content.decode()
    assert "Themes in open answers" in listing


def test_olga_renames_and_hides_a_theme(analysed, olga_client):
    theme = Theme.objects.filter(analysis=analysed, parent=None).first()
    form = olga_client.get(f"/admin/results/theme/{theme.pk}/change/").content.decode()
    assert 'name="name__ar"' in form and "Quotes" in form
    response = olga_client.post(
        f"/admin/results/theme/{theme.pk}/change/",
        {"name__en": "Schools for all", "name__ar": "مدارس للجميع", "hidden": "on"},
    )
    assert response.status_code == 302
    theme.refresh_from_db()
    assert theme.name == {"en": "Schools for all", "ar": "مدارس للجميع"} and theme.hidden


def test_olga_merges_themes_into_the_largest(analysed, olga_client):
    themes = list(Theme.objects.filter(analysis=analysed, parent=None).order_by("-size")[:3])
    response = olga_client.post(
        "/admin/results/theme/",
        {"action": "merge", "_selected_action": [t.pk for t in themes]},
        follow=True,
    )
    assert "Merged 2 themes" in response.content.decode()
    assert Theme.objects.filter(merged_into=themes[0]).count() == 2


def test_olga_asks_for_themes_again(analysed, olga_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        olga_client.post(
            "/admin/results/analysis/",
            {"action": "run_again", "_selected_action": [analysed.pk]},
        )
    latest = Analysis.objects.get()
    assert latest.pk != analysed.pk and latest.status == Analysis.Status.DONE
