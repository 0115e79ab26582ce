"""In a real browser: the board assesses, the coordinator marks the year ready,
two auditors sign with fresh codes, the page follows the rendering and the
sealed PDF downloads and verifies."""

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connections
from django.utils import timezone

from compliance import assurance, catalogue, tasks
from compliance.models import Assessment, AssessmentState, Assurance, Status
from jour import queue
from jour.models import Role
from tests.compliance.cycle import assess_all, chair_person, fresh_code, give_verdicts
from tests.e2e.helpers import follow_menu
from tests.personas import PASSWORD, build_personas, make_user, totp_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _log_in(browser, base_url, user):
    page = browser.new_context(locale="en-GB").new_page()
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/accounts/verify/**")
    # The current code: signing later takes the next one (fresh_code). Logging in with the next
    # one already would leave signing two steps ahead, refused whenever both fall in one half-minute.
    page.get_by_label("Code").fill(totp_code(user))
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(base_url + "/")
    return page


def _off_the_event_loop(function, *args):
    """pyHanko runs asyncio itself; Playwright's sync API keeps a loop running in this thread."""

    def run():
        try:
            return function(*args)
        finally:
            connections.close_all()  # the thread's own connection, or the test database stays in use

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


def test_a_year_from_assessment_to_sealed_pdf(live_server, browser, settings, monkeypatch, tmp_path):
    from compliance import seal

    settings.JOUR_SEAL_KEY_FILE = str(tmp_path / "seal" / "key.pem")
    settings.JOUR_SEAL_CERT_FILE = str(tmp_path / "seal" / "cert.pem")
    settings.MEDIA_ROOT = tmp_path / "media"
    seal.create(name="Testjouren")
    # No worker here: the signature queues nothing, and the test renders "as the worker" below,
    # so that the page's progress display is what is tested.
    queue_for_real = queue.enqueue_on_commit
    monkeypatch.setattr(
        queue,
        "enqueue_on_commit",
        lambda task, *ids: None if task.name == tasks.render_assurance.name else queue_for_real(task, *ids),
    )
    catalogue.load_bundled()  # transactional tests before this one flushed what the migration loaded
    people = build_personas()
    eva = make_user("eva@jour.test", "Eva Auditor", Role.AUDITOR)
    chair = chair_person(people.board)
    year = timezone.localdate().year

    board = _log_in(browser, live_server.url, people.board)
    follow_menu(board, "/compliance/years/")
    board.locator("#id_year").fill(str(year))
    board.get_by_role("button", name="Start the assessment").click()
    board.wait_for_url(re.compile(rf".*/compliance/years/{year}/$"))
    assessment = Assessment.objects.get(year=year)
    first = assessment.answers.order_by("position").first()
    assess_all(assessment, people.coordinator, responsible=chair)
    first.refresh_from_db()
    first.status = Status.UNASSESSED
    first.save()

    board.reload()
    board.locator(f"#req-{first.code} a").first.click()
    board.locator("#id_status").select_option(Status.PARTLY)
    board.get_by_label("Comment").fill("Rutinen finns men är inte genomgången med alla.")
    board.get_by_role("button", name="Save").click()
    board.wait_for_url(re.compile(rf".*/compliance/years/{year}/#req-{first.code}$"))
    board.get_by_role("button", name="Mark ready for audit").click()
    board.get_by_text("The year is marked ready for audit").wait_for()
    assert Assessment.objects.get(pk=assessment.pk).state == AssessmentState.READY

    # Not before every requirement has the auditors' verdict: the page lists what is missing.
    first_auditor = _log_in(browser, live_server.url, people.auditor)
    page = first_auditor
    page.get_by_role("link", name="Open the assessment").click()
    page.get_by_text("Give your verdict on every requirement before you sign: 38 have none yet.").wait_for()
    assert page.get_by_role("button", name="Sign the assurance").count() == 0
    page.locator(f"#req-{first.code} a").first.click()
    page.locator("#id_auditor_verdict").select_option(Status.PARTLY)
    page.get_by_role("button", name="Save the verdict").click()
    page.get_by_text("37 have none yet").wait_for()
    give_verdicts(assessment, people.auditor)
    first_auditor.reload()  # still logged in: a second login would spend another code step

    for auditor in (people.auditor, eva):
        if auditor == people.auditor:
            page = first_auditor
        else:
            page = _log_in(browser, live_server.url, auditor)
            page.get_by_text("waits for your review and signature").wait_for()
            page.get_by_role("link", name="Open the assessment").click()
        page.get_by_label("Code from your authenticator app").fill(fresh_code(auditor)[0])
        page.get_by_label("I have reviewed").check()
        page.get_by_role("button", name="Sign the assurance").click()
        page.get_by_text("Your signature is recorded").wait_for()

    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.SIGNED
    assert not Assurance.objects.exists()  # nothing rendered it yet: the page must be waiting
    page.get_by_text("The assurance PDF is being made and sealed").wait_for()
    _off_the_event_loop(assurance.produce, assessment.pk)  # the worker's part
    link = page.get_by_role("link", name="Download the PDF")
    link.wait_for(timeout=10_000)  # htmx polls every 2 s; no reload
    with page.expect_download() as download:
        link.click()
    pdf = Path(download.value.path()).read_bytes()
    result = _off_the_event_loop(assurance.verify, pdf)
    assert result.ok, [(c.name, c.detail) for c in result.checks]
