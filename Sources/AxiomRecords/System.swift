#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#else
#error("axiomc needs a POSIX C library (Glibc or Darwin)")
#endif

/// The POSIX calls axiomc makes, in one file: everything else calls these and imports no C
/// library, so a port touches only this file.
public enum System {
    /// The calling thread's last error number.
    public static var errno: Int32 {
        #if canImport(Glibc)
        Glibc.errno
        #else
        Darwin.errno
        #endif
    }

    /// The system's description of an error number.
    public static func describe(_ code: Int32) -> String { String(cString: strerror(code)) }

    public static var processID: Int32 { getpid() }

    /// Whether a process with this id runs on this machine.
    public static func isAlive(_ pid: Int32) -> Bool { pid > 0 && (kill(pid, 0) == 0 || errno == EPERM) }

    /// Whether file descriptor `fd` is a terminal.
    public static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) != 0 }

    /// Opens `path` for reading; -1 on failure (see `errno`).
    static func openForReading(_ path: String) -> Int32 { open(path, O_RDONLY | O_CLOEXEC) }

    /// Creates or truncates `path` for writing; -1 on failure.
    static func createForWriting(_ path: String) -> Int32 {
        open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    }

    /// Reads up to `count` bytes, retrying on EINTR; -1 on failure.
    static func read(_ fd: Int32, _ into: UnsafeMutableRawPointer, _ count: Int) -> Int {
        while true {
            #if canImport(Glibc)
            let n = Glibc.read(fd, into, count)
            #else
            let n = Darwin.read(fd, into, count)
            #endif
            if n < 0 && errno == EINTR { continue }
            return n
        }
    }

    /// Writes all of `bytes`, retrying on EINTR and short writes; false on failure.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < bytes.count {
            #if canImport(Glibc)
            let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            #else
            let n = Darwin.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            #endif
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += n
        }
        return true
    }

    static func sync(_ fd: Int32) -> Bool { fsync(fd) == 0 }
    @discardableResult static func close(_ fd: Int32) -> Bool {
        #if canImport(Glibc)
        Glibc.close(fd) == 0
        #else
        Darwin.close(fd) == 0
        #endif
    }
    static func rename(_ from: String, _ to: String) -> Bool {
        #if canImport(Glibc)
        Glibc.rename(from, to) == 0
        #else
        Darwin.rename(from, to) == 0
        #endif
    }

    /// Whether `count` bytes at `a` and `b` are equal.
    static func equalBytes(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ count: Int) -> Bool {
        memcmp(a, b, count) == 0
    }

    /// Removes a file; true when it is gone (removed, or it did not exist).
    @discardableResult public static func remove(_ path: String) -> Bool { unlink(path) == 0 || errno == ENOENT }
}
