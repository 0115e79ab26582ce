"""The three PDFs, each made end to end as the worker or the view makes it, beside
WeasyPrint rendering an empty page on the same machine (the floor).

- ``pdf_assurance_s``: a signed year's assurance: the record from the database,
  the template, WeasyPrint (PDF/A-3b with the JSON attached) and the seal;
- ``pdf_stats_s``: the statistics one-pager of the latest full year, as the export
  view makes it: the protected selection, the volunteers, the template, WeasyPrint;
- ``pdf_seeker_s``: one seeker's data export: collected from the database, the
  PDF, and the encrypted ZIP it travels in;
- ``pdf_floor_s``: WeasyPrint rendering an empty page;
- ``pdf_stats_cold_s`` (median of 3): the one-pager when the year's protection is not
  cached yet (stats.selection keeps it per process until the year's counts change, so
  the first export after a case is registered pays this): the cost of the small-number
  protection (stats/suppression.py) beside the PDF's own.

Each is the median of 5 after one warm-up, all in one process as a worker would
run them. What each needs (users, a signed year, a seal key) is made inside a
transaction that is rolled back, with the seal key in a temporary folder.

Run against the bench database (the ``seed_load --cases 50000`` data), e.g.
``DATABASE_URL=... JOUR_ENV=development python -c 'import django,os; ...;
from tests.bench import bench_pdfs; print(bench_pdfs.run())'``. With
``JOUR_BENCH_PROFILE=DIR`` each document is also profiled once (cProfile) into
DIR/<name>.prof, and with ``JOUR_BENCH_SAVE=DIR`` each PDF is written to
DIR/<name>.pdf (to compare before and after as pictures: pdftoppm -r 60 -png).
"""

import cProfile
import os
import statistics
import tempfile
import time
from pathlib import Path

ROUNDS = 5


class _Rollback(Exception):
    pass


def _median(make, rounds: int = ROUNDS) -> float:
    make()  # the warm-up: imports, templates, fonts, the statistics tree of the year
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        make()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _floor() -> bytes:
    from jour import pdf

    return pdf.render("<!doctype html><html><body></body></html>")


def _signed_year(year: int):
    """A year through the cycle, every requirement met, signed by two auditors."""
    from compliance.models import AssessmentState
    from jour.models import Role, User
    from tests.compliance.cycle import ready_year, sign_as
    from tests.personas import make_user

    coordinator = User.objects.filter(role=Role.COORDINATOR, is_active=True).order_by("pk").first()
    coordinator = coordinator or make_user("bench-kim@jour.test", "Bench Coordinator", Role.COORDINATOR)
    first = make_user("bench-auditor-1@jour.test", "Bench Auditor One", Role.AUDITOR)
    second = make_user("bench-auditor-2@jour.test", "Bench Auditor Two", Role.AUDITOR)
    assessment = ready_year(year, coordinator)
    sign_as(assessment, first)
    sign_as(assessment, second)
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.SIGNED, assessment.state
    return assessment


def _assurance(assessment):
    from compliance import assurance, content

    def make() -> bytes:
        document_json = content.canonical(content.document(assessment))
        return assurance.seal_pdf(assurance.render_pdf(assessment, document_json))

    return make


def _stats(year: int):
    from stats import display, exports, figures, selection
    from stats.forms import PeriodForm

    def make() -> bytes:
        # As stats.views.export: the selection protected, the volunteers added, then the file.
        form = PeriodForm({"kind": "year", "year": str(year), "municipality": ""})
        assert form.is_valid(), form.errors
        result = selection.protected(form.selection())
        assert not result.withheld, result.withheld
        result.report.volunteering = figures.volunteering(form.period())
        return exports.to_pdf(display.show_protected(result))

    return make


def _cold(make):
    from stats import selection

    def cold() -> bytes:
        selection._tree.cache_clear()
        return make()

    return cold


def _seeker():
    from cases import seeker_archive
    from cases.models import Case
    from cases.seeker_data import collect

    # The case with the most recorded about it (journal, attempts), as the heaviest export.
    case = (
        Case.objects.filter(anonymised_at__isnull=True).exclude(phone="").order_by("-attempts__made_at", "pk").first()
    )

    def make() -> bytes:
        export = collect(case, language="sv")
        return seeker_archive.pack(case=case, export=export, secret=seeker_archive.passphrase())

    make.pdf = lambda: seeker_archive.as_pdf(collect(case, language="sv"))  # the PDF inside the ZIP
    return make


def _save(directory: str | None, name: str, make) -> None:
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        (Path(directory) / f"{name}.pdf").write_bytes(getattr(make, "pdf", make)())


def _profile(directory: str | None, name: str, make) -> None:
    if not directory:
        return
    profile = cProfile.Profile()
    profile.runcall(make)
    Path(directory).mkdir(parents=True, exist_ok=True)
    profile.dump_stats(str(Path(directory) / f"{name}.prof"))


def run() -> dict:
    from django.db import transaction
    from django.test import override_settings
    from django.utils import timezone

    from compliance import seal

    profile_dir = os.environ.get("JOUR_BENCH_PROFILE")
    save_dir = os.environ.get("JOUR_BENCH_SAVE")
    year = timezone.localdate().year - 1
    found: dict = {}
    with tempfile.TemporaryDirectory() as folder:
        keys = {
            "JOUR_SEAL_KEY_FILE": str(Path(folder) / "seal-key.pem"),
            "JOUR_SEAL_CERT_FILE": str(Path(folder) / "seal-cert.pem"),
            "JOUR_ASSURANCE_SIGNATURES": 2,
        }
        try:
            with override_settings(**keys), transaction.atomic():
                seal.create(name="Bench jour")
                documents = {
                    "floor": _floor,
                    "assurance": _assurance(_signed_year(year)),
                    "stats": _stats(year),
                    "seeker": _seeker(),
                }
                for name, make in documents.items():
                    found[f"pdf_{name}_s"] = round(_median(make), 4)
                    _profile(profile_dir, name, make)
                    _save(save_dir, name, make)
                found["pdf_stats_cold_s"] = round(_median(_cold(documents["stats"]), rounds=3), 4)
                raise _Rollback
        except _Rollback:
            pass
    for name in ("assurance", "stats", "seeker"):
        found[f"pdf_{name}_x_floor"] = round(found[f"pdf_{name}_s"] / found["pdf_floor_s"], 1)
    return found
