"""Storage: Piccolo tables, migrations and the repositories that are the only code touching them."""

import os

# Piccolo finds its configuration by module name; point it at ours wherever the process runs
# (the root piccolo_conf.py is importable only from a checkout).
os.environ.setdefault("PICCOLO_CONF", "register.store.conf")
