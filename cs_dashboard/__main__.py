import sys

from cs_dashboard.cli import main

sys.exit(main())
