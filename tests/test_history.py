"""The profession's timeline: every milestone dated, sourced and in order."""
from urllib.parse import urlparse

from medcode import history

ISSUE_MILESTONES = {1893, 1965, 1966, 1979, 1983, 1996, 2009, 2010, 2012, 2014, 2015, 2022}


def test_every_milestone_has_a_primary_source_url():
    for row in history.milestones():
        assert row["source"].strip(), row
        url = urlparse(row["source_url"])
        assert url.scheme in {"http", "https"} and url.netloc, row


def test_dates_match_their_stated_precision():
    length = {"year": 4, "month": 7, "day": 10}
    for row in history.milestones():
        assert len(row["date"]) == length[row["precision"]], row


def test_the_timeline_covers_the_syllabus_milestones_in_order():
    rows = history.milestones()
    assert {row["year"] for row in rows} >= ISSUE_MILESTONES
    assert [row["date"] for row in rows] == sorted(row["date"] for row in rows)


def test_key_dates():
    by_year = {row["year"]: row["date"] for row in history.milestones()}
    assert by_year[2015] == "2015-10-01"
    assert by_year[1996] == "1996-08-21"


def test_year_of_any_precision():
    assert history.year_of("1893") == 1893
    assert history.year_of("1979-01") == 1979
    assert history.year_of("2022-01-01") == 2022
