"""The arithmetic of compliance and balance: plain Python over numbers, no ORM.

Inputs are plain values (dicts of report keys → numbers, small dataclasses); the services
read the database once, call these functions and write the results.
"""
