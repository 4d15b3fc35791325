"""A real SMTP server (aiosmtpd) on 127.0.0.1 and a free port, and an app that mails to it."""

import email
import email.policy
import threading
import time

import pytest
from aiosmtpd.controller import Controller

from tests.servers import free_port


class Mailbox:
    """Keeps every message the server accepts; ``refuse`` makes it answer with an error."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.refuse: str | None = None  # e.g. "451 4.3.0 try later" (at DATA)
        self.refuse_recipient: str | None = None  # e.g. "550 5.1.1 no such user"
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse_recipient:
            return self.refuse_recipient
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return self.refuse
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        with self.lock:
            return [m for m in self.messages if m["To"] == address]


class ClosingController(Controller):
    """aiosmtpd's controller that closes the connections still open when it stops.

    A test may end while the app's job is still talking to the server; aiosmtpd stops its
    loop with that connection open, and the garbage collector then warns about the unclosed
    transport during a later test, which fails it (an ExceptionGroup of ResourceWarnings at
    the setup of tests/notifications/test_account_link.py in one CI run)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.connections = []

    def factory(self):
        smtp = super().factory()
        self.connections.append(smtp)
        return smtp

    def stop(self, no_assert: bool = False):
        if self.loop.is_running():
            closed = threading.Event()

            def close_all():
                for smtp in self.connections:
                    if smtp.transport is not None:
                        smtp.transport.close()
                self.loop.call_soon(closed.set)  # after each transport's own closing call

            self.loop.call_soon_threadsafe(close_all)
            closed.wait(5)
        super().stop(no_assert)


@pytest.fixture
def smtp_port():
    return free_port()


@pytest.fixture
def mailbox(smtp_port):
    box = Mailbox()
    controller = ClosingController(box, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    yield box
    controller.stop()


def mail_settings(monkeypatch, smtp_port) -> dict:
    """Mail settings from the environment, as an operator sets them; no queue configured."""
    monkeypatch.setenv("BIMTEK_MAIL_SERVER", "127.0.0.1")
    monkeypatch.setenv("BIMTEK_MAIL_PORT", str(smtp_port))
    monkeypatch.setenv("BIMTEK_MAIL_USE_TLS", "false")
    monkeypatch.setenv("BIMTEK_MAIL_DEFAULT_SENDER", "Bimtek Kutim <bimtek@kutim.test>")
    monkeypatch.delenv("BIMTEK_QUEUE_URL", raising=False)
    return {"JOB_RETRY_DELAY": 0.2, "JOB_RETRY_BACKOFF": 1, "JOB_RETRIES": 3, "MAIL_TIMEOUT": 5}


@pytest.fixture
def app_config(monkeypatch, smtp_port):
    return mail_settings(monkeypatch, smtp_port)


def wait_for(condition, seconds: float = 10.0):
    """Poll until ``condition()`` is truthy; its last value (falsy when it never became so)."""
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.05)


def settle(app, seconds: float = 15.0) -> bool:
    """Wait until the embedded queue has nothing left to run."""
    return wait_for(lambda: app.extensions["bimtek_jobs"].runner.idle(), seconds)
