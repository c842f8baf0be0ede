import DHCPAgentService

await DHCPAgentDaemon.daemon.main()
