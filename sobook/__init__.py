"""sobook: the logic behind the English data edition of the report on China's
service outsourcing industry (13th FYP achievements, 14th FYP outlook).

Notebooks stay thin and call into this package; everything here is unit-tested.
"""
