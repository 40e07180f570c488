"""Delivering queued emails: by SMTP when configured, otherwise to the log."""

import logging
import smtplib
from collections.abc import Mapping
from email.message import EmailMessage
from typing import Any, Protocol

logger = logging.getLogger(__name__)


class Transport(Protocol):
    def send(self, *, to_address: str, subject: str, body_text: str) -> None: ...


class LogTransport:
    """Development: write the email to the log instead of sending it."""

    def send(self, *, to_address: str, subject: str, body_text: str) -> None:
        logger.info("email to %s: %s\n%s", to_address, subject, body_text)


class SMTPTransport:
    def __init__(self, settings: Mapping[str, Any]) -> None:
        self.settings = settings

    def send(self, *, to_address: str, subject: str, body_text: str) -> None:
        message = EmailMessage()
        message["From"] = self.settings["MAIL_FROM"]
        message["To"] = to_address
        message["Subject"] = subject
        message.set_content(body_text)
        with smtplib.SMTP(self.settings["SMTP_HOST"], self.settings["SMTP_PORT"],
                          timeout=30) as smtp:
            if self.settings["SMTP_STARTTLS"]:
                smtp.starttls()
            if self.settings["SMTP_USERNAME"]:
                smtp.login(self.settings["SMTP_USERNAME"], self.settings["SMTP_PASSWORD"])
            smtp.send_message(message)


def transport_for(settings: Mapping[str, Any]) -> Transport:
    return SMTPTransport(settings) if settings.get("SMTP_HOST") else LogTransport()
