"""An editor imports a large spreadsheet in the admin: it is queued as a job, and the
job's page follows it by itself — queued, then done with its result — while a worker
runs it. Looked at on a phone and a desktop screen."""

import pytest
import tablib
from django.core.management import call_command

from apps.agencies.models import Agency
from tests.browser.helpers import PASSWORD, WIDTHS, log_in
from tests.browser.test_visual_check import PROBLEMS
from tests.factories import UserFactory


@pytest.mark.parametrize("device", WIDTHS)
def test_a_large_import_is_followed_on_its_job_page(
    live_server, transactional_db, browser, artifacts, settings, device, tmp_path
):
    settings.IMPORT_BACKGROUND_BYTES = 1024  # this file is "large"
    UserFactory(username="chief", password=PASSWORD, is_staff=True, is_superuser=True)
    dataset = tablib.Dataset(headers=["abbreviation", "name_en", "name_zh", "slug", "kind"])
    for n in range(60):
        dataset.append([f"PB{n}", f"Provincial bureau number {n}", f"第{n}号厅", f"pb{n}",
                        "other"])  # fmt: skip
    spreadsheet = tmp_path / "provincial-bureaus.csv"
    spreadsheet.write_text(dataset.export("csv"))
    width, _ = WIDTHS[device]
    page = log_in(browser, live_server.url, "chief", width=width)

    page.goto(f"{live_server.url}/admin/agencies/agency/import/")
    assert "At most 25 MB and 250,000 rows" in page.inner_text("#content")
    page.set_input_files("#id_import_file", str(spreadsheet))
    page.select_option("#id_format", label="csv")
    page.click("input[type=submit]")

    page.wait_for_url("**/admin/background/job/*/change/")
    assert "Queued: a worker will start it shortly" in page.inner_text("#content")
    assert not Agency.objects.exists()
    page.screenshot(path=artifacts / f"job-{device}-queued.png", full_page=True)

    call_command("worker", batch=True, worker_id="browser-test", verbosity=0)

    # The page refreshes itself.
    page.wait_for_selector("text=Done", timeout=15_000)
    text = page.inner_text("#content")
    assert "60 new, 0 changed, 0 unchanged" in text
    assert Agency.objects.count() == 60
    page.screenshot(path=artifacts / f"job-{device}-done.png", full_page=True)
    assert page.evaluate(PROBLEMS, width) == []
    page.click("text=See the records")
    page.wait_for_url("**/admin/agencies/agency/")
    page.wait_for_load_state("load")  # the whole list, not the part streamed so far
    assert "PB59" in page.inner_text("#result_list")
    page.goto(f"{live_server.url}/admin/background/job/")
    assert "60 new, 0 changed, 0 unchanged" in page.inner_text("#result_list")
    assert "Back up now" in page.inner_text("#content")
    page.screenshot(path=artifacts / f"job-{device}-list.png", full_page=True)
    assert page.evaluate(PROBLEMS, width) == []
