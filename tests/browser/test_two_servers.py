"""Two app servers behind one address share PostgreSQL (or the test's database), Redis and
an S3-compatible store: with both servers' caches warm, an editor publishes a correction
and uploads a hero image through one, and the very next request to the other shows the
correction and the image, loaded from the store; once a worker has made the image's other
sizes, both offer them."""

import re
import subprocess
import sys

import pytest
from django.contrib.auth.models import Group

from tests.browser.helpers import PASSWORD, log_in
from tests.factories import UserFactory, published_issue
from tests.images import image_file
from tests.servers import (
    ROOT,
    AppServer,
    S3Server,
    collect_static,
    get,
    password_for_servers,
    production_env,
    redis_is_up,
)

OLD = "MIIT issues a plan for computing power"
NEW = "MIIT and NDRC issue a plan for computing power"
BUCKET = "briefs-two-servers"
REDIS = "redis://127.0.0.1:6379/12"


@pytest.fixture
def shared_parts(tmp_path_factory):
    """The store and the cache the app servers share; what the servers are given."""
    if not redis_is_up():
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    import redis

    redis.Redis.from_url(REDIS).flushdb()
    s3 = S3Server()
    s3.public_bucket(BUCKET)
    yield s3, {**s3.environment(BUCKET), "REDIS_URL": REDIS, "PAGE_CACHE": "true"}
    s3.stop()


@pytest.fixture
def two_servers(shared_parts, roles, tmp_path_factory):
    s3, environment = shared_parts
    static = collect_static(tmp_path_factory.mktemp("static"))
    servers = [AppServer(static, **environment) for _ in range(2)]
    yield s3, environment, servers
    for server in servers:
        server.stop()


def test_a_change_through_one_server_is_served_at_once_by_the_other(
    two_servers, browser, tmp_path
):
    s3, environment, (first, second) = two_servers
    issue = published_issue(title="Computing power + Civil aviation")
    issue.stories.filter(position=1).update(headline=OLD)
    editor = UserFactory(username="eda", password=PASSWORD, is_staff=True, first_name="Eda")
    editor.groups.add(Group.objects.get(name="Editor"))
    password_for_servers(editor, PASSWORD)
    path = issue.get_absolute_url()

    # Readers have the page from both servers: every worker's cache holds it.
    for server in (first, second):
        for _ in range(6):
            status, page = get(server.base + path)
            assert status == 200 and OLD in page.decode() and "<img" not in page.decode()

    # Through the first server, the editor corrects the headline, adds a hero image and
    # publishes the change.
    picture = tmp_path / "harbour.jpg"
    picture.write_bytes(image_file("harbour.jpg", 1800, 1000).read())
    page = log_in(browser, first.base, "eda")
    page.goto(f"{first.base}/admin/briefings/issue/{issue.pk}/change/")
    page.locator("#stories-0 > details > summary").click()
    page.fill("#id_stories-0-headline", NEW)
    page.set_input_files("#id_hero_image", str(picture))
    page.fill("#id_hero_alt", "A container harbour at dusk")
    page.fill("#id_correction_note", "The headline now names both issuing agencies.")
    page.click("button[name=_publish]")
    assert "Published the changes" in page.inner_text(".messagelist")
    page.context.close()

    # The very next request to the second server.
    status, html = get(second.base + path)
    html = html.decode()
    assert status == 200 and NEW in html and OLD not in html
    assert "The headline now names both issuing agencies." in html
    image = re.search(r'<img src="([^"]+)" srcset="([^"]+)"', html)
    assert image, "the hero image is on the page"
    assert image.group(1).startswith(f"{s3.endpoint}/{BUCKET}/issues/harbour")
    assert image.group(2) == f"{image.group(1)} 1800w"  # its other sizes are on their way

    # A worker makes the image's other sizes; both servers offer them at once.
    subprocess.run(
        [sys.executable, "manage.py", "worker", "--batch", "--worker-id", "two-servers"],
        cwd=ROOT, env=production_env(**environment), check=True, capture_output=True,
    )  # fmt: skip
    for server in (first, second):
        status, html = get(server.base + path)
        image = re.search(r'<img src="([^"]+)" srcset="([^"]+)"', html.decode())
        sources = [source.split()[0] for source in image.group(2).split(", ")]
        assert len(sources) == 4, sources  # 480, 960 and 1600 px, and the original
        for url in [image.group(1), *sources]:  # loaded from the store, as a browser would
            status, content = get(url)
            assert status == 200 and content[:4] in (b"\xff\xd8\xff\xe0", b"RIFF"), url
