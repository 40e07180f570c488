"""Seeding the demo office: people, organisations, rounds, history, allocations, nominations."""
