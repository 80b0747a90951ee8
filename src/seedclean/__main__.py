import sys
from seedclean.cli import main
sys.exit(main())
