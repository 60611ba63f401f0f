import sys

from baocao.cli import main

sys.exit(main())
