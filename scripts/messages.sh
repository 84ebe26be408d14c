#!/usr/bin/env bash
# Rebuild the Vietnamese catalogue: extract every string afresh, fill it from locale/sources/*.po.
# Starting afresh means no fuzzy guesses from old strings; anything new is left untranslated and
# tests/test_translations.py fails until it is added to a source file.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
po=locale/vi/LC_MESSAGES/django.po
mkdir -p var locale/vi/LC_MESSAGES
rm -f "$po"
DEBUG=1 "$BIN/python" manage.py makemessages -l vi --no-obsolete --ignore=.venv --ignore=var --ignore=bench \
  --ignore=tests --ignore=locale -v 0
# A fresh header is marked fuzzy and has no language: settle both.
python3 - "$po" <<'PY'
import re
import sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
text = text.replace('#, fuzzy\nmsgid ""', 'msgid ""', 1).replace('"Language: \\n"', '"Language: vi\\n"', 1)
# Vietnamese has a single plural form.
text = re.sub(r'"Plural-Forms: [^"]*"', lambda _: '"Plural-Forms: nplurals=1; plural=0;\\n"', text, count=1)
text = text.replace('msgstr[1] ""\n', "")
open(path, "w", encoding="utf-8").write(text)
PY
msgcat --use-first locale/sources/*.po -o var/compendium.po
msgmerge -q --no-fuzzy-matching --compendium var/compendium.po "$po" "$po" -o "$po"
msgfmt --check-format -o "${po%.po}.mo" "$po"
