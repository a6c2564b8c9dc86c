from coopctl.cli.app import main

main()
