import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Streams an HTTP(S) response body into a staged download, so a source of any size is
/// digested while it arrives and never held in memory. Redirects are followed; any final
/// status other than 2xx is a failure, never a file.
enum HTTPDownload {
    enum Failure: Error {
        case unreachable(String)
        case status(Int)
        case write(Error)
    }

    static func fetch(_ url: URL, into file: StagedDownload) async throws {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil  // the source cache is ours; no second copy on disk
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        let receiver = Receiver(file: file)
        let session = URLSession(configuration: configuration, delegate: receiver, delegateQueue: queue)
        defer { session.finishTasksAndInvalidate() }
        let task = session.dataTask(with: url)
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                receiver.continuation = continuation
                task.resume()
            }
        } onCancel: {
            task.cancel()
        }
    }

    /// Words for a transfer error; Foundation's own text on Linux is only a domain and a code.
    static func describe(_ error: Error) -> String {
        guard let code = (error as? URLError)?.code else { return error.localizedDescription }
        switch code {
        case .cannotConnectToHost: return "connection refused"
        case .cannotFindHost, .dnsLookupFailed: return "host not found"
        case .timedOut: return "timed out"
        case .notConnectedToInternet, .networkConnectionLost: return "network unavailable or connection lost"
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
             .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot:
            return "TLS handshake or certificate check failed"
        case .unsupportedURL: return "unsupported URL"
        case .httpTooManyRedirects: return "too many redirects"
        default: return "\(error.localizedDescription) (URLError \(code.rawValue))"
        }
    }
}

/// The session's delegate. Its state is touched only on the session's serial delegate
/// queue, after `continuation` was set before the task started; hence `@unchecked Sendable`.
private final class Receiver: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    let file: StagedDownload
    var continuation: CheckedContinuation<Void, Error>?
    private var failure: HTTPDownload.Failure?

    init(file: StagedDownload) {
        self.file = file
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        if let http = response as? HTTPURLResponse, !(200 ..< 300).contains(http.statusCode) {
            failure = .status(http.statusCode)
            completionHandler(.cancel)
            return
        }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        guard failure == nil else { return }
        do {
            try file.write(data)
        } catch {
            failure = .write(error)
            dataTask.cancel()
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        let continuation = self.continuation
        self.continuation = nil
        if let failure {
            continuation?.resume(throwing: failure)
        } else if let error {
            continuation?.resume(throwing: HTTPDownload.Failure.unreachable(HTTPDownload.describe(error)))
        } else {
            continuation?.resume()
        }
    }
}
