import Foundation
import Subprocess

/// A failure said for the person at the terminal: what pkgtree was doing, the path at fault,
/// what is wrong there in plain words, and what to do — never a library's error text.
///
///     error: opening the cache: cache/images: is a dangling symbolic link to /srv/images
///       hint: create /srv/images (mkdir -p /srv/images), or remove the link
public struct UserFacingError: Error, Sendable, CustomStringConvertible {
    /// Which exit code the failure earns.
    public enum Cause: Sendable {
        /// A wrong argument or file given by the user: exit 2.
        case badInput
        /// The machine is not as pkgtree needs it (a path, permissions, space, a tool): exit 2.
        case environment
        /// Work that was tried and failed: exit 1.
        case failedWork
    }

    /// "opening the cache", "writing the bootstrap".
    public var action: String
    /// The path at fault, as shown (relative to the working directory when inside it).
    public var path: String?
    public var problem: String
    public var remedy: String?
    public var cause: Cause
    /// The `errno` behind the failure, when the system gave one (a full disk stays one).
    var code: Int32?

    public init(_ action: String, path: URL?, _ problem: String, remedy: String? = nil, cause: Cause = .environment) {
        self.action = action
        self.path = path.map(DisplayPath.of)
        self.problem = problem
        self.remedy = remedy
        self.cause = cause
    }

    public var exitStatus: Int32 { cause == .failedWork ? 1 : 2 }

    public var description: String {
        "error: \(action): " + (path.map { "\($0): " } ?? "") + problem + (remedy.map { "\n  hint: \($0)" } ?? "")
    }
}

extension UserFacingError {
    /// `error` said for a person, when it is a system error (errno, Foundation, SQLite, a
    /// program that could not start) or one that explains itself (`ExplainableError`, as the
    /// cache's do): the path comes from the error, else `path`, and is looked at to say what
    /// is wrong there. `alternative` ("choose another
    /// cache with --cache DIR") ends the hint. Nil for errors that speak for themselves
    /// (a tree's `Problems`, a cancellation).
    public init?(explaining error: Error, action: String, path: URL? = nil, alternative: String? = nil) {
        if let explained = error as? UserFacingError {
            self = explained
            return
        }
        if let explainable = error as? ExplainableError, let explained = explainable.userFacing(action: action, path: path) {
            self = explained
        } else if let subprocess = error as? SubprocessError, subprocess.code == .executableNotFound {
            let sentence = subprocess.description.trimmingCharacters(in: ["."])  // "Executable "git" is not found…"
            self.init(action, path: nil, sentence.prefix(1).lowercased() + sentence.dropFirst(),
                      remedy: "install it (scripts/setup.sh installs every program pkgtree runs)")
        } else if SystemError.isSystemError(error) {
            let failed = SystemError.path(of: error).map { URL(fileURLWithPath: $0) } ?? path
            if let failed, let code = SystemError.code(of: error) {
                self.init(action, path: failed, code: code)
            } else if let failed, let diagnosis = PathDiagnosis.of(failed.path, code: nil) {
                self.init(action, diagnosis)
            } else {
                self.init(action, path: failed, SystemError.reason(error))
            }
        } else {
            return nil
        }
        code = SystemError.code(of: error)
        offer(alternative)
    }

    /// What is wrong at a path, said as the failure of `action`.
    init(_ action: String, _ diagnosis: PathDiagnosis) {
        self.init(action, path: URL(fileURLWithPath: diagnosis.path), diagnosis.problem, remedy: diagnosis.remedy)
    }

    /// Ends the hint with another way out ("or choose another cache with --cache DIR").
    mutating func offer(_ alternative: String?) {
        guard let alternative else { return }
        remedy = remedy.map { "\($0), or \(alternative)" } ?? alternative
    }

    /// A system call that failed on `path` with `errno` `code`, said with what is wrong there.
    init(_ action: String, path: URL, code: Int32) {
        if let diagnosis = PathDiagnosis.of(path.path, code: code) {
            self.init(action, diagnosis)
        } else {
            self.init(action, path: path, SystemError.describe(code))
        }
        self.code = code
    }

    /// Throws when `directory` cannot be a directory this user writes in (a component is a
    /// file or a broken link, permissions are missing), before any work that would end there.
    public static func requireWritableDirectory(_ directory: URL, action: String, alternative: String? = nil) throws {
        guard let diagnosis = PathDiagnosis.ofDirectory(directory.path) else { return }
        var error = UserFacingError(action, diagnosis)
        error.offer(alternative)
        throw error
    }

    /// Runs `body`; a system error it throws becomes a `UserFacingError` saying `action`.
    /// Errors that are not the system's (a tree's `Problems`, a cancellation) pass unchanged.
    public static func during<Value>(_ action: String, at path: URL? = nil, alternative: String? = nil,
                                     _ body: () throws -> Value) throws -> Value {
        do {
            return try body()
        } catch {
            throw UserFacingError(explaining: error, action: action, path: path, alternative: alternative) ?? error
        }
    }

    /// `during` for asynchronous work.
    public static func during<Value>(_ action: String, at path: URL? = nil, alternative: String? = nil,
                                     _ body: () async throws -> Value) async throws -> Value {
        do {
            return try await body()
        } catch {
            throw UserFacingError(explaining: error, action: action, path: path, alternative: alternative) ?? error
        }
    }
}
