"""Reference values in force on a date, as loaded by migration 0002 from micuenta/core/data/."""

import csv
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from micuenta.core.models import Holiday, Inpc, MinimumWage, Udi, Uma, Umi
from micuenta.core.money import money
from micuenta.core.reference import (
    ReferenceValueNotFound,
    clear_reference_cache,
    inpc,
    minimum_wage_on,
    udi_on,
    uma_on,
    umi_on,
)

pytestmark = pytest.mark.django_db

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

# INEGI values as published (daily, monthly, annual); sources in micuenta/core/data/README.md.
PUBLISHED_UMA = {
    2016: ("73.04", "2220.42", "26645.04"),
    2017: ("75.49", "2294.90", "27538.80"),
    2018: ("80.60", "2450.24", "29402.88"),
    2019: ("84.49", "2568.50", "30822.00"),
    2020: ("86.88", "2641.15", "31693.80"),
    2021: ("89.62", "2724.45", "32693.40"),
    2022: ("96.22", "2925.09", "35101.08"),
    2023: ("103.74", "3153.70", "37844.40"),
    2024: ("108.57", "3300.53", "39606.36"),
    2025: ("113.14", "3439.46", "41273.52"),
    2026: ("117.31", "3566.22", "42794.64"),
}
PUBLISHED_MINIMUM_WAGE = {
    2020: ("123.22", "185.56"),
    2021: ("141.70", "213.39"),
    2022: ("172.87", "260.34"),
    2023: ("207.44", "312.41"),
    2024: ("248.93", "374.89"),
    2025: ("278.80", "419.88"),
    2026: ("315.04", "440.87"),
}


@pytest.fixture(autouse=True)
def _fresh_cache():
    clear_reference_cache()
    yield
    clear_reference_cache()


def csv_rows(name):
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# --- UMA -----------------------------------------------------------------------------------------------


def test_uma_changes_on_1_february_so_mid_january_2025_uses_2024s():
    assert uma_on(date(2025, 1, 15)).year == 2024
    assert uma_on(date(2025, 1, 15)).daily == Decimal("108.57")
    assert uma_on(date(2025, 1, 31)).daily == Decimal("108.57")
    assert uma_on(date(2025, 2, 1)).year == 2025
    assert uma_on(date(2025, 2, 1)).daily == Decimal("113.14")
    assert uma_on(date(2026, 6, 30)).daily == Decimal("117.31")


def test_the_first_uma_is_in_force_from_28_january_2016():
    assert uma_on(date(2016, 1, 28)).daily == Decimal("73.04")
    assert uma_on(date(2017, 1, 31)).year == 2016
    with pytest.raises(ReferenceValueNotFound) as excinfo:
        uma_on(date(2016, 1, 27))
    assert excinfo.value.message == "No hay valor de la UMA vigente el 27/01/2016."


def test_uma_before_it_existed_raises_a_spanish_error():
    with pytest.raises(ReferenceValueNotFound) as excinfo:
        uma_on(date(2016, 1, 1))
    assert excinfo.value.code == "valor_de_referencia_no_disponible"
    assert excinfo.value.message == "No hay valor de la UMA vigente el 01/01/2016."
    assert isinstance(excinfo.value, LookupError)


def test_uma_table_is_the_published_one_with_its_effective_dates():
    loaded = {uma.year: (str(uma.daily), str(uma.monthly), str(uma.annual)) for uma in Uma.objects.all()}
    assert loaded == PUBLISHED_UMA
    for uma in Uma.objects.exclude(year=2016):
        assert uma.valid_from == date(uma.year, 2, 1)
        assert uma.source


def test_every_uma_row_keeps_the_published_arithmetic():
    # Checked against the published values first: every published monthly and annual value equals the rounded product
    # exactly, so no row needs a tolerance.
    for uma in Uma.objects.all():
        assert uma.monthly == money(uma.daily * Decimal("30.4")), uma.year
        assert uma.annual == money(uma.monthly * 12), uma.year


def test_uma_2020_to_2026_follows_from_the_inpc_series():
    """Ley para Determinar el Valor de la UMA, art. 4: previous UMA × (1 + December y/y INPC change).

    INEGI applies the published percentage (two decimals); this confirms each UMA from an independent series.
    """
    for year in range(2020, 2027):
        change = (inpc(year - 1, 12) / inpc(year - 2, 12) - 1) * 100
        published_change = change.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        previous = Uma.objects.get(year=year - 1).daily
        expected = money(previous * (1 + published_change / 100))
        assert Uma.objects.get(year=year).daily == expected, year


# --- Salario mínimo and UMI ----------------------------------------------------------------------------


def test_minimum_wage_2025_general_and_border_zone():
    wage = minimum_wage_on(date(2025, 7, 1))
    assert wage.general == Decimal("278.80")
    assert wage.zlfn == Decimal("419.88")
    assert wage.for_zone("general") == Decimal("278.80")
    assert wage.for_zone("zlfn") == Decimal("419.88")
    assert minimum_wage_on(date(2025, 12, 31)).general == Decimal("278.80")
    assert minimum_wage_on(date(2026, 1, 1)).general == Decimal("315.04")


def test_minimum_wage_table_is_the_published_one_from_1_january():
    loaded = {w.valid_from.year: (str(w.general), str(w.zlfn)) for w in MinimumWage.objects.all()}
    assert loaded == PUBLISHED_MINIMUM_WAGE
    assert all(w.valid_from.timetuple()[1:3] == (1, 1) for w in MinimumWage.objects.all())


def test_minimum_wage_of_an_unknown_zone_or_before_2020_is_an_error():
    with pytest.raises(ValueError, match="Zona de salario mínimo desconocida"):
        minimum_wage_on(date(2025, 1, 1)).for_zone("norte")  # type: ignore[arg-type]
    with pytest.raises(ReferenceValueNotFound, match=r"^\[valor_de_referencia_no_disponible\] No hay salario mínimo"):
        minimum_wage_on(date(2019, 12, 31))


def test_umi_2026_is_unchanged_at_100_81():
    umi = umi_on(date(2026, 3, 1))
    assert umi.daily == Decimal("100.81")
    assert umi.monthly == Decimal("3064.62") == money(umi.daily * Decimal("30.4"))
    assert umi.annual == Decimal("36775.44") == money(umi.monthly * 12)
    assert [u.valid_from for u in Umi.objects.all()] == [date(2024, 1, 1), date(2025, 1, 1), date(2026, 1, 1)]
    with pytest.raises(ReferenceValueNotFound, match="No hay valor de la UMI vigente el 31/12/2023"):
        umi_on(date(2023, 12, 31))


# --- INPC ----------------------------------------------------------------------------------------------


def test_inpc_anchor_values_as_published():
    assert inpc(2024, 12) == Decimal("137.949")
    assert inpc(2025, 12) == Decimal("143.042")


def test_inpc_covers_every_month_from_2018_to_2025():
    loaded = set(Inpc.objects.values_list("year", "month"))
    missing = [(year, month) for year in range(2018, 2026) for month in range(1, 13) if (year, month) not in loaded]
    assert missing == []
    assert Inpc.objects.count() == len(csv_rows("inpc_monthly.csv")) == 101


def test_december_inflation_matches_the_published_rates():
    # Published December inflation: docs/sources.md#inflation (2020: VSM credits rose 3.15 % in 2021, the UMA growth).
    published = {2020: "3.15", 2021: "7.36", 2022: "7.82", 2023: "4.66", 2024: "4.21", 2025: "3.69"}
    for year, rate in published.items():
        change = (inpc(year, 12) / inpc(year - 1, 12) - 1) * 100
        assert change.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) == Decimal(rate), year


def test_worked_example_of_real_interest_fy2025():
    """RLISR art. 257 (example in docs/sources.md#real-interest): factor = INPC Dec-2025 / INPC Dec-2024 − 1."""
    factor = inpc(2025, 12) / inpc(2024, 12) - 1
    assert factor.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP) == Decimal("0.036919")
    adjustment = money(Decimal("500000") * factor)
    assert adjustment == Decimal("18459.72")
    assert Decimal("45000.00") - adjustment == Decimal("26540.28")


def test_inpc_keeps_its_source_and_flags_single_source_months():
    assert "inegi-via-hisoto" in Inpc.objects.get(year=2025, month=12).source
    assert Inpc.objects.get(year=2026, month=3).source == "gh-ts-inpc; single-source"


def test_missing_inpc_month_is_an_error():
    with pytest.raises(ReferenceValueNotFound) as excinfo:
        inpc(2017, 12)
    assert excinfo.value.message == "No está cargado el INPC de 12/2017."


# --- UDI -----------------------------------------------------------------------------------------------


def test_udi_year_end_values():
    assert udi_on(date(2015, 12, 31)) == Decimal("5.381175")
    assert udi_on(date(2024, 12, 31)) == Decimal("8.340909")
    assert udi_on(date(2025, 12, 31)) == Decimal("8.665387")
    assert udi_on(date(1995, 4, 4)) == Decimal("1.000000")


def test_udi_series_has_every_day_from_april_1995_to_february_2026():
    first, last = date(1995, 4, 4), date(2026, 2, 25)
    assert Udi.objects.count() == (last - first).days + 1 == 11286
    assert Udi.objects.earliest("date").date == first
    assert Udi.objects.latest("date").date == last
    with pytest.raises(ReferenceValueNotFound, match="No está cargado el valor de la UDI del 26/02/2026"):
        udi_on(last + timedelta(days=1))


# --- Files, cache and migration ------------------------------------------------------------------------


def test_every_data_file_is_loaded_with_its_source():
    assert Uma.objects.count() == len(csv_rows("uma.csv")) == 11
    assert MinimumWage.objects.count() == len(csv_rows("minimum_wage.csv")) == 7
    assert Umi.objects.count() == len(csv_rows("umi.csv")) == 3
    assert Holiday.objects.count() == len(csv_rows("holidays_mx.csv")) == 223
    cited = {row["key"] for row in csv_rows("sources.csv")}
    for name in ("uma.csv", "minimum_wage.csv", "umi.csv"):
        for row in csv_rows(name):
            keys = {part.split(" ")[0] for part in row["source"].split("; ")} - {"confirmed"}
            assert keys <= cited, (name, row)


def test_lookups_query_the_database_once_per_process(django_assert_num_queries):
    with django_assert_num_queries(4):
        uma_on(date(2025, 1, 15))
        minimum_wage_on(date(2025, 1, 15))
        umi_on(date(2025, 1, 15))
        inpc(2025, 12)
    with django_assert_num_queries(1):
        udi_on(date(2025, 1, 15))
    with django_assert_num_queries(0):
        uma_on(date(2025, 3, 1))
        minimum_wage_on(date(2021, 3, 1))
        umi_on(date(2026, 1, 1))
        inpc(2018, 1)
        udi_on(date(2025, 1, 15))


@pytest.mark.django_db(transaction=True)
def test_reference_data_migration_is_reversible():
    executor = MigrationExecutor(connection)
    executor.migrate([("core", "0001_initial")])
    for model in (Uma, MinimumWage, Umi, Inpc, Udi, Holiday):
        assert model.objects.count() == 0, model

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert Udi.objects.count() == 11286
    assert Holiday.objects.count() == 223
    clear_reference_cache()
    assert uma_on(date(2025, 1, 15)).daily == Decimal("108.57")


@pytest.mark.django_db(transaction=True)
def test_flushing_between_transactional_tests_keeps_the_reference_data():
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    clear_reference_cache()
    assert Udi.objects.count() == 11286
    assert uma_on(date(2025, 1, 15)).daily == Decimal("108.57")
