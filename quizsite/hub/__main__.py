from quizsite.hub.server import main

main()
