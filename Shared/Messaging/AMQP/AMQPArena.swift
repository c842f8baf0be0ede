import CRabbitMQ
import Foundation

/// Owns C memory handed to librabbitmq for the duration of one call (strings, field tables).
/// Not thread-safe: used only on the connection's thread.
final class AMQPArena {
    private var allocations: [UnsafeMutableRawPointer] = []

    deinit {
        for p in allocations { free(p) }
    }

    /// Copies bytes into C memory and returns them as `amqp_bytes_t`.
    func bytes(_ s: String) -> amqp_bytes_t {
        var utf8 = Array(s.utf8)
        return bytes(&utf8)
    }

    func bytes(_ data: inout [UInt8]) -> amqp_bytes_t {
        let count = data.count
        let p = malloc(max(count, 1))!
        data.withUnsafeBytes { raw in
            if let base = raw.baseAddress { p.copyMemory(from: base, byteCount: count) }
        }
        allocations.append(p)
        return amqp_bytes_t(len: count, bytes: p)
    }

    /// Builds a field table; an empty dictionary gives `amqp_empty_table`.
    func table(_ entries: [String: AMQPFieldValue]) -> amqp_table_t {
        guard !entries.isEmpty else { return amqp_empty_table }
        let size = MemoryLayout<amqp_table_entry_t>.stride * entries.count
        let raw = malloc(size)!
        allocations.append(raw)
        let p = raw.bindMemory(to: amqp_table_entry_t.self, capacity: entries.count)
        for (i, key) in entries.keys.sorted().enumerated() {
            var entry = amqp_table_entry_t()
            entry.key = bytes(key)
            entry.value = field(entries[key]!)
            (p + i).initialize(to: entry)
        }
        return amqp_table_t(num_entries: Int32(entries.count), entries: p)
    }

    private func field(_ v: AMQPFieldValue) -> amqp_field_value_t {
        var f = amqp_field_value_t()
        switch v {
        case .bool(let b):
            f.kind = UInt8(AMQP_FIELD_KIND_BOOLEAN.rawValue)
            f.value.boolean = b ? 1 : 0
        case .int32(let i):
            f.kind = UInt8(AMQP_FIELD_KIND_I32.rawValue)
            f.value.i32 = i
        case .int64(let i):
            f.kind = UInt8(AMQP_FIELD_KIND_I64.rawValue)
            f.value.i64 = i
        case .string(let s):
            f.kind = UInt8(AMQP_FIELD_KIND_UTF8.rawValue)
            f.value.bytes = bytes(s)
        case .table(let t):
            f.kind = UInt8(AMQP_FIELD_KIND_TABLE.rawValue)
            f.value.table = table(t)
        }
        return f
    }
}

extension amqp_bytes_t {
    /// The bytes as a Swift string (UTF-8, lossy).
    var string: String {
        guard len > 0, let bytes else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: bytes, count: len), as: UTF8.self)
    }

    /// The bytes copied into `Data`.
    var data: Data {
        guard len > 0, let bytes else { return Data() }
        return Data(bytes: bytes, count: len)
    }
}
