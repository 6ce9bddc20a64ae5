/// Appends JSON tokens as bytes: the fixed record schema is written without JSONEncoder.
public enum JSONBytes {
    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `bytes` (UTF-8) as a JSON string: quotes, backslashes and every control character
    /// are escaped; other characters, including non-ASCII UTF-8, pass through unchanged.
    @inlinable
    public static func appendString<C: Collection>(_ bytes: C, to out: inout [UInt8]) where C.Element == UInt8 {
        out.append(0x22)
        for b in bytes {
            switch b {
            case 0x22: out.append(0x5C); out.append(0x22)
            case 0x5C: out.append(0x5C); out.append(0x5C)
            case 0x0A: out.append(0x5C); out.append(0x6E)
            case 0x0D: out.append(0x5C); out.append(0x72)
            case 0x09: out.append(0x5C); out.append(0x74)
            case 0x08: out.append(0x5C); out.append(0x62)
            case 0x0C: out.append(0x5C); out.append(0x66)
            case 0x00..<0x20, 0x7F: appendControl(b, to: &out)
            default: out.append(b)
            }
        }
        out.append(0x22)
    }

    @usableFromInline
    static func appendControl(_ b: UInt8, to out: inout [UInt8]) {
        out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 15)]])
    }

    /// Appends a static ASCII string as a JSON string (no escaping needed).
    @inlinable
    public static func appendKey(_ key: StaticString, to out: inout [UInt8]) {
        out.append(0x22)
        key.withUTF8Buffer { out.append(contentsOf: $0) }
        out.append(0x22)
        out.append(0x3A)
    }

    @inlinable
    public static func appendRaw(_ s: StaticString, to out: inout [UInt8]) {
        s.withUTF8Buffer { out.append(contentsOf: $0) }
    }

    /// Appends a non-negative or negative integer in decimal.
    @inlinable
    public static func appendInt(_ value: Int, to out: inout [UInt8]) {
        appendInt(value, minDigits: 1, to: &out)
    }

    /// Appends an integer, zero-padded to at least `minDigits` digits.
    @inlinable
    public static func appendInt(_ value: Int, minDigits: Int, to out: inout [UInt8]) {
        var v = value
        if v < 0 {
            out.append(0x2D)
            v = -v
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buf in
            repeat {
                buf[count] = UInt8(truncatingIfNeeded: 0x30 + v % 10)
                v /= 10
                count += 1
            } while v > 0
            while count < minDigits && count < 20 {
                buf[count] = 0x30
                count += 1
            }
            var i = count - 1
            while i >= 0 {
                out.append(buf[i])
                i -= 1
            }
        }
    }
}
