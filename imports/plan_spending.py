"""Which lines of a published budget plan count as spending, unless `[plan] spending` says
otherwise.

A settings default, so it lives outside the `imports.master_data` package: loading the settings
happens on every command and must not pull in pandas with the plan parser.
"""

# What a plan row's direction (Art, Richtung) or, without one, its line label must match.
SPENDING_PATTERNS = ("*aufwendung*", "*abschreibung*", "*auszahlung*", "*ausgabe*")
