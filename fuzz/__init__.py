"""Bounded schemathesis run (GraphQL mode) against a local API: ``make fuzz``.

Kept outside ``tests/`` so pytest never collects it: it needs minutes, seeded data and a
server process of its own, and its verdict comes from counting responses, not from asserts.
"""
