from globaldialogue.cli import main

main()
