"""Static checks of the editor integrations that cannot run their editor here.

VS Code: the manifest's fields (languages, grammars, settings mirroring the server's, commands),
every grammar is JSON whose regexes compile (Python `regex`, close to Oniguruma), and each grammar
colours the fixtures under editors/fixtures as editors/fixtures/scopes.json expects. Helix:
languages.toml is TOML with the three languages on the clifford server. Prints one line per check
and a summary; exits 1 when any check failed.

Run with the project's venv: .tools/venv/bin/python editors/tests/check_static.py
"""

import json
import os
import re
import sys
import tomllib

sys.path.insert(0, os.path.dirname(__file__))
import textmate  # noqa: E402

EDITORS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VSCODE = os.path.join(EDITORS, "vscode")
FIXTURES = os.path.join(EDITORS, "fixtures")

# The server's settings, from the shared contract (protocol/README.md).
SETTINGS = {
    "debounceMs": ("integer", 150),
    "target": ("string", "x86_64"),
    "optimize": ("array", []),
    "wasm": ("array", []),
    "codegen": ("array", []),
    "diagnostics": ("object", {"syntax": True, "names": True, "validation": True, "translation": True, "verifier": True}),
}
TARGETS = ["x86_64", "aarch64", "riscv64", "s390x"]
LANGUAGES = {"wat": ".wat", "wast": ".wast", "clif": ".clif"}


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = []

    def expect(self, condition, what):
        if condition:
            self.passed += 1
        else:
            self.failed.append(what)
            print(f"FAIL {what}")
        return condition


def load_json(checks, path):
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, json.JSONDecodeError) as error:
        checks.expect(False, f"{os.path.relpath(path, EDITORS)} is JSON: {error}")
        return None


def check_manifest(checks):
    manifest = load_json(checks, os.path.join(VSCODE, "package.json"))
    if manifest is None:
        return
    for field in ("name", "displayName", "version", "publisher", "engines", "main"):
        checks.expect(field in manifest, f"package.json has {field}")
    checks.expect(re.fullmatch(r"[a-z0-9][a-z0-9-]*", manifest.get("name", "")) is not None, "package.json name is lower case")
    checks.expect(re.fullmatch(r"\^\d+\.\d+\.\d+", manifest.get("engines", {}).get("vscode", "")) is not None,
                  "engines.vscode is a ^x.y.z range")
    checks.expect(os.path.isfile(os.path.join(VSCODE, manifest.get("main", ""))), "main points at a file")
    checks.expect("vscode-languageclient" in manifest.get("dependencies", {}), "depends on vscode-languageclient")
    for language in LANGUAGES:
        checks.expect(f"onLanguage:{language}" in manifest.get("activationEvents", []), f"activates on {language}")

    contributes = manifest.get("contributes", {})
    languages = {entry.get("id"): entry for entry in contributes.get("languages", [])}
    checks.expect(set(languages) == set(LANGUAGES), f"languages are {sorted(LANGUAGES)}: {sorted(languages)}")
    for language, extension in LANGUAGES.items():
        entry = languages.get(language, {})
        checks.expect(extension in entry.get("extensions", []), f"{language} has extension {extension}")
        configuration = entry.get("configuration", "")
        path = os.path.join(VSCODE, configuration)
        if checks.expect(os.path.isfile(path), f"{language} language configuration {configuration} exists"):
            config = load_json(checks, path) or {}
            checks.expect("lineComment" in config.get("comments", {}), f"{configuration} has a line comment")
            checks.expect(len(config.get("brackets", [])) > 0, f"{configuration} has brackets")
            for key in ("wordPattern",):
                if key in config:
                    checks.expect(compiles(config[key]), f"{configuration} {key} compiles")
            for key, value in config.get("indentationRules", {}).items():
                checks.expect(compiles(value), f"{configuration} indentationRules.{key} compiles")
            for key, value in config.get("folding", {}).get("markers", {}).items():
                checks.expect(compiles(value), f"{configuration} folding.markers.{key} compiles")
    checks.expect("Cranelift IR" in languages.get("clif", {}).get("aliases", []), "clif has the alias Cranelift IR")
    checks.expect(languages.get("wat", {}).get("configuration") and
                  load_json(checks, os.path.join(VSCODE, languages["wat"]["configuration"])).get("comments", {}).get("blockComment") == ["(;", ";)"],
                  "WAT block comments are (; ;)")

    grammars = {entry.get("language"): entry for entry in contributes.get("grammars", [])}
    checks.expect(set(grammars) == set(LANGUAGES), f"a grammar per language: {sorted(grammars)}")
    for language, entry in grammars.items():
        path = os.path.join(VSCODE, entry.get("path", ""))
        grammar = load_json(checks, path) if checks.expect(os.path.isfile(path), f"grammar {entry.get('path')} exists") else None
        if grammar:
            checks.expect(grammar.get("scopeName") == entry.get("scopeName"),
                          f"{language} grammar scopeName {grammar.get('scopeName')} matches the manifest's {entry.get('scopeName')}")

    properties = contributes.get("configuration", {}).get("properties", {})
    for key, (kind, default) in SETTINGS.items():
        entry = properties.get(f"clifford.{key}")
        if not checks.expect(entry is not None, f"setting clifford.{key} exists"):
            continue
        checks.expect(entry.get("type") == kind, f"clifford.{key} has type {kind}")
        checks.expect(entry.get("default") == default, f"clifford.{key} defaults to {default!r}")
        checks.expect(entry.get("scope") == "resource", f"clifford.{key} has scope resource")
    checks.expect(properties.get("clifford.target", {}).get("enum") == TARGETS, "clifford.target lists the four targets")
    checks.expect(properties.get("clifford.debounceMs", {}).get("minimum") == 0 and
                  properties.get("clifford.debounceMs", {}).get("maximum") == 10000, "clifford.debounceMs is 0–10000")
    checks.expect(set(properties.get("clifford.diagnostics", {}).get("properties", {})) == set(SETTINGS["diagnostics"][1]),
                  "clifford.diagnostics has the five kinds")
    for key, entry in properties.items():
        checks.expect(key.startswith("clifford.") and ("markdownDescription" in entry or "description" in entry),
                      f"setting {key} is described")

    commands = {entry.get("command"): entry for entry in contributes.get("commands", [])}
    show = commands.get("clifford.showGeneratedClif", {})
    checks.expect(f"{show.get('category')}: {show.get('title')}" == "clifford: Show generated CLIF to the side",
                  "the command reads 'clifford: Show generated CLIF to the side'")
    source = open(os.path.join(VSCODE, manifest.get("main", "extension.js")), encoding="utf-8").read()
    for command in commands:
        checks.expect(f"'{command}'" in source, f"extension.js registers {command}")
    checks.expect("registerTextDocumentContentProvider(SCHEME" in source and "const SCHEME = 'clifford-clif'" in source,
                  "extension.js serves the clifford-clif scheme")


def compiles(pattern):
    try:
        textmate.compile_regex(pattern)
        return True
    except textmate.GrammarError:
        return False


def check_grammars(checks):
    registry = textmate.Registry()
    for name in ("wat", "wast", "clif"):
        path = os.path.join(VSCODE, "syntaxes", f"{name}.tmLanguage.json")
        grammar = load_json(checks, path)
        if grammar is None:
            continue
        registry.grammars[grammar["scopeName"]] = grammar
        regexes = textmate.all_regexes(grammar)
        bad = [f"{where}: {pattern}" for where, pattern in regexes if not compiles(pattern)]
        checks.expect(not bad, f"{name} grammar: {len(regexes)} regexes compile {bad}")
        print(f"grammar {name}: {len(regexes)} regexes")

    with open(os.path.join(FIXTURES, "scopes.json"), encoding="utf-8") as handle:
        expectations = json.load(handle)
    for fixture, spec in expectations.items():
        if fixture == "about":
            continue
        with open(os.path.join(FIXTURES, fixture), encoding="utf-8") as handle:
            text = handle.read()
        try:
            scopes = registry.char_scopes(spec["grammar"], text)
        except textmate.GrammarError as error:
            checks.expect(False, f"{fixture} tokenises: {error}")
            continue
        matched = 0
        for expected_text, prefix, occurrence in spec["expect"]:
            start = nth_token(text, expected_text, occurrence)
            if not checks.expect(start is not None, f"{fixture}: {expected_text!r} occurs {occurrence} time(s)"):
                continue
            wrong = [(text[i], scopes[i]) for i in range(start, start + len(expected_text))
                     if not any(scope.startswith(prefix) for scope in scopes[i])]
            if checks.expect(not wrong, f"{fixture}: {expected_text!r} #{occurrence} is {prefix}; got {wrong[:1]}"):
                matched += 1
        print(f"{fixture} ({spec['grammar']}): {matched}/{len(spec['expect'])} tokens have their scope")


def nth_token(text, token, occurrence):
    """The offset of the `occurrence`-th place `token` stands as a whole token in `text`."""
    word = r"[0-9A-Za-z_$%@]"
    pattern = (f"(?<!{word})" if re.match(word, token[0]) else "") + re.escape(token) + \
        (f"(?!{word})" if re.match(word, token[-1]) else "")
    for index, found in enumerate(re.finditer(pattern, text), start=1):
        if index == occurrence:
            return found.start()
    return None


def check_helix(checks):
    path = os.path.join(EDITORS, "helix", "languages.toml")
    try:
        with open(path, "rb") as handle:
            config = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        checks.expect(False, f"helix/languages.toml is TOML: {error}")
        return
    server = config.get("language-server", {}).get("clifford", {})
    checks.expect(server.get("command") == "clifford" and server.get("args") == ["serve"],
                  "helix: language-server.clifford runs `clifford serve`")
    languages = {entry.get("name"): entry for entry in config.get("language", [])}
    checks.expect(set(LANGUAGES) <= set(languages), f"helix: languages {sorted(languages)}")
    for language, extension in LANGUAGES.items():
        entry = languages.get(language, {})
        checks.expect(extension[1:] in entry.get("file-types", []), f"helix: {language} has file type {extension[1:]}")
        checks.expect("clifford" in [s if isinstance(s, str) else s.get("name") for s in entry.get("language-servers", [])],
                      f"helix: {language} uses clifford")
        checks.expect(entry.get("comment-token") == (";" if language == "clif" else ";;"), f"helix: {language} comment token")
        checks.expect(isinstance(entry.get("scope"), str) and entry.get("scope", "").startswith("source."), f"helix: {language} scope")
        checks.expect(entry.get("roots") is not None, f"helix: {language} roots")
    checks.expect(languages.get("wat", {}).get("block-comment-tokens") == {"start": "(;", "end": ";)"},
                  "helix: WAT block comments are (; ;)")


def main():
    checks = Checks()
    check_manifest(checks)
    check_grammars(checks)
    check_helix(checks)
    print(f"editor static checks: {checks.passed} passed, {len(checks.failed)} failed")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
