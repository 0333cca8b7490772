"""The pages: the archive by year, a draft's page (texts, generate, publish), the files, and who
sees what."""

from __future__ import annotations

import pytest
from django.urls import reverse

from chuangwen.bulletins.models import Bulletin, BulletinStatus, JobState
from chuangwen.bulletins.tests.factories import generated, published, sample_problems, today_period

pytestmark = pytest.mark.django_db


def test_the_office_generates_a_bulletin_from_the_archive_page(world, django_capture_on_commit_callbacks):
    sample_problems(world)
    start, end = today_period()
    client = world.client("office")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("bulletins:create"), {"campaign": world.campaign.pk, "start": start, "end": end}
        )
    bulletin = Bulletin.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "bulletins:detail", kwargs={"pk": bulletin.pk}
    )
    page = client.get(response.url)
    assert page.status_code == 200
    assert "松林农贸市场" in page.content.decode() and 'id="bulletin-job"' in page.content.decode()
    assert Bulletin.objects.get().job_state == JobState.DONE


def test_the_office_edits_the_texts_and_publishes(world, django_capture_on_commit_callbacks):
    sample_problems(world)
    bulletin = generated(world, django_capture_on_commit_callbacks)
    client = world.client("office")
    texts = {
        "title": "第一周督查通报",
        "issuer": "青石区创建办",
        "issue_date": "2026-12-01",
        "lead": "本周督查情况如下。",
        "highlights": "松林街道当日整改到位。",
        "good_text": "松林街道",
        "poor_text": "柳岸一社区",
        "requirements": "限期整改。",
        "submit_to": "区创建指挥部",
        "copy_to": "各街道",
    }
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("bulletins:edit", kwargs={"pk": bulletin.pk}), texts)
    bulletin.refresh_from_db()
    assert bulletin.title == "第一周督查通报" and bulletin.files_ready
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("bulletins:publish", kwargs={"pk": bulletin.pk}))
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.PUBLISHED and (bulletin.year, bulletin.number) == (2026, 1)
    docx = client.get(reverse("bulletins:download", kwargs={"pk": bulletin.pk, "fmt": "docx"}))
    assert docx.status_code == 200 and docx["Content-Type"].startswith("application/vnd.openxmlformats")
    import io
    import zipfile

    xml = zipfile.ZipFile(io.BytesIO(b"".join(docx.streaming_content))).read("word/document.xml").decode()
    for text in ("第一周督查通报", "松林街道当日整改到位", "区创建指挥部", "各街道", "Issue 1"):
        assert text in xml


def test_a_liaison_sees_the_published_bulletins_that_name_the_unit_only(
    world, django_capture_on_commit_callbacks
):
    sample_problems(world)
    named_a = published(world, django_capture_on_commit_callbacks, street=world.street_a)
    draft_b = generated(world, django_capture_on_commit_callbacks, street=world.street_b)
    archive = world.client("liaison_a").get(reverse("bulletins:archive")).content.decode()
    assert named_a.title in archive and draft_b.title not in archive
    assert (
        world.client("liaison_b").get(reverse("bulletins:detail", kwargs={"pk": named_a.pk})).status_code
        == 404
    )
    # Drafts are the office's: not even the leader sees them.
    assert (
        world.client("leader").get(reverse("bulletins:detail", kwargs={"pk": draft_b.pk})).status_code == 404
    )
    assert (
        world.client("liaison_a").get(reverse("bulletins:detail", kwargs={"pk": named_a.pk})).status_code
        == 200
    )


def test_the_archive_lists_by_year_and_number(world, django_capture_on_commit_callbacks):
    sample_problems(world)
    first = published(world, django_capture_on_commit_callbacks, street=world.street_a)
    second = published(world, django_capture_on_commit_callbacks, street=world.street_b)
    assert (first.number, second.number) == (1, 2)
    html = world.client("leader").get(reverse("bulletins:archive"), {"year": first.year}).content.decode()
    assert html.index(second.title) < html.index(first.title)  # newest issue first
    assert (
        world.client("leader")
        .get(reverse("bulletins:archive"), {"year": 1999})
        .content.decode()
        .count(first.title)
        == 0
    )


def test_the_archive_reads_a_fixed_number_of_queries(
    world, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    sample_problems(world)
    for street in (world.street_a, world.street_b):
        published(world, django_capture_on_commit_callbacks, street=street)
    client = world.client("liaison_a")
    client.get(reverse("bulletins:archive"))
    with django_assert_max_num_queries(12):
        client.get(reverse("bulletins:archive"))


def test_a_bulletin_generated_in_chinese_reads_as_an_official_chinese_document(
    world, chinese, django_capture_on_commit_callbacks
):
    import io
    import zipfile

    from pypdf import PdfReader

    sample_problems(world)
    bulletin = generated(world, django_capture_on_commit_callbacks)
    client = world.client("office")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("bulletins:publish", kwargs={"pk": bulletin.pk}))
    docx = client.get(reverse("bulletins:download", kwargs={"pk": bulletin.pk, "fmt": "docx"}))
    xml = zipfile.ZipFile(io.BytesIO(b"".join(docx.streaming_content))).read("word/document.xml").decode()
    for text in ("督查通报", "第1期", "总体情况"):
        assert text in xml
    pdf = client.get(reverse("bulletins:download", kwargs={"pk": bulletin.pk, "fmt": "pdf"}))
    text = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(b"".join(pdf.streaming_content))).pages
    )
    text = text.replace(
        "\x00", ""
    )  # pypdf reads fpdf2's two-byte ToUnicode values with a NUL; poppler does not
    assert "督查通报" in text and "第1期" in text


def test_the_office_discards_a_draft_from_its_page(world, django_capture_on_commit_callbacks):
    bulletin = generated(world, django_capture_on_commit_callbacks)
    client = world.client("office")
    page = client.get(reverse("bulletins:detail", kwargs={"pk": bulletin.pk})).content.decode()
    assert 'data-testid="discard"' in page and "data-confirm=" in page
    response = client.post(reverse("bulletins:discard", kwargs={"pk": bulletin.pk}))
    assert response.status_code == 302 and response.url == reverse("bulletins:archive")
    assert not Bulletin.objects.exists()


def test_a_published_bulletin_offers_no_discard_and_refuses_one(world, django_capture_on_commit_callbacks):
    bulletin = published(world, django_capture_on_commit_callbacks)
    client = world.client("office")
    url = reverse("bulletins:detail", kwargs={"pk": bulletin.pk})
    assert 'data-testid="discard"' not in client.get(url).content.decode()
    response = client.post(reverse("bulletins:discard", kwargs={"pk": bulletin.pk}), follow=True)
    assert "cannot be discarded" in response.content.decode()
    assert Bulletin.objects.filter(pk=bulletin.pk, status=BulletinStatus.PUBLISHED).exists()
