"""A small TextMate tokenizer, enough to test the grammars under editors/vscode/syntaxes.

It follows what VS Code's vscode-textmate does for the parts our grammars use: `match` rules with
`captures`, `begin`/`end` rules with `beginCaptures`/`endCaptures`/`captures`, `contentName` and
nested `patterns`, and `include` of `#name` (repository), `$self`, `$base`, `scope.name` and
`scope.name#name`. Lines are matched one at a time with a `\\n` appended, the leftmost match wins
and ties go to the earlier pattern, with a begin rule's `end` pattern first. Regexes are compiled
with the `regex` package, which accepts the Oniguruma syntax the grammars use.
"""

import json
import regex


class GrammarError(Exception):
    pass


class Registry:
    """Grammars by scope name."""

    def __init__(self):
        self.grammars = {}

    def load(self, path):
        with open(path, encoding="utf-8") as handle:
            grammar = json.load(handle)
        self.grammars[grammar["scopeName"]] = grammar
        return grammar

    def tokenize(self, scope_name, text):
        """Per line, a list of (text, scopes) tokens; scopes start with the grammar's scope."""
        tokenizer = _Tokenizer(self, scope_name)
        return [tokenizer.line(line) for line in text.split("\n")]

    def char_scopes(self, scope_name, text):
        """For every character of `text` (newlines included, with the scopes of the line end),
        the scopes that apply to it."""
        result = []
        for tokens in self.tokenize(scope_name, text):
            for token_text, scopes in tokens:
                result.extend([scopes] * len(token_text))
            result.append([scope_name])
        return result[:len(text)]


_compiled = {}


def compile_regex(pattern):
    """Compiles one grammar regex; raises GrammarError with the pattern when it is invalid."""
    if pattern not in _compiled:
        try:
            _compiled[pattern] = regex.compile(pattern)
        except regex.error as error:
            raise GrammarError(f"bad regex {pattern!r}: {error}") from error
    return _compiled[pattern]


def all_regexes(grammar):
    """Every regex string in a grammar, with a path naming where it is."""
    found = []
    stack = [("", grammar)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("match", "begin", "end", "while") and isinstance(value, str):
                    found.append((f"{path}/{key}", value))
                else:
                    stack.append((f"{path}/{key}", value))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                stack.append((f"{path}[{index}]", value))
    return found


class _Frame:
    def __init__(self, rule, grammar, scopes, content_scopes, end):
        self.rule = rule
        self.grammar = grammar
        self.scopes = scopes
        self.content_scopes = content_scopes
        self.end = end


class _Tokenizer:
    def __init__(self, registry, scope_name):
        self.registry = registry
        if scope_name not in registry.grammars:
            raise GrammarError(f"no grammar {scope_name}")
        self.base = registry.grammars[scope_name]
        self.stack = [_Frame(self.base, self.base, [scope_name], [scope_name], None)]

    def _resolve(self, patterns, grammar, seen=None):
        """Flattens `patterns` into (rule, grammar) pairs of match and begin rules."""
        seen = set() if seen is None else seen
        flat = []
        for rule in patterns or []:
            if "include" in rule:
                target, target_grammar = self._include(rule["include"], grammar)
                key = id(target)
                if key in seen:
                    continue
                seen.add(key)
                flat.extend(self._resolve([target], target_grammar, seen))
            elif "match" in rule or "begin" in rule:
                flat.append((rule, grammar))
            elif "patterns" in rule:
                flat.extend(self._resolve(rule["patterns"], grammar, seen))
        return flat

    def _include(self, reference, grammar):
        if reference == "$self":
            return {"patterns": grammar["patterns"]}, grammar
        if reference == "$base":
            return {"patterns": self.base["patterns"]}, self.base
        if reference.startswith("#"):
            repository = grammar.get("repository", {})
            if reference[1:] not in repository:
                raise GrammarError(f"{grammar['scopeName']}: no repository entry {reference}")
            return repository[reference[1:]], grammar
        scope, _, name = reference.partition("#")
        other = self.registry.grammars.get(scope)
        if other is None:
            raise GrammarError(f"include of unknown grammar {scope}")
        if name:
            if name not in other.get("repository", {}):
                raise GrammarError(f"{scope}: no repository entry #{name}")
            return other["repository"][name], other
        return {"patterns": other["patterns"]}, other

    def line(self, text):
        line = text + "\n"
        tokens = []
        position = 0
        guard = 0
        while position < len(line):
            guard += 1
            if guard > 10 * len(line) + 100:
                raise GrammarError(f"no progress at column {position} of {text!r}")
            frame = self.stack[-1]
            candidates = []
            if frame.end is not None:
                candidates.append(("end", frame.rule, frame.grammar, frame.end))
            patterns = frame.rule.get("patterns") if frame.end is not None else frame.rule["patterns"]
            for rule, grammar in self._resolve(patterns, frame.grammar):
                key = "match" if "match" in rule else "begin"
                candidates.append((key, rule, grammar, compile_regex(rule[key])))
            best = None
            for kind, rule, grammar, pattern in candidates:
                found = pattern.search(line, position)
                if found and (best is None or found.start() < best[3].start()):
                    best = (kind, rule, grammar, found)
            if best is None:
                tokens.append((line[position:], frame.content_scopes))
                break
            kind, rule, grammar, found = best
            if found.start() > position:
                tokens.append((line[position:found.start()], frame.content_scopes))
            if kind == "end":
                captures = rule.get("endCaptures", rule.get("captures", {}))
                tokens.extend(_captured(found, frame.scopes, captures))
                self.stack.pop()
            elif kind == "match":
                scopes = frame.content_scopes + ([rule["name"]] if "name" in rule else [])
                tokens.extend(_captured(found, scopes, rule.get("captures", {})))
                if found.end() == found.start():
                    # An empty match must not stop the line: step over one character.
                    if found.start() < len(line):
                        tokens.append((line[found.start()], frame.content_scopes))
                    position = found.start() + 1
                    continue
            else:
                scopes = frame.content_scopes + ([rule["name"]] if "name" in rule else [])
                captures = rule.get("beginCaptures", rule.get("captures", {}))
                tokens.extend(_captured(found, scopes, captures))
                content = scopes + ([rule["contentName"]] if "contentName" in rule else [])
                self.stack.append(_Frame(rule, grammar, scopes, content, compile_regex(rule["end"])))
            position = found.end()
        # Drop the appended newline.
        if tokens and tokens[-1][0].endswith("\n"):
            last_text, last_scopes = tokens[-1]
            tokens[-1] = (last_text[:-1], last_scopes)
            if not tokens[-1][0]:
                tokens.pop()
        return tokens


def _captured(found, scopes, captures):
    """Tokens of one match, with the scope of each capture group added over its span."""
    start, end = found.start(), found.end()
    if start == end:
        return []
    per_char = [list(scopes) for _ in range(end - start)]
    for group in sorted(captures, key=int):
        name = captures[group].get("name")
        index = int(group)
        if not name or index > len(found.groups()) or found.start(index) < 0:
            continue
        for offset in range(found.start(index), found.end(index)):
            per_char[offset - start].append(name)
    tokens = []
    run_start = 0
    for offset in range(1, len(per_char) + 1):
        if offset == len(per_char) or per_char[offset] != per_char[run_start]:
            tokens.append((found.string[start + run_start:start + offset], per_char[run_start]))
            run_start = offset
    return tokens
