/// Appends JSON tokens as bytes: the fixed record schema is written without JSONEncoder.
public enum JSONBytes {
    @usableFromInline
    static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `bytes` (UTF-8) as a JSON string: quotes, backslashes and every control character
    /// (and DEL) are escaped; other characters, including non-ASCII UTF-8, pass through unchanged.
    ///
    /// Runs of bytes that need no escape are copied in bulk.
    @inlinable
    public static func appendString<S: ByteSink & ~Copyable>(_ bytes: [UInt8], to out: inout S) {
        bytes.withUnsafeBufferPointer { appendString($0, to: &out) }
    }

    @inlinable
    public static func appendString<S: ByteSink & ~Copyable>(_ bytes: ArraySlice<UInt8>, to out: inout S) {
        bytes.withUnsafeBufferPointer { appendString($0, to: &out) }
    }

    @inlinable
    public static func appendString<S: ByteSink & ~Copyable>(_ src: UnsafeBufferPointer<UInt8>, to out: inout S) {
        out.append(0x22)
        var start = 0
        for i in 0..<src.count {
            let b = src[i]
            if b >= 0x20 && b != 0x22 && b != 0x5C && b != 0x7F { continue }
            if i > start { out.append(contentsOf: UnsafeBufferPointer(rebasing: src[start..<i])) }
            appendEscape(b, to: &out)
            start = i + 1
        }
        if start < src.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: src[start..<src.count])) }
        out.append(0x22)
    }

    /// JSON's short escapes (RFC 8259 §7): a byte and the letter written after the backslash.
    /// `\/` is read (`unescaped`) but never written.
    static let shortEscapes: [(byte: UInt8, letter: UInt8)] = [
        (0x22, 0x22), (0x5C, 0x5C), (0x0A, 0x6E), (0x0D, 0x72), (0x09, 0x74), (0x08, 0x62), (0x0C, 0x66),
    ]

    /// By byte: the letter of its short escape, or 0 (written as `\u00XX`).
    @usableFromInline
    static let escapeLetter: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 256)
        for (byte, letter) in shortEscapes { table[Int(byte)] = letter }
        return table
    }()

    /// By the letter after a backslash: the byte it stands for, or 0 (`u`, or no escape).
    static let unescaped: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 256)
        for (byte, letter) in shortEscapes + [(0x2F, 0x2F)] { table[Int(letter)] = byte }
        return table
    }()

    @inlinable
    static func appendEscape<S: ByteSink & ~Copyable>(_ b: UInt8, to out: inout S) {
        out.append(0x5C)
        let letter = escapeLetter[Int(b)]
        if letter != 0 {
            out.append(letter)
            return
        }
        out.append(0x75)
        out.append(0x30)
        out.append(0x30)
        out.append(hex[Int(b >> 4)])
        out.append(hex[Int(b & 15)])
    }

    /// Appends static ASCII text as is.
    @inlinable
    public static func appendRaw<S: ByteSink & ~Copyable>(_ s: StaticString, to out: inout S) {
        out.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    /// Appends an integer in decimal.
    @inlinable
    public static func appendInt<S: ByteSink & ~Copyable>(_ value: Int, to out: inout S) {
        appendInt(value, minDigits: 1, to: &out)
    }

    /// Appends an integer in decimal, zero-padded to at least `minDigits` digits.
    @inlinable
    public static func appendInt<S: ByteSink & ~Copyable>(_ value: Int, minDigits: Int, to out: inout S) {
        var v = value.magnitude
        if value < 0 { out.append(0x2D) }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { buf in
            var i = 24
            repeat {
                i -= 1
                buf[i] = UInt8(truncatingIfNeeded: 0x30 &+ v % 10)
                v /= 10
            } while v > 0
            while 24 - i < minDigits && i > 0 {
                i -= 1
                buf[i] = 0x30
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[i..<24]))
        }
    }
}
