"""The service (`budget-monitor serve`): the clock that calls the importer, the report and the
delivery on schedule. Jobs orchestrate the library functions; they decide nothing themselves
beyond when, which file, and to whom.
"""
