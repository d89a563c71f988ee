"""The back office speaks the organizers' words and keeps the machinery out of sight."""


def test_the_back_office_says_what_it_is_and_hides_the_task_queue(olga_client):
    page = olga_client.get("/admin/").content.decode()
    assert "Global Dialogue: back office" in page and "Django administration" not in page
    assert "/admin/django_tasks_database/" not in page
    assert olga_client.get("/admin/django_tasks_database/dbtaskresult/").status_code == 404
