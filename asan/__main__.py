from asan.cli import main

main()
