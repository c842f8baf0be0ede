import MetadataProxyService

await MetadataProxyDaemon.daemon.main()
