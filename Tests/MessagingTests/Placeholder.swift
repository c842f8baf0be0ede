import Testing

@Test func placeholder_MessagingTests() { #expect(Bool(true)) }
