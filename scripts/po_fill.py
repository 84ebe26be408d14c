"""Write a PO fragment from a Python dict of translations (used to keep locale/sources/*.po).

Usage: python scripts/po_fill.py translations.py locale/sources/NAME.po, where translations.py
defines T = {msgid: msgstr} (or msgid: (msgid_plural, msgstr) for a plural).
"""
import json
import runpy
import sys

translations = runpy.run_path(sys.argv[1])["T"]
with open(sys.argv[2], "w", encoding="utf-8") as out:
    out.write('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
              '"Language: vi\\n"\n"Plural-Forms: nplurals=1; plural=0;\\n"\n\n')
    for msgid, msgstr in translations.items():
        out.write(f"msgid {json.dumps(msgid, ensure_ascii=False)}\n")
        if isinstance(msgstr, tuple):  # (msgid_plural, translation): Vietnamese has one plural form
            plural, msgstr = msgstr
            out.write(f"msgid_plural {json.dumps(plural, ensure_ascii=False)}\n"
                      f"msgstr[0] {json.dumps(msgstr, ensure_ascii=False)}\n\n")
        else:
            out.write(f"msgstr {json.dumps(msgstr, ensure_ascii=False)}\n\n")
