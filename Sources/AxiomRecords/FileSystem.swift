import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A write or read failure with the path and the system's reason.
public struct IOError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { "\(path): \(message)" }

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public static func errno(_ path: String, _ action: String) -> IOError {
        IOError(path: path, message: "\(action) failed: \(String(cString: strerror(Glibc.errno)))")
    }
}

/// A file written to a temporary name, synced, then renamed into place: readers see the whole
/// file or none of it, and a rerun after a crash starts clean.
public struct AtomicFile {
    public let path: String
    let temporary: String
    private var fd: Int32

    public init(path: String) throws {
        self.path = path
        self.temporary = path + ".tmp-\(getpid())"
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if fd < 0 { throw IOError.errno(temporary, "open") }
    }

    public mutating func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    public mutating func write(_ raw: UnsafeRawBufferPointer) throws {
        do {
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if Glibc.errno == EINTR { continue }
                    let e = IOError.errno(path, "write")
                    close(fd)
                    unlink(temporary)
                    throw e
                }
                offset += n
            }
        }
    }

    /// Syncs, closes and renames into place.
    public mutating func commit() throws {
        if fsync(fd) != 0 { let e = IOError.errno(path, "fsync"); close(fd); unlink(temporary); throw e }
        if close(fd) != 0 { let e = IOError.errno(path, "close"); unlink(temporary); throw e }
        fd = -1
        if rename(temporary, path) != 0 { let e = IOError.errno(path, "rename"); unlink(temporary); throw e }
    }

    /// Closes and removes the temporary file, leaving nothing behind.
    public mutating func discard() {
        if fd >= 0 { close(fd) }
        fd = -1
        unlink(temporary)
    }

    /// Writes `bytes` to `path` atomically.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        var f = try AtomicFile(path: path)
        try f.write(bytes)
        try f.commit()
    }
}

extension AtomicFile {
    /// `name`'s final name and writer's process id, when `name` is a temporary name
    /// (`<final>.tmp-<pid>`).
    public static func temporaryOwner(_ name: String) -> (final: String, pid: Int32)? {
        guard let marker = name.range(of: ".tmp-", options: .backwards), marker.lowerBound > name.startIndex else { return nil }
        let digits = name[marker.upperBound...]
        guard !digits.isEmpty, digits.count <= 10, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let pid = Int32(digits) else { return nil }
        return (String(name[..<marker.lowerBound]), pid)
    }

    /// The temporary files under `directory`, as paths relative to it, in sorted order.
    public static func temporaries(in directory: String) -> [(path: String, final: String, pid: Int32)] {
        guard let walk = FileManager.default.enumerator(atPath: directory) else { return [] }
        var out: [(path: String, final: String, pid: Int32)] = []
        while let path = walk.nextObject() as? String {
            if let owner = temporaryOwner(path) { out.append((path, owner.final, owner.pid)) }
        }
        return out.sorted { $0.path < $1.path }
    }

    /// Whether a process with this id runs on this machine.
    public static func isAlive(_ pid: Int32) -> Bool {
        pid > 0 && (kill(pid, 0) == 0 || Glibc.errno == EPERM)
    }
}
