import datetime

from signups.demo import launch_weekend_dates


def test_the_demo_launch_weekend_is_the_coming_saturday_and_sunday():
    wednesday = datetime.date(2026, 11, 25)
    assert launch_weekend_dates(wednesday) == (datetime.date(2026, 11, 28), datetime.date(2026, 11, 29))
    saturday = datetime.date(2026, 11, 28)
    assert launch_weekend_dates(saturday) == (saturday, datetime.date(2026, 11, 29))
