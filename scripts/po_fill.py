"""Write a PO fragment from a Python dict of translations (used to keep locale/sources/*.po)."""
import json
import runpy
import sys

translations = runpy.run_path(sys.argv[1])["T"]
with open(sys.argv[2], "w", encoding="utf-8") as out:
    out.write('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n')
    for msgid, msgstr in translations.items():
        out.write(f"msgid {json.dumps(msgid, ensure_ascii=False)}\nmsgstr {json.dumps(msgstr, ensure_ascii=False)}\n\n")
