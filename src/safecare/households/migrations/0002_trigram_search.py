"""pg_trgm for staff search on PostgreSQL: a name found from a close spelling (decision 0028).

On SQLite the operation does nothing; the search there matches words as typed. pg_trgm is a
trusted extension (PostgreSQL 13 and later): the database's owner may create it.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("households", "0001_initial")]

    operations = [TrigramExtension()]
