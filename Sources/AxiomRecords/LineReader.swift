/// Reads a file line by line in fixed-size chunks, handing each line's bytes (without the
/// newline or a trailing carriage return) to a closure: memory stays bounded by the longest line,
/// not by the file.
public enum LineReader {
    /// - Parameter maxLineBytes: a longer line (newline excluded) fails with
    ///   `path:line: error: line longer than N bytes` as soon as that many bytes are read, so
    ///   memory stays bounded by it.
    public static func forEachLine(
        path: String,
        maxLineBytes: Int = .max,
        _ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void
    ) throws {
        let fd = System.openForReading(path)
        guard fd >= 0 else {
            throw IOError(path: path, message: "cannot read the file (\(System.describe(System.errno)))")
        }
        defer { System.close(fd) }
        var buffer = [UInt8](repeating: 0, count: 1 << 22)
        var filled = 0
        var lineNumber = 0
        // Bytes before this index hold no newline (a long line is scanned once, not per read).
        var scanned = 0
        while true {
            if filled == buffer.count { buffer.append(contentsOf: repeatElement(0, count: buffer.count)) }
            let n = buffer.withUnsafeMutableBytes { raw in
                System.read(fd, raw.baseAddress! + filled, raw.count - filled)
            }
            if n < 0 { throw IOError(path: path, message: "read failed (\(System.describe(System.errno)))") }
            let eof = n == 0
            filled += n
            var consumed = 0
            try buffer.withUnsafeBufferPointer { all in
                var start = 0
                for i in scanned..<filled where all[i] == 0x0A {
                    lineNumber += 1
                    var end = i
                    if end > start && all[end - 1] == 0x0D { end -= 1 }
                    if end - start > maxLineBytes { throw tooLong(path, lineNumber, maxLineBytes) }
                    try body(UnsafeBufferPointer(rebasing: all[start..<end]), lineNumber)
                    start = i + 1
                }
                if eof && start < filled {
                    lineNumber += 1
                    var end = filled
                    if all[end - 1] == 0x0D { end -= 1 }
                    if end - start > maxLineBytes { throw tooLong(path, lineNumber, maxLineBytes) }
                    try body(UnsafeBufferPointer(rebasing: all[start..<end]), lineNumber)
                    start = filled
                }
                consumed = start
            }
            if consumed > 0 {
                buffer.withUnsafeMutableBufferPointer { b in
                    if filled > consumed {
                        b.baseAddress!.update(from: b.baseAddress! + consumed, count: filled - consumed)
                    }
                }
                filled -= consumed
            }
            scanned = filled
            // The unfinished line may end in a carriage return, which does not count.
            if filled - 1 > maxLineBytes { throw tooLong(path, lineNumber + 1, maxLineBytes) }
            if eof { return }
        }
    }

    static func tooLong(_ path: String, _ line: Int, _ limit: Int) -> IOError {
        IOError(path: "\(path):\(line)", message: "error: line longer than \(limit) bytes")
    }
}
