from ccsim.cli import main

raise SystemExit(main())
