"""The connection settings jour.env.database gives each engine."""

import pytest
from django.db import connection

from jour.env import database


def test_postgresql_connections_do_not_compile_queries():
    config = database("postgres://jour@db:5432/jour", conn_max_age=0)
    assert config["OPTIONS"] == {"options": "-c jit=off"}


def test_an_option_in_the_url_wins():
    config = database("postgres://jour@db:5432/jour?options=-c%20statement_timeout%3D5000", conn_max_age=0)
    assert config["OPTIONS"] == {"options": "-c statement_timeout=5000"}


def test_sqlite_keeps_its_own_options():
    config = database("sqlite:////tmp/jour.sqlite3", conn_max_age=0)
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "options" not in config["OPTIONS"]


@pytest.mark.django_db
def test_the_suites_postgresql_connection_has_jit_off():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only; CI runs the suite on PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
