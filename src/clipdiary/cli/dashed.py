"""A verb whose argument may begin with "-": ``clipdiary search "-Trump summit"``.

Click reads every word that begins with "-" as an option, so a search that starts with an
excluded word stopped with "No such option: -T". Here a word that begins with one "-" and is
none of the verb's options is read as its argument (as if it followed ``--``), and the
options given before or after it still count: ``clipdiary search "-Trump summit" --json``
works as it reads. A word beginning with "--" is still an option (or Click's error).
"""

from __future__ import annotations

import click


class DashedArgumentCommand(click.Command):
    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, self._arguments_last(ctx, args))

    def _arguments_last(self, ctx: click.Context, args: list[str]) -> list[str]:
        takes_value: dict[str, bool] = {}
        for param in self.get_params(ctx):
            if isinstance(param, click.Option):
                for name in (*param.opts, *param.secondary_opts):
                    takes_value[name] = not (param.is_flag or param.count)
        kept: list[str] = []
        words: list[str] = []  # the words that begin with "-" but are no option
        rest = iter(args)
        for word in rest:
            if word == "--":
                words.extend(rest)
                break
            name = word.split("=", 1)[0]
            if name in takes_value:
                kept.append(word)
                value = next(rest, None) if takes_value[name] and "=" not in word else None
                if value is not None:
                    kept.append(value)  # an option's value, whatever it begins with
            elif not word.startswith("-") or word == "-" or word.startswith("--"):
                kept.append(word)  # "--bogus" stays, for Click to name as no such option
            elif takes_value.get(word[:2]):
                kept.append(word)  # a short option with its value attached: -n5
            else:
                words.append(word)
        return [*kept, "--", *words] if words else kept
