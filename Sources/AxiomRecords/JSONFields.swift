/// Reads chosen top-level fields of a JSON object without building the rest: the fast path for
/// prediction lines (`{"id": …, "prediction": …}`) and gold records.
public enum JSONFields {
    /// The values of `keys` in the object `line` (nil where absent), or nil when the line is not
    /// a well-formed object. Values come back parsed (strings unescaped).
    public static func scan(_ line: UnsafeBufferPointer<UInt8>, keys: [StaticString]) throws -> [JSONValue?] {
        var p = JSONParser(line)
        var found = [JSONValue?](repeating: nil, count: keys.count)
        p.skipSpace()
        guard p.i < line.count, line[p.i] == 0x7B else { throw p.fail("expected an object") }
        p.i += 1
        p.skipSpace()
        if p.i < line.count, line[p.i] == 0x7D {
            p.i += 1
            return found
        }
        while true {
            p.skipSpace()
            guard p.i < line.count, line[p.i] == 0x22 else { throw p.fail("expected a key string") }
            let keyStart = p.i + 1
            try p.skipString()
            let keyEnd = p.i - 1
            p.skipSpace()
            guard p.i < line.count, line[p.i] == 0x3A else { throw p.fail("expected ':'") }
            p.i += 1
            p.skipSpace()
            var matched = -1
            for (k, key) in keys.enumerated() where key.utf8CodeUnitCount == keyEnd - keyStart {
                if System.equalBytes(line.baseAddress! + keyStart, key.utf8Start, keyEnd - keyStart) {
                    matched = k
                    break
                }
            }
            if matched >= 0 { found[matched] = try p.value(depth: 1) } else { try p.skipValue(depth: 1) }
            p.skipSpace()
            guard p.i < line.count else { throw p.fail("unexpected end of input in an object") }
            if line[p.i] == 0x2C {
                p.i += 1
                continue
            }
            if line[p.i] == 0x7D {
                p.i += 1
                break
            }
            throw p.fail("expected ',' or '}'")
        }
        p.skipSpace()
        guard p.i == line.count else { throw p.fail("unexpected text after the value") }
        return found
    }
}

extension JSONParser {
    /// Skips a string (escapes checked for shape only), leaving `i` after the closing quote.
    mutating func skipString() throws {
        i += 1
        while i < b.count {
            let c = b[i]
            if c == 0x22 {
                i += 1
                return
            }
            if c < 0x20 { throw fail("control character in a string") }
            i += c == 0x5C ? 2 : 1
        }
        throw fail("unterminated string")
    }

    /// Skips any value, checking its structure.
    mutating func skipValue(depth: Int) throws {
        guard depth < 256 else { throw fail("nested too deeply") }
        guard i < b.count else { throw fail("unexpected end of input") }
        switch b[i] {
        case 0x22: try skipString()
        case 0x7B, 0x5B:
            let close: UInt8 = b[i] == 0x7B ? 0x7D : 0x5D
            let isObject = b[i] == 0x7B
            i += 1
            skipSpace()
            if i < b.count, b[i] == close {
                i += 1
                return
            }
            while true {
                skipSpace()
                if isObject {
                    guard i < b.count, b[i] == 0x22 else { throw fail("expected a key string") }
                    try skipString()
                    skipSpace()
                    guard i < b.count, b[i] == 0x3A else { throw fail("expected ':'") }
                    i += 1
                    skipSpace()
                }
                try skipValue(depth: depth + 1)
                skipSpace()
                guard i < b.count else { throw fail("unexpected end of input") }
                if b[i] == 0x2C {
                    i += 1
                    continue
                }
                if b[i] == close {
                    i += 1
                    return
                }
                throw fail("expected ',' or a closing bracket")
            }
        default:
            _ = try value(depth: depth)
        }
    }
}
