@testable import PkgTreeKit
import Testing

struct AuthChallengeTests {
    @Test func aBearerChallengeKeepsCommasInsideQuotes() throws {
        let challenge = try #require(AuthChallenge(header: #"Bearer realm="https://auth.example/token",service="registry.example",scope="repository:team/cache:pull,push""#))
        #expect(challenge.scheme == "bearer")
        #expect(challenge.realm == "https://auth.example/token")
        #expect(challenge.parameters["service"] == "registry.example")
        #expect(challenge.parameters["scope"] == "repository:team/cache:pull,push")
    }

    @Test func aBasicChallengeAndEscapedQuotes() throws {
        let challenge = try #require(AuthChallenge(header: #"Basic realm="say \"hi\"", charset=UTF-8"#))
        #expect(challenge.scheme == "basic")
        #expect(challenge.realm == #"say "hi""#)
        #expect(challenge.parameters["charset"] == "UTF-8")
        #expect(AuthChallenge(header: "")  == nil)
    }
}
