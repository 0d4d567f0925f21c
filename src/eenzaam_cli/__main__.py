from eenzaam_cli.cli import main

main()
