"""Business days from the official holidays in micuenta/core/data/holidays_mx.csv."""

from datetime import date

import pytest

from micuenta.core.calendar import CalendarNotCovered, add_business_days, is_business_day, next_business_day
from micuenta.core.models import Holiday, HolidayKind
from micuenta.core.reference import clear_reference_cache

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    clear_reference_cache()
    yield
    clear_reference_cache()


def test_national_holidays_and_weekends_are_not_business_days():
    for banking in (True, False):
        assert not is_business_day(date(2025, 9, 16), banking=banking)  # Independencia, a Tuesday
        assert not is_business_day(date(2025, 12, 25), banking=banking)  # Navidad, a Thursday
        assert not is_business_day(date(2024, 10, 1), banking=banking)  # transmisión del Poder Ejecutivo
        assert not is_business_day(date(2025, 11, 15), banking=banking)  # Saturday
        assert not is_business_day(date(2025, 11, 16), banking=banking)  # Sunday
        assert is_business_day(date(2025, 9, 17), banking=banking)
        assert is_business_day(date(2025, 12, 26), banking=banking)


def test_bank_only_closures_are_working_days_under_the_labour_calendar():
    # Jueves Santo, Viernes Santo, Día de Muertos (a Thursday in 2023), Día del Empleado Bancario.
    for day in (date(2025, 4, 17), date(2025, 4, 18), date(2023, 11, 2), date(2025, 12, 12)):
        assert not is_business_day(day), day
        assert is_business_day(day, banking=False), day


def test_every_weekday_legal_rest_day_is_also_a_bank_closure():
    legal = Holiday.objects.filter(kind=HolidayKind.LEY)
    bank = set(Holiday.objects.filter(kind=HolidayKind.BANCARIO).values_list("date", flat=True))
    assert [h.date for h in legal if h.date.weekday() < 5 and h.date not in bank] == []


def test_next_business_day():
    assert next_business_day(date(2025, 11, 15)) == date(2025, 11, 18)  # Sat → Mon 17 is Revolución → Tue 18
    assert next_business_day(date(2025, 9, 16)) == date(2025, 9, 17)
    assert next_business_day(date(2025, 9, 17)) == date(2025, 9, 17)  # already a business day
    assert next_business_day(date(2025, 12, 24)) == date(2025, 12, 24)
    assert next_business_day(date(2025, 12, 25)) == date(2025, 12, 26)
    assert next_business_day(date(2025, 4, 17)) == date(2025, 4, 21)  # Holy Thursday and Friday, weekend
    assert next_business_day(date(2025, 4, 17), banking=False) == date(2025, 4, 17)
    assert next_business_day(date(2026, 1, 1)) == date(2026, 1, 2)


def test_employer_payment_deadline_day_17_moves_to_the_next_business_day():
    """docs/sources.md#payment-deadline: day 17 of the month after the bimestre, moved when it is not a business day.

    None of these depends on a bank-only closure: both calendars give the same dates.
    """
    for banking in (True, False):
        # 17-Nov-2025 is the third Monday of November (Día de la Revolución, LFT and CNBV).
        assert next_business_day(date(2025, 11, 17), banking=banking) == date(2025, 11, 18)
        # 17-Jan-2026 is a Saturday.
        assert next_business_day(date(2026, 1, 17), banking=banking) == date(2026, 1, 19)
        # 17-Sep-2025 is a Wednesday: no move (the 4th bimestre 2025 deadline, [R47]).
        assert next_business_day(date(2025, 9, 17), banking=banking) == date(2025, 9, 17)


def test_september_2023_deadline_is_monday_18_not_the_19_quoted_in_the_press():
    """17-Sep-2023 was a Sunday and Monday 18-Sep-2023 is in neither the LFT nor the CNBV list, so the next
    business day is the 18th. 19-Sep-2023 comes from a press table (Líder Empresarial, docs/sources.md#payment-deadline)
    that gives no reason for the extra day; it cannot be derived from the official holidays, so the calendar
    does not reproduce it. To confirm against the IMSS/Infonavit payment calendar for 2023.
    """
    assert is_business_day(date(2023, 9, 18))
    assert next_business_day(date(2023, 9, 17)) == date(2023, 9, 18)


def test_add_business_days():
    assert add_business_days(date(2025, 12, 11), 1) == date(2025, 12, 15)  # 12 Dec banks closed, then weekend
    assert add_business_days(date(2025, 12, 11), 1, banking=False) == date(2025, 12, 12)
    assert add_business_days(date(2025, 4, 16), 1) == date(2025, 4, 21)
    assert add_business_days(date(2025, 4, 21), -1) == date(2025, 4, 16)
    assert add_business_days(date(2025, 9, 12), 5) == date(2025, 9, 22)  # skips the weekend and 16 Sep
    assert add_business_days(date(2025, 11, 15), 0) == date(2025, 11, 15)


def test_dates_outside_the_loaded_years_are_an_error_not_a_guess():
    with pytest.raises(CalendarNotCovered) as excinfo:
        is_business_day(date(2028, 1, 3))
    assert excinfo.value.message == "El calendario de días inhábiles cubre de 2016 a 2027; no incluye el 03/01/2028."
    assert excinfo.value.code == "calendario_sin_cobertura"
    with pytest.raises(CalendarNotCovered):
        next_business_day(date(2015, 12, 31))


def test_without_holidays_loaded_the_calendar_refuses_to_answer():
    Holiday.objects.all().delete()
    clear_reference_cache()
    with pytest.raises(CalendarNotCovered) as excinfo:
        is_business_day(date(2025, 1, 2))
    assert excinfo.value.message == "No está cargado el calendario de días inhábiles."


def test_holidays_are_read_once_per_process(django_assert_num_queries):
    with django_assert_num_queries(1):
        is_business_day(date(2025, 1, 1))
    with django_assert_num_queries(0):
        add_business_days(date(2025, 1, 1), 250)
