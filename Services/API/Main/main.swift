import APIService

await APIDaemon.daemon.main()
