"""`python -m app.ui [data_dir]`: open the desktop application."""

import sys
from pathlib import Path

from app.ui.launch import main

sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else None))
