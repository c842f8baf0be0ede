import Messaging
import Testing
@testable import CLI

@Suite struct TableFormatterTests {
    let headers = ["ID", "Name", "Status"]
    let rows: [[Cell]] = [["1", "demo", "ACTIVE"], ["22", "web-server", Cell(.null)]]

    @Test func tableMatchesOpenstackClient() throws {
        let out = try TableFormatter().list(headers: headers, rows: rows)
        #expect(out == """
            +----+------------+--------+
            | ID | Name       | Status |
            +----+------------+--------+
            | 1  | demo       | ACTIVE |
            | 22 | web-server | None   |
            +----+------------+--------+

            """)
    }

    @Test func emptyListPrintsNothingAsTableButEmptyArrayAsJSON() throws {
        #expect(try TableFormatter().list(headers: headers, rows: []) == "")
        #expect(try TableFormatter(format: .json).list(headers: headers, rows: []) == "[]\n")
        #expect(try TableFormatter(format: .value).list(headers: headers, rows: []) == "")
    }

    @Test func showIsFieldValueTableWithMultiLineCells() throws {
        let out = try TableFormatter().show([("id", "abc"), ("security_groups", Cell(.string("name='a'\nname='bb'")))])
        #expect(out == """
            +-----------------+-----------+
            | Field           | Value     |
            +-----------------+-----------+
            | id              | abc       |
            | security_groups | name='a'  |
            |                 | name='bb' |
            +-----------------+-----------+

            """)
    }

    @Test func jsonListKeepsColumnOrderAndTypes() throws {
        let out = try TableFormatter(format: .json).list(headers: ["ID", "RAM", "Is Public"], rows: [["1", 512, Cell(.bool(true))]])
        #expect(out == """
            [
              {
                "ID": "1",
                "RAM": 512,
                "Is Public": true
              }
            ]

            """)
    }

    @Test func jsonShowNestsObjectsAndEscapesLikePython() throws {
        let addresses: JSONValue = ["public": [["addr": "10.0.0.3", "version": 4]]]
        let out = try TableFormatter(format: .json).show([("addresses", Cell(addresses, human: "public=10.0.0.3")), ("name", "caf\u{e9} \"x\"")])
        #expect(out == """
            {
              "addresses": {
                "public": [
                  {
                    "addr": "10.0.0.3",
                    "version": 4
                  }
                ]
              },
              "name": "caf\\u00e9 \\"x\\""
            }

            """)
        let compact = try TableFormatter(format: .json, noIndent: true).show([("a", 1), ("b", Cell(.array([])))])
        #expect(compact == "{\"a\": 1, \"b\": []}\n")
    }

    @Test func valueFormatPrintsSpaceSeparatedRowsAndOneValuePerLineForShow() throws {
        #expect(try TableFormatter(format: .value).list(headers: headers, rows: rows) == "1 demo ACTIVE\n22 web-server None\n")
        #expect(try TableFormatter(format: .value).show([("id", "abc"), ("name", "demo")]) == "abc\ndemo\n")
    }

    @Test func columnsSelectCaseInsensitivelyKeepingTableOrder() throws {
        let f = TableFormatter(format: .value, columns: ["Status", "id"])
        #expect(try f.list(headers: headers, rows: rows) == "1 ACTIVE\n22 None\n")
        #expect(try TableFormatter(format: .value, columns: ["name"]).show([("id", "abc"), ("name", "demo")]) == "demo\n")
    }

    @Test func unknownColumnIsAClearError() {
        #expect(throws: CLIError("No column named 'Nope'. Columns: ID, Name, Status.")) {
            try TableFormatter(columns: ["Nope"]).list(headers: headers, rows: rows)
        }
    }

    @Test func cellsRenderLikeTheClient() {
        #expect(Cell.display(.bool(false)) == "False")
        #expect(Cell.display(.null) == "None")
        #expect(Cell.display(["b": "2", "a": 1]) == "a='1', b='2'")
        #expect(Cell.display(["x", "y"]) == "x, y")
    }
}
