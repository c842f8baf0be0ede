import Foundation

/// One value of a document parsed by ``WireJSONTree``: its kind, where its bytes lie and
/// where its subtree ends, so containers are walked without re-reading bytes.
struct WireJSONNode {
    enum Kind: UInt8 { case object, array, string, number, `true`, `false`, null }

    var kind: Kind
    /// Strings: contains a backslash escape. Numbers: has a fraction or an exponent.
    var escapedOrFractional = false
    /// Strings: contains bytes above 0x7F (validated as UTF-8 when read).
    var nonASCII = false
    /// Strings: content start (after the quote); numbers: token start.
    var start: Int32 = 0
    /// Strings and numbers: content end. Objects: the key node a lookup tries first.
    var end: Int32 = 0
    /// Objects: members; arrays: elements.
    var count: Int32 = 0
    /// The index of the node after this value's subtree.
    var next: Int32 = 0
}

/// Parses JSON bytes into ``WireJSONNode``s in document order: an object's node is followed
/// by key, value, key, value…, an array's by its elements. Accepts strict RFC 8259 JSON only,
/// and only what Foundation's JSONDecoder reads the same way: object keys must be plain ASCII
/// (Foundation compares keys as Swift Strings, which are equal up to Unicode canonical
/// equivalence), without duplicates (Foundation keeps the first). Anything else throws
/// ``WireJSONFallback``; so does nesting deeper than ``maxDepth``.
struct WireJSONTree {
    static let maxDepth = 128
    /// Objects with up to this many members are checked for duplicate keys pairwise.
    static let pairwiseLimit = 16

    private let p: UnsafePointer<UInt8>
    private let n: Int
    private var i = 0
    private(set) var nodes: [WireJSONNode] = []

    /// Parses the whole buffer (one value, optional whitespace around it). The last node is
    /// an extra `null`, what a missing `super` key decodes from.
    static func parse(_ p: UnsafePointer<UInt8>, count: Int) throws -> [WireJSONNode] {
        guard count < Int(Int32.max) else { throw WireJSONFallback() }
        var tree = WireJSONTree(p: p, n: count)
        tree.nodes.reserveCapacity(min(count / 6 + 4, 1 << 16))
        try tree.value(depth: 0)
        tree.skipSpace()
        guard tree.i == count else { throw WireJSONFallback() }
        tree.nodes.append(WireJSONNode(kind: .null, next: Int32(tree.nodes.count + 1)))
        return tree.nodes
    }

    private init(p: UnsafePointer<UInt8>, n: Int) {
        self.p = p
        self.n = n
    }

    private mutating func skipSpace() {
        while i < n, p[i] == 0x20 || p[i] == 0x0A || p[i] == 0x0D || p[i] == 0x09 { i += 1 }
    }

    /// Skips whitespace and returns the next byte, not consumed.
    private mutating func peek() throws -> UInt8 {
        skipSpace()
        guard i < n else { throw WireJSONFallback() }
        return p[i]
    }

    private mutating func value(depth: Int) throws {
        switch try peek() {
        case UInt8(ascii: "{"): try object(depth: depth)
        case UInt8(ascii: "["): try array(depth: depth)
        case UInt8(ascii: "\""): try string()
        case UInt8(ascii: "t"): try literal("true", .true)
        case UInt8(ascii: "f"): try literal("false", .false)
        case UInt8(ascii: "n"): try literal("null", .null)
        default: try number()
        }
    }

    private mutating func object(depth: Int) throws {
        guard depth < Self.maxDepth else { throw WireJSONFallback() }
        let index = nodes.count
        nodes.append(WireJSONNode(kind: .object, end: Int32(index + 1)))
        i += 1
        var count: Int32 = 0
        if try peek() != UInt8(ascii: "}") {
            while true {
                guard try peek() == UInt8(ascii: "\"") else { throw WireJSONFallback() }
                try string()
                guard !nodes[nodes.count - 1].escapedOrFractional, !nodes[nodes.count - 1].nonASCII,
                    try peek() == UInt8(ascii: ":")
                else { throw WireJSONFallback() }
                i += 1
                try value(depth: depth + 1)
                count += 1
                let b = try peek()
                i += 1
                if b == UInt8(ascii: "}") { break }
                guard b == UInt8(ascii: ",") else { throw WireJSONFallback() }
            }
        } else {
            i += 1
        }
        nodes[index].count = count
        nodes[index].next = Int32(nodes.count)
        if count > 1 { try checkDistinctKeys(object: index) }
    }

    private mutating func array(depth: Int) throws {
        guard depth < Self.maxDepth else { throw WireJSONFallback() }
        let index = nodes.count
        nodes.append(WireJSONNode(kind: .array))
        i += 1
        var count: Int32 = 0
        if try peek() != UInt8(ascii: "]") {
            while true {
                try value(depth: depth + 1)
                count += 1
                let b = try peek()
                i += 1
                if b == UInt8(ascii: "]") { break }
                guard b == UInt8(ascii: ",") else { throw WireJSONFallback() }
            }
        } else {
            i += 1
        }
        nodes[index].count = count
        nodes[index].next = Int32(nodes.count)
    }

    /// A string node; escapes are checked here (so reading one later cannot fail), UTF-8
    /// only when the string is read.
    private mutating func string() throws {
        i += 1
        var node = WireJSONNode(kind: .string, start: Int32(i))
        while i < n {
            let b = p[i]
            if b == UInt8(ascii: "\"") {
                node.end = Int32(i)
                i += 1
                node.next = Int32(nodes.count + 1)
                nodes.append(node)
                return
            }
            if b == UInt8(ascii: "\\") {
                node.escapedOrFractional = true
                try escape()
                continue
            }
            guard b >= 0x20 else { throw WireJSONFallback() }
            if b >= 0x80 { node.nonASCII = true }
            i += 1
        }
        throw WireJSONFallback()
    }

    /// At a backslash: a valid escape, `\u` with a low surrogate after a high one.
    private mutating func escape() throws {
        guard i + 1 < n else { throw WireJSONFallback() }
        switch p[i + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            i += 2
        case UInt8(ascii: "u"):
            i += 2
            let unit = try hex4()
            if (0xDC00..<0xE000).contains(unit) { throw WireJSONFallback() }
            if (0xD800..<0xDC00).contains(unit) {
                guard i + 1 < n, p[i] == UInt8(ascii: "\\"), p[i + 1] == UInt8(ascii: "u") else { throw WireJSONFallback() }
                i += 2
                guard (0xDC00..<0xE000).contains(try hex4()) else { throw WireJSONFallback() }
            }
        default:
            throw WireJSONFallback()
        }
    }

    private mutating func hex4() throws -> UInt32 {
        guard i + 4 <= n else { throw WireJSONFallback() }
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard let d = WireJSONTree.hexValue(p[i]) else { throw WireJSONFallback() }
            v = v << 4 | d
            i += 1
        }
        return v
    }

    static func hexValue(_ c: UInt8) -> UInt32? {
        switch c {
        case 0x30...0x39: UInt32(c - 0x30)
        case 0x61...0x66: UInt32(c - 0x61 + 10)
        case 0x41...0x46: UInt32(c - 0x41 + 10)
        default: nil
        }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    private mutating func number() throws {
        var node = WireJSONNode(kind: .number, start: Int32(i))
        if p[i] == UInt8(ascii: "-") { i += 1 }
        guard i < n, isDigit(p[i]) else { throw WireJSONFallback() }
        if p[i] == UInt8(ascii: "0") {
            i += 1
            if i < n, isDigit(p[i]) { throw WireJSONFallback() }  // leading zero
        } else {
            try digits()
        }
        if i < n, p[i] == UInt8(ascii: ".") {
            node.escapedOrFractional = true
            i += 1
            try digits()
        }
        if i < n, p[i] == UInt8(ascii: "e") || p[i] == UInt8(ascii: "E") {
            node.escapedOrFractional = true
            i += 1
            if i < n, p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") { i += 1 }
            try digits()
        }
        node.end = Int32(i)
        node.next = Int32(nodes.count + 1)
        nodes.append(node)
    }

    /// One or more digits.
    private mutating func digits() throws {
        guard i < n, isDigit(p[i]) else { throw WireJSONFallback() }
        while i < n, isDigit(p[i]) { i += 1 }
    }

    private func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

    private mutating func literal(_ word: StaticString, _ kind: WireJSONNode.Kind) throws {
        let count = word.utf8CodeUnitCount
        guard i + count <= n, memcmp(p + i, word.utf8Start, count) == 0 else { throw WireJSONFallback() }
        i += count
        nodes.append(WireJSONNode(kind: kind, next: Int32(nodes.count + 1)))
    }

    /// Throws when two keys of the object are the same bytes: pairwise for small objects,
    /// after sorting for large ones.
    private func checkDistinctKeys(object: Int) throws {
        var keys: [Int32] = []
        var k = Int32(object + 1)
        let end = nodes[object].next
        if nodes[object].count > Self.pairwiseLimit { keys.reserveCapacity(Int(nodes[object].count)) }
        while k < end {
            if nodes[object].count > Self.pairwiseLimit {
                keys.append(k)
            } else {
                var other = nodes[Int(k) + 1].next
                while other < end {
                    if sameBytes(k, other) { throw WireJSONFallback() }
                    other = nodes[Int(other) + 1].next
                }
            }
            k = nodes[Int(k) + 1].next
        }
        guard !keys.isEmpty else { return }
        keys.sort { a, b in compare(a, b) < 0 }
        for j in 1..<keys.count where compare(keys[j - 1], keys[j]) == 0 { throw WireJSONFallback() }
    }

    private func sameBytes(_ a: Int32, _ b: Int32) -> Bool {
        let x = nodes[Int(a)], y = nodes[Int(b)]
        let length = Int(x.end - x.start)
        return length == Int(y.end - y.start) && memcmp(p + Int(x.start), p + Int(y.start), length) == 0
    }

    /// Orders key nodes by length, then bytes.
    private func compare(_ a: Int32, _ b: Int32) -> Int {
        let x = nodes[Int(a)], y = nodes[Int(b)]
        let lx = Int(x.end - x.start), ly = Int(y.end - y.start)
        if lx != ly { return lx < ly ? -1 : 1 }
        return Int(memcmp(p + Int(x.start), p + Int(y.start), lx))
    }
}

/// Thrown by the lean coders whenever Foundation's coders might not produce exactly the same
/// result; ``WireJSON`` then runs Foundation's coder instead. Never seen by callers.
struct WireJSONFallback: Error {}
