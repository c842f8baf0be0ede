import SchedulerService

await SchedulerDaemon.daemon.main()
