import Messaging

/// The decisions of `--wait`, apart from the polling: is a server where we want it, and what
/// the progress line says.
public enum ServerWait {
    /// What one poll means.
    public enum Step: Equatable, Sendable {
        case keepWaiting
        case done
        case failed(String)
    }

    /// `done` when the status is a target and no task is running; `failed` on ERROR (with the fault message).
    public static func step(_ server: JSONValue, targets: Set<String>, action: String, name: String) -> Step {
        let status = (server["status"]?.stringValue ?? "").uppercased()
        let task = server["OS-EXT-STS:task_state"]?.stringValue
        if status == "ERROR" {
            let fault = server["fault"]?["message"]?.stringValue
            return .failed("Error \(action) server \(name): " + (fault ?? "the server went to ERROR without a fault message."))
        }
        if targets.contains(status) && (task == nil || task!.isEmpty) { return .done }
        return .keepWaiting
    }

    /// `Waiting for server demo: BUILD (spawning)`, with the elapsed seconds when given.
    public static func progressLine(name: String, server: JSONValue?, elapsedSeconds: Int? = nil, deleting: Bool = false) -> String {
        var s = "Waiting for server \(name)\(deleting ? " to be deleted" : ""): "
        if let server {
            s += server["status"]?.stringValue ?? "UNKNOWN"
            if let task = server["OS-EXT-STS:task_state"]?.stringValue, !task.isEmpty { s += " (\(task))" }
        } else {
            s += "DELETED"
        }
        if let elapsedSeconds { s += " \(elapsedSeconds)s" }
        return s
    }
}
