"""Create the benchmark database and load BENCH_CASES (50,000) cases into it, once."""

import os
import subprocess
import sys
from urllib.parse import urlparse

import psycopg

url = os.environ["DATABASE_URL"]
parsed = urlparse(url)
name = parsed.path.lstrip("/")
admin = parsed._replace(path="/postgres").geturl()
with psycopg.connect(admin, autocommit=True) as conn:
    if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
        conn.execute(f'CREATE DATABASE "{name}"')
python = sys.executable
subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], check=True)
check = "import django; django.setup(); from cases.models import Case; print(Case.objects.count())"
count = int(subprocess.run([python, "-c", check], check=True, capture_output=True, text=True).stdout)
wanted = int(os.environ.get("BENCH_CASES", 50_000))
if count < wanted:
    subprocess.run([python, "manage.py", "seed_load", "--cases", str(wanted - count), "--force"], check=True)
# Fresh rows, new indexes, rolled-back bench rows: let the planner and index-only
# scans see the tables as a jour's autovacuum keeps them.
with psycopg.connect(url, autocommit=True) as conn:
    conn.execute("VACUUM ANALYZE")
