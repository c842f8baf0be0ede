import Foundation
import Testing
@testable import CLI

@Suite struct APIErrorTests {
    func message(_ body: String, _ status: Int = 404) -> String {
        APIError.message(from: Data(body.utf8), status: status)
    }

    @Test func readsEachServicesErrorShape() {
        #expect(message(#"{"itemNotFound": {"code": 404, "message": "Instance x could not be found."}}"#) == "Instance x could not be found.")
        #expect(message(#"{"error": {"code": 401, "message": "Bad creds", "title": "Unauthorized"}}"#, 401) == "Bad creds")
        #expect(message(#"{"NeutronError": {"type": "NetworkNotFound", "message": "Network n could not be found.", "detail": ""}}"#) == "Network n could not be found.")
        #expect(message("<html><body><h1>404 Not Found</h1>\n\nNo image found with ID x\n</body></html>") == "404 Not Found No image found with ID x")
        #expect(message("", 401) == "The request you have made requires authentication.")
    }

    @Test func descriptionHasStatusAndRequestID() {
        let r = HTTPResponse(status: 409, headers: ["x-compute-request-id": "req-9"],
                             body: Data(#"{"conflictingRequest": {"code": 409, "message": "Cannot 'stop' instance while it is in vm_state stopped"}}"#.utf8))
        #expect(APIError(response: r).description == "Cannot 'stop' instance while it is in vm_state stopped (HTTP 409) (Request-ID: req-9)")
        #expect(APIError(status: 500, message: "boom").description == "boom (HTTP 500)")
    }
}
