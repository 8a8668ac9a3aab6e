"""Fill the database with the benchmark's clinic-scale data (bench/data.py), from the shell:

    .venv/bin/python -m bench.make_data --patients 50 --evaluations 200 --plan-versions 40

The options are bench.data.BenchData's; --help lists them. bench/run.py runs this against the
bench database.
"""

import os
import sys

import django


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
    django.setup()
    from bench.data import BenchData  # the models it imports load only once Django is set up

    BenchData().run_from_argv(["python -m", "bench.make_data", *argv])  # usage: that line


if __name__ == "__main__":
    main(sys.argv[1:])
