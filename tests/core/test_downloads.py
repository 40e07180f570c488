"""Files the service writes are downloads named as asked; CSV starts with a byte order mark,
whether it is written at once or a line at a time."""

from grants.core.downloads import attachment, csv_attachment


def test_a_written_file_is_an_attachment_with_its_name_and_type(app):
    with app.test_request_context():
        response = attachment(b"PK", filename="report.xlsx", mimetype="application/zip")
    assert response.headers["Content-Disposition"] == 'attachment; filename="report.xlsx"'
    assert response.mimetype == "application/zip"
    assert response.get_data() == b"PK"


def test_csv_text_starts_with_a_byte_order_mark(app):
    with app.test_request_context():
        response = csv_attachment("a,b\r\n", filename="list.csv")
    assert response.mimetype == "text/csv"
    assert response.get_data(as_text=True) == "\ufeffa,b\r\n"


def test_csv_written_a_line_at_a_time_is_streamed_after_a_byte_order_mark(app):
    with app.test_request_context():
        response = csv_attachment(iter(["a,b\r\n", "1,2\r\n"]), filename="list.csv")
        assert response.is_streamed
        assert response.get_data(as_text=True) == "\ufeffa,b\r\n1,2\r\n"
    assert response.headers["Content-Disposition"] == 'attachment; filename="list.csv"'
