"""The product on real cities' public data (issue 9): Berlin's MSS, Köln's and NRW budgets.

The files are small excerpts (or, where a check needs every area, whole files) of public data in
tests/data/real/, whose README names each file's source and licence. Every test runs through the
product's own interfaces: the CLI, the settings files in examples/, header aliases.
"""
