// Services depend on `Storage`, not on GRDB directly (see Package.swift), yet their migrations and
// read/write closures work with GRDB's `Database`, `Row`, records and query interface. Re-export
// GRDB so `import Storage` is all a service needs.
@_exported import GRDB
