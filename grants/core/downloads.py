"""Files handed to the browser as attachments: a person's own uploaded file, or one the service
writes (CSV, XLSX, JSON, DOCX). grants.core.caching says what a cache may keep of them."""

from collections.abc import Iterable, Iterator
from itertools import chain
from typing import BinaryIO

from flask import Response, send_file, stream_with_context

# A byte order mark, so that spreadsheet programs read a CSV download as UTF-8.
UTF8_BOM = "\ufeff"


def private_attachment(file: BinaryIO, *, download_name: str, mimetype: str) -> Response:
    """Someone's own file as a download: never kept by a shared cache or the browser's."""
    response = send_file(file, mimetype=mimetype, as_attachment=True,
                         download_name=download_name, conditional=False, etag=False,
                         max_age=None)
    return response


def attachment(body: str | bytes | Iterator[str], *, filename: str,
               mimetype: str) -> Response:
    """A file the service writes, as a download called `filename`. Chunks are sent as they
    are written, within the request (so they may still read the database)."""
    if not isinstance(body, str | bytes):
        body = stream_with_context(body)
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_attachment(body: str | Iterable[str], *, filename: str) -> Response:
    """CSV text (or its lines, as they are written) as a download, after a byte order mark."""
    if isinstance(body, str):
        return attachment(UTF8_BOM + body, filename=filename, mimetype="text/csv")
    return attachment(chain([UTF8_BOM], body), filename=filename, mimetype="text/csv")
