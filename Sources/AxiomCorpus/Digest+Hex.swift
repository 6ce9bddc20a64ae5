import Crypto
import Foundation

extension Digest {
    /// The digest in lowercase hexadecimal, as `sha256sum` prints it (the manifest's shard and
    /// recipe hashes).
    var hex: String { map { String(format: "%02x", $0) }.joined() }
}
