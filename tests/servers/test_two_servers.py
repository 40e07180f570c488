"""Two servers side by side, as production runs them: two gunicorns on two ports sharing one
PostgreSQL (the suite's), one Redis and one S3-compatible bucket (moto's server). Whatever
one server does, the other sees: a document, a session, the count of refused sign-ins; and
two workers sending the outbox at once never send the same email twice.

PostgreSQL only (SQLite is for one development server); the servers are started once for
the module and always stopped at its end.
"""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import boto3
import pytest
import redis
import requests
from cryptography.fernet import Fernet
from sqlalchemy import select

from grants.accounts.models import Role
from grants.applications.models import Document
from grants.core import clock
from grants.extensions import db
from grants.funds.models import RoundOrganisationType
from grants.jobs import cli as jobs
from grants.organisations.models import OrganisationType
from grants.records.models import OutboxMessage, OutboxStatus
from grants.records.operations.outbox import queue_email
from tests.applications.test_documents_checks import make_pdf
from tests.fixtures.auth import csrf_token_from
from tests.fixtures.factories import TEST_PASSWORD

pytestmark = pytest.mark.committing

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
BUCKET = "grants-two-servers"
# Every wait is bounded: a server that does not answer by then fails the test.
START_SECONDS = 60
REQUEST_SECONDS = 15
SIGN_IN_LIMIT = 3


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_is_up() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def wait_until_answering(process: subprocess.Popen, url: str, log: Path) -> None:
    """Until the server answers; fails at once if it exits, and after START_SECONDS."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=5)  # a booting worker answers once it has loaded the app
            return
        except (requests.ConnectionError, requests.Timeout):
            pass
        try:  # the pause between tries, which also notices a server that stopped
            process.wait(timeout=0.1)
        except subprocess.TimeoutExpired:
            continue
        pytest.fail(f"{url} stopped while starting:\n{log.read_text()[-3000:]}")
    pytest.fail(f"{url} did not answer within {START_SECONDS} s:\n{log.read_text()[-3000:]}")


@dataclass
class Servers:
    first: str
    second: str
    s3: object  # a boto3 client of the shared bucket's server
    upload_folder: Path


@pytest.fixture(scope="module")
def servers(app, tmp_path_factory) -> Iterator[Servers]:
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("two servers share a PostgreSQL database; run with DATABASE_URL="
                    "postgresql+psycopg://… (SQLite serves one development server)")
    if not redis_is_up():
        pytest.skip(f"two servers share sign-in counts in Redis; none answers at {REDIS_URL}")
    logs = tmp_path_factory.mktemp("servers")
    s3_port, first_port, second_port = free_port(), free_port(), free_port()
    aws = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
           "AWS_DEFAULT_REGION": "eu-west-2"}
    environment = {
        **{name: value for name, value in os.environ.items() if not name.startswith("AWS_")},
        **aws,
        "PYTHONPATH": str(ROOT),
        # Production, as the README runs it, with HTTPS relaxed for plain http on 127.0.0.1.
        "GRANTS_CONFIG": "production",
        "SECRET_KEY": uuid.uuid4().hex,
        "ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "STORAGE_URL": f"s3://{BUCKET}/documents?endpoint_url=http://127.0.0.1:{s3_port}",
        "UPLOAD_FOLDER": str(logs / "uploads"),
        "FORCE_HTTPS": "0",
        "SESSION_COOKIE_SECURE": "0",
        "SIGN_IN_LIMIT_PER_ACCOUNT_AND_ADDRESS": f"{SIGN_IN_LIMIT} per 15 minutes",
        "SIGN_IN_LIMIT_PER_ADDRESS": "1000 per 15 minutes",  # reruns from the same address
        "ARGON2_TIME_COST": "1", "ARGON2_MEMORY_COST": "1024", "ARGON2_PARALLELISM": "1",
    }
    processes: list[tuple[subprocess.Popen, str, Path]] = []

    def start(name: str, command: list[str], probe: str) -> None:
        log = logs / f"{name}.log"
        with log.open("wb") as output:
            processes.append((subprocess.Popen(
                command, cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL), probe, log))

    first, second = (f"http://127.0.0.1:{port}" for port in (first_port, second_port))
    try:
        start("s3", [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p",
                     str(s3_port)], f"http://127.0.0.1:{s3_port}/")
        for name, url in (("first", first), ("second", second)):
            start(name, [sys.executable, "-m", "gunicorn", "--workers", "1", "--bind",
                         url.removeprefix("http://"), "grants:create_app()"], f"{url}/sign-in")
        for process, probe, log in processes:  # all three start at once
            wait_until_answering(process, probe, log)
        s3 = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{s3_port}",
                          region_name="eu-west-2", aws_access_key_id="testing",
                          aws_secret_access_key="testing")
        s3.create_bucket(Bucket=BUCKET,
                         CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
        yield Servers(first=first, second=second, s3=s3, upload_folder=logs / "uploads")
    finally:
        for process, _, _ in processes:
            process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown; moto's too
        for process, _, _ in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def csrf_token(browser: requests.Session, url: str) -> str:
    page = browser.get(url, timeout=REQUEST_SECONDS)
    assert page.status_code == 200, f"GET {url} answered {page.status_code}"
    return csrf_token_from(page.text)


def sign_in(browser: requests.Session, server: str, email: str,
            password: str = TEST_PASSWORD) -> requests.Response:
    token = csrf_token(browser, f"{server}/sign-in")
    return browser.post(f"{server}/sign-in", timeout=REQUEST_SECONDS, allow_redirects=False,
                        data={"email": email, "password": password, "csrf_token": token})


@pytest.fixture
def member(user_factory, organisation_factory, membership_factory):
    user = user_factory(roles=[Role.APPLICANT], name="Jo Member",
                        email=f"jo-{uuid.uuid4().hex[:8]}@example.org")
    organisation = organisation_factory(name="Reading Street Support",
                                        organisation_type=OrganisationType.COMMUNITY_GROUP)
    membership_factory(user=user, organisation=organisation)
    db.session.commit()
    return user


@pytest.fixture
def draft(member, round_factory, application_factory):
    now = clock.utcnow()
    round_ = round_factory(opens_at=now - timedelta(days=7), closes_at=now + timedelta(days=28),
                           launched_at=now - timedelta(days=20),
                           min_award_pence=100_000, max_award_pence=1_000_000)
    round_.organisation_type_rows = [
        RoundOrganisationType(organisation_type=OrganisationType.COMMUNITY_GROUP)]
    application = application_factory(round=round_, organisation=member.memberships[0]
                                      .organisation, created_by=member, title="")
    db.session.commit()
    return application


def test_a_session_made_on_one_server_works_on_the_other(servers, member):
    browser = requests.Session()
    assert browser.get(f"{servers.second}/account", timeout=REQUEST_SECONDS,
                       allow_redirects=False).status_code == 302  # not signed in yet

    assert sign_in(browser, servers.first, member.email).status_code == 302

    account = browser.get(f"{servers.second}/account", timeout=REQUEST_SECONDS,
                          allow_redirects=False)
    assert account.status_code == 200 and member.email in account.text
    # Signing out on the second ends the session on the first too: it is kept in the database.
    signed_out = browser.post(f"{servers.second}/sign-out", timeout=REQUEST_SECONDS,
                              allow_redirects=False,
                              data={"csrf_token": csrf_token_from(account.text)})
    assert signed_out.status_code == 302
    assert browser.get(f"{servers.first}/account", timeout=REQUEST_SECONDS,
                       allow_redirects=False).status_code == 302


def test_a_document_uploaded_through_one_server_downloads_through_the_other(
        servers, member, draft):
    browser = requests.Session()
    assert sign_in(browser, servers.first, member.email).status_code == 302
    page = f"/applications/{draft.id}/documents"
    pdf = make_pdf(padding=5)
    reviewed = clock.today_in_london() - timedelta(days=30)

    uploaded = browser.post(
        f"{servers.first}{page}", timeout=REQUEST_SECONDS, allow_redirects=False,
        data={"csrf_token": csrf_token(browser, f"{servers.first}{page}"),
              "action": "upload", "keep": "no",
              "safeguarding_policy_date": [str(reviewed.day), str(reviewed.month),
                                           str(reviewed.year)]},
        files={"safeguarding_policy_file": ("Safeguarding policy.pdf", pdf,
                                            "application/pdf")})

    assert uploaded.status_code == 302, uploaded.text[-2000:]
    db.session.expire_all()
    [document] = db.session.scalars(select(Document).where(
        Document.application_id == draft.id)).all()
    download = browser.get(f"{servers.second}{page}/{document.id}", timeout=REQUEST_SECONDS)
    assert download.status_code == 200 and download.content == pdf
    # Kept in the shared bucket, not on either server's disk.
    names = [item["Key"] for item in servers.s3.list_objects_v2(
        Bucket=BUCKET, Prefix="documents/").get("Contents", [])]
    assert f"documents/{document.storage_key}" in names
    assert not servers.upload_folder.exists()


def test_refused_sign_ins_are_counted_across_both_servers(servers, member):
    browser = requests.Session()
    wrong = [sign_in(browser, server, member.email, "Wrong-Password-1").status_code
             for server in (servers.first, servers.second, servers.first)]

    # The second server has seen one refused sign-in itself, but the count is shared: even
    # the right password is now refused for this account from this address.
    right = sign_in(browser, servers.second, member.email)

    assert len(wrong) == SIGN_IN_LIMIT and wrong == [200] * SIGN_IN_LIMIT
    assert right.status_code == 429
    assert browser.get(f"{servers.second}/account", timeout=REQUEST_SECONDS,
                       allow_redirects=False).status_code == 302


class MeetingTransport:
    """Records what it sends; each sender's first email waits until the other sender is also
    sending one, so both hold a claimed email at the same moment."""

    def __init__(self):
        self.sent: list[tuple[str, str]] = []
        self.both_sending = threading.Barrier(2, timeout=REQUEST_SECONDS)
        self.met: set[str] = set()
        self.lock = threading.Lock()

    def send(self, *, to_address, subject, body_text):
        sender = threading.current_thread().name
        if sender not in self.met:
            self.met.add(sender)
            self.both_sending.wait()
        with self.lock:
            self.sent.append((sender, to_address))


def test_two_workers_sending_at_once_never_send_the_same_email_twice(app, monkeypatch):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the workers share PostgreSQL's row locks (SKIP LOCKED)")
    addresses = [f"person{number}@example.org" for number in range(12)]
    for address in addresses:
        queue_email(db.session, to_address=address, subject="Confirm your email address",
                    body_text="Your link")
    db.session.commit()
    transport = MeetingTransport()
    monkeypatch.setattr(jobs, "transport_for", lambda config: transport)
    context = SimpleNamespace(additional_context={"flask_app": app})
    workers = [threading.Thread(target=jobs.send_outbox, args=(context,), name=name)
               for name in ("worker-1", "worker-2")]

    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=REQUEST_SECONDS * 2)

    assert not any(worker.is_alive() for worker in workers)
    sent_to = sorted(address for _, address in transport.sent)
    assert sent_to == sorted(addresses)  # each once
    assert {sender for sender, _ in transport.sent} == {"worker-1", "worker-2"}
    db.session.expire_all()
    assert {(m.status, m.attempts) for m in db.session.scalars(select(OutboxMessage))} == {
        (OutboxStatus.SENT, 1)}
