import Foundation

// How axiomc reads and writes JSON — one way each:
// - untyped JSON in (records, prediction files, solve input): `JSONValue.parse`;
// - untyped JSON out (solve and eval --json): a `JSONValue`, serialized by `JSONValue.serialized`;
// - typed documents (manifest, shard statistics, check report): `Codable`, through `JSONDocument`;
// - records on the hot path: `RecordWriter`, appending bytes with `JSONBytes`.

/// Typed JSON documents: sorted keys, read and written the same way everywhere.
public enum JSONDocument {
    public static func encode<T: Encodable>(_ value: T, pretty: Bool = false) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting =
            pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try JSONDecoder().decode(type, from: data)
    }
}

extension JSONValue {
    /// A dictionary's entries as an object, keys sorted.
    public static func sortedObject(_ entries: [String: JSONValue]) -> JSONValue {
        .object(entries.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    /// The value as JSON text: compact, or indented by two spaces per level. Object keys keep
    /// their order (build with `sortedObject` for sorted keys); numbers that are whole print as
    /// integers, others in Swift's shortest round-trip form; non-finite numbers as null.
    public func serialized(pretty: Bool = false) -> String {
        var out: [UInt8] = []
        write(into: &out, pretty: pretty, depth: 0)
        return String(decoding: out, as: UTF8.self)
    }

    private func write(into out: inout [UInt8], pretty: Bool, depth: Int) {
        func newline(_ d: Int) {
            guard pretty else { return }
            out.append(0x0A)
            out.append(contentsOf: repeatElement(0x20, count: 2 * d))
        }
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case let .bool(b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case let .number(d):
            if !d.isFinite {
                out.append(contentsOf: "null".utf8)
            } else if d == d.rounded(), abs(d) < 1e15 {
                JSONBytes.appendInt(Int(d), to: &out)
            } else {
                out.append(contentsOf: String(d).utf8)
            }
        case let .string(s): JSONBytes.appendString(Array(s.utf8), to: &out)
        case let .array(items):
            out.append(0x5B)
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(0x2C) }
                newline(depth + 1)
                item.write(into: &out, pretty: pretty, depth: depth + 1)
            }
            if !items.isEmpty { newline(depth) }
            out.append(0x5D)
        case let .object(pairs):
            out.append(0x7B)
            for (i, (key, value)) in pairs.enumerated() {
                if i > 0 { out.append(0x2C) }
                newline(depth + 1)
                JSONBytes.appendString(Array(key.utf8), to: &out)
                out.append(0x3A)
                if pretty { out.append(0x20) }
                value.write(into: &out, pretty: pretty, depth: depth + 1)
            }
            if !pairs.isEmpty { newline(depth) }
            out.append(0x7D)
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// Keys sorted, as every untyped document axiomc writes.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .sortedObject(Dictionary(elements, uniquingKeysWith: { _, b in b }))
    }
    public init(nilLiteral: ()) { self = .null }

    public init(_ value: Int) { self = .number(Double(value)) }
    public init(_ value: Double) { self = .number(value) }
    public init(_ value: String) { self = .string(value) }
    public init(_ value: Bool) { self = .bool(value) }
    /// `value`, or null.
    public init<T>(_ value: T?, _ make: (T) -> JSONValue) { self = value.map(make) ?? .null }
}
