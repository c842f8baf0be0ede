import Foundation
import Schemas
import Storage

/// The database operations on instances that the REST handlers, the boot orchestrator and the
/// conductor share. Each runs inside the caller's transaction.
public enum InstanceStore {
    /// The live (not deleted) instance with `uuid`.
    public static func live(_ db: Database, uuid: String) throws -> InstanceRecord? {
        try InstanceRecord.filter(Column("uuid") == uuid && Column("deleted") == false).fetchOne(db)
    }

    /// What compute gets with `build_and_run_instance`: the row's spec with its NICs.
    public static func buildSpec(_ db: Database, _ row: InstanceRecord) throws -> InstanceSpec {
        var spec = row.spec
        spec.networks = try NetworkStore.interfaces(db, instance: row.uuid)
        return spec
    }

    /// Records the chosen host on the instance's ports; returns the build spec with its NICs and
    /// the ports whose binding changed.
    public static func bindAndBuildSpec(_ db: Database, _ row: InstanceRecord, host: String, now: Date) throws -> (InstanceSpec, [PortInfo]) {
        let (changed, interfaces) = try NetworkStore.bindInstancePorts(db, instance: row.uuid, host: host, now: now)
        var spec = row.spec
        spec.networks = interfaces
        return (spec, changed)
    }

    /// The latest fault of each of `uuids`.
    public static func latestFaults(_ db: Database, uuids: [String]) throws -> [String: InstanceFaultRecord] {
        guard !uuids.isEmpty else { return [:] }
        var out: [String: InstanceFaultRecord] = [:]
        for fault in try InstanceFaultRecord.filter(uuids.contains(Column("instance_uuid"))).order(Column("id")).fetchAll(db) {
            out[fault.instanceUUID] = fault
        }
        return out
    }

    /// Records a user action (`create`, `delete`, `stop` …) once per request id.
    public static func recordAction(
        _ db: Database, uuid: String, requestID: String, action: String, userID: String?, projectID: String?, now: Date
    ) throws {
        try db.execute(
            sql: """
                INSERT OR IGNORE INTO instance_actions (instance_uuid, request_id, action, user_id, project_id, start_time)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [uuid, requestID, action, userID, projectID, now])
    }

    /// Adds or updates (same action and event name) an event compute reported.
    public static func recordEvent(_ db: Database, uuid: String, event: InstanceActionEvent) throws {
        guard let actionID = try Int64.fetchOne(
            db, sql: "SELECT id FROM instance_actions WHERE instance_uuid = ? AND request_id = ?",
            arguments: [uuid, event.requestID])
        else { return }
        let start = Date(timeIntervalSince1970: event.startTime)
        let finish = event.finishTime.map { Date(timeIntervalSince1970: $0) }
        try db.execute(
            sql: """
                INSERT INTO instance_action_events (action_id, event, host, start_time, finish_time, result, traceback)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (action_id, event) DO UPDATE SET
                  host = excluded.host, finish_time = COALESCE(excluded.finish_time, finish_time),
                  result = COALESCE(excluded.result, result), traceback = COALESCE(excluded.traceback, traceback)
                """,
            arguments: [actionID, event.name, event.host, start, finish, event.result, event.traceback])
    }

    /// Puts a building (or any live) instance into ERROR with `fault`.
    /// - Returns: the instance as it was, when it was live.
    @discardableResult
    public static func setError(_ db: Database, uuid: String, fault: InstanceFault, host: String?, now: Date) throws -> InstanceRecord? {
        guard var row = try live(db, uuid: uuid) else { return nil }
        let before = row
        row.vmState = .error
        row.taskState = nil
        row.updatedAt = now
        try row.update(db)
        try InstanceFaultRecord(
            instanceUUID: uuid, code: fault.code, message: fault.message, details: fault.details, host: host ?? row.host,
            createdAt: now
        ).insert(db)
        return before
    }

    /// Marks the instance deleted (the row stays, so its actions and faults can be shown).
    public static func softDelete(_ db: Database, uuid: String, now: Date) throws -> Bool {
        guard var row = try live(db, uuid: uuid) else { return false }
        row.vmState = .deleted
        row.taskState = nil
        row.powerState = .noState
        row.deleted = true
        row.deletedAt = now
        row.updatedAt = now
        try row.update(db)
        return true
    }
}
