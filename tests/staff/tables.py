"""Reading the rows of a page's tables, for the staff page tests."""

from html.parser import HTMLParser


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self._row = []
        elif tag in {"td", "th"} and self._row is not None:
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag):
        if tag in {"td", "th"} and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None


def table_rows(html: str) -> list[list[str]]:
    """Every table row on the page, header rows included, as lists of cell texts."""
    parser = _Tables()
    parser.feed(html)
    return parser.rows


def row_starting(html: str, text: str) -> list[str]:
    """The one table row whose first cell starts with the text."""
    rows = [row for row in table_rows(html) if row and row[0].startswith(text)]
    assert len(rows) == 1, f"{len(rows)} rows start with {text!r}: {table_rows(html)}"
    return rows[0]
