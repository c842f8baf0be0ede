import Messaging
import Testing
@testable import CLI

@Suite struct CredentialsTests {
    let yaml = """
        clouds:
          cirrus:
            auth:
              auth_url: http://127.0.0.1:8774/v3
              username: admin
              password: fromyaml
              project_name: admin
              user_domain_name: Default
              project_domain_name: Default
            region_name: RegionOne
            interface: public
          other:
            auth:
              auth_url: http://10.0.0.1:5000
              username: bob
              password: 1234
              project_name: demo
        """

    let env = [
        "OS_AUTH_URL": "http://env:5000/v3", "OS_USERNAME": "envuser", "OS_PASSWORD": "envpass", "OS_PROJECT_NAME": "envproj",
    ]

    @Test func environmentAloneIsEnough() throws {
        let c = try Credentials.resolve(flags: [:], cloud: nil, environment: env, clouds: nil)
        #expect(c.authURL == "http://env:5000/v3")
        #expect(c.username == "envuser")
        #expect(c.projectName == "envproj")
        #expect(c.interface == "public")
        #expect(c.regionName == nil)
    }

    @Test func cloudsYAMLChosenByOSCloud() throws {
        let clouds = try CloudsFile(path: "clouds.yaml", yaml: yaml)
        let c = try Credentials.resolve(flags: [:], cloud: nil, environment: ["OS_CLOUD": "cirrus"], clouds: clouds)
        #expect(c.authURL == "http://127.0.0.1:8774/v3")
        #expect(c.password == "fromyaml")
        #expect(c.regionName == "RegionOne")
        #expect(c.userDomainName == "Default")
    }

    @Test func flagBeatsEnvironmentBeatsCloudsYAML() throws {
        let clouds = try CloudsFile(path: "clouds.yaml", yaml: yaml)
        var e = ["OS_CLOUD": "other", "OS_PASSWORD": "envpass"]
        var c = try Credentials.resolve(flags: [:], cloud: "cirrus", environment: e, clouds: clouds)
        #expect(c.username == "admin")      // --os-cloud beats OS_CLOUD
        #expect(c.password == "envpass")    // OS_PASSWORD beats clouds.yaml
        c = try Credentials.resolve(flags: ["password": "flagpass"], cloud: "cirrus", environment: e, clouds: clouds)
        #expect(c.password == "flagpass")
        e["OS_CLOUD"] = "other"
        c = try Credentials.resolve(flags: [:], cloud: nil, environment: ["OS_CLOUD": "other"], clouds: clouds)
        #expect(c.password == "1234")       // numbers in YAML become strings
    }

    @Test func secureYAMLIsMergedIn() throws {
        let clouds = try CloudsFile(path: "clouds.yaml", yaml: yaml, secure: "clouds:\n  cirrus:\n    auth:\n      password: secret\n")
        let c = try Credentials.resolve(flags: [:], cloud: "cirrus", environment: [:], clouds: clouds)
        #expect(c.password == "secret")
    }

    @Test func missingValuesAndUnknownCloudsSayWhatToDo() throws {
        #expect(throws: CLIError.self) { try Credentials.resolve(flags: [:], cloud: nil, environment: [:], clouds: nil) }
        do {
            _ = try Credentials.resolve(flags: [:], cloud: nil, environment: ["OS_USERNAME": "a"], clouds: nil)
        } catch let e as CLIError {
            #expect(e.message.hasPrefix("Missing value auth-url required for auth plugin password"))
            #expect(e.message.contains("OS_AUTH_URL"))
        }
        let clouds = try CloudsFile(path: "/x/clouds.yaml", yaml: yaml)
        #expect(throws: CLIError("Cloud nope was not found in /x/clouds.yaml (clouds: cirrus, other).")) {
            try Credentials.resolve(flags: [:], cloud: "nope", environment: [:], clouds: clouds)
        }
        #expect(throws: CLIError.self) { try CloudsFile(path: "c.yaml", yaml: "foo: [") }
        #expect(throws: CLIError("c.yaml has no 'clouds:' mapping.")) { try CloudsFile(path: "c.yaml", yaml: "foo: 1") }
    }

    @Test func interfaceAcceptsPublicURLSpelling() throws {
        var e = env
        e["OS_INTERFACE"] = "internalURL"
        #expect(try Credentials.resolve(flags: [:], cloud: nil, environment: e, clouds: nil).interface == "internal")
    }

    @Test func authURLWithOrWithoutV3() throws {
        #expect(try Identity.tokensURL(authURL: "http://h:5000/v3").absoluteString == "http://h:5000/v3/auth/tokens")
        #expect(try Identity.tokensURL(authURL: "http://h:5000/v3/").absoluteString == "http://h:5000/v3/auth/tokens")
        #expect(try Identity.tokensURL(authURL: "http://h:5000").absoluteString == "http://h:5000/v3/auth/tokens")
        #expect(try Identity.tokensURL(authURL: "http://h/identity/").absoluteString == "http://h/identity/v3/auth/tokens")
        #expect(throws: CLIError.self) { try Identity.tokensURL(authURL: "h:5000") }
    }

    @Test func tokenRequestIsPasswordProjectScoped() throws {
        let c = try Credentials.resolve(flags: [:], cloud: nil, environment: env, clouds: nil)
        let body = Identity.requestBody(c)
        let user = body["auth"]?["identity"]?["password"]?["user"]
        #expect(body["auth"]?["identity"]?["methods"] == ["password"])
        #expect(user?["name"] == "envuser")
        #expect(user?["domain"]?["name"] == "Default")
        #expect(body["auth"]?["scope"]?["project"]?["name"] == "envproj")
    }
}
