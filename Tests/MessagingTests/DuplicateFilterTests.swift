import Testing

@testable import Messaging

@Suite struct DuplicateFilterTests {
    @Test func firstSightingIsNewSecondIsADuplicate() {
        let filter = DuplicateFilter()
        #expect(!filter.seen("a"))
        #expect(filter.seen("a"))
        #expect(filter.seen("a"))
        #expect(!filter.seen("b"))
        #expect(filter.seen("b"))
    }

    @Test func remembersExactlyCapacityIDs() {
        let filter = DuplicateFilter(capacity: 3)
        for id in ["a", "b", "c"] { #expect(!filter.seen(id)) }
        #expect(filter.seen("a") && filter.seen("b") && filter.seen("c"))
        #expect(!filter.seen("d"), "d evicts the oldest, a")
        #expect(!filter.seen("a"), "a was evicted; now it evicts b")
        #expect(!filter.seen("b"))
        #expect(filter.seen("d"))
    }

    @Test func aDuplicateDoesNotRefreshItsPlace() {
        let filter = DuplicateFilter(capacity: 2)
        #expect(!filter.seen("a"))
        #expect(!filter.seen("b"))
        #expect(filter.seen("a"))
        #expect(!filter.seen("c"), "evicts a, the oldest insertion, even though it was just seen")
        #expect(!filter.seen("a"))
    }

    @Test func hexIDsAreRememberedExactly() {
        let filter = DuplicateFilter()
        let ids = (0..<2000).map { _ in OutgoingRequest.newID() }
        for id in ids { #expect(!filter.seen(id)) }
        for id in ids { #expect(filter.seen(id)) }
        let id = "0123456789abcdef0123456789abcdef"
        #expect(!filter.seen(id))
        #expect(!filter.seen(id.uppercased()), "another spelling is another id")
        #expect(!filter.seen(id + "0") && !filter.seen(String(id.dropLast())), "33 and 31 digits are other ids")
        #expect(!filter.seen("1123456789abcdef0123456789abcdef") && !filter.seen("0123456789abcdef0123456789abcdee"))
        #expect(filter.seen(id) && filter.seen(id.uppercased()))
    }

    @Test func oslosSixteenAreKeptByDefaultAndMore() {
        let filter = DuplicateFilter()
        let ids = (0..<1000).map { "id-\($0)" }
        for id in ids { #expect(!filter.seen(id)) }
        for id in ids { #expect(filter.seen(id)) }
    }

    @Test(arguments: [0, -5, 1])
    func capacityBelowOneActsAsOne(capacity: Int) {
        let filter = DuplicateFilter(capacity: capacity)
        #expect(!filter.seen("a"))
        #expect(filter.seen("a"))
        #expect(!filter.seen("b"))
        #expect(!filter.seen("a"))
    }

    @Test func concurrentCallersSeeEachIDAsNewExactlyOnce() async {
        let filter = DuplicateFilter(capacity: 10_000)
        let newCount = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask { (0..<500).filter { !filter.seen("id-\($0)") }.count }
            }
            return await group.reduce(0, +)
        }
        #expect(newCount == 500)
    }
}
