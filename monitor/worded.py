"""Click commands and options whose help comes from the catalogue, in the invocation's language.

Click builds commands at import, before `--lang` is parsed; so `help=` here is a catalogue key
(`cli.demo.help`) and the text is looked up each time click reads it, in the language of the
running invocation (`monitor.language.invocation_language`). Click's own headings and the help
option are worded the same way, and so are the usage line's placeholders ([OPTIONEN], DATEI,
ZAHL: `cli.usage.*`, `cli.metavar.*`). Click's internal messages (usage errors such as "Missing
argument") come from `monitor.click_words`; a value that is no number, or a number outside the
option's range, is refused here in words (`cli.usage.not_integer`, `cli.usage.at_least`, …),
since click's own message names its type in English ("integer range") and its range as "x>=1".
"""

from __future__ import annotations

from typing import Any

import click

from monitor.language import invocation_words
from monitor.lazy_group import LazyGroup

# Click's own words in help pages, as click passes them to the formatter.
_HEADINGS = {"Options": "cli.heading.options", "Commands": "cli.heading.commands"}
# A command's first sentence longer than this is shown up to its colon in the list of commands.
_SHORT_HELP = 90


def _worded(key: str | None) -> str | None:
    return None if key is None else invocation_words()(key)


def _keep_examples(text: str) -> str:
    """Mark paragraphs with indented lines (examples) for click to show as written, not rewrapped;
    click's marker is a backspace line, which has no place in a .po file."""
    paragraphs = text.split("\n\n")
    return "\n\n".join(
        f"\b\n{p}" if any(line.startswith("  ") for line in p.splitlines()) else p
        for p in paragraphs
    )


class WordedFormatter(click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None:
            prefix = invocation_words()("cli.heading.usage") + " "
        super().write_usage(prog, args, prefix)

    def section(self, name: str) -> Any:
        key = _HEADINGS.get(name)
        return super().section(invocation_words()(key) if key else name)


class WordedContext(click.Context):
    formatter_class = WordedFormatter


class Worded:
    """Mixin for click.Command and click.Group: `help` is a catalogue key."""

    context_class = WordedContext
    _help_key: str | None = None

    @property
    def help(self) -> str | None:
        text = _worded(self._help_key)
        return None if text is None else _keep_examples(text)

    @help.setter
    def help(self, key: str | None) -> None:
        self._help_key = key

    def get_short_help_str(self, limit: int = 45) -> str:
        """The first sentence whole, as the list of commands shows it (click would cut it at
        `limit` characters with "..."; the list wraps it instead). A long sentence ends at its
        first colon: "Eine Excel-Vorlage zum Ausfüllen schreiben: für Quartiere, …"."""
        text = (self.help or "").replace("\b\n", "").split("\n\n", 1)[0]
        sentence = " ".join(text.split()).split(". ", 1)[0].rstrip(".")
        if len(sentence) > _SHORT_HELP:
            sentence = sentence.split(": ", 1)[0]
        return sentence

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        """The usage line with click's [OPTIONS] and COMMAND [ARGS]... in the invocation's
        language."""
        words = invocation_words(ctx)
        pieces = super().collect_usage_pieces(ctx)  # type: ignore[misc]
        worded = {"[OPTIONS]": "cli.usage.options", "COMMAND [ARGS]...": "cli.usage.command"}
        return [words(worded[p]) if p in worded else p for p in pieces]

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Worded here, not when click creates the option: that happens while the arguments are
        # parsed, before `--lang` is known.
        option = self.get_help_option(ctx)  # type: ignore[attr-defined]
        if option is not None:
            option.help = invocation_words(ctx)("cli.option.help")
        super().format_help(ctx, formatter)  # type: ignore[misc]


class WordedCommand(Worded, click.Command):
    pass


class WordedGroup(Worded, LazyGroup):
    """A group of subcommands (`import`) whose help is a catalogue key; its subcommands are
    WordedCommands, declared with `cls=WordedCommand`, and may load on use
    (`lazy_subcommands`)."""


def _metavar(param: click.Parameter, ctx: click.Context) -> str | None:
    """A placeholder in the invocation's language: the parameter's own `metavar` when it is a
    catalogue key, else the word for its type (cli.metavar.integer: ZAHL); None to leave it to
    click (a choice shows its values)."""
    words = invocation_words(ctx)
    if param.metavar is not None:
        return words(param.metavar) if words.has(param.metavar) else param.metavar
    if isinstance(param.type, click.Choice):
        return None
    key = f"cli.metavar.{param.type.name.replace(' ', '_')}"
    if not words.has(key):
        return None
    return words(key) + ("..." if param.nargs != 1 else "")


class WordedOption(click.Option):
    """An option whose `help` (and `metavar`, if given) is a catalogue key."""

    _help_key: str | None = None

    @property  # type: ignore[override]
    def help(self) -> str | None:
        return _worded(self._help_key)

    @help.setter
    def help(self, key: str | None) -> None:
        self._help_key = key

    def make_metavar(self, ctx: click.Context) -> str:
        return _metavar(self, ctx) or super().make_metavar(ctx)

    def type_cast_value(self, ctx: click.Context, value: Any) -> Any:
        """Refuse a value that is no number, or one outside the option's range, in the reader's
        words ("„zwei“ ist keine ganze Zahl.", "0 ist zu klein, mindestens 1."), before click
        would name its type in English or its range as "x>=1"."""
        if isinstance(value, str) and self.nargs == 1:
            _refuse_unless_number(value, self, ctx)
            _refuse_out_of_range(value, self, ctx)
        return super().type_cast_value(ctx, value)


def _refuse_unless_number(value: str, param: click.Parameter, ctx: click.Context) -> None:
    """A BadParameter in words when an integer or decimal option's value cannot be read as one,
    the test click itself applies (int(), float())."""
    if isinstance(param.type, click.types.IntParamType):
        number, key = int, "cli.usage.not_integer"
    elif isinstance(param.type, click.types.FloatParamType):
        number, key = float, "cli.usage.not_number"
    else:
        return
    try:
        number(value)
    except ValueError:
        raise click.BadParameter(invocation_words(ctx)(key, value=value), ctx, param) from None


def _refuse_out_of_range(value: str, param: click.Parameter, ctx: click.Context) -> None:
    """A BadParameter in words when a number lies outside its IntRange or FloatRange (one that
    clamps takes every number); the value is named as it was written."""
    kind = param.type
    if not isinstance(kind, click.IntRange | click.FloatRange) or kind.clamp:
        return
    number = int(value) if isinstance(kind, click.IntRange) else float(value)
    low, high = kind.min, kind.max
    too_small = low is not None and (number <= low if kind.min_open else number < low)
    too_large = high is not None and (number >= high if kind.max_open else number > high)
    if not (too_small or too_large):
        return
    words = invocation_words(ctx)
    if low is not None and high is not None:
        text = words("cli.usage.between", value=value, min=_plain(low), max=_plain(high))
    elif too_small:
        key = "cli.usage.more_than" if kind.min_open else "cli.usage.at_least"
        text = words(key, value=value, min=_plain(low))
    else:
        key = "cli.usage.less_than" if kind.max_open else "cli.usage.at_most"
        text = words(key, value=value, max=_plain(high))
    raise click.BadParameter(text, ctx, param)


def _plain(bound: float | None) -> str:
    """A range's bound as a clerk writes it: 0, not 0.0."""
    return str(int(bound)) if bound is not None and float(bound).is_integer() else str(bound)


class WordedArgument(click.Argument):
    """An argument whose placeholder in the usage line is worded: `metavar` is a catalogue key
    (cli.metavar.file: DATEI)."""

    def make_metavar(self, ctx: click.Context) -> str:
        worded = _metavar(self, ctx)
        if worded is None:
            return super().make_metavar(ctx)
        return worded if self.nargs == 1 or worded.endswith("...") else f"{worded}..."
