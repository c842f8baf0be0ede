@testable import MetadataProxyService
import Testing

struct TokenAndRateLimitTests {
    func token(_ s: MetadataService, from ip: String = "10.0.0.4", ttl: String = "21600", headers: [(String, String)] = []) async
        -> MetadataResponse
    {
        await TestSupport.get(s, "/latest/api/token", from: ip, method: "PUT",
                              headers: [("X-aws-ec2-metadata-token-ttl-seconds", ttl)] + headers)
    }

    @Test func tokenIsIssuedAndBoundToTheInstance() async throws {
        let s = try await TestSupport.service(FakeInstanceSource([Fixtures.instance(1), Fixtures.instance(2)]))
        let t = await token(s)
        #expect(t.status == 200)
        #expect(t.headers.first { $0.0 == "X-aws-ec2-metadata-token-ttl-seconds" }?.1 == "21600")
        let ok = await TestSupport.get(s, "/latest/meta-data/instance-id", headers: [("X-aws-ec2-metadata-token", t.text)])
        #expect(ok.text == "i-0000002b")
        let stolen = await TestSupport.get(s, "/latest/meta-data/instance-id", from: "10.0.0.5",
                                           headers: [("X-aws-ec2-metadata-token", t.text)])
        #expect(stolen.status == 401)
        #expect(await TestSupport.get(s, "/latest/meta-data/instance-id", headers: [("X-aws-ec2-metadata-token", "bogus")]).status == 401)
    }

    @Test(arguments: ["0", "21601", "abc", ""])
    func badTTLIs400(ttl: String) async throws {
        let s = try await TestSupport.service(FakeInstanceSource([Fixtures.instance(1)]))
        #expect(await token(s, ttl: ttl).status == 400)
    }

    @Test func tokenRequestsRules() async throws {
        let s = try await TestSupport.service(FakeInstanceSource([Fixtures.instance(1)]))
        #expect(await token(s, headers: [("X-Forwarded-For", "10.0.0.4")]).status == 403)
        #expect(await TestSupport.get(s, "/2021-03-23/api/token", method: "PUT").status == 403)
        #expect(await TestSupport.get(s, "/latest/api/token").status == 404, "GET on the token path is not a tree path")
        #expect(await token(s, from: "10.0.0.99").status == 404)
        #expect(await TestSupport.get(s, "/latest/meta-data/", method: "DELETE").status == 405)
        #expect(await TestSupport.get(s, "/latest/meta-data/", method: "PUT").status == 405)
    }

    @Test func requireTokenMakesTokensMandatory() async throws {
        var o = MetadataOptions()
        o.requireToken = true
        let s = try await TestSupport.service(FakeInstanceSource([Fixtures.instance(1)]), options: o)
        #expect(await TestSupport.get(s, "/latest/meta-data/instance-id").status == 401)
        let t = await token(s)
        #expect(await TestSupport.get(s, "/latest/meta-data/instance-id", headers: [("x-AWS-ec2-metadata-token", t.text)]).status == 200)
    }

    @Test func tokensExpire() {
        let issuer = TokenIssuer()
        let start = ContinuousClock.now
        let t = issuer.issue(instanceID: "a", ttl: 2, now: start)
        #expect(issuer.check(t, instanceID: "a", now: start + .seconds(1)) == .valid)
        #expect(issuer.check(t, instanceID: "a", now: start + .seconds(3)) == .invalid)
        #expect(TokenIssuer.ttl(" 60 ") == 60)
    }

    @Test func rateLimitAllowsBurstsThenRefuses() {
        let limiter = RateLimiter(rate: 10, burst: 30)
        let t0 = ContinuousClock.now
        for _ in 0..<30 { #expect(limiter.admit("a", now: t0) == .allow) }
        #expect(limiter.admit("a", now: t0) == .limit(log: true))
        #expect(limiter.admit("a", now: t0) == .limit(log: false))
        #expect(limiter.admit("b", now: t0) == .allow, "buckets are per instance")
        #expect(limiter.admit("a", now: t0 + .milliseconds(200)) == .allow)
        #expect(RateLimiter(rate: 0).admit("a") == .allow)
    }

    @Test func defaultRateLimitNeverLimitsACloudInitCrawl() async throws {
        let s = try await TestSupport.service(FakeInstanceSource([Fixtures.instance(1)]))
        for _ in 0..<4 {  // four boots' worth in a row
            for _ in 0..<28 { #expect(await TestSupport.get(s, "/latest/meta-data/hostname").status == 200) }
        }
        var o = MetadataOptions()
        o.rateLimit = 1
        o.rateLimitBurst = 5
        let tight = try await TestSupport.service(FakeInstanceSource([Fixtures.instance(1)]), options: o)
        var codes: [Int] = []
        for _ in 0..<8 { codes.append(await TestSupport.get(tight, "/latest/meta-data/hostname").status) }
        #expect(codes.filter { $0 == 429 }.count >= 2)
    }
}
