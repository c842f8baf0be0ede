/// The `_context_*` entries of a message as read off the wire (keys without the prefix): the
/// ones ``RequestContext`` interprets each in a slot of their own, the rest in ``extra``.
/// The request scanner fills it key by key without building a dictionary for the usual
/// entries; the JSONDecoder path and notifications fill it from a dictionary.
struct WireContext: Equatable, Sendable {
    /// The interpreted keys, by bit in ``stored``.
    enum Slot: Int, CaseIterable {
        case requestID, userID, user, projectID, project, tenant, roles, isAdmin, globalRequestID

        /// The key without the `_context_` prefix.
        var key: StaticString {
            switch self {
            case .requestID: "request_id"
            case .userID: "user_id"
            case .user: "user"
            case .projectID: "project_id"
            case .project: "project"
            case .tenant: "tenant"
            case .roles: "roles"
            case .isAdmin: "is_admin"
            case .globalRequestID: "global_request_id"
            }
        }

        var name: String { "\(key)" }

        init?(_ name: String) {
            var name = name
            guard let slot = name.withUTF8({ Self($0) }) else { return nil }
            self = slot
        }

        /// The slot whose key is these bytes, compared without making a String.
        init?(_ bytes: UnsafeBufferPointer<UInt8>) {
            let match = Self.allCases.first { slot in
                slot.key.utf8CodeUnitCount == bytes.count && memcmp(bytes.baseAddress!, slot.key.utf8Start, bytes.count) == 0
            }
            guard let match else { return nil }
            self = match
        }
    }

    // One stored property per slot (no array allocated per message).
    private var requestID, userID, user, projectID, project, tenant, roles, isAdmin, globalRequestID: JSONValue?
    private var stored: UInt16 = 0
    /// Entries of other keys, null values included.
    private(set) var extra: [String: JSONValue] = [:]

    init() {}

    init(entries: [String: JSONValue]) {
        for (k, v) in entries { _ = set(k, v) }
    }

    subscript(_ slot: Slot) -> JSONValue? {
        get {
            switch slot {
            case .requestID: requestID
            case .userID: userID
            case .user: user
            case .projectID: projectID
            case .project: project
            case .tenant: tenant
            case .roles: roles
            case .isAdmin: isAdmin
            case .globalRequestID: globalRequestID
            }
        }
        set {
            switch slot {
            case .requestID: requestID = newValue
            case .userID: userID = newValue
            case .user: user = newValue
            case .projectID: projectID = newValue
            case .project: project = newValue
            case .tenant: tenant = newValue
            case .roles: roles = newValue
            case .isAdmin: isAdmin = newValue
            case .globalRequestID: globalRequestID = newValue
            }
        }
    }

    /// Stores an entry; false when its key was stored before.
    mutating func set(_ slot: Slot, _ value: JSONValue) -> Bool {
        guard stored & (1 << slot.rawValue) == 0 else { return false }
        stored |= 1 << slot.rawValue
        self[slot] = value
        return true
    }

    /// Stores an entry by name; false when its key was stored before.
    mutating func set(_ name: String, _ value: JSONValue) -> Bool {
        if let slot = Slot(name) { return set(slot, value) }
        return extra.updateValue(value, forKey: name) == nil
    }

    /// All entries as one dictionary (what was read, for tests and diagnostics).
    var entries: [String: JSONValue] {
        var d = extra
        for slot in Slot.allCases { if let v = self[slot] { d[slot.name] = v } }
        return d
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
