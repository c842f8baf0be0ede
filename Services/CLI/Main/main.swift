import CLI

await CirrusCommand.runMain()
