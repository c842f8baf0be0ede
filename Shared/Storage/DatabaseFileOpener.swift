import Foundation
import GRDB

/// Opens a WAL database file, turning file-system and SQLite failures into ``StorageError``s
/// that name the path and say what to fix.
struct DatabaseFileOpener {
    let path: String
    let options: StorageOptions

    func openPool() throws -> DatabasePool {
        guard !path.isEmpty else {
            throw StorageError(.invalidArgument, path: path,
                               message: "database path is empty; configure the service's state directory")
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try prepareDirectory(directory)
        try checkFileWritable()
        do {
            return try DatabasePool(path: path, configuration: options.grdbConfiguration(isFile: true))
        } catch let error as DatabaseError {
            throw mapOpenError(error, directory: directory)
        } catch {
            throw StorageError(.openFailed, path: path,
                               message: "cannot open database '\(path)'", underlying: error)
        }
    }

    private func prepareDirectory(_ directory: String) throws {
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        if files.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw notWritable("'\(directory)' exists but is not a directory")
            }
        } else {
            do {
                try files.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw notWritable("cannot create directory '\(directory)'", underlying: error)
            }
        }
        guard files.isWritableFile(atPath: directory) else {
            throw notWritable("directory '\(directory)' is not writable by this process, and SQLite "
                + "must create the database and its -wal and -shm files there")
        }
    }

    private func checkFileWritable() throws {
        let files = FileManager.default
        guard files.fileExists(atPath: path) else { return }
        guard files.isWritableFile(atPath: path) else {
            throw notWritable("the file exists but is not writable by this process")
        }
    }

    private func notWritable(_ reason: String, underlying: (any Error)? = nil) -> StorageError {
        StorageError(
            .notWritable, path: path,
            message: "cannot open database '\(path)' for writing: \(reason); fix the permissions "
                + "or point the service's state directory somewhere writable",
            underlying: underlying)
    }

    private func mapOpenError(_ error: DatabaseError, directory: String) -> StorageError {
        switch error.resultCode.primaryResultCode {
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY, .SQLITE_AUTH:
            return StorageError(
                .notWritable, path: path,
                message: "SQLite cannot open database '\(path)' for writing; check that '\(directory)' "
                    + "and the file are writable and on a local file system",
                underlying: error)
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return StorageError(
                .openFailed, path: path,
                message: "'\(path)' is not a usable SQLite database; restore it from a backup or move "
                    + "it aside so the service starts with an empty one",
                underlying: error)
        default:
            return StorageError(.openFailed, path: path,
                                message: "cannot open database '\(path)'", underlying: error)
        }
    }
}
