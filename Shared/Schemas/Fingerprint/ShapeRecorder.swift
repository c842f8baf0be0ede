/// Walks a `Decodable` type without an instance: answers every `decode` with a made-up value
/// and records the structure the type asked for.
///
/// Special types are recognised by their metatype before their `init(from:)` runs, in this
/// order: ``SchemaOpaque``, `Optional`, ``SchemaEnumeration``, scalars (``PrimitiveShapes``),
/// `Array`, `Dictionary`; anything else is decoded through a ``ShapeDecoder``.
///
/// Not thread-safe: create one per recording.
final class ShapeRecorder {
    /// Whether the recorder records shapes, or only makes placeholder values for
    /// ``SchemaOpaque/schemaPlaceholder()`` (answering "nil" and "empty" wherever it can).
    enum Mode {
        case record
        case placeholder
    }

    /// Nesting limit of distinct composite types; a deeper schema is surely a mistake.
    static let maximumDepth = 32

    let mode: Mode
    private var activeTypes: [ObjectIdentifier] = []

    init(mode: Mode) {
        self.mode = mode
    }

    var isPlaceholder: Bool { mode == .placeholder }

    /// The shape of `type` and a value of it to return to the caller's `init(from:)`.
    func decode<T: Decodable>(_ type: T.Type, codingPath: [any CodingKey]) throws -> (node: ShapeNode, value: T) {
        if let opaque = type as? any SchemaOpaque.Type {
            return (.opaque(opaque.schemaName), try placeholder(opaque, as: T.self, codingPath: codingPath))
        }
        if let optional = type as? any OptionalShape.Type {
            let wrapped = try shape(of: optional.wrappedDecodableType, codingPath: codingPath)
            return (.optional(wrapped), optional.shapeNil as! T)
        }
        if let enumeration = type as? any SchemaEnumeration.Type {
            return try enumerationShape(enumeration, as: T.self, codingPath: codingPath)
        }
        if let primitive = PrimitiveShapes.lookup(type) {
            return (.primitive(primitive.name), primitive.value)
        }
        if let array = type as? any ArrayShape.Type {
            let element = try shape(of: array.elementDecodableType, codingPath: codingPath + [IndexKey(0)])
            return (.array(element), array.shapeEmpty as! T)
        }
        if let dictionary = type as? any DictionaryShape.Type {
            let key = try shape(of: dictionary.keyDecodableType, codingPath: codingPath)
            let value = try shape(of: dictionary.valueDecodableType, codingPath: codingPath)
            return (.dictionary(key: key, value: value), dictionary.shapeEmpty as! T)
        }
        return try composite(type, codingPath: codingPath)
    }

    /// The shape of a type known only by its metatype.
    private func shape<W: Decodable>(of type: W.Type, codingPath: [any CodingKey]) throws -> ShapeNode {
        try decode(type, codingPath: codingPath).node
    }

    /// Runs `T.init(from:)` against a recording decoder, guarding against recursion.
    private func composite<T: Decodable>(_ type: T.Type, codingPath: [any CodingKey]) throws -> (node: ShapeNode, value: T) {
        let id = ObjectIdentifier(type)
        if mode == .record, activeTypes.contains(id) {
            throw SchemaShapeError(
                type: type, codingPath: codingPath,
                message: "the type contains itself, so its shape is infinite; message schemas must be "
                    + "finite trees: break the cycle, or conform the recursive type to SchemaOpaque")
        }
        guard activeTypes.count < Self.maximumDepth else {
            throw SchemaShapeError(
                type: type, codingPath: codingPath,
                message: "types nest deeper than \(Self.maximumDepth) levels; flatten the schema, or "
                    + "conform a deep or recursive part to SchemaOpaque")
        }
        activeTypes.append(id)
        defer { activeTypes.removeLast() }

        let builder = ShapeBuilder()
        let value: T
        do {
            value = try T(from: ShapeDecoder(recorder: self, builder: builder, codingPath: codingPath))
        } catch let error as SchemaShapeError {
            throw error
        } catch {
            throw SchemaShapeError(
                type: type, codingPath: codingPath,
                message: "its init(from:) rejected the recorder's placeholder values (\(error)); a "
                    + "String-backed enum must conform to SchemaEnumeration, a free-form or validated "
                    + "value to SchemaOpaque")
        }
        return (builder.build(), value)
    }

    private func enumerationShape<E: SchemaEnumeration, T>(
        _ type: E.Type, as _: T.Type, codingPath: [any CodingKey]
    ) throws -> (node: ShapeNode, value: T) {
        guard let first = E.schemaFirstCase else {
            throw SchemaShapeError(
                type: type, codingPath: codingPath,
                message: "the enumeration has no cases, so no message could carry it; add a case")
        }
        return (.enumeration(E.schemaCaseNames), first as! T)
    }

    private func placeholder<O: SchemaOpaque, T>(_ type: O.Type, as _: T.Type, codingPath: [any CodingKey]) throws -> T {
        do {
            return try type.schemaPlaceholder() as! T
        } catch {
            throw SchemaShapeError(
                type: type, codingPath: codingPath,
                message: "SchemaOpaque.schemaPlaceholder() failed (\(error)); implement it to return "
                    + "any valid value")
        }
    }
}

/// The coding key of an unkeyed container's element, rendered `[index]` in error paths.
struct IndexKey: CodingKey {
    let intValue: Int?
    let stringValue: String

    init(_ index: Int) {
        intValue = index
        stringValue = "Index \(index)"
    }

    init?(intValue: Int) { self.init(intValue) }
    init?(stringValue: String) { return nil }
}
