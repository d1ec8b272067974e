"""Release gates: a metric of the run under test against a bound or a baseline run.

- :mod:`evalkit.gates.spec`: the ``gates:`` YAML entries and their results;
- :mod:`evalkit.gates.evaluate`: resolving and evaluating one gate;
- :mod:`evalkit.gates.suite`: a config's gates over its run (``evalkit gate``);
- :mod:`evalkit.gates.table`: the console table;
- :mod:`evalkit.gates.pytest_plugin`: ``pytest --evalkit`` and the ``evalkit_gates`` fixture.
"""
