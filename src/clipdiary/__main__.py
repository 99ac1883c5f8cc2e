from clipdiary.cli import main

main()
