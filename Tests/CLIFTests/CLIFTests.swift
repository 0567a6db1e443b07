// CLIFTests: Swift Testing suites for this target.
