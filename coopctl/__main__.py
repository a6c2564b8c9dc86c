from coopctl.cli.entry import main

main()
