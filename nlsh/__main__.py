from nlsh.cli import main

main()
