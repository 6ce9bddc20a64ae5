/// A parsed JSON value. The parser is small and strict (RFC 8259), reads bytes directly and
/// reports the byte offset of the first error.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case let (.bool(x), .bool(y)): x == y
        case let (.number(x), .number(y)): x == y
        case let (.string(x), .string(y)): x == y
        case let (.array(x), .array(y)): x == y
        case let (.object(x), .object(y)): x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    public subscript(key: String) -> JSONValue? {
        guard case let .object(pairs) = self else { return nil }
        for (k, v) in pairs where k == key { return v }
        return nil
    }

    public subscript(index: Int) -> JSONValue? {
        guard case let .array(items) = self, items.indices.contains(index) else { return nil }
        return items[index]
    }

    public var string: String? { if case let .string(s) = self { s } else { nil } }
    public var int: Int? {
        if case let .number(d) = self, d == d.rounded(), abs(d) < 1e15 { return Int(d) }
        return nil
    }
    public var double: Double? { if case let .number(d) = self { d } else { nil } }
    public var array: [JSONValue]? { if case let .array(a) = self { a } else { nil } }
    public var keys: [String] { if case let .object(p) = self { p.map(\.0) } else { [] } }

    /// A short text form of a leaf (what lm-evaluation-harness stringifies).
    public var text: String? {
        switch self {
        case let .string(s): s
        case let .number(d): d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
        case let .bool(b): b ? "True" : "False"
        default: nil
        }
    }

    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var offset: Int
        public var message: String
        public var description: String { "byte \(offset + 1): \(message)" }
    }

    /// Parses one JSON text (surrounding white space allowed).
    public static func parse<C: Collection>(_ bytes: C) throws -> JSONValue where C.Element == UInt8 {
        try Array(bytes).withUnsafeBufferPointer { buf in
            var p = JSONParser(buf)
            p.skipSpace()
            let v = try p.value(depth: 0)
            p.skipSpace()
            guard p.i == buf.count else { throw ParseError(offset: p.i, message: "unexpected text after the value") }
            return v
        }
    }
}

/// The parser behind `JSONValue.parse` and `JSONFields.scan`.
public struct JSONParser {
    let b: UnsafeBufferPointer<UInt8>
    var i = 0

    init(_ b: UnsafeBufferPointer<UInt8>) { self.b = b }

    func fail(_ message: String) -> JSONValue.ParseError { JSONValue.ParseError(offset: i, message: message) }

    mutating func skipSpace() {
        while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
    }

    mutating func value(depth: Int) throws -> JSONValue {
        guard depth < 256 else { throw fail("nested too deeply") }
        guard i < b.count else { throw fail("unexpected end of input") }
        switch b[i] {
        case 0x7B: return try object(depth: depth)
        case 0x5B: return try array(depth: depth)
        case 0x22: return .string(try string())
        case 0x74:
            try literal("true")
            return .bool(true)
        case 0x66:
            try literal("false")
            return .bool(false)
        case 0x6E:
            try literal("null")
            return .null
        default: return .number(try number())
        }
    }

    mutating func literal(_ word: StaticString) throws {
        let n = word.utf8CodeUnitCount
        guard i + n <= b.count else { throw fail("unexpected end of input") }
        for k in 0..<n where b[i + k] != word.utf8Start[k] { throw fail("invalid literal") }
        i += n
    }

    mutating func object(depth: Int) throws -> JSONValue {
        i += 1
        var pairs: [(String, JSONValue)] = []
        skipSpace()
        if i < b.count, b[i] == 0x7D {
            i += 1
            return .object(pairs)
        }
        while true {
            skipSpace()
            guard i < b.count, b[i] == 0x22 else { throw fail("expected a key string") }
            let key = try string()
            skipSpace()
            guard i < b.count, b[i] == 0x3A else { throw fail("expected ':'") }
            i += 1
            skipSpace()
            pairs.append((key, try value(depth: depth + 1)))
            skipSpace()
            guard i < b.count else { throw fail("unexpected end of input in an object") }
            if b[i] == 0x2C {
                i += 1
                continue
            }
            if b[i] == 0x7D {
                i += 1
                return .object(pairs)
            }
            throw fail("expected ',' or '}'")
        }
    }

    mutating func array(depth: Int) throws -> JSONValue {
        i += 1
        var items: [JSONValue] = []
        skipSpace()
        if i < b.count, b[i] == 0x5D {
            i += 1
            return .array(items)
        }
        while true {
            skipSpace()
            items.append(try value(depth: depth + 1))
            skipSpace()
            guard i < b.count else { throw fail("unexpected end of input in an array") }
            if b[i] == 0x2C {
                i += 1
                continue
            }
            if b[i] == 0x5D {
                i += 1
                return .array(items)
            }
            throw fail("expected ',' or ']'")
        }
    }

    mutating func hex4() throws -> UInt32 {
        guard i + 4 <= b.count else { throw fail("short \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = b[i]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: throw fail("bad hex digit in \\u escape")
            }
            v = v << 4 | d
            i += 1
        }
        return v
    }

    mutating func string() throws -> String {
        i += 1
        let start = i
        // Fast path: no escapes.
        while i < b.count, b[i] != 0x22, b[i] != 0x5C {
            if b[i] < 0x20 { throw fail("control character in a string") }
            i += 1
        }
        guard i < b.count else { throw fail("unterminated string") }
        if b[i] == 0x22 {
            let s = String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)
            i += 1
            return s
        }
        var out = Array(b[start..<i])
        while true {
            guard i < b.count else { throw fail("unterminated string") }
            let c = b[i]
            if c == 0x22 {
                i += 1
                return String(decoding: out, as: UTF8.self)
            }
            if c < 0x20 { throw fail("control character in a string") }
            if c != 0x5C {
                out.append(c)
                i += 1
                continue
            }
            i += 1
            guard i < b.count else { throw fail("unterminated escape") }
            let e = b[i]
            i += 1
            let short = JSONBytes.unescaped[Int(e)]
            if short != 0 {
                out.append(short)
                continue
            }
            switch e {
            case 0x75:
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar), i + 1 < b.count, b[i] == 0x5C, b[i + 1] == 0x75 {
                    i += 2
                    let low = try hex4()
                    if (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        scalar = 0xFFFD
                    }
                }
                let u = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                out.append(contentsOf: Array(String(Character(u)).utf8))
            default: throw fail("unknown escape")
            }
        }
    }

    mutating func number() throws -> Double {
        let start = i
        if i < b.count, b[i] == 0x2D { i += 1 }
        guard i < b.count, (0x30...0x39).contains(b[i]) else { throw fail("unexpected character") }
        var integer: Int64 = 0
        var simple = true
        while i < b.count, (0x30...0x39).contains(b[i]) {
            if integer < 100_000_000_000_000 { integer = integer * 10 + Int64(b[i] - 0x30) } else { simple = false }
            i += 1
        }
        if i < b.count, b[i] == 0x2E || b[i] == 0x65 || b[i] == 0x45 {
            simple = false
            if b[i] == 0x2E {
                i += 1
                guard i < b.count, (0x30...0x39).contains(b[i]) else { throw fail("digits expected after '.'") }
                while i < b.count, (0x30...0x39).contains(b[i]) { i += 1 }
            }
            if i < b.count, b[i] == 0x65 || b[i] == 0x45 {
                i += 1
                if i < b.count, b[i] == 0x2B || b[i] == 0x2D { i += 1 }
                guard i < b.count, (0x30...0x39).contains(b[i]) else { throw fail("digits expected in exponent") }
                while i < b.count, (0x30...0x39).contains(b[i]) { i += 1 }
            }
        }
        if simple { return Double(b[start] == 0x2D ? -integer : integer) }
        let text = String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)
        guard let d = Double(text) else { throw fail("bad number") }
        return d
    }
}
