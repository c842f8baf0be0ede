import Testing
@testable import ServiceKit

@Suite struct INIParserTests {
    private func parse(_ text: String) throws(ConfigurationError) -> INIFile {
        try INIParser().parse(text, path: "/etc/cirrus/cirrus.conf")
    }

    @Test func parsesSectionsKeysAndComments() throws {
        let file = try parse("""
            # a comment
            ; another comment
            [DEFAULT]
            transport_url = rabbit://u:p@mq:5672/
            debug=true
              # indented comment

            [oslo_messaging_rabbit]
            heartbeat_timeout_threshold : 30
            [upgrade_levels]
            compute = 5.0
            """)
        #expect(file.sections == ["DEFAULT", "oslo_messaging_rabbit", "upgrade_levels"])
        #expect(file.value(section: "DEFAULT", key: "transport_url") == "rabbit://u:p@mq:5672/")
        #expect(file.value(section: "DEFAULT", key: "debug") == "true")
        #expect(file.value(section: "oslo_messaging_rabbit", key: "heartbeat_timeout_threshold") == "30")
        #expect(file.entry(section: "upgrade_levels", key: "compute")?.line == 11)
        #expect(file.entries.count == 4)
    }

    @Test func laterAssignmentWinsAndSectionsMerge() throws {
        let file = try parse("[DEFAULT]\nhost = a\n[other]\nx = 1\n[DEFAULT]\nhost = b\n")
        #expect(file.value(section: "DEFAULT", key: "host") == "b")
        #expect(file.entry(section: "DEFAULT", key: "host")?.line == 6)
        #expect(file.sections == ["DEFAULT", "other"])
        #expect(file.entries(inSection: "DEFAULT").count == 1)
    }

    @Test func valuesKeepInlineHashesAndLoseMatchingQuotes() throws {
        let file = try parse("[s]\na = b # c\nb = \"quoted value\"\nc = 'x'\nd = \"unbalanced'\ne =\n")
        #expect(file.value(section: "s", key: "a") == "b # c")
        #expect(file.value(section: "s", key: "b") == "quoted value")
        #expect(file.value(section: "s", key: "c") == "x")
        #expect(file.value(section: "s", key: "d") == "\"unbalanced'")
        #expect(file.value(section: "s", key: "e") == "")
    }

    @Test func continuationLinesJoinWithNewlinesUntilABlankLine() throws {
        let file = try parse("[s]\nmotd = first\n  second\n\tthird\n\nnext = 1\n")
        #expect(file.value(section: "s", key: "motd") == "first\nsecond\nthird")
        #expect(file.value(section: "s", key: "next") == "1")
    }

    @Test func acceptsWindowsLineEndings() throws {
        let file = try parse("[DEFAULT]\r\nhost = a\r\ndebug = true\r\n")
        #expect(file.value(section: "DEFAULT", key: "host") == "a")
        #expect(file.entry(section: "DEFAULT", key: "debug")?.line == 3)
    }

    @Test func refusesAssignmentOutsideSectionWithLineNumber() {
        let error = #expect(throws: ConfigurationError.self) {
            try parse("# header\n\ntransport_url = rabbit://x/\n[DEFAULT]\n")
        }
        #expect(error?.code == .assignmentOutsideSection)
        #expect(error?.origin == .file(path: "/etc/cirrus/cirrus.conf", line: 3))
        #expect(error?.description.contains("/etc/cirrus/cirrus.conf:3") == true)
        #expect(error?.description.contains("transport_url") == true)
    }

    @Test(arguments: [
        ("[DEFAULT]\nhost a\n", 2, "expected 'key = value'"),
        ("[DEFAULT\nhost = a\n", 1, "missing the closing ']'"),
        ("[]\n", 1, "has no name"),
        ("[DEFAULT]\n= value\n", 2, "has no key"),
        ("[DEFAULT]\nbad key = 1\n", 2, "invalid option name 'bad key'"),
        ("  indented = 1\n[DEFAULT]\n", 1, "unexpected indented line"),
    ])
    func refusesSyntaxErrorsWithLineNumber(text: String, line: Int, fragment: String) {
        let error = #expect(throws: ConfigurationError.self) { try parse(text) }
        #expect(error?.code == .syntax)
        #expect(error?.description.hasPrefix("/etc/cirrus/cirrus.conf:\(line): ") == true)
        #expect(error?.description.contains(fragment) == true, "\(error?.description ?? "")")
    }
}
