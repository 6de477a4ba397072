"""Pure statistics: DataFrames in, frozen results out.

Nothing in this package reads settings, files or the database; callers pass data and column names.
"""
