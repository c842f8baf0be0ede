import Testing

@Test func placeholder_SchedulerServiceTests() { #expect(Bool(true)) }
