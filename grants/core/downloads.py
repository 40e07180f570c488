"""Files handed to the browser as attachments (grants.core.caching says no cache keeps them:
only a signed-in person downloads one)."""

from typing import BinaryIO

from flask import Response, send_file


def private_attachment(file: BinaryIO, *, download_name: str, mimetype: str) -> Response:
    """Someone's own file as a download: never kept by a shared cache or the browser's."""
    response = send_file(file, mimetype=mimetype, as_attachment=True,
                         download_name=download_name, conditional=False, etag=False,
                         max_age=None)
    return response
