"""What the tests and the benchmarks both use: a conversation over the REST channel, the simulated owners of
whole conversations, the judge of a policy answer, and a private pair of servers. Imported by tests/ and bench/;
imports neither (tests/test_layers.py checks it)."""
