from soegov.cli import main

raise SystemExit(main())
