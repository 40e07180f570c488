"""A request that succeeds commits once, at its end, without marking what it read as stale."""

from sqlalchemy import inspect


def test_the_commit_at_the_end_of_a_page_leaves_what_it_read_loaded(user_factory, sign_in_as,
                                                                     db_session):
    member = user_factory()
    client = sign_in_as(member)
    db_session.expunge_all()  # as a new request starts: nothing loaded yet

    assert client.get("/account").status_code == 200

    read = list(db_session.identity_map.values())
    assert read, "the page read nobody"
    assert not any(inspect(row).expired_attributes for row in read)
    # Only that commit: any other still marks what it read as stale.
    assert db_session().expire_on_commit
    db_session.commit()
    assert all(inspect(row).expired_attributes for row in read)
