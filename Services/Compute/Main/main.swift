import ComputeService

await ComputeDaemon.daemon.main()
