"""Check a copy of the register's publication log with nothing but Python's standard library.

Usage: python3 verify_log.py LOG.jsonl   (or: register log export | python3 verify_log.py)
Each line is an entry; its hash must be SHA-256 of the previous entry's hash (64 zeros for the
first entry), a newline and its body; its body must say which entry it is.
"""

import fileinput
import hashlib
import json
import sys

previous_hash, line_number = "0" * 64, 0
with fileinput.input(encoding="utf-8") as lines:
    for line_number, line in enumerate(lines, start=1):
        entry = json.loads(line)
        digest = hashlib.sha256(f"{previous_hash}\n{entry['body']}".encode()).hexdigest()
        if entry["previous_hash"] != previous_hash:
            problem = "it does not link to the previous entry (one was removed, moved or altered)"
        elif digest != entry["hash"]:
            problem = "its body does not match its hash (the entry was altered)"
        elif (body := json.loads(entry["body"]))["seq"] != line_number:
            problem = f"it is line {line_number} but its body says entry {body['seq']}"
        elif any(body[key] != entry[key] for key in ("seq", "meeting_id", "version", "action")):
            problem = "its columns do not match its body"
        else:
            previous_hash = entry["hash"]
            continue
        sys.exit(f"FIRST BROKEN ENTRY: {entry['seq']} (line {line_number}): {problem}.")
print(f"The publication log verifies: {line_number} entries; the last hash is {previous_hash}.")
