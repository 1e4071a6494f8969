"""The scripts in scripts/ run under mpiexec (they call ``kerasette.distribute.init()`` and train when imported)."""

collect_ignore = ["scripts"]
